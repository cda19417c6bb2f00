package audit

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/golden"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/report"
)

// assertGolden compares got with testdata/golden/name, rewriting it under
// -update.
func assertGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Assert(t, filepath.Join("testdata", "golden", name), got)
}

func TestRenderGolden(t *testing.T) {
	incomplete := func(t *testing.T) *Report {
		rep := fixture(t, false)
		rep.Complete = false
		rep.Sources = []model.SourceStatus{{Name: "demo", Kind: "file", Items: 6, Complete: true}, {Name: "jira", Kind: "jira", Complete: false, Error: "history: read changelog of PAY-9: 502 Bad Gateway"}}
		rep.Notes = append(rep.Notes, incompleteNote([]string{"jira"}))
		return rep
	}
	cases := []struct {
		name string
		rep  func(t *testing.T) *Report
	}{
		{"q3-compare", func(t *testing.T) *Report { return fixture(t, true) }},
		{"q3", func(t *testing.T) *Report { return fixture(t, false) }},
		{"incomplete", incomplete},
	}
	ext := map[string]string{"markdown": "md", "csv": "csv", "json": "json", "html": "html"}
	for _, c := range cases {
		for _, format := range Formats() {
			t.Run("should render "+c.name+" as "+format, func(t *testing.T) {
				var a, b bytes.Buffer
				if err := Render(&a, format, c.rep(t)); err != nil {
					t.Fatal(err)
				}
				if err := Render(&b, format, c.rep(t)); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Fatal("two renders of the same input differ")
				}
				assertGolden(t, c.name+"."+ext[format], a.Bytes())
			})
		}
	}
}

func TestRenderSaysIncomplete(t *testing.T) {
	rep := fixture(t, false)
	rep.Complete = false
	rep.Sources = append(rep.Sources, model.SourceStatus{Name: "gh", Kind: "github", Error: "history: 502"})
	for _, format := range []string{"markdown", "html"} {
		t.Run("should say the "+format+" audit is incomplete", func(t *testing.T) {
			var b bytes.Buffer
			if err := Render(&b, format, rep); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), "INCOMPLETE") || !strings.Contains(b.String(), "history: 502") {
				t.Fatalf("no incomplete banner:\n%s", b.String())
			}
		})
	}
	t.Run("should say complete false in json", func(t *testing.T) {
		var b bytes.Buffer
		if err := Render(&b, "json", rep); err != nil {
			t.Fatal(err)
		}
		var got struct{ Complete *bool }
		if err := json.Unmarshal(b.Bytes(), &got); err != nil || got.Complete == nil || *got.Complete {
			t.Fatalf("complete = %v (%v)", got.Complete, err)
		}
	})
}

func TestHTMLIsSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := HTML(&b, fixture(t, true)); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"<script", "<link", "src=", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("should need no external asset or script, found %q", bad)
		}
	}
	for _, want := range []string{"Compliance per team", "Trend per month", "Time from creation to a correct owner", "<path class=\"trend\""} {
		if !strings.Contains(page, want) {
			t.Errorf("should contain %q", want)
		}
	}
}

func TestRenderUnknownFormat(t *testing.T) {
	if err := Render(&bytes.Buffer{}, "sarif", fixture(t, false)); err == nil || !strings.Contains(err.Error(), "unknown audit format") {
		t.Fatalf("err = %v", err)
	}
}

func TestMarkdownEscapesTrackerText(t *testing.T) {
	rep := fixture(t, false)
	rep.Items[0].Title = "ping @alice about #12 <b>now</b> | [x](javascript:1)"
	rep.Items[0].Compliance = f(0)
	var b bytes.Buffer
	if err := Markdown(&b, rep); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"@alice", "<b>", "#12", "| [x]"} {
		t.Run("should not leave "+bad+" raw", func(t *testing.T) {
			if strings.Contains(out, bad) {
				t.Errorf("%q survived in\n%s", bad, out)
			}
		})
	}
}

func TestHTMLSharesTheLintStylesheet(t *testing.T) {
	var b bytes.Buffer
	if err := HTML(&b, fixture(t, false)); err != nil {
		t.Fatal(err)
	}
	var lint bytes.Buffer
	if err := (&report.HTML{}).Report(&lint, &model.Result{}); err != nil {
		t.Fatal(err)
	}
	shared := string(report.PageStyle(""))
	for name, page := range map[string]string{"audit": b.String(), "lint": lint.String()} {
		t.Run("should inline the shared stylesheet in the "+name+" page", func(t *testing.T) {
			if !strings.Contains(page, "<style>\n"+shared) {
				t.Errorf("the %s page does not start its <style> with report.PageStyle", name)
			}
		})
	}
}

func TestMedianCard(t *testing.T) {
	days := 2.5
	tests := []struct {
		name    string
		overall Figures
		want    string
	}{
		{"should count the items that got a correct owner, not all created",
			Figures{Items: 76, MedianDaysToOwner: &days, ToOwnerSamples: 63}, "over 63 items created in the window that got a correct owner"},
		{"should say one item in the singular",
			Figures{Items: 5, MedianDaysToOwner: &days, ToOwnerSamples: 1}, "over 1 item created in the window that got a correct owner"},
		{"should say no item was alive when there were none",
			Figures{}, "no item was alive in the window"},
		{"should say none got a correct owner",
			Figures{Items: 3}, "no item created in the window got a correct owner"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := &Report{Current: &Period{Overall: tc.overall}}
			var med card
			for _, c := range cards(rep, "") {
				if c.Key == "median days to a correct owner" {
					med = c
				}
			}
			if med.Sub != tc.want {
				t.Errorf("subtitle %q, want %q", med.Sub, tc.want)
			}
		})
	}
}

func TestHTMLShowsControlCharacters(t *testing.T) {
	rep := fixture(t, true)
	rep.Items[0].Title = "Card\x1b[2J vault\r\nv2 \u202eexe"
	rep.Items[0].OwnerName = "Alice\u009b31m"
	var b bytes.Buffer
	if err := HTML(&b, rep); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{`Card\x1b[2J vault v2 \u202eexe`, `Alice\u009b31m`} {
		if !strings.Contains(page, want) {
			t.Errorf("should show %q with visible escapes", want)
		}
	}
	if strings.ContainsAny(page, "\x1b\r\u009b\u202e") {
		t.Errorf("a raw control character reached the page")
	}
	if rep.Items[0].Title != "Card\x1b[2J vault\r\nv2 \u202eexe" {
		t.Errorf("the report itself was changed: %q", rep.Items[0].Title)
	}
}
