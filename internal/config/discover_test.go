package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiscover(t *testing.T) {
	tests := []struct {
		name     string
		files    []string // created under the temp dir; a name ending in / is a directory
		cwd      string
		want     string // relative to the temp dir; "" means not found
		shadowed string
	}{
		{
			name:  "should find .pomlint.yaml in the working directory",
			files: []string{"repo/.git/", "repo/.pomlint.yaml"},
			cwd:   "repo", want: "repo/.pomlint.yaml",
		},
		{
			name:  "should find pomlint.yaml too",
			files: []string{"repo/.git/", "repo/pomlint.yaml"},
			cwd:   "repo", want: "repo/pomlint.yaml",
		},
		{
			name:  "should prefer .pomlint.yaml and report pomlint.yaml when both exist",
			files: []string{"repo/.git/", "repo/.pomlint.yaml", "repo/pomlint.yaml"},
			cwd:   "repo", want: "repo/.pomlint.yaml", shadowed: "repo/pomlint.yaml",
		},
		{
			name:  "should walk up from a subdirectory to the repository root",
			files: []string{"repo/.git/", "repo/.pomlint.yaml", "repo/a/b/"},
			cwd:   "repo/a/b", want: "repo/.pomlint.yaml",
		},
		{
			name:  "should take the nearest directory holding a config",
			files: []string{"repo/.git/", "repo/.pomlint.yaml", "repo/a/pomlint.yaml", "repo/a/b/"},
			cwd:   "repo/a/b", want: "repo/a/pomlint.yaml",
		},
		{
			name:  "should stop at the repository root",
			files: []string{".pomlint.yaml", "repo/.git/", "repo/a/"},
			cwd:   "repo/a",
		},
		{
			name:  "should take a worktree's .git file as the repository root",
			files: []string{"wt/.git", "wt/.pomlint.yaml", "wt/sub/"},
			cwd:   "wt/sub", want: "wt/.pomlint.yaml",
		},
		{
			name:  "should look only in the working directory outside a repository",
			files: []string{"plain/.pomlint.yaml", "plain/sub/"},
			cwd:   "plain/sub",
		},
		{
			name:  "should skip a directory named like a config",
			files: []string{"repo/.git/", "repo/.pomlint.yaml/", "repo/pomlint.yaml"},
			cwd:   "repo", want: "repo/pomlint.yaml",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			for _, f := range tt.files {
				p := filepath.Join(base, filepath.FromSlash(f))
				if strings.HasSuffix(f, "/") {
					if err := os.MkdirAll(p, 0o755); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte("sources: []\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			d, err := Discover(filepath.Join(base, filepath.FromSlash(tt.cwd)))
			if tt.want == "" {
				var ce *Error
				if !errors.As(err, &ce) || !strings.HasPrefix(ce.Problems[0].Msg, "no config file: ") {
					t.Fatalf("Discover = %+v, %v; want a no config file error", d, err)
				}
				if !strings.Contains(ce.Problems[0].Msg, DefaultFile) {
					t.Errorf("error %q does not name %s", ce.Problems[0].Msg, DefaultFile)
				}
				return
			}
			if err != nil {
				t.Fatalf("Discover: %v", err)
			}
			if want := filepath.Join(base, filepath.FromSlash(tt.want)); d.Path != want {
				t.Errorf("Path = %s, want %s", d.Path, want)
			}
			wantShadowed := ""
			if tt.shadowed != "" {
				wantShadowed = filepath.Join(base, filepath.FromSlash(tt.shadowed))
			}
			if d.Shadowed != wantShadowed {
				t.Errorf("Shadowed = %q, want %q", d.Shadowed, wantShadowed)
			}
		})
	}
}
