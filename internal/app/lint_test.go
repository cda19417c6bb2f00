package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/connector/file"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/report"
)

// TestLintWithoutCLI runs the bundled demo through the application layer
// alone, as another front end would, and checks that it reports what
// pomlint lint --format json reports (the CLI's golden file).
func TestLintWithoutCLI(t *testing.T) {
	t.Run("should give the CLI's JSON report of the demo", func(t *testing.T) {
		root, err := filepath.Abs(filepath.Join("..", ".."))
		if err != nil {
			t.Fatal(err)
		}
		a := &App{
			Now:     func() time.Time { return time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC) },
			WorkDir: root,
			Tool:    model.Tool{Name: "pomlint", Version: "0.1.0-test"},
			// The demo reads one snapshot file.
			Registry: connector.Registry{file.KindName: file.New},
			Kinds:    testKinds,
		}
		ctx := context.Background()
		l, err := a.Load(LoadOptions{File: "configs/demo.yaml"})
		if err != nil {
			t.Fatal(err)
		}
		c, err := a.Collect(ctx, l, FetchOptions{NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		res, err := a.Lint(ctx, l, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := (&report.JSON{}).Report(&buf, res); err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "cli", "testdata", "lint", "demo.json"))
		if err != nil {
			t.Fatal(err)
		}
		if buf.String() != string(want) {
			t.Errorf("the report differs from internal/cli/testdata/lint/demo.json:\n%s", buf.String())
		}
	})
}
