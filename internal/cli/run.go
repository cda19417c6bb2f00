package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/classify"
	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/engine"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/rules"
)

// fetchFlags are the flags of every command that reads sources.
type fetchFlags struct {
	sources  []string
	cacheDir string
	noCache  bool
	maxWait  time.Duration
	timeout  time.Duration
	retries  int
	since    string
	// closedSince is set by commands that need closed items too (audit).
	closedSince time.Time
	// shard is --shard K/N ("" for an unsharded run; see shard.go).
	shard string
}

func (f *fetchFlags) register(cmd *cobra.Command) {
	f.registerWithoutSince(cmd)
	cmd.Flags().StringVar(&f.since, "since", "", "fetch only items updated since this date (YYYY-MM-DD) or this long ago (7d, 2w, 72h)")
}

// registerWithoutSince registers the fetch flags of a command that needs
// every item (audit, baseline create): --since would leave some out.
func (f *fetchFlags) registerWithoutSince(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.sources, "source", nil, "read only this configured source (repeatable; default all sources)")
	fl.StringVar(&f.cacheDir, "cache-dir", "", "HTTP cache directory for conditional requests (default: the user cache dir + /pomlint/http)")
	fl.BoolVar(&f.noCache, "no-cache", false, "do not use the HTTP cache")
	fl.DurationVar(&f.maxWait, "max-wait", 15*time.Minute, "longest single wait for a rate limit to reset before giving up (exit 3); 0 never waits")
	fl.DurationVar(&f.timeout, "timeout", 30*time.Second, "timeout of one HTTP request; 0 for none")
	fl.IntVar(&f.retries, "retries", 4, "retries of a request that failed transiently (5xx, network); 0 for none")
}

// loaded is a validated config with its rule set.
type loaded struct {
	cfg      *config.Config
	rules    []rules.Rule // active rules
	allRules []rules.Rule // including disabled ones
	severity map[string]model.Severity
	exc      []rules.Exception
}

// loadConfig finds, loads and validates the config and the user rules,
// gathering every problem into one *config.Error.
func (a *App) loadConfig() (*loaded, error) {
	file := a.configFile
	if file != "" && !filepath.IsAbs(file) && a.WorkDir != "" {
		file = filepath.Join(a.WorkDir, file)
	}
	path, err := a.findConfig(file)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(path, a.Getenv)
	var cerr *config.Error
	if err != nil && !errors.As(err, &cerr) {
		return nil, err
	}
	if cfg == nil {
		return nil, err
	}
	if cerr != nil {
		for i := range cerr.Problems {
			cerr.Problems[i].File = a.rel(cerr.Problems[i].File)
		}
	}
	builtin := rules.Builtin()
	reserved := map[string]bool{}
	for _, r := range builtin {
		reserved[r.Doc().ID] = true
	}
	display := func(p string) string {
		if r := a.rel(p); r != p || cfg.Dir == "" {
			return r
		}
		if r, err := filepath.Rel(cfg.Dir, p); err == nil && !strings.HasPrefix(r, "..") {
			return r // outside the working directory: as the config names it
		}
		return filepath.Base(p)
	}
	// The user rules are checked even when the config has problems, so
	// that one validate shows every problem; paths that cannot be read are
	// reported by the config already.
	var paths []string
	for _, p := range cfg.Rules.Paths {
		if _, err := os.Stat(cfg.Path(p)); err == nil {
			paths = append(paths, cfg.Path(p))
		}
	}
	var custom []rules.Rule
	customLoaded := len(paths) == len(cfg.Rules.Paths)
	if len(paths) > 0 {
		custom, err = rules.LoadCustomAs(paths, func(id string) bool { return reserved[id] }, display)
		var les rules.LoadErrors
		switch {
		case errors.As(err, &les):
			customLoaded = false
			if cerr == nil {
				cerr = &config.Error{}
			}
			for _, le := range les {
				key := ""
				if le.Rule != "" {
					key = "rule " + le.Rule
				}
				cerr.Problems = append(cerr.Problems, config.Problem{File: le.File, Line: le.Line, Key: key, Msg: le.Err.Error()})
			}
		case err != nil:
			return nil, err
		}
	}
	all := append(builtin, custom...)
	ids := make([]string, 0, len(all))
	for _, r := range all {
		ids = append(ids, r.Doc().ID)
	}
	known := map[string]bool{}
	for _, id := range ids {
		known[id] = true
	}
	// With some user rules not loaded, their IDs are unknown here: then
	// only the reserved OWN… IDs can be checked.
	probs := cfg.CheckRuleIDs(func(id string) bool {
		return known[id] || (!customLoaded && !strings.HasPrefix(id, "OWN"))
	}, ids)
	for i := range probs {
		probs[i].File = a.rel(probs[i].File)
	}
	if len(probs) > 0 {
		if cerr == nil {
			cerr = &config.Error{}
		}
		cerr.Problems = append(cerr.Problems, probs...)
		config.SortProblems(cerr.Problems)
	}
	if cerr != nil {
		return nil, cerr
	}
	for _, p := range cfg.InsecureURLs() {
		p.File = a.rel(p.File)
		a.log.Warn().Msg(p.String())
	}
	l := &loaded{cfg: cfg, allRules: all, severity: map[string]model.Severity{}}
	disabled := map[string]bool{}
	for _, id := range cfg.Rules.Disable {
		disabled[strings.ToUpper(id)] = true
	}
	for _, r := range all {
		if !disabled[r.Doc().ID] {
			l.rules = append(l.rules, r)
		}
	}
	for k, v := range cfg.Rules.Severity {
		s, _ := model.ParseSeverity(v) // validated
		l.severity[strings.ToUpper(k)] = s
	}
	for i, e := range cfg.Exceptions {
		x := rules.Exception{Index: i, Rule: strings.ToUpper(e.Rule), Item: e.Item, Source: e.Source, Reason: e.Reason}
		if e.Expires != "" {
			x.Expires, _ = config.ParseDate(e.Expires) // validated
		}
		l.exc = append(l.exc, x)
	}
	return l, nil
}

