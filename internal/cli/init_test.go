package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestInitWarnsOfAShadowedConfig(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		in    string   // working directory, relative
		args  []string // after init
		warn  string   // "" for no warning
	}{
		{"should name the repository's config a subfolder's new config shadows",
			map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".pomlint.yaml": miniConfig, "sub/.keep": ""}, "sub", nil,
			".pomlint.yaml shadows ROOT/.pomlint.yaml"},
		{"should name pomlint.yaml beside the new .pomlint.yaml",
			map[string]string{".git/HEAD": "ref: refs/heads/main\n", "pomlint.yaml": miniConfig}, ".", nil,
			".pomlint.yaml shadows ROOT/pomlint.yaml"},
		{"should say when the new config is itself shadowed",
			map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".pomlint.yaml": miniConfig}, ".", []string{"--output", "pomlint.yaml"},
			"pomlint.yaml is not used without --config: ROOT/.pomlint.yaml"},
		{"should say nothing in a repository without a config",
			map[string]string{".git/HEAD": "ref: refs/heads/main\n", "sub/.keep": ""}, "sub", nil, ""},
		{"should say nothing of a config outside the repository",
			map[string]string{".pomlint.yaml": miniConfig, "repo/.git/HEAD": "ref: refs/heads/main\n"}, "repo", nil, ""},
		{"should say nothing for a config written under another name",
			map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".pomlint.yaml": miniConfig, "sub/.keep": ""}, "sub", []string{"--output", "policy.yaml"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, tt.files)
			r := runCLI(t, filepath.Join(dir, tt.in), nil, append([]string{"init", "--no-color"}, tt.args...)...)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.err)
			}
			got := strings.ReplaceAll(r.err, dir+string(filepath.Separator), "ROOT/")
			got = strings.ReplaceAll(got, string(filepath.Separator), "/")
			if tt.warn == "" && strings.Contains(got, "WRN") {
				t.Errorf("unexpected warning:\n%s", got)
			}
			if tt.warn != "" && (!strings.Contains(got, "WRN") || !strings.Contains(got, tt.warn)) {
				t.Errorf("warning lacks %q:\n%s", tt.warn, got)
			}
		})
	}
}
