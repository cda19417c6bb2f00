package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/fake"
)

func TestFlagValuesAreCaseInsensitive(t *testing.T) {
	demo := filepath.Join(repoRoot(t), "configs", "demo.yaml")
	base, head := driftSnapshots(t)
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{name: "should take --fail-on ERROR and --format JSON", args: []string{"lint", "-c", demo, "--fail-on", "ERROR", "--format", "JSON"}, code: 1, out: `"schema_version": 1`},
		{name: "should take --fail-on Never", args: []string{"lint", "-c", demo, "--fail-on", "Never", "--format", "Text", "--no-color"}, code: 0, out: "OWN001"},
		{name: "should take --format SARIF", args: []string{"lint", "-c", demo, "--fail-on", "never", "--format", "SARIF"}, code: 0, out: `"$schema"`},
		{name: "should take --log-format JSON and --log-level WARN", args: []string{"lint", "-c", demo, "--fail-on", "never", "--log-format", "JSON", "--log-level", "WARN", "--format", "json"}, code: 0, out: `"findings"`},
		{name: "should take drift --format MARKDOWN", args: []string{"drift", "--base", base, "--head", head, "--format", "MARKDOWN", "--fail-on", "NOTE"}, code: 1, out: "## "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runPomlint(t, ".", nil, nil, tt.args...)
			if r.code != tt.code || !strings.Contains(r.out, tt.out) {
				t.Fatalf("exit %d (want %d), stdout lacks %q:\n%.300s\n%s", r.code, tt.code, tt.out, r.out, r.err)
			}
		})
	}
}

func TestDriftAndCommentFormats(t *testing.T) {
	base, head := driftSnapshots(t)
	t.Run("should write several drift reports in one run, - being stdout", func(t *testing.T) {
		dir := t.TempDir()
		jsonPath := filepath.Join(dir, "d.json")
		r := runPomlint(t, ".", nil, nil, "drift", "--base", base, "--head", head, "--fail-on", "never",
			"--format", "json="+jsonPath, "--format", "markdown", "--output", "-")
		if r.code != 0 || !strings.HasPrefix(r.out, "## ") {
			t.Fatalf("exit %d, stdout %.80q\n%s", r.code, r.out, r.err)
		}
		data, err := os.ReadFile(jsonPath)
		var rep map[string]any
		if err != nil || json.Unmarshal(data, &rep) != nil || rep["summary"] == nil {
			t.Fatalf("the JSON report was not written: %v\n%.200s", err, data)
		}
		if _, err := os.Stat("-"); err == nil {
			t.Fatal(`--output - wrote a file named "-"`)
		}
	})
	t.Run("should refuse two drift reports on stdout", func(t *testing.T) {
		r := runPomlint(t, ".", nil, nil, "drift", "--base", base, "--head", head, "--format", "text", "--format", "json")
		if r.code != 2 || !strings.Contains(r.err, "would all go to stdout") {
			t.Fatalf("exit %d\n%s", r.code, r.err)
		}
	})
	t.Run("should refuse an unknown drift format by name", func(t *testing.T) {
		r := runPomlint(t, ".", nil, nil, "drift", "--base", base, "--head", head, "--format", "sarif")
		if r.code != 2 || !strings.Contains(r.err, "want text, json, markdown") {
			t.Fatalf("exit %d\n%s", r.code, r.err)
		}
	})
	t.Run("should write the drift report beside the comment", func(t *testing.T) {
		p := fake.NewPulls(t, nil)
		out := filepath.Join(t.TempDir(), "drift.json")
		r := runPomlint(t, ".", nil, nil, "comment", "--repo", "acme/payments", "--pr", "42", "--api-url", p.RESTURL(),
			"--base", base, "--head", head, "--dry-run", "--format", "JSON="+out)
		if r.code != 0 || !strings.HasPrefix(r.out, commentMarker) {
			t.Fatalf("exit %d, stdout %.80q\n%s", r.code, r.out, r.err)
		}
		if data, err := os.ReadFile(out); err != nil || !strings.Contains(string(data), `"summary"`) {
			t.Fatalf("the drift report was not written: %v", err)
		}
	})
	t.Run("should refuse a comment report on stdout with --dry-run", func(t *testing.T) {
		r := runPomlint(t, ".", nil, nil, "comment", "--repo", "acme/payments", "--pr", "42", "--base", base, "--head", head, "--dry-run", "--format", "json")
		if r.code != 2 || !strings.Contains(r.err, "--dry-run prints the comment on stdout") {
			t.Fatalf("exit %d\n%s", r.code, r.err)
		}
	})
}