// findConfig returns file when given, else the config discovered from the
// working directory up to the repository root, saying which one was used
// when both default names exist in one directory.
func (a *App) findConfig(file string) (string, error) {
	if file != "" {
		return file, nil
	}
	d, err := config.Discover(a.WorkDir)
	if err != nil {
		return "", err
	}
	if d.Shadowed != "" {
		a.log.Warn().Str("used", a.rel(d.Path)).Str("ignored", a.rel(d.Shadowed)).
			Msg("both " + config.DefaultFiles[0] + " and " + config.DefaultFiles[1] + " exist; using " + config.DefaultFiles[0] + " (remove the other, or pass --config)")
	} else {
		a.log.Debug().Str("config", a.rel(d.Path)).Msg("config found")
	}
	return d.Path, nil
}

// rel shows a path relative to the working directory when that is shorter.
func (a *App) rel(p string) string {
	if p == "" || a.WorkDir == "" || !filepath.IsAbs(p) {
		return p
	}
	if r, err := filepath.Rel(a.WorkDir, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// rosterFromConfig builds the model roster the config declares.
func rosterFromConfig(cfg *config.Config) *model.Roster {
	people := make([]model.Person, 0, len(cfg.Roster.People))
	for _, p := range cfg.Roster.People {
		mp := model.Person{ID: p.ID, Name: p.Name, Accounts: p.Accounts.Model()}
		for _, r := range p.Roles {
			mp.Roles = append(mp.Roles, model.Role(r))
		}
		for _, rs := range p.RolesSince {
			t, _ := config.ParseDate(rs.Since)
			d := model.DatedRoles{Since: t}
			for _, r := range rs.Roles {
				d.Roles = append(d.Roles, model.Role(r))
			}
			mp.RolesSince = append(mp.RolesSince, d)
		}
		people = append(people, mp)
	}
	teams := make([]model.Team, 0, len(cfg.Roster.Teams))
	for _, t := range cfg.Roster.Teams {
		teams = append(teams, model.Team{Name: t.Name, ProductOwner: t.ProductOwner, ProductManager: t.ProductManager,
			Match: t.Match.Model()})
	}
	return model.NewRoster(people, teams)
}

// collected is what a run read and resolved.
type collected struct {
	items   []model.Item
	sources []model.SourceStatus
	roster  *model.Roster
	conns   map[string]connector.Connector
	shard   *shardRun // nil unless --shard
}

// selectSources returns the configured sources named by --source (all when
// none is given), in config order.
func selectSources(cfg *config.Config, names []string) ([]config.Source, error) {
	if len(names) == 0 {
		return cfg.Sources, nil
	}
	want := map[string]bool{}
	for _, n := range names {
		for _, part := range strings.Split(n, ",") {
			if part = strings.TrimSpace(part); part != "" {
				want[part] = true
			}
		}
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

func (a *App) httpOptions(ff *fetchFlags, source string) connector.HTTPOptions {
	o := connector.HTTPOptions{
		Timeout:    ff.timeout,
		MaxRetries: ff.retries,
		MaxWait:    ff.maxWait,
		Transport:  a.Transport,
		Clock:      a.Clock,
		Source:     source,
		Notify:     a.notify,
	}
	// In HTTPOptions zero means "the default" and a negative value "off";
	// on the command line 0 means off.
	if o.MaxRetries == 0 {
		o.MaxRetries = -1
	}
	if o.MaxWait == 0 {
		o.MaxWait = -1
	}
	if o.Timeout == 0 {
		o.Timeout = -1
	}
	if !ff.noCache {
		o.CacheDir = ff.cacheDir
		if o.CacheDir == "" {
			if d, err := os.UserCacheDir(); err == nil {
				o.CacheDir = filepath.Join(d, "pomlint", "http")
			}
		}
	}
	return o
}

func (a *App) notify(n connector.Notice) {
	ev := a.log.Info()
	switch n.Level {
	case "warn":
		ev = a.log.Warn()
	case "debug":
		ev = a.log.Debug()
	}
	if n.Source != "" {
		ev = ev.Str("source", n.Source)
	}
	keys := make([]string, 0, len(n.Fields))
	for k := range n.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ev = ev.Interface(k, n.Fields[k])
	}
	ev.Msg(n.Message)
}

// parseSince reads --since: a date, an RFC 3339 time, a Go duration (72h,
// 90m) or a number of days or weeks (7d, 2w; calendar days back from now).
func parseSince(s string, now time.Time) (time.Time, error) {
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

// collect fetches every selected source concurrently, imports roster roles,
// and classifies the items. A source that fails is marked incomplete with its
// error; a configuration problem a connector finds (an unknown custom field)
// stops the run as a usage error.
func (a *App) collect(ctx context.Context, l *loaded, ff *fetchFlags) (*collected, error) {
	cfg := l.cfg
	srcs, err := selectSources(cfg, ff.sources)
	if err != nil {
		return nil, err
	}
	since, err := parseSince(ff.since, a.Now())
	if err != nil {
		return nil, err
	}
	switch {
	case ff.retries < 0:
		return nil, usageError("--retries %d: want 0 or more", ff.retries)
	case ff.timeout < 0:
		return nil, usageError("--timeout %v: want 0 (none) or more", ff.timeout)
	case ff.maxWait < 0:
		return nil, usageError("--max-wait %v: want 0 (never wait) or more", ff.maxWait)
	case since.After(a.Now()):
		return nil, usageError("--since %s is in the future", ff.since)
	}
	opts := connector.FetchOptions{Since: since, ClosedSince: ff.closedSince}
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
	// The bar lives as long as the command: connectors keep reporting on it
	// after collect returns (the audit reads history through them).
	if a.progress == nil {
		a.progress = newProgress(a.terminal().Bar(), a.IO.ErrTTY && a.logLevel != "debug")
	}
	progress := a.progress
	sr, err := newShardRun(ff, srcs, opts)
	if err != nil {
		return nil, err
	}
	defer sr.abort()

	type result struct {
		items  []model.Item
		ms     []model.Membership
		st     model.SourceStatus
		cfgErr error
		conn   connector.Connector
	}
	results := make([]result, len(srcs))
	var wg sync.WaitGroup
	for i, src := range srcs {
		env := connector.Env{
			HTTP:      a.httpOptions(ff, src.Name),
			Getenv:    a.Getenv,
			ConfigDir: cfg.Dir,
			Progress:  progress,
			Notify:    a.notify,
		}
		conn, err := a.Registry.New(src, env)
		if err != nil {
			var ce *connector.ConfigError
			if errors.As(err, &ce) {
				return nil, usageError("%v", err)
			}
			results[i] = result{st: model.SourceStatus{Name: src.Name, Kind: src.Kind, Error: err.Error()}}
			continue
		}
		conn = sr.wrap(i, conn)
		results[i].conn = conn
		wg.Add(1)
		go func(i int, src config.Source, conn connector.Connector) {
			defer wg.Done()
			start := time.Now()
			r := &results[i]
			r.st = model.SourceStatus{Name: src.Name, Kind: src.Kind, Complete: true}
			items, err := conn.Fetch(ctx, opts)
			r.items = items
			if err != nil {
				var ce *connector.ConfigError
				if errors.As(err, &ce) {
					r.cfgErr = fmt.Errorf("source %q: %w", src.Name, err)
				}
				r.st.Complete, r.st.Error = false, "fetch: "+connector.ErrorText(err)
			}
			if imp := cfg.Roster.Import; imp != nil && err == nil {
				if ri, ok := conn.(connector.RosterImporter); ok && wantsImport(src.Kind, imp) {
					ms, err := ri.ImportRoster(ctx, *imp)
					r.ms = ms
					if err != nil {
						r.st.Complete, r.st.Error = false, "import roster: "+connector.ErrorText(err)
					}
				}
			}
			r.st.Items = len(items)
			a.log.Info().Str("source", src.Name).Str("kind", src.Kind).Int("read", len(items)).
				Bool("complete", r.st.Complete).Str("took", time.Since(start).Round(time.Millisecond).String()).Msg("source read")
			if !r.st.Complete && r.cfgErr == nil {
				a.log.Error().Str("source", src.Name).Msg(r.st.Error)
			}
		}(i, src, conn)
	}
	sr.done()
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, &exitError{code: model.ExitIncomplete, err: fmt.Errorf("interrupted: %w", err)}
	}
	out := &collected{conns: map[string]connector.Connector{}, shard: sr}
	var ms []model.Membership
	for i, r := range results {
		if r.cfgErr != nil {
			return nil, usageError("%v", r.cfgErr)
		}
		// Items in a fixed order whatever order the tracker paged them in.
		sort.SliceStable(r.items, func(x, y int) bool { return model.CompareKeys(r.items[x].Key, r.items[y].Key) < 0 })
		out.items = append(out.items, r.items...)
		out.sources = append(out.sources, r.st)
		ms = append(ms, r.ms...)
		if r.conn != nil {
			out.conns[srcs[i].Name] = r.conn
		}
	}
	out.roster = classify.MergeMemberships(rosterFromConfig(cfg), ms)
	cl := classify.New(cfg, out.roster)
	debug := a.log.Debug().Enabled()
	whys := cl.Apply(out.items, debug)
	if debug {
		for i, w := range whys {
			it := &out.items[i]
			a.log.Debug().Str("source", it.Source).Str("item", it.Key).Str("item_level", string(it.Level)).Str("why_level", w.Level).
				Str("owner", w.Owner).Str("team", it.Team).Str("why_team", w.Team).Msg("classified")
		}
	}
	return out, nil
}

func wantsImport(kind string, imp *config.RosterImport) bool {
	switch kind {
	case config.KindGitHub:
		return len(imp.GitHubTeams) > 0
	case config.KindJira:
		return len(imp.JiraGroups) > 0
	}
	return false
}

// lintItems runs the engine and assembles the result.
func (a *App) lintItems(ctx context.Context, l *loaded, c *collected, baseline *engine.Baseline) (*model.Result, error) {
	lintClosed := map[string]bool{}
	for _, s := range l.cfg.Sources {
		if s.GitHub != nil && (s.GitHub.State == "closed" || s.GitHub.State == "all") {
			lintClosed[s.Name] = true
		}
	}
	partial := len(c.sources) < len(l.cfg.Sources)
	for _, s := range c.sources {
		partial = partial || !s.Complete
	}
	start := time.Now()
	out, err := engine.Run(ctx, c.items, engine.Options{
		Partial:    partial,
		Rules:      l.rules,
		Severity:   l.severity,
		Exceptions: l.exc,
		Baseline:   baseline,
		Roster:     c.roster,
		Now:        a.Now(),
		LintClosed: func(s string) bool { return lintClosed[s] },
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, &exitError{code: model.ExitIncomplete, err: fmt.Errorf("interrupted: %w", err)}
		}
		// A user rule that cannot be evaluated is a rule problem: exit 2.
		return nil, usageError("%v", err)
	}
	a.log.Info().Int("items", out.Linted).Int("findings", len(out.Findings)).Str("took", time.Since(start).Round(time.Microsecond).String()).Msg("rules run")
	// Sources count the items linted, not the closed ones read as parents.
	// Reports see the items in scope, and sources count them; closed ones
	// were read as parents only.
	linted := map[string]int{}
	inScope := make([]model.Item, 0, len(c.items))
	for i := range c.items {
		if it := &c.items[i]; !it.Closed || lintClosed[it.Source] {
			linted[it.Source]++
			inScope = append(inScope, *it)
		}
	}
	sources := append([]model.SourceStatus(nil), c.sources...)
	for i := range sources {
		sources[i].Items = linted[sources[i].Name]
	}
	// Reports show the severity each rule ran with: the config's override
	// when there is one.
	docs := rules.Docs(l.rules)
	for i := range docs {
		if s, ok := l.severity[docs[i].ID]; ok {
			docs[i].Severity = s
		}
	}
	return &model.Result{
		Tool:             a.Tool(),
		Sources:          sources,
		Items:            inScope,
		Roster:           c.roster,
		Findings:         out.Findings,
		Rules:            docs,
		UnusedExceptions: out.UnusedExceptions,
		StaleBaseline:    out.StaleBaseline,
		Config:           model.ConfigOrigin{File: a.rel(l.cfg.File), Lines: l.cfg.Lines},
	}, nil
}
