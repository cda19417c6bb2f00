package cli

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// noNetwork fails any request: commands under test must stop before they
// fetch.
type noNetwork struct{ calls atomic.Int32 }

func (n *noNetwork) RoundTrip(r *http.Request) (*http.Response, error) {
	n.calls.Add(1)
	return nil, http.ErrHandlerTimeout
}

const liveConfig = `sources:
  - name: gh
    kind: github
    github: {base_url: "https://api.github.example/", repos: [acme/app]}
`

func TestOutputPathsCheckedBeforeFetch(t *testing.T) {
	root := repoRoot(t)
	base := filepath.Join(root, "configs", "demo", "backlog.json")
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"should refuse a lint report under a file", []string{"lint", "--format", "json=blocker/r.json"}},
		{"should refuse a bare lint report under a file", []string{"lint", "--format", "sarif", "--output", "blocker/r.sarif"}},
		{"should refuse a lint report that is a folder", []string{"lint", "--format", "json=folder"}},
		{"should refuse a snapshot under a file", []string{"snapshot", "--output", "blocker/s.json"}},
		{"should refuse a baseline under a file", []string{"baseline", "create", "--output", "blocker/b.json"}},
		{"should refuse a drift report under a file", []string{"drift", "--base", base, "--output", "blocker/d.md"}},
		{"should refuse an audit report under a file", []string{"audit", "--from", "2026-07-01", "--to", "2026-09-30", "--format", "csv=blocker/a.csv"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "pomlint.yaml", liveConfig)
			write(t, dir, "blocker", "a file, not a folder")
			if err := os.Mkdir(filepath.Join(dir, "folder"), 0o755); err != nil {
				t.Fatal(err)
			}
			net := &noNetwork{}
			r := runPomlint(t, dir, map[string]string{"GITHUB_TOKEN": "t"}, net, tc.args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2\n%s", r.code, r.err)
			}
			if n := net.calls.Load(); n != 0 {
				t.Fatalf("%d requests were made before the output path was checked", n)
			}
			if !strings.Contains(r.err, "blocker") && !strings.Contains(r.err, "folder") {
				t.Fatalf("the error does not name the path: %s", r.err)
			}
		})
	}
}

func TestOutputFiles(t *testing.T) {
	root := repoRoot(t)
	demo := filepath.Join(root, "configs", "demo.yaml")
	t.Run("should create missing folders and write reports 0600", func(t *testing.T) {
		dir := t.TempDir()
		r := runCLI(t, dir, nil, "lint", "-c", demo, "--format", "json=out/deep/r.json", "--format", "sarif=out/r.sarif")
		if r.code != 1 {
			t.Fatalf("exit %d\n%s", r.code, r.err)
		}
		assertMode(t, filepath.Join(dir, "out", "deep", "r.json"), 0o600)
		assertMode(t, filepath.Join(dir, "out", "r.sarif"), 0o600)
	})
	t.Run("should write every other report when one fails", func(t *testing.T) {
		dir := t.TempDir()
		summary := filepath.Join(dir, "summary-is-a-folder")
		if err := os.Mkdir(summary, 0o755); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, dir, map[string]string{"GITHUB_STEP_SUMMARY": summary}, "lint", "-c", demo,
			"--format", "github=gh.txt", "--format", "json=r.json", "--format", "csv=r.csv")
		if r.code != 2 {
			t.Fatalf("exit %d, want 2\n%s", r.code, r.err)
		}
		for _, f := range []string{"r.json", "r.csv"} {
			assertMode(t, filepath.Join(dir, f), 0o600)
		}
		if !strings.Contains(r.err, "1 of 3 reports not written") || !strings.Contains(r.err, "job summary") {
			t.Fatalf("stderr does not say which report failed:\n%s", r.err)
		}
	})
	t.Run("should write snapshots and baselines 0600 and the starter config 0644", func(t *testing.T) {
		dir := t.TempDir()
		if r := runCLI(t, dir, nil, "snapshot", "-c", demo, "--output", "s/snap.json"); r.code != 0 {
			t.Fatalf("snapshot: exit %d\n%s", r.code, r.err)
		}
		assertMode(t, filepath.Join(dir, "s", "snap.json"), 0o600)
		if r := runCLI(t, dir, nil, "baseline", "create", "-c", demo, "--output", "b.json"); r.code != 0 {
			t.Fatalf("baseline: exit %d\n%s", r.code, r.err)
		}
		assertMode(t, filepath.Join(dir, "b.json"), 0o600)
		if r := runCLI(t, dir, nil, "init"); r.code != 0 {
			t.Fatalf("init: exit %d\n%s", r.code, r.err)
		}
		assertMode(t, filepath.Join(dir, ".pomlint.yaml"), 0o644)
		if r := runCLI(t, dir, nil, "init"); r.code != 2 || !strings.Contains(r.err, "already exists") {
			t.Fatalf("init over a file: exit %d\n%s", r.code, r.err)
		}
	})
	t.Run("should send - to stdout for every command", func(t *testing.T) {
		dir := t.TempDir()
		for _, args := range [][]string{
			{"snapshot", "-c", demo, "--output", "-"},
			{"baseline", "create", "-c", demo, "--output", "-"},
			{"lint", "-c", demo, "--format", "json", "--output", "-", "--fail-on", "never"},
		} {
			r := runCLI(t, dir, nil, args...)
			if r.code != 0 || !strings.HasPrefix(r.out, "{") {
				t.Fatalf("%v: exit %d, out %.40q\n%s", args, r.code, r.out, r.err)
			}
		}
		ents, _ := os.ReadDir(dir)
		if len(ents) != 0 {
			t.Fatalf("files written for -: %v", ents)
		}
	})
}

func assertMode(t *testing.T, p string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != want {
		t.Fatalf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
	}
}