func TestHelpListsOnlyFlagsTheCommandTakes(t *testing.T) {
	for _, cmd := range [][]string{{"version"}, {"init"}, {"completion"}, {"completion", "bash"}} {
		t.Run("should leave the config and log flags out of "+strings.Join(cmd, " ")+" --help", func(t *testing.T) {
			r := runCLI(t, t.TempDir(), nil, append(cmd, "--help")...)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.err)
			}
			_, flags, _ := strings.Cut(r.out, "Flags:")
			for _, f := range []string{"--config", "--log-level", "--log-format", "--no-color"} {
				if strings.Contains(flags, f) {
					t.Errorf("help lists %s:\n%s", f, r.out)
				}
			}
		})
	}
	t.Run("should still list the global flags on a command that uses them", func(t *testing.T) {
		r := runCLI(t, t.TempDir(), nil, "lint", "--help")
		if !strings.Contains(r.out, "--config") || !strings.Contains(r.out, "--log-level") {
			t.Fatalf("lint --help lost the global flags:\n%s", r.out)
		}
	})
	for _, args := range [][]string{
		{"version", "--config", "x.yaml"},
		{"init", "--config", "x.yaml"},
		{"audit", "--from", "2026-07-01", "--to", "2026-09-30", "--since", "7d"},
		{"baseline", "create", "--output", "b.json", "--since", "7d"},
	} {
		t.Run("should refuse "+strings.Join(args, " "), func(t *testing.T) {
			r := runCLI(t, t.TempDir(), nil, args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2\n%s", r.code, r.err)
			}
		})
	}
}

func TestCompletion(t *testing.T) {
	demo := filepath.Join(repoRoot(t), "configs", "demo.yaml")
	tests := []struct {
		name string
		args []string
		want []string
		not  []string
	}{
		{name: "should complete lint formats", args: []string{"lint", "--format", ""}, want: []string{"sarif", "junit", "html"}},
		{name: "should complete drift formats only", args: []string{"drift", "--format", ""}, want: []string{"text", "json", "markdown"}, not: []string{"sarif"}},
		{name: "should complete audit formats", args: []string{"audit", "--format", ""}, want: []string{"csv", "html"}},
		{name: "should complete severities", args: []string{"lint", "--fail-on", ""}, want: []string{"error", "warning", "note", "never"}},
		{name: "should complete log levels", args: []string{"lint", "--log-level", ""}, want: []string{"debug", "warn"}},
		{name: "should complete the config's sources", args: []string{"lint", "--config", demo, "--source", ""}, want: []string{"acme-github\tfile", "acme-jira\tfile"}},
		{name: "should complete rule IDs, the config's user rules too", args: []string{"rules", "explain", "--config", demo, ""}, want: []string{"OWN001\tstrategic-owned-by-non-pm", "ACME001\troadmap-item-without-milestone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, t.TempDir(), nil, append([]string{"__complete"}, tt.args...)...)
			lines := strings.Split(r.out, "\n")
			for _, w := range tt.want {
				if !containsLine(lines, w) {
					t.Errorf("completions lack %q:\n%s", w, r.out)
				}
			}
			for _, w := range tt.not {
				if containsLine(lines, w) {
					t.Errorf("completions offer %q:\n%s", w, r.out)
				}
			}
			if !strings.Contains(r.out, ":4") {
				t.Errorf("completions offer files too:\n%s", r.out)
			}
		})
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		t.Run("should write the "+shell+" completion script", func(t *testing.T) {
			r := runCLI(t, t.TempDir(), nil, "completion", shell)
			if r.code != 0 || !strings.Contains(r.out, "pomlint") {
				t.Fatalf("exit %d\n%.200s", r.code, r.out)
			}
		})
	}
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}
