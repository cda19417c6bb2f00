package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestLintCompare(t *testing.T) {
	root := repoRoot(t)
	t.Run("should show the trend against an earlier snapshot in the markdown header", func(t *testing.T) {
		prev := filepath.Join(t.TempDir(), "prev.json")
		if r := runCLI(t, root, nil, "snapshot", "-c", "configs/demo.yaml", "--output", prev); r.code != 0 && r.code != 1 {
			t.Fatalf("snapshot exit %d: %s", r.code, r.err)
		}
		r := runCLI(t, root, nil, "lint", "-c", "configs/demo.yaml", "--compare", prev, "--format", "markdown", "--fail-on", "never")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.err)
		}
		// The same data twice: every finding unchanged, the share the same.
		if !strings.Contains(r.out, ": 0 new, 0 fixed, 23 unchanged; correctly owned 77% then, 77% now.") {
			t.Errorf("no trend in:\n%.800s", r.out)
		}
	})
	t.Run("should end the text summary with the trend against an earlier snapshot", func(t *testing.T) {
		prev := filepath.Join(t.TempDir(), "prev.json")
		if r := runCLI(t, root, nil, "snapshot", "-c", "configs/demo.yaml", "--output", prev); r.code != 0 && r.code != 1 {
			t.Fatalf("snapshot exit %d: %s", r.code, r.err)
		}
		r := runCLI(t, root, nil, "lint", "-c", "configs/demo.yaml", "--compare", prev, "--format", "text", "--fail-on", "never")
		if r.code != 0 || !strings.Contains(r.out, " · 0 new, 0 fixed since snapshot "+prev+" (") {
			t.Errorf("exit %d, no trend in:\n%s", r.code, r.out)
		}
	})
	t.Run("should name a missing snapshot and exit 2", func(t *testing.T) {
		r := runCLI(t, root, nil, "lint", "-c", "configs/demo.yaml", "--compare", "no-such.json")
		if r.code != 2 || !strings.Contains(r.err, "no-such.json") {
			t.Fatalf("exit %d: %s", r.code, r.err)
		}
	})
}
