package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/connector/file"
	"github.com/pomlint/pomlint/internal/model"
)

// fetchOnly hides a connector's History, like a kind that cannot read it.
type fetchOnly struct{ c connector.Connector }

func (f fetchOnly) Fetch(ctx context.Context, o connector.FetchOptions) ([]model.Item, error) {
	return f.c.Fetch(ctx, o)
}

// failingHistory reads items but fails on history.
type failingHistory struct{ fetchOnly }

func (failingHistory) History(context.Context, []model.Item, time.Time, time.Time) (map[string][]model.Event, error) {
	return nil, errors.New("read changelog of CHK-4: 502 Bad Gateway")
}

func auditApp(t *testing.T, reg connector.Registry) (*App, *bytes.Buffer, *bytes.Buffer, string) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"pomlint.yaml", "q3.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "audit", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	return &App{
		IO:       IOStreams{Out: &out, ErrOut: &errOut},
		Now:      func() time.Time { return time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC) },
		Getenv:   func(string) string { return "" },
		Version:  "test",
		Registry: reg,
		WorkDir:  dir,
	}, &out, &errOut, dir
}

func TestAuditCommand(t *testing.T) {
	t.Run("should reproduce the hand-computed quarter through the file source's history", func(t *testing.T) {
		app, out, errOut, dir := auditApp(t, nil)
		code := app.Run(context.Background(), []string{"audit", "--from", "2026-07-01", "--to", "2026-09-30", "--compare-previous",
			"--format", "markdown", "--format", "csv=q3.csv", "--format", "json=q3.json.out", "--format", "html=q3.html"})
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		md := out.String()
		for _, want := range []string{"| Compliance (share of item-days correctly owned) | **56.4 %** | 58.7 % | −2.3 pp |",
			"| `acme/payments#1` Card vault v2 | payments | strategic | Alice Chen | 67.4 % | OWN001 | 2 |"} {
			if !strings.Contains(md, want) {
				t.Errorf("markdown lacks %q:\n%s", want, md)
			}
		}
		for _, f := range []string{"q3.csv", "q3.json.out", "q3.html"} {
			if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
				t.Errorf("%s not written: %v", f, err)
			}
		}
	})
	t.Run("should exit 3 and say so when a source cannot read history", func(t *testing.T) {
		reg := connector.Registry{file.KindName: func(src config.Source, env connector.Env) (connector.Connector, error) {
			c, err := file.New(src, env)
			return fetchOnly{c}, err
		}}
		app, out, _, _ := auditApp(t, reg)
		code := app.Run(context.Background(), []string{"audit", "--from", "2026-07-01", "--to", "2026-09-30"})
		if code != model.ExitIncomplete {
			t.Fatalf("exit %d, want 3", code)
		}
		if !strings.Contains(out.String(), "INCOMPLETE") || !strings.Contains(out.String(), "cannot read item history") {
			t.Fatalf("report does not say why:\n%s", out)
		}
	})
	t.Run("should exit 3 and keep the reason when history fails", func(t *testing.T) {
		reg := connector.Registry{file.KindName: func(src config.Source, env connector.Env) (connector.Connector, error) {
			c, err := file.New(src, env)
			return failingHistory{fetchOnly{c}}, err
		}}
		app, out, _, _ := auditApp(t, reg)
		code := app.Run(context.Background(), []string{"audit", "--from", "2026-07-01", "--to", "2026-09-30", "--format", "json"})
		if code != model.ExitIncomplete {
			t.Fatalf("exit %d, want 3", code)
		}
		if !strings.Contains(out.String(), `"complete": false`) || !strings.Contains(out.String(), "502 Bad Gateway") {
			t.Fatalf("json does not say incomplete:\n%s", out)
		}
	})
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"should require --from and --to", []string{"audit", "--from", "2026-07-01"}, "--from and --to are required"},
		{"should reject a bad date", []string{"audit", "--from", "2026-07-01", "--to", "30/09/2026"}, "--to"},
		{"should reject --to before --from", []string{"audit", "--from", "2026-07-01", "--to", "2026-06-30"}, "is before --from"},
		{"should reject a lint-only format", []string{"audit", "--from", "2026-07-01", "--to", "2026-09-30", "--format", "sarif"}, "unknown audit format"},
	} {
		t.Run(c.name, func(t *testing.T) {
			app, _, errOut, _ := auditApp(t, nil)
			if code := app.Run(context.Background(), c.args); code != model.ExitUsage {
				t.Fatalf("exit %d, want 2", code)
			}
			if !strings.Contains(errOut.String(), c.want) {
				t.Fatalf("stderr %q lacks %q", errOut, c.want)
			}
		})
	}
}
