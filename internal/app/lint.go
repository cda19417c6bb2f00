package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/pomlint/pomlint/internal/engine"
	"github.com/pomlint/pomlint/internal/model"
)

// Lint runs the rules over what Collect read and assembles the result:
// the items in scope, the findings after exceptions and the baseline (nil
// for none), and each source's status.
func (a *App) Lint(ctx context.Context, l *Loaded, c *Collected, baseline *engine.Baseline) (*model.Result, error) {
	lintClosed := l.Config.LintsClosed()
	partial := len(c.Sources) < len(l.Config.Sources) || c.Incomplete()
	start := time.Now()
	out, err := engine.Run(ctx, c.Items, engine.Options{
		Partial:    partial,
		Rules:      l.Rules,
		Severity:   l.Severity,
		Exceptions: l.Exceptions,
		Baseline:   baseline,
		Roster:     c.Roster,
		Now:        a.now(),
		LintClosed: func(s string) bool { return lintClosed[s] },
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, interrupted(err)
		}
		// A user rule that cannot be evaluated is a rule problem: exit 2.
		return nil, usageError("%v", err)
	}
	a.Log.Info().Int("items", out.Linted).Int("findings", len(out.Findings)).Str("took", time.Since(start).Round(time.Microsecond).String()).Msg("rules run")
	// Reports see the items in scope, and sources count them; closed ones
	// were read as parents only.
	linted := map[string]int{}
	inScope := make([]model.Item, 0, len(c.Items))
	for i := range c.Items {
		if it := &c.Items[i]; !it.Closed || lintClosed[it.Source] {
			linted[it.Source]++
			inScope = append(inScope, *it)
		}
	}
	sources := append([]model.SourceStatus(nil), c.Sources...)
	for i := range sources {
		sources[i].Items = linted[sources[i].Name]
	}
	return &model.Result{
		Tool:             a.Tool,
		Sources:          sources,
		Items:            inScope,
		Roster:           c.Roster,
		Findings:         out.Findings,
		Rules:            l.RuleDocs(),
		UnusedExceptions: out.UnusedExceptions,
		StaleBaseline:    out.StaleBaseline,
		Config:           model.ConfigOrigin{File: a.Rel(l.Config.File), Lines: l.Config.Lines},
	}, nil
}

// Snapshot fetches, classifies and lints the config's sources and returns
// what the run saw as a snapshot (a shard's snapshot says which part).
func (a *App) Snapshot(ctx context.Context, l *Loaded, ff FetchOptions, baseline *engine.Baseline) (*model.Snapshot, error) {
	c, err := a.Collect(ctx, l, ff)
	if err != nil {
		return nil, err
	}
	res, err := a.Lint(ctx, l, c, baseline)
	if err != nil {
		return nil, err
	}
	snap := a.SnapshotOf(res, c.Items)
	if c.Shard != nil {
		snap.Shard = c.Shard.Info(l, ff)
	}
	return snap, nil
}

// SnapshotOf turns a lint result into a snapshot stamped with Now. items
// are every item read, closed parents included (res.Items holds only those
// in scope).
func (a *App) SnapshotOf(res *model.Result, items []model.Item) *model.Snapshot {
	if items == nil {
		items = []model.Item{}
	}
	return &model.Snapshot{
		SchemaVersion: model.SnapshotSchemaVersion,
		Tool:          res.Tool,
		GeneratedAt:   a.now().UTC().Truncate(1e9),
		Sources:       res.Sources,
		Items:         items,
		Roster:        res.Roster,
		Findings:      res.Findings,
	}
}

// SnapshotFromData classifies and lints a snapshot's items under l's config
// (its roster, classification, ownership and rules), as if they had just
// been fetched. Roster imports are not re-read.
func (a *App) SnapshotFromData(ctx context.Context, l *Loaded, data *model.Snapshot) (*model.Snapshot, error) {
	return a.lintSnapshot(ctx, l, a.Reclassify(l, &Collected{Items: data.Items, Sources: data.Sources}))
}

// lintSnapshot lints what c holds under l and returns it as a snapshot.
func (a *App) lintSnapshot(ctx context.Context, l *Loaded, c *Collected) (*model.Snapshot, error) {
	res, err := a.Lint(ctx, l, c, nil)
	if err != nil {
		return nil, err
	}
	return a.SnapshotOf(res, c.Items), nil
}

// EncodeSnapshot writes a snapshot as indented JSON with a final newline.
func EncodeSnapshot(s *model.Snapshot) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	return buf.Bytes(), nil
}

// SnapshotComplete reports whether every source of s was read completely.
func SnapshotComplete(s *model.Snapshot) bool {
	for _, src := range s.Sources {
		if !src.Complete {
			return false
		}
	}
	return true
}
