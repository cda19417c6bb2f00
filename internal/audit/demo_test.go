package audit_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/cli"
	"github.com/pomlint/pomlint/internal/golden"
)

// demoArgs audit the bundled demo over the autumn its history covers (its
// items were filed in September 2026); demoNow is the run's clock. The
// browser test in internal/report and the screenshots in docs/img make the
// same run.
var (
	demoArgs = []string{"audit", "--config", "configs/demo.yaml", "--from", "2026-09-01", "--to", "2026-11-27"}
	demoNow  = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
)

// TestDemoGolden runs `pomlint audit` on the bundled demo (a snapshot file
// with events, no network) and compares the HTML and Markdown reports with
// testdata/golden/demo.*. Refresh with go test ./internal/audit -update.
func TestDemoGolden(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	args := append(append([]string(nil), demoArgs...), "--format", "html="+filepath.Join(out, "demo.html"), "--format", "markdown="+filepath.Join(out, "demo.md"))
	a := &cli.App{WorkDir: root, Version: "0.0.0-test", Now: func() time.Time { return demoNow }, Getenv: func(string) string { return "" }}
	if code := a.Run(context.Background(), args); code != 0 {
		t.Fatalf("pomlint audit exited %d", code)
	}
	for _, name := range []string{"demo.html", "demo.md"} {
		t.Run("should match the demo golden "+name, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, filepath.Join("testdata", "golden", name), got)
		})
	}
}
