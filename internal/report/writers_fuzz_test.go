package report

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"unicode"

	"github.com/pomlint/pomlint/internal/model"
)

// fuzzResult is one finding (and one failed source) whose tracker-written
// text is s.
func fuzzResult(key, title, owner, serverErr string) *model.Result {
	return &model.Result{
		Tool: model.Tool{Name: "pomlint", Version: "t"},
		Sources: []model.SourceStatus{
			{Name: "gh", Kind: "github", Items: 1, Complete: true},
			{Name: "jira", Kind: "jira", Complete: false, Error: serverErr},
		},
		Items: []model.Item{{Key: key, Source: "gh", Tracker: model.TrackerGitHub, Title: title, Type: title}},
		Findings: []model.Finding{{Rule: "OWN002", Name: "tactical-owned-by-non-po", Severity: model.SeverityError, Source: "gh", Item: key,
			Title: title, Owner: owner, Team: owner, URL: "https://github.com/acme/app/issues/1", Message: "owner " + owner + " is not a product owner",
			Level: model.LevelTactical, Fingerprint: "f"}},
	}
}

var writerSeeds = [][4]string{
	{"acme/app#1", "Fix checkout", "bob", "fetch: 502"},
	{"=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)"},
	{"::error::k", "\x1b[2J\r\n::add-mask::x", "\u202eevil\u0085", "##[error]boom\n  ::warning::w"},
	{"K\xff", "a,\"b\"\r\nc", "\t=cmd", "\r"},
}

// FuzzCSV checks that any text round-trips through the CSV report: one
// row per finding and failed source, every cell read back as written (a
// leading formula character behind an apostrophe).
func FuzzCSV(f *testing.F) {
	for _, s := range writerSeeds {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, key, title, owner, serverErr string) {
		var buf bytes.Buffer
		if err := (CSV{}).Report(&buf, fuzzResult(key, title, owner, serverErr)); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("the CSV does not parse: %v\n%q", err, buf.String())
		}
		if len(rows) != 3 {
			t.Fatalf("%d rows, want header + incomplete source + finding", len(rows))
		}
		// The CSV reader turns CR LF inside a quoted cell into LF.
		norm := func(s string) string { return strings.ReplaceAll(s, "\r", "") }
		got := rows[2]
		for i, want := range []string{key, title, owner} {
			col := []int{1, 9, 6}[i]
			if norm(got[col]) != norm(defuseFormula(want)) {
				t.Fatalf("column %s = %q, want %q", CSVHeader[col], got[col], defuseFormula(want))
			}
		}
	})
}

// FuzzText checks that the text report never prints a raw control
// character, a legacy workflow command, or a line that starts one.
func FuzzText(f *testing.F) {
	for _, s := range writerSeeds {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, key, title, owner, serverErr string) {
		var buf bytes.Buffer
		if err := (&Text{}).Report(&buf, fuzzResult(key, title, owner, serverErr)); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, c := range out {
			if (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) {
				t.Fatalf("raw %U in the text report:\n%q", c, out)
			}
		}
		if strings.Contains(out, "##[") {
			t.Fatalf("a legacy workflow command in:\n%q", out)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") {
				t.Fatalf("a line starts a workflow command: %q", line)
			}
		}
	})
}

// rawControl returns the first control character in out that is neither a
// line feed nor a tab (the documents' own layout), or -1.
func rawControl(out string) rune {
	for _, c := range out {
		if (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == 0xfffd {
			return c
		}
	}
	return -1
}

// FuzzJUnit checks that the JUnit report is well-formed XML with no
// character XML 1.0 forbids, no raw C1 control, and no U+FFFD standing in
// for one: tracker text shows its control characters as escapes.
func FuzzJUnit(f *testing.F) {
	for _, s := range writerSeeds {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, key, title, owner, serverErr string) {
		var buf bytes.Buffer
		if err := (&JUnit{}).Report(&buf, fuzzResult(key, title, owner, serverErr)); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if c := rawControl(out); c >= 0 && !strings.ContainsRune(key+title+owner+serverErr, 0xfffd) {
			t.Fatalf("raw %U in the JUnit report:\n%q", c, out)
		}
		dec := xml.NewDecoder(strings.NewReader(out))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("the JUnit report is not well-formed XML: %v\n%q", err, out)
			}
		}
	})
}

// FuzzHTML checks that the HTML report holds no raw control character
// (other than the page's own line feeds) and that tracker text cannot start
// a line of it.
func FuzzHTML(f *testing.F) {
	for _, s := range writerSeeds {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, key, title, owner, serverErr string) {
		var buf bytes.Buffer
		if err := (&HTML{}).Report(&buf, fuzzResult(key, title, owner, serverErr)); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if c := rawControl(out); c >= 0 && !strings.ContainsRune(key+title+owner+serverErr, 0xfffd) {
			t.Fatalf("raw %U in the HTML report:\n%q", c, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") {
				t.Fatalf("a line starts a workflow command: %q", line)
			}
		}
	})
}

func TestControlCharactersVisible(t *testing.T) {
	r := fuzzResult("acme/app#1", "Fix\x1b[2J\u009b\x00 checkout", "bob", "bad\x07gateway")
	for _, tc := range []struct {
		name string
		rep  Reporter
	}{
		{"should show controls as escapes in JUnit XML", &JUnit{}},
		{"should show controls as escapes in HTML", &HTML{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, tc.rep, r)
			for _, want := range []string{`Fix\x1b[2J\u009b\x00 checkout`, `bad\x07gateway`} {
				if !strings.Contains(out, want) {
					t.Errorf("%q is not in the report:\n%s", want, out)
				}
			}
			if c := rawControl(out); c >= 0 {
				t.Errorf("raw %U in the report", c)
			}
		})
	}
}
