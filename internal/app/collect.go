package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/pomlint/pomlint/internal/classify"
	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
)

// FetchOptions say what a run reads: which sources, since when, through
// which cache, with which limits, and which shard of the work.
type FetchOptions struct {
	// Sources names the configured sources to read (each may be a
	// comma-separated list); none means all.
	Sources  []string
	CacheDir string
	NoCache  bool
	// MaxWait, Timeout and Retries: 0 means off (never wait, no timeout,
	// no retries).
	MaxWait time.Duration
	Timeout time.Duration
	Retries int
	// Since is --since as given: a date, a time, 7d, 2w or a duration.
	Since string
	// ClosedSince asks for items closed since then too (the audit).
	ClosedSince time.Time
	// Shard is K/N for a sharded run, "" otherwise.
	Shard string
}

// Collected is what a run read and resolved.
type Collected struct {
	// Items are every item read, closed parents included, classified.
	Items   []model.Item
	Sources []model.SourceStatus
	Roster  *model.Roster
	// Memberships are the roster imports the sources gave (merged into
	// Roster), kept so another config's roster can take them (Reclassify).
	Memberships []model.Membership
	// Conns are the connectors built, by source name: the audit reads
	// history through them.
	Conns map[string]connector.Connector
	// Shard is the state of a sharded run, nil otherwise.
	Shard *ShardRun
}

// Incomplete reports whether a source was not read completely.
func (c *Collected) Incomplete() bool {
	for _, s := range c.Sources {
		if !s.Complete {
			return true
		}
	}
	return false
}

// sourceRun is one selected source: its connector (nil when it could not
// be built) and what reading it gave.
type sourceRun struct {
	src    config.Source
	conn   connector.Connector
	items  []model.Item
	ms     []model.Membership
	st     model.SourceStatus
	cfgErr error
}

// Collect reads every selected source concurrently, imports roster roles,
// and classifies the items. Every connector is built before any fetch
// starts, so a configuration problem a connector finds stops the run
// (a usage error) before anything was sent; and every fetch has returned
// when Collect returns. A source that fails is marked incomplete with its
// error; a configuration problem a fetch finds (an unknown custom field)
// stops the run as a usage error.
func (a *App) Collect(ctx context.Context, l *Loaded, ff FetchOptions) (*Collected, error) {
	cfg := l.Config
	srcs, err := SelectSources(cfg, ff.Sources)
	if err != nil {
		return nil, err
	}
	opts, err := a.fetchOptions(cfg, ff)
	if err != nil {
		return nil, err
	}
	sr, err := newShardRun(ff, srcs, opts)
	if err != nil {
		return nil, err
	}
	defer sr.abort()
	runs, err := a.buildConnectors(cfg, srcs, ff, sr)
	if err != nil {
		return nil, err
	}
	sr.done()
	var g errgroup.Group
	for _, r := range runs {
		if r.conn != nil {
			g.Go(func() error {
				a.fetchSource(ctx, cfg, opts, r)
				return nil
			})
		}
	}
	_ = g.Wait() // a source's failure is its status, not an error
	if err := ctx.Err(); err != nil {
		return nil, interrupted(err)
	}
	return a.gather(l, runs, sr)
}

// fetchOptions checks the fetch limits and --since and turns them into the
// connectors' options.
func (a *App) fetchOptions(cfg *config.Config, ff FetchOptions) (connector.FetchOptions, error) {
	since, err := ParseSince(ff.Since, a.now())
	if err != nil {
		return connector.FetchOptions{}, err
	}
	switch {
	case ff.Retries < 0:
		return connector.FetchOptions{}, usageError("--retries %d: want 0 or more", ff.Retries)
	case ff.Timeout < 0:
		return connector.FetchOptions{}, usageError("--timeout %v: want 0 (none) or more", ff.Timeout)
	case ff.MaxWait < 0:
		return connector.FetchOptions{}, usageError("--max-wait %v: want 0 (never wait) or more", ff.MaxWait)
	case since.After(a.now()):
		return connector.FetchOptions{}, usageError("--since %s is in the future", ff.Since)
	}
	opts := connector.FetchOptions{Since: since, ClosedSince: ff.ClosedSince}
	for _, o := range cfg.OwnershipSources() {
		switch o.Kind {
		case "field":
			opts.OwnerFields = append(opts.OwnerFields, o.Arg)
		case "project-field":
			opts.ProjectFields = append(opts.ProjectFields, o.Arg)
		}
	}
	if cfg.Classification.ProjectField != "" {
		opts.ProjectFields = append(opts.ProjectFields, cfg.Classification.ProjectField)
	}
	return opts, nil
}

