package report_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/cli"
	"github.com/pomlint/pomlint/internal/golden"
)

// TestDemoGolden runs `pomlint lint` on the bundled demo (configs/demo.yaml,
// read from a snapshot file, no network) and compares every report format
// with testdata/golden/demo.*. Refresh with go test ./internal/report -update.
func TestDemoGolden(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "configs", "demo.yaml")); err != nil {
		t.Skip("no demo config: ", err)
	}
	out := t.TempDir()
	formats := map[string]string{"sarif": "demo.sarif", "markdown": "demo.md", "github": "demo.github.txt", "junit": "demo.junit.xml", "csv": "demo.csv", "html": "demo.html"}
	args := []string{"lint", "--config", "configs/demo.yaml", "--fail-on", "never"}
	for f, name := range formats {
		args = append(args, "--format", f+"="+filepath.Join(out, name))
	}
	a := &cli.App{
		WorkDir: root,
		Version: "0.0.0-test",
		Now:     func() time.Time { return time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC) },
		Getenv:  func(string) string { return "" },
	}
	if code := a.Run(context.Background(), args); code != 0 {
		t.Fatalf("pomlint lint exited %d", code)
	}
	for _, name := range formats {
		t.Run("should match the demo golden "+name, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, filepath.Join("testdata", "golden", name), got)
		})
	}
}
