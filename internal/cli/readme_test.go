package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/golden"
	"github.com/pomlint/pomlint/internal/markdown"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/rules"
)

// RulesTable renders the README's rule table from the rules' own
// documentation, the same source as `rules explain` and SARIF help.
func RulesTable() string {
	var b strings.Builder
	b.WriteString("| ID | name | default | fires when |\n|---|---|---|---|\n")
	for _, d := range rules.Docs(rules.Builtin()) {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", d.ID, d.Name, d.Severity, strings.ReplaceAll(d.Summary, "|", "\\|"))
	}
	return b.String()
}

func TestREADMERulesTable(t *testing.T) {
	p := filepath.Join(repoRoot(t), "README.md")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	const start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
	s := string(data)
	i, j := strings.Index(s, start), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q … %q markers", start, end)
	}
	want := RulesTable()
	if got := s[i+len(start) : j]; got != want {
		if golden.Update() {
			if err := os.WriteFile(p, []byte(s[:i+len(start)]+want+s[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README.md's rule table is out of date with the rules' documentation; run go test ./internal/cli -run README -update")
	}
}

// RulePage renders one built-in rule's documentation page under rules/,
// from the same source as `rules explain`, SARIF help and the README table.
func RulePage(d model.RuleDoc) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s\n\n%s.\n\n", d.ID, d.Name, d.Title)
	fmt.Fprintf(&b, "| default severity | category | since |\n|---|---|---|\n| %s | %s | %s |\n", d.Severity, d.Category, markdown.Dash(d.Since))
	section := func(title, body string) {
		if strings.TrimSpace(body) != "" {
			fmt.Fprintf(&b, "\n## %s\n\n%s\n", title, strings.TrimSpace(body))
		}
	}
	section("When it fires", d.Summary)
	section("Why", d.Why)
	section("How to fix", d.Fix)
	if strings.TrimSpace(d.Example) != "" {
		fmt.Fprintf(&b, "\n## Example\n\n```text\n%s\n```\n", strings.TrimSpace(d.Example))
	}
	fmt.Fprintf(&b, "\nThis page is generated from the rule's own documentation in `internal/rules` (also shown by `pomlint rules explain %s`); edit it there and run `go test ./internal/cli -run RulePages -update`.\n", d.ID)
	return b.String()
}

// TestRulePages keeps rules/OWNnnn.md, one page per built-in rule, in step
// with the rules' documentation, and fails on a page no rule has.
func TestRulePages(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "rules")
	want := map[string]bool{"README.md": true}
	for _, d := range rules.Docs(rules.Builtin()) {
		name := d.ID + ".md"
		want[name] = true
		golden.AssertString(t, filepath.Join(dir, name), RulePage(d))
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("rules/%s documents no built-in rule; remove it", e.Name())
		}
	}
}
