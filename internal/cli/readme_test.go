package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/golden"
	"github.com/pomlint/pomlint/rules"
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
