package report

import (
	"bytes"
	"encoding/csv"
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
