package app

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/connector/file"
	"github.com/pomlint/pomlint/internal/model"
)

// countingConn counts the fetches of the connector it wraps.
type countingConn struct {
	connector.Connector
	n *atomic.Int64
}

func (c countingConn) Fetch(ctx context.Context, o connector.FetchOptions) ([]model.Item, error) {
	c.n.Add(1)
	return c.Connector.Fetch(ctx, o)
}

// TestPolicyPreviewReadsOnce: a live policy preview whose head changes no
// roster import reads every source once, and its head side is what a fetch
// under the head config would give.
func TestPolicyPreviewReadsOnce(t *testing.T) {
	t.Run("should fetch each source once and judge the head as its own fetch would", func(t *testing.T) {
		var fetches atomic.Int64
		newApp := func() *App {
			return &App{
				Now:     func() time.Time { return time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC) },
				WorkDir: filepath.Join("..", "cli"),
				Kinds:   testKinds,
				Registry: connector.Registry{file.KindName: func(src config.Source, env connector.Env) (connector.Connector, error) {
					c, err := file.New(src, env)
					if err != nil {
						return nil, err
					}
					return countingConn{c, &fetches}, nil
				}},
			}
		}
		ctx := context.Background()
		a := newApp()
		p, err := a.PolicyPreview(ctx, DriftOptions{BaseConfig: "testdata/drift-demo.yaml", HeadConfig: "testdata/drift-roster-edit.yaml", Fetch: FetchOptions{NoCache: true}})
		if err != nil {
			t.Fatal(err)
		}
		if got := fetches.Load(); got != 2 {
			t.Errorf("the preview fetched %d times, want 2 (two sources, read once)", got)
		}
		lh, err := a.Load(LoadOptions{File: "testdata/drift-roster-edit.yaml"})
		if err != nil {
			t.Fatal(err)
		}
		own, err := a.Snapshot(ctx, lh, FetchOptions{NoCache: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal(p.Head.Findings)
		want, _ := json.Marshal(own.Findings)
		if string(got) != string(want) || len(own.Findings) == 0 {
			t.Errorf("the head side's findings differ from a fetch under the head config:\n got %s\nwant %s", got, want)
		}
	})
}
