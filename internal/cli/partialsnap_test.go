package cli

import (
	"strings"
	"testing"
)

func TestSnapshotWithoutStatusNeverPasses(t *testing.T) {
	const noSources = `{"schema_version": 1, "tool": {"name": "pomlint", "version": "t"}, "items": [{"key": "PAY-1", "source": "jira", "tracker": "jira", "title": "x", "type": "Story"}]}`
	const unknownSource = `{"schema_version": 1, "tool": {"name": "pomlint", "version": "t"}, "sources": [{"name": "gh", "kind": "github", "complete": true}], "items": [{"key": "PAY-1", "source": "jira", "tracker": "jira", "title": "x", "type": "Story"}]}`
	for _, tc := range []struct {
		name, body string
		args       []string
	}{
		{"should refuse to drift from a snapshot without sources", noSources, []string{"drift", "--base", "s.json", "--head", "s.json"}},
		{"should refuse to lint a snapshot without sources", noSources, []string{"lint", "-c", "p.yaml"}},
		{"should refuse to lint items of a source with no status", unknownSource, []string{"lint", "-c", "p.yaml"}},
		{"should refuse to drift items of a source with no status", unknownSource, []string{"drift", "--base", "s.json", "--head", "s.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "s.json", tc.body)
			write(t, dir, "p.yaml", "sources:\n  - name: snap\n    kind: file\n    file: {path: s.json}\n")
			r := runCLI(t, dir, nil, tc.args...)
			if r.code != 2 || !strings.Contains(r.err, "s.json") {
				t.Fatalf("exit %d, want 2 naming the file\n%s", r.code, r.err)
			}
		})
	}
}
