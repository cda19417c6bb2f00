package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestConfigDiscovery(t *testing.T) {
	t.Run("should find the repository's .pomlint.yaml from a subdirectory and resolve its paths against it", func(t *testing.T) {
		dir := writeTree(t, map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".pomlint.yaml": miniConfig, "sub/deep/.keep": ""})
		r := runCLI(t, filepath.Join(dir, "sub", "deep"), nil, "lint", "--fail-on", "never", "--format", "json")
		if r.code != 0 || !strings.Contains(r.out, `"complete": true`) {
			t.Fatalf("exit %d\n%s\n%s", r.code, r.out, r.err)
		}
	})
	t.Run("should use .pomlint.yaml and say so when pomlint.yaml exists beside it", func(t *testing.T) {
		dir := writeTree(t, map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".pomlint.yaml": miniConfig, "pomlint.yaml": "not: [valid"})
		r := runCLI(t, dir, nil, "config", "validate", "--no-color")
		if r.code != 0 {
			t.Fatalf("exit %d: the broken pomlint.yaml was read\n%s\n%s", r.code, r.out, r.err)
		}
		if !strings.Contains(r.err, "using .pomlint.yaml") || !strings.Contains(r.err, "ignored=pomlint.yaml") {
			t.Errorf("the log does not say which config was used:\n%s", r.err)
		}
	})
	t.Run("should find pomlint.yaml alone without a word", func(t *testing.T) {
		dir := writeTree(t, map[string]string{"pomlint.yaml": miniConfig})
		r := runCLI(t, dir, nil, "config", "validate", "--no-color")
		if r.code != 0 || strings.Contains(r.err, "WRN") {
			t.Fatalf("exit %d\n%s", r.code, r.err)
		}
	})
	t.Run("should name the default file when there is none", func(t *testing.T) {
		r := runCLI(t, t.TempDir(), nil, "lint")
		if r.code != 2 || !strings.Contains(r.err, "create .pomlint.yaml") {
			t.Fatalf("exit %d\n%s", r.code, r.err)
		}
	})
	t.Run("should write the starter under the name discovery prefers", func(t *testing.T) {
		dir := t.TempDir()
		if r := runCLI(t, dir, nil, "init"); r.code != 0 {
			t.Fatalf("init: exit %d %s", r.code, r.err)
		}
		if _, err := os.Stat(filepath.Join(dir, ".pomlint.yaml")); err != nil {
			t.Fatalf("init did not write .pomlint.yaml: %v", err)
		}
	})
}

// TestOneDefaultConfigName keeps init, the Action and the example
// workflows on the one name discovery prefers.
func TestOneDefaultConfigName(t *testing.T) {
	if f := (&App{}).newInitCmd().Flags().Lookup("output"); f.DefValue != ".pomlint.yaml" {
		t.Errorf("init writes %s by default", f.DefValue)
	}
	root := repoRoot(t)
	files, _ := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	files = append(files, filepath.Join(root, ".github", "actions", "pomlint", "action.yml"))
	for _, p := range files {
		t.Run("should name only .pomlint.yaml in "+filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			s := string(data)
			for i := strings.Index(s, "pomlint.yaml"); i >= 0; {
				if i == 0 || s[i-1] != '.' {
					t.Errorf("%s names pomlint.yaml, not .pomlint.yaml, at byte %d", filepath.Base(p), i)
				}
				j := strings.Index(s[i+1:], "pomlint.yaml")
				if j < 0 {
					break
				}
				i += 1 + j
			}
		})
	}
}

// TestExamplesNameTheDefaultConfig keeps the command examples and the
// docs' code blocks on .pomlint.yaml, the name init writes; prose that
// says either name is found is left alone.
func TestExamplesNameTheDefaultConfig(t *testing.T) {
	stale := regexp.MustCompile(`(^|[^.\w])pomlint\.yaml`)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		t.Run("should name .pomlint.yaml in the examples of "+c.CommandPath(), func(t *testing.T) {
			if m := stale.FindString(c.Example); m != "" {
				t.Errorf("example names %q:\n%s", m, c.Example)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk((&App{}).newRootCmd())
	docs, _ := filepath.Glob(filepath.Join(repoRoot(t), "docs", "*.md"))
	for _, p := range docs {
		t.Run("should name .pomlint.yaml in the code blocks of "+filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			in := false
			for i, line := range strings.Split(string(data), "\n") {
				if strings.HasPrefix(line, "```") {
					in = !in
					continue
				}
				if in && stale.MatchString(line) {
					t.Errorf("line %d names pomlint.yaml: %s", i+1, line)
				}
			}
		})
	}
}
