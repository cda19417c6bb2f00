package config_test

import (
	"errors"
	"github.com/pomlint/pomlint/internal/config"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad checks that no config file panics the loader, and that a config
// it refuses says why in an *Error with at least one problem.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("sources:\n  - name: demo\n    kind: file\n    file: {path: demo/backlog.json}\n"))
	f.Add([]byte("sources:\n  - name: gh\n    kind: github\n    github: {base_url: \"http://ghes.example/api/v3/\", token_env: X, repos: [a/b]}\nroster:\n  people:\n    - {id: a, roles: [product-owner]}\n"))
	f.Add([]byte("sources: [{name: j, kind: jira, jira: {url: \"https://x.atlassian.net\", jql: 'project = A ORDER BY key'}}]\nexceptions: [{rule: OWN001, item: A-1, reason: r, expires: 2027-02-30}]\n"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Add([]byte("sources:\n\t- \xff\n"))
	f.Add([]byte("rules: {severity: {OWN001: nope}, disable: [OWN9]}\nclassification: {strategic: {types: [Epic]}, tactical: {types: [Epic]}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "pomlint.yaml")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(p, testKinds, os.Getenv)
		if err == nil {
			if cfg == nil {
				t.Fatal("no config and no error")
			}
			_ = cfg.InsecureURLs()
			return
		}
		var ce *config.Error
		if errors.As(err, &ce) && len(ce.Problems) == 0 {
			t.Fatalf("an *Error without problems for %q", data)
		}
		_ = err.Error()
	})
}
