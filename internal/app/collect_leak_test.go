package app

import (
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

// gatedFetch blocks in Fetch until gate is closed or its context ends, and
// says when a fetch started and when it returned.
type gatedFetch struct{ gate, started, returned chan struct{} }

func newGatedFetch() gatedFetch {
	return gatedFetch{gate: make(chan struct{}), started: make(chan struct{}), returned: make(chan struct{})}
}

func (g gatedFetch) Fetch(ctx context.Context, _ connector.FetchOptions) ([]model.Item, error) {
	close(g.started)
	defer close(g.returned)
	select {
	case <-g.gate:
		return nil, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// failingFetch fails at once, and says it ran.
type failingFetch struct{ ran chan struct{} }

func (f failingFetch) Fetch(context.Context, connector.FetchOptions) ([]model.Item, error) {
	close(f.ran)
	return nil, errors.New("GET /rest/api/2/search: 502 Bad Gateway")
}

// twoSources loads a config with a file source "first" and a github source
// "second", whose connectors reg builds.
func twoSources(t *testing.T, reg connector.Registry) (*App, *Loaded) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"pomlint.yaml": "sources:\n  - {name: first, kind: file, file: {path: a.json}}\n  - {name: second, kind: github, github: {repos: [acme/app]}}\n",
		"a.json":       "{}",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a := &App{Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }, Registry: reg, Kinds: testKinds, WorkDir: dir}
	l, err := a.Load(LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return a, l
}

// settled yields until the goroutine count is back to want or many yields
// have passed, and returns the count.
func settled(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 10000 && n > want; i++ {
		runtime.Gosched()
		n = runtime.NumGoroutine()
	}
	return n
}

func TestCollectLeavesNoGoroutine(t *testing.T) {
	t.Run("should start no fetch when a later source fails to build", func(t *testing.T) {
		first := newGatedFetch()
		a, l := twoSources(t, connector.Registry{
			file.KindName: func(config.Source, connector.Env) (connector.Connector, error) { return first, nil },
			github.KindName: func(config.Source, connector.Env) (connector.Connector, error) {
				return nil, &connector.ConfigError{Err: errors.New("unknown custom field \"Owner\"")}
			},
		})
		before := runtime.NumGoroutine()
		// The context never ends and the gate never opens: a fetch started
		// before the second source failed to build would block for ever.
		_, err := a.Collect(context.Background(), l, FetchOptions{NoCache: true})
		var ae *Error
		if !errors.As(err, &ae) || ae.Code != model.ExitUsage {
			t.Fatalf("err %v, want a usage error", err)
		}
		if n := settled(before); n > before {
			t.Errorf("%d goroutines after Collect, %d before", n, before)
		}
		select {
		case <-first.started:
			t.Fatal("the first source's fetch started although the second source could not be built")
		default:
		}
	})
	t.Run("should return only once every fetch has returned when one fails", func(t *testing.T) {
		first := newGatedFetch()
		second := failingFetch{ran: make(chan struct{})}
		a, l := twoSources(t, connector.Registry{
			file.KindName:   func(config.Source, connector.Env) (connector.Connector, error) { return first, nil },
			github.KindName: func(config.Source, connector.Env) (connector.Connector, error) { return second, nil },
		})
		// The first fetch is released only once the second has failed, so
		// Collect cannot return before the slow source is done.
		go func() {
			<-second.ran
			close(first.gate)
		}()
		c, err := a.Collect(context.Background(), l, FetchOptions{NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case <-first.returned:
		default:
			t.Fatal("Collect returned while the first source's fetch was still running")
		}
		if !c.Incomplete() || c.Sources[1].Complete || !c.Sources[0].Complete {
			t.Errorf("sources %+v: want the second incomplete, the first complete", c.Sources)
		}
	})
}