// buildConnectors builds every selected source's connector. A configuration
// problem stops the run; any other failure marks the source incomplete.
func (a *App) buildConnectors(cfg *config.Config, srcs []config.Source, ff FetchOptions, sr *ShardRun) ([]*sourceRun, error) {
	progress := a.progress()
	runs := make([]*sourceRun, len(srcs))
	for i, src := range srcs {
		env := connector.Env{
			HTTP:      a.httpOptions(ff, src.Name),
			Getenv:    a.Getenv,
			ConfigDir: cfg.Dir,
			Progress:  progress,
			Notify:    a.Notify,
		}
		runs[i] = &sourceRun{src: src}
		conn, err := a.Registry.New(src, env)
		if err != nil {
			var ce *connector.ConfigError
			if errors.As(err, &ce) {
				return nil, usageError("%v", err)
			}
			runs[i].st = model.SourceStatus{Name: src.Name, Kind: src.Kind, Error: err.Error()}
			continue
		}
		runs[i].conn = sr.wrap(i, conn)
	}
	return runs, nil
}

// fetchSource reads one source's items and, when asked, its roster import.
func (a *App) fetchSource(ctx context.Context, cfg *config.Config, opts connector.FetchOptions, r *sourceRun) {
	start := time.Now()
	r.st = model.SourceStatus{Name: r.src.Name, Kind: r.src.Kind, Complete: true}
	items, err := r.conn.Fetch(ctx, opts)
	r.items = items
	if err != nil {
		var ce *connector.ConfigError
		if errors.As(err, &ce) {
			r.cfgErr = fmt.Errorf("source %q: %w", r.src.Name, err)
		}
		r.st.Complete, r.st.Error = false, "fetch: "+connector.ErrorText(err)
	}
	if imp := cfg.Roster.Import; imp != nil && err == nil {
		if ri, ok := r.conn.(connector.RosterImporter); ok && wantsImport(cfg.Kinds(), r.src.Kind, imp) {
			ms, err := ri.ImportRoster(ctx, *imp)
			r.ms = ms
			if err != nil {
				r.st.Complete, r.st.Error = false, "import roster: "+connector.ErrorText(err)
			}
		}
	}
	r.st.Items = len(items)
	a.Log.Info().Str("source", r.src.Name).Str("kind", r.src.Kind).Int("read", len(items)).
		Bool("complete", r.st.Complete).Str("took", time.Since(start).Round(time.Millisecond).String()).Msg("source read")
	if !r.st.Complete && r.cfgErr == nil {
		a.Log.Error().Str("source", r.src.Name).Msg(r.st.Error)
	}
}

// gather puts the sources' items together in a fixed order, merges the
// roster imports into the roster and classifies the items.
func (a *App) gather(l *Loaded, runs []*sourceRun, sr *ShardRun) (*Collected, error) {
	out := &Collected{Conns: map[string]connector.Connector{}, Shard: sr}
	var ms []model.Membership
	for _, r := range runs {
		if r.cfgErr != nil {
			return nil, usageError("%v", r.cfgErr)
		}
		// Items in a fixed order whatever order the tracker paged them in.
		sort.SliceStable(r.items, func(x, y int) bool { return model.CompareKeys(r.items[x].Key, r.items[y].Key) < 0 })
		out.Items = append(out.Items, r.items...)
		out.Sources = append(out.Sources, r.st)
		ms = append(ms, r.ms...)
		if r.conn != nil {
			out.Conns[r.src.Name] = r.conn
		}
	}
	out.Memberships = ms
	out.Roster = classify.MergeMemberships(l.Roster(), ms)
	a.classify(l.Config, out)
	return out, nil
}

