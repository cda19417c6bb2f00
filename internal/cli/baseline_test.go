package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBaselineAdoption(t *testing.T) {
	dir := writeTree(t, map[string]string{"p.yaml": `sources:
  - name: demo
    kind: file
    file: {path: snap.json, sources: [acme-jira]}
classification:
  strategic: {types: [Initiative, Theme, Epic]}
  tactical: {types: [Story, Task, Bug, Sub-task, Spike]}
ownership:
  from: ["field:Product Owner", assignee]
roster:
  people:
    - {id: bob, roles: [product-owner], accounts: {jira: 5b10ac8d82e05b22cc7d4ef5}}
    - {id: alice, roles: [product-manager], accounts: {jira: 5b10a2844c20165700ede21g}}
`})
	base := filepath.Join(dir, "baseline.json")
	r := runCLI(t, dir, nil, "baseline", "create", "-c", "p.yaml", "-o", "baseline.json")
	if r.code != 0 || !strings.Contains(r.out, "findings accepted") {
		t.Fatalf("baseline create: exit %d\n%s%s", r.code, r.out, r.err)
	}
	t.Run("should pass when only baselined findings remain", func(t *testing.T) {
		r := runCLI(t, dir, nil, "lint", "-c", "p.yaml", "--baseline", "baseline.json", "--no-color")
		if r.code != 0 || !strings.Contains(r.out, "baselined") {
			t.Fatalf("exit %d\n%s", r.code, r.out)
		}
	})
	t.Run("should fail on a new finding and list fixed ones as removable", func(t *testing.T) {
		// Bob leaves the roster: his items become OWN004 (new); the OWN001/
		// OWN002 findings on items he owned no longer match (removable).
		cfg, _ := os.ReadFile(filepath.Join(dir, "p.yaml"))
		edited := strings.Replace(string(cfg), "    - {id: bob, roles: [product-owner], accounts: {jira: 5b10ac8d82e05b22cc7d4ef5}}\n", "", 1)
		write(t, dir, "q.yaml", edited)
		r := runCLI(t, dir, nil, "lint", "-c", "q.yaml", "--baseline", "baseline.json", "--format", "json", "--fail-on", "warning")
		if r.code != 1 {
			t.Fatalf("exit %d, want 1\n%s", r.code, r.err)
		}
		if !strings.Contains(r.out, `"stale_baseline": [`) || strings.Contains(r.out, `"stale_baseline": []`) {
			t.Fatalf("no stale baseline entries reported:\n%s", r.out)
		}
	})
	t.Run("should reject a file that is not a baseline", func(t *testing.T) {
		write(t, dir, "bad.json", `{"schema_version": 7}`)
		r := runCLI(t, dir, nil, "lint", "-c", "p.yaml", "--baseline", "bad.json")
		if r.code != 2 || !strings.Contains(r.err, "schema_version 7") {
			t.Fatalf("exit %d: %s", r.code, r.err)
		}
	})
	if _, err := os.Stat(base); err != nil {
		t.Fatal(err)
	}
}
