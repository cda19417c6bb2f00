package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/connector/file"
	"github.com/pomlint/pomlint/internal/connector/github"
	"github.com/pomlint/pomlint/internal/model"
)

// blockingFetch blocks in Fetch until its context ends, and says when a
// fetch started and when it returned.
type blockingFetch struct{ started, returned chan struct{} }

func (b blockingFetch) Fetch(ctx context.Context, _ connector.FetchOptions) ([]model.Item, error) {
	close(b.started)
	defer close(b.returned)
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestCollectBuildsEveryConnectorBeforeFetching(t *testing.T) {
	t.Run("should start no fetch when a later source fails to build", func(t *testing.T) {
		dir := t.TempDir()
		cfg := "sources:\n  - {name: first, kind: file, file: {path: a.json}}\n  - {name: second, kind: github, github: {repos: [acme/app]}}\n"
		for name, body := range map[string]string{"pomlint.yaml": cfg, "a.json": "{}"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		b := blockingFetch{started: make(chan struct{}), returned: make(chan struct{})}
		reg := connector.Registry{
			file.KindName: func(config.Source, connector.Env) (connector.Connector, error) { return b, nil },
			github.KindName: func(config.Source, connector.Env) (connector.Connector, error) {
				return nil, &connector.ConfigError{Err: errors.New("unknown custom field \"Owner\"")}
			},
		}
		var out, errOut bytes.Buffer
		a := &App{IO: IOStreams{Out: &out, ErrOut: &errOut}, Now: func() time.Time { return testNow },
			Getenv: func(string) string { return "" }, Version: "test", Registry: reg, WorkDir: dir}
		// The run's context never ends: a fetch started before the second
		// source failed to build would block for ever.
		code := a.Run(context.Background(), []string{"lint", "--no-cache"})
		if code != model.ExitUsage {
			t.Fatalf("exit %d, want %d; stderr:\n%s", code, model.ExitUsage, errOut.String())
		}
		// A goroutine started by the run gets the processor within a few
		// yields; no fetch may start at all.
		for range 10000 {
			select {
			case <-b.started:
				select {
				case <-b.returned:
				default:
					t.Fatal("the first source's fetch started and still runs after the command returned")
				}
				return
			default:
				runtime.Gosched()
			}
		}
	})
}
