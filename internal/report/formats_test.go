package report

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/model"
)

// TestGolden renders every fixture in every format and compares it with
// testdata/golden; go test ./internal/report -update rewrites them.
func TestGolden(t *testing.T) {
	formats := []struct {
		ext string
		rep func() Reporter
	}{
		{"md", func() Reporter { return &Markdown{} }},
		{"github.txt", func() Reporter { return &GitHub{} }},
		{"junit.xml", func() Reporter { return &JUnit{} }},
		{"csv", func() Reporter { return CSV{} }},
		{"html", func() Reporter { return &HTML{} }},
	}
	for _, fx := range fixtures {
		for _, f := range formats {
			t.Run(fx.name+" as "+f.ext, func(t *testing.T) {
				var a, b bytes.Buffer
				if err := f.rep().Report(&a, fx.result(t)); err != nil {
					t.Fatal(err)
				}
				if err := f.rep().Report(&b, fx.result(t)); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Error("same result gave different bytes")
				}
				assertGolden(t, goldenName(fx.name, f.ext), a.Bytes())
			})
		}
	}
}

func TestNew(t *testing.T) {
	for _, name := range Formats {
		t.Run("should build a reporter for "+name, func(t *testing.T) {
			if _, err := New(name, Options{}); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("should reject an unknown format", func(t *testing.T) {
		if _, err := New("pdf", Options{}); err == nil {
			t.Fatal("want an error")
		}
	})
}

func render(t *testing.T, rep Reporter, r *model.Result) string {
	t.Helper()
	var buf bytes.Buffer
	if err := rep.Report(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestIncompleteEverywhere(t *testing.T) {
	for _, tc := range []struct {
		name string
		rep  Reporter
		want []string
	}{
		{"markdown", &Markdown{}, []string{"INCOMPLETE run", "`jira` (jira)", "429 Too Many Requests"}},
		{"github", &GitHub{}, []string{"::error title=pomlint INCOMPLETE run::source jira (jira) could not be read completely", "429 Too Many Requests"}},
		{"junit", &JUnit{}, []string{`<error message="INCOMPLETE: source could not be read completely: search jira`, `type="incomplete"`}},
		{"csv", CSV{}, []string{"jira,,INCOMPLETE,incomplete-source,error", "429 Too Many Requests"}},
		{"html", &HTML{}, []string{"INCOMPLETE run — partial results", "429 Too Many Requests", "<title>pomlint report (INCOMPLETE)</title>"}},
		{"sarif", SARIF{}, []string{`"executionSuccessful": false`, "INCOMPLETE run: source jira (jira)"}},
	} {
		t.Run("should say the run is incomplete in "+tc.name, func(t *testing.T) {
			got := render(t, tc.rep, incomplete(t))
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q", w)
				}
			}
		})
	}
}

func TestEscaping(t *testing.T) {
	hostile := "<script>alert(1)</script>"
	t.Run("should never emit a raw script tag from tracker data in html or markdown", func(t *testing.T) {
		// The HTML page has exactly one script of its own (the filters);
		// Markdown has none.
		for _, tc := range []struct {
			rep     Reporter
			scripts int
		}{{&HTML{}, 1}, {&Markdown{}, 0}} {
			got := render(t, tc.rep, full(t))
			if strings.Contains(got, hostile) || strings.Count(got, "<script") != tc.scripts {
				t.Errorf("%T: %d <script tags, want %d, or the hostile title raw", tc.rep, strings.Count(got, "<script"), tc.scripts)
			}
		}
	})
	t.Run("should keep a javascript URL out of html links", func(t *testing.T) {
		r := full(t)
		r.Findings[0].URL = "javascript:alert(1)"
		if got := render(t, &HTML{}, r); strings.Contains(got, `href="javascript:`) {
			t.Error("javascript: URL in href")
		}
		if got := render(t, &Markdown{}, r); strings.Contains(got, "](javascript:") || strings.Contains(got, `href="javascript:`) {
			t.Error("javascript: URL linked in markdown")
		}
	})
	t.Run("should escape workflow command data and properties", func(t *testing.T) {
		if got, want := EscapeData("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b"; got != want {
			t.Errorf("EscapeData = %q, want %q", got, want)
		}
		if got, want := EscapeProperty("OWN001 a:b,c%\n"), "OWN001 a%3Ab%2Cc%25%0A"; got != want {
			t.Errorf("EscapeProperty = %q, want %q", got, want)
		}
		for _, line := range strings.Split(strings.TrimSuffix(render(t, &GitHub{}, full(t)), "\n"), "\n") {
			if !strings.HasPrefix(line, "::") {
				t.Errorf("a title or message broke out of its command: %q", line)
			}
		}
	})
	t.Run("should round-trip titles with commas, quotes, newlines and unicode through csv", func(t *testing.T) {
		r := full(t)
		r.Findings[0].Title = "=HYPERLINK(\"http://evil\")"
		rows, err := csv.NewReader(strings.NewReader(render(t, CSV{}, r))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(r.Findings)+1 || strings.Join(rows[0], ",") != strings.Join(CSVHeader, ",") {
			t.Fatalf("rows = %d, header %v", len(rows), rows[0])
		}
		if rows[1][9] != "'=HYPERLINK(\"http://evil\")" {
			t.Errorf("formula not defused: %q", rows[1][9])
		}
		for i, f := range r.Findings[1:] {
			if rows[i+2][9] != f.Title {
				t.Errorf("row %d title %q, want %q", i+2, rows[i+2][9], f.Title)
			}
		}
	})
	t.Run("should write well-formed junit xml with hostile titles", func(t *testing.T) {
		var v struct {
			Tests  int `xml:"tests,attr"`
			Suites []struct {
				Name  string `xml:"name,attr"`
				Cases []struct {
					Name     string `xml:"name,attr"`
					Failures []struct {
						Type string `xml:"type,attr"`
					} `xml:"failure"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal([]byte(render(t, &JUnit{}, full(t))), &v); err != nil {
			t.Fatal(err)
		}
		if v.Tests != 11 || len(v.Suites) != 2 || v.Suites[0].Cases[3].Name != `acme/checkout#7 Checkout <script>alert("x")</script>, "quoted" | piped & 'single'` {
			t.Errorf("parsed = %+v", v)
		}
	})
}

func TestBaselined(t *testing.T) {
	r := full(t) // PAY-42's OWN001 is baselined
	t.Run("should not annotate a baselined finding", func(t *testing.T) {
		got := render(t, &GitHub{}, r)
		if strings.Contains(got, "PAY-42") {
			t.Error("baselined finding annotated")
		}
		if !strings.Contains(got, "::notice title=pomlint baseline::1 finding accepted by the baseline") {
			t.Error("no baseline notice")
		}
		if !strings.Contains(got, "0f1e2d3c4b5a69788796a5b4") {
			t.Error("stale baseline entry not reported")
		}
	})
	t.Run("should not fail the junit test case of a baselined finding", func(t *testing.T) {
		got := render(t, &JUnit{}, r)
		if strings.Contains(got, `type="OWN001">OWN001 strategic-owned-by-non-pm (error): strategic item owned by bob (product-owner), not a product manager; the payments team&#39;s product manager is alice&#xA;Item: https://acme.atlassian.net/browse/PAY-42`) {
			t.Error("baselined finding failed its test case")
		}
		if !strings.Contains(got, "accepted by the baseline: OWN001") {
			t.Error("baselined finding not in system-out")
		}
	})
	t.Run("should mark it in csv and list stale entries in markdown and html", func(t *testing.T) {
		if !strings.Contains(render(t, CSV{}, r), ",baseline\r\n") {
			t.Error("csv row not marked baseline")
		}
		for _, rep := range []Reporter{&Markdown{}, &HTML{}} {
			if got := render(t, rep, r); !strings.Contains(got, "0f1e2d3c4b5a69788796a5b4") || !strings.Contains(got, "Stale baseline entries") {
				t.Errorf("%T: stale baseline entry missing", rep)
			}
		}
	})
}

func TestGitHubSummary(t *testing.T) {
	t.Run("should append the markdown summary to SummaryPath", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "summary.md")
		if err := os.WriteFile(p, []byte("earlier step\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		render(t, &GitHub{SummaryPath: p}, full(t))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), "earlier step\n## ") || !strings.Contains(string(b), "### By team") {
			t.Errorf("summary = %.200s", b)
		}
	})
	t.Run("should name the summary file when it cannot be written", func(t *testing.T) {
		err := (&GitHub{SummaryPath: filepath.Join(t.TempDir(), "missing", "summary.md")}).Report(&bytes.Buffer{}, full(t))
		if err == nil || !strings.Contains(err.Error(), "job summary") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestTimestamps(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 11, 28, 10, 30, 0, 0, time.UTC) }
	t.Run("should stamp html and junit only when Now is set", func(t *testing.T) {
		if got := render(t, &HTML{Now: now}, full(t)); !strings.Contains(got, "Run 2026-11-28 10:30 UTC") {
			t.Error("html not stamped")
		}
		if got := render(t, &JUnit{Now: now}, full(t)); !strings.Contains(got, `timestamp="2026-11-28T10:30:00"`) {
			t.Error("junit not stamped")
		}
		if got := render(t, &HTML{}, full(t)); strings.Contains(got, "Run 20") {
			t.Error("html stamped without Now")
		}
	})
}
