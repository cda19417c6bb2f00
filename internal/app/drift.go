package app

import (
	"context"
	"strings"
	"time"

	"github.com/pomlint/pomlint/internal/connector/file"
	"github.com/pomlint/pomlint/internal/drift"
	"github.com/pomlint/pomlint/internal/model"
)

// LinkFunc returns the item keys a drift is narrowed to (those a pull
// request references); l is the config loaded for the drift, nil when two
// snapshots are compared without one.
type LinkFunc func(ctx context.Context, l *Loaded, base, head *model.Snapshot) ([]string, error)

// DriftOptions say what a drift compares. Give Base (and Head, or live data
// through Config's sources), or BaseConfig and HeadConfig (the policy
// preview, over live data or the Data snapshot).
type DriftOptions struct {
	Fetch                  FetchOptions
	Base, Head             string
	BaseConfig, HeadConfig string
	Data                   string
	// Items narrows the drift to these keys (repeatable, comma-separated).
	Items []string
	// Config is the config read for live data (or, with two snapshots,
	// when one is named or found).
	Config LoadOptions
	// Link, when set, narrows the drift to the keys it returns.
	Link LinkFunc
}

func (o *DriftOptions) policy() bool { return o.BaseConfig != "" || o.HeadConfig != "" }

// check refuses option combinations that make no sense.
func (o *DriftOptions) check() error {
	policy := o.policy()
	switch {
	case policy && (o.BaseConfig == "" || o.HeadConfig == ""):
		return usageError("policy preview needs both --base-config and --head-config")
	case policy && (o.Base != "" || o.Head != ""):
		return usageError("--base/--head compare snapshots and --base-config/--head-config compare configs; give one pair")
	case !policy && o.Data != "":
		return usageError("--data is for the policy preview (--base-config and --head-config)")
	case !policy && o.Base == "":
		return usageError("give --base SNAPSHOT (and --head SNAPSHOT, or live data), or --base-config and --head-config")
	}
	return nil
}

// sides are the two runs a drift compares.
type sides struct {
	base, head *model.Snapshot
	l          *Loaded
	opts       drift.Options
}

// Drift builds both sides as o describes them and compares them, narrowed
// by o.Link and o.Items. It also returns the config it loaded (nil when
// comparing two snapshots without one).
func (a *App) Drift(ctx context.Context, o DriftOptions) (*drift.Report, *Loaded, error) {
	if err := o.check(); err != nil {
		return nil, nil, err
	}
	var s *sides
	var err error
	if o.policy() {
		s, err = a.policySides(ctx, o)
	} else {
		s, err = a.snapshotSides(ctx, o)
	}
	if err != nil {
		return nil, nil, err
	}
	if err := a.narrow(ctx, o, s); err != nil {
		return nil, nil, err
	}
	rep := drift.Diff(s.base, s.head, s.opts)
	a.Log.Info().Int("new", rep.Summary.NewFindings).Int("resolved", rep.Summary.Resolved).Int("items", len(rep.Items)).
		Bool("complete", rep.Complete).Msg("drift computed")
	return rep, s.l, nil
}

// policySides is the policy preview as drift sides.
func (a *App) policySides(ctx context.Context, o DriftOptions) (*sides, error) {
	p, err := a.PolicyPreview(ctx, o)
	if err != nil {
		return nil, err
	}
	s := &sides{base: p.Base, head: p.Head, l: p.HeadConfig, opts: drift.Options{Tool: a.Tool}}
	s.opts.BaseLabel, s.opts.HeadLabel = "config "+o.BaseConfig, "config "+o.HeadConfig
	if o.Data != "" {
		s.opts.BaseLabel += " on " + o.Data
		s.opts.HeadLabel += " on " + o.Data
	}
	return s, nil
}

// snapshotSides reads the base snapshot and the head snapshot, or fetches
// the head live.
func (a *App) snapshotSides(ctx context.Context, o DriftOptions) (*sides, error) {
	s := &sides{opts: drift.Options{Tool: a.Tool, BaseLabel: o.Base}}
	var err error
	if s.base, err = a.ReadSnapshot(o.Base); err != nil {
		return nil, err
	}
	if o.Head != "" {
		if s.head, err = a.ReadSnapshot(o.Head); err != nil {
			return nil, err
		}
		s.opts.HeadLabel = o.Head
		s.l, err = a.LoadOptional(o.Config)
		return s, err
	}
	if o.Fetch.Since != "" {
		return nil, usageError("--since cannot be used when comparing with a snapshot: items not updated since then are not fetched, and drift would report them as removed and their findings as resolved; narrow with --source or --item instead")
	}
	if s.l, err = a.Load(o.Config); err != nil {
		return nil, err
	}
	if s.head, err = a.Snapshot(ctx, s.l, o.Fetch, nil); err != nil {
		return nil, err
	}
	undated(s.head)
	s.opts.HeadLabel = "live"
	if len(o.Fetch.Sources) > 0 {
		// Items of sources not fetched are not removed: compare only the
		// sources the head has.
		s.base = narrowSources(s.base, s.head.Sources)
		s.opts.BaseLabel += " (sources " + sourceNames(s.head.Sources) + ")"
	}
	return s, nil
}

// narrow sets the keys the drift is narrowed to, when o asks for any.
func (a *App) narrow(ctx context.Context, o DriftOptions, s *sides) error {
	if o.Link == nil && len(o.Items) == 0 {
		return nil
	}
	switch {
	case o.Link != nil && len(o.Items) > 0:
		s.opts.OnlyFrom = "this pull request references or --item names"
	case o.Link == nil:
		s.opts.OnlyFrom = "given with --item"
	}
	s.opts.Only = append([]string{}, SplitKeys(o.Items)...)
	if o.Link != nil {
		keys, err := o.Link(ctx, s.l, s.base, s.head)
		if err != nil {
			return err
		}
		s.opts.Only = append(s.opts.Only, keys...)
	}
	s.opts.Only = DedupeKeys(s.opts.Only)
	return nil
}

// narrowSources returns a copy of s with only the items, findings and
// source statuses of the sources in keep.
func narrowSources(s *model.Snapshot, keep []model.SourceStatus) *model.Snapshot {
	names := map[string]bool{}
	for _, k := range keep {
		names[k.Name] = true
	}
	out := *s
	out.Sources, out.Items, out.Findings = nil, nil, nil
	for _, st := range s.Sources {
		if names[st.Name] {
			out.Sources = append(out.Sources, st)
		}
	}
	for _, it := range s.Items {
		if names[it.Source] {
			out.Items = append(out.Items, it)
		}
	}
	for _, f := range s.Findings {
		if names[f.Source] {
			out.Findings = append(out.Findings, f)
		}
	}
	return &out
}

// sourceNames lists the sources' names, comma-separated.
func sourceNames(ss []model.SourceStatus) string {
	names := make([]string, len(ss))
	for i, st := range ss {
		names[i] = st.Name
	}
	return strings.Join(names, ", ")
}

// ReadSnapshot reads a snapshot file; a missing or malformed file is a
// usage error that names it as the user gave it.
func (a *App) ReadSnapshot(p string) (*model.Snapshot, error) {
	s, err := file.Read(a.Path(p))
	if err != nil {
		return nil, usageError("%v", strings.Replace(err.Error(), a.Path(p), p, 1))
	}
	return s, nil
}

// undated drops the time of a side computed just now (live data, a config
// run): it says nothing a reader needs, and it would make the sticky PR
// comment differ on every run, so it would be rewritten even when nothing
// changed.
func undated(s *model.Snapshot) *model.Snapshot {
	s.GeneratedAt = time.Time{}
	return s
}
