package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/model"
)

const previewTestConfig = `sources:
  - name: f
    kind: file
    file: {path: backlog.json}
classification:
  strategic: {types: [Epic]}
  tactical: {types: [Story]}
`

// TestHeadRuleFilesStayInside: a head rule file reached through a symlink
// is checked where it really is, whether the config names it or a folder
// the config names holds it.
func TestHeadRuleFilesStayInside(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret.yaml")
	if err := os.WriteFile(secret, []byte("token: s3cr3t\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		paths string
		setup func(t *testing.T, head string)
		ok    bool
	}{
		{"should accept a rule file inside the head's folder", "[rules/own.yaml]", func(t *testing.T, head string) {
			previewWrite(t, filepath.Join(head, "rules", "own.yaml"), "rules: []\n")
		}, true},
		{"should refuse a rule file that is a symlink to a file elsewhere", "[rules/own.yaml]", func(t *testing.T, head string) {
			previewSymlink(t, secret, filepath.Join(head, "rules", "own.yaml"))
		}, false},
		{"should refuse a rule folder holding a symlink to a file elsewhere", "[rules]", func(t *testing.T, head string) {
			previewWrite(t, filepath.Join(head, "rules", "own.yaml"), "rules: []\n")
			previewSymlink(t, secret, filepath.Join(head, "rules", "z.yaml"))
		}, false},
		{"should refuse a rule folder that is a symlink to a folder elsewhere", "[rules]", func(t *testing.T, head string) {
			if err := os.Remove(filepath.Join(head, "rules")); err != nil {
				t.Fatal(err)
			}
			previewSymlink(t, filepath.Dir(secret), filepath.Join(head, "rules"))
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			base, head := filepath.Join(dir, "base"), filepath.Join(dir, "head")
			previewWrite(t, filepath.Join(base, "pomlint.yaml"), previewTestConfig)
			previewWrite(t, filepath.Join(head, "pomlint.yaml"), previewTestConfig+"rules:\n  paths: "+tc.paths+"\n")
			if err := os.MkdirAll(filepath.Join(head, "rules"), 0o755); err != nil {
				t.Fatal(err)
			}
			tc.setup(t, head)
			a := &App{Kinds: testKinds, WorkDir: dir}
			err := a.checkHeadConfig("base/pomlint.yaml", "head/pomlint.yaml")
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ae *Error
			if !errors.As(err, &ae) || ae.Code != model.ExitUsage || !strings.Contains(err.Error(), "outside the head config's folder") {
				t.Fatalf("err = %v, want exit 2 naming the rule path", err)
			}
		})
	}
}

func previewWrite(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func previewSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks: %v", err)
	}
}