// Reclassify is what Collect would have given under l's config (roster,
// classification, ownership, teams) for the same data: the items and roster
// imports c read, resolved again. Nothing is fetched.
func (a *App) Reclassify(l *Loaded, c *Collected) *Collected {
	items := make([]model.Item, len(c.Items))
	copy(items, c.Items)
	for i := range items {
		items[i].Level, items[i].Owner, items[i].Team = "", nil, ""
	}
	out := &Collected{Items: items, Sources: slices.Clone(c.Sources), Memberships: c.Memberships,
		Roster: classify.MergeMemberships(l.Roster(), c.Memberships)}
	a.classify(l.Config, out)
	return out
}

// classify resolves level, owner and team of every item, logging why at
// debug level.
func (a *App) classify(cfg *config.Config, c *Collected) {
	cl := classify.New(cfg, c.Roster)
	debug := a.Log.Debug().Enabled()
	whys := cl.Apply(c.Items, debug)
	if !debug {
		return
	}
	for i, w := range whys {
		it := &c.Items[i]
		a.Log.Debug().Str("source", it.Source).Str("item", it.Key).Str("item_level", string(it.Level)).Str("why_level", w.Level).
			Str("owner", w.Owner).Str("team", it.Team).Str("why_team", w.Team).Msg("classified")
	}
}

// wantsImport reports whether roster.import asks sources of kind for roles.
func wantsImport(kinds config.Kinds, kind string, imp *config.RosterImport) bool {
	k, ok := kinds.Lookup(kind)
	return ok && k.WantsImport(imp)
}

// SelectSources returns the configured sources names selects (all when
// none is given), in config order.
func SelectSources(cfg *config.Config, names []string) ([]config.Source, error) {
	if len(names) == 0 {
		return cfg.Sources, nil
	}
	want := map[string]bool{}
	for _, n := range SplitKeys(names) {
		want[n] = true
	}
	var out []config.Source
	for _, s := range cfg.Sources {
		if want[s.Name] {
			out = append(out, s)
			delete(want, s.Name)
		}
	}
	if len(want) > 0 {
		var unknown, known []string
		for n := range want {
			unknown = append(unknown, n)
		}
		for _, s := range cfg.Sources {
			known = append(known, s.Name)
		}
		sort.Strings(unknown)
		return nil, usageError("--source %s: no such source in the config (sources: %s)", strings.Join(unknown, ", "), strings.Join(known, ", "))
	}
	return out, nil
}

func (a *App) httpOptions(ff FetchOptions, source string) connector.HTTPOptions {
	o := connector.HTTPOptions{
		Timeout:    ff.Timeout,
		MaxRetries: ff.Retries,
		MaxWait:    ff.MaxWait,
		Transport:  a.Transport,
		Clock:      a.Clock,
		Source:     source,
		Notify:     a.Notify,
	}
	// In HTTPOptions zero means "the default" and a negative value "off";
	// in FetchOptions 0 means off.
	if o.MaxRetries == 0 {
		o.MaxRetries = -1
	}
	if o.MaxWait == 0 {
		o.MaxWait = -1
	}
	if o.Timeout == 0 {
		o.Timeout = -1
	}
	if !ff.NoCache {
		o.CacheDir = ff.CacheDir
		if o.CacheDir == "" {
			if d, err := os.UserCacheDir(); err == nil {
				o.CacheDir = filepath.Join(d, "pomlint", "http")
			}
		}
	}
	return o
}

// ParseSince reads --since: a date, an RFC 3339 time, a Go duration (72h,
// 90m) or a number of days or weeks (7d, 2w; calendar days back from now).
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if m := daysOrWeeks.FindStringSubmatch(strings.ToLower(s)); m != nil {
		n, err := strconv.Atoi(m[1])
		if err == nil {
			if m[2] == "w" {
				n *= 7
			}
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(strings.ToLower(s)); err == nil {
		return now.Add(-d), nil
	}
	if t, err := config.ParseDate(s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usageError("--since %q: want a date (2026-01-31), a time (RFC 3339), days or weeks (7d, 2w) or a duration (72h)", s)
}

var daysOrWeeks = regexp.MustCompile(`^(\d{1,5})([dw])$`)
