package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/classify"
	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/connector/file"
	"github.com/pomlint/pomlint/internal/connector/github"
	"github.com/pomlint/pomlint/internal/drift"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/output"
	"github.com/pomlint/pomlint/internal/report"
	"github.com/pomlint/pomlint/internal/safetext"
)

// driftInputs are the flags that say what a drift compares; drift and
// comment share them.
type driftInputs struct {
	fetch      fetchFlags
	base, head string
	baseConfig string
	headConfig string
	data       string
	items      []string
	apiURL     string
}

func (in *driftInputs) register(cmd *cobra.Command) {
	in.fetch.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&in.base, "base", "", "base snapshot (what pomlint snapshot wrote, e.g. last night's)")
	fl.StringVar(&in.head, "head", "", "head snapshot (default: fetch the config's sources now)")
	fl.StringVar(&in.baseConfig, "base-config", "", "policy preview: the current config (with --head-config)")
	fl.StringVar(&in.headConfig, "head-config", "", "policy preview: the proposed config (with --base-config)")
	fl.StringVar(&in.data, "data", "", "policy preview: run both configs over this snapshot's items instead of fetching")
	fl.StringArrayVar(&in.items, "item", nil, "compare only this item key (repeatable: PAY-12, acme/app#3)")
	fl.StringVar(&in.apiURL, "api-url", "", "GitHub REST root for pull request calls (default: the config's github source base_url, else https://api.github.com/)")
}

// linkFunc returns the item keys to narrow a drift to, or nil for all.
type linkFunc func(ctx context.Context, l *loaded, base, head *model.Snapshot) ([]string, error)

type driftOptions struct {
	in       driftInputs
	formats  []string
	output   string
	failOn   string
	linkedPR string
}

func (a *App) newDriftCmd() *cobra.Command {
	o := &driftOptions{}
	cmd := &cobra.Command{
		Use:   "drift",
		Short: "Show what changed in ownership between two snapshots, or what a config change would do",
		Long: `Compare two runs: per item, whether it was added or removed, and whether its
owner, its owner's role, its level or its team changed; per finding (by
fingerprint), whether it is new, resolved, or changed severity.

Three ways to choose the two sides:

  --base A.json --head B.json      two snapshots (pomlint snapshot)
  --base A.json                    a snapshot against live data (the config's sources)
  --base-config A.yaml --head-config B.yaml [--data S.json]
                                   policy preview: both configs over the same data, so a
                                   pull request that edits the roster, classification or
                                   rules shows what it would change before it merges.
                                   Data is read only through the BASE config's sources
                                   (hosts, tokens, App keys, files): a head config whose
                                   sources differ is refused (exit 2), and its rule files
                                   must lie in its folder or the base's rule paths.
                                   --data runs both over one snapshot's items instead
                                   (roster imports are not re-read then).

Linked items: --linked-from-pr owner/repo#N reads the pull request (title,
body, commit messages, branch name) and compares only the items it
references: closing keywords and #123 / GH-123 / owner/repo#123 / issue URLs
on github.com or the config's GitHub Enterprise host, and Jira keys such as
PAY-12 (only projects the config's jira sources, teams or the data know; in
the branch name a lower-case key counts only for those projects). --item KEY
narrows by hand. Both may be combined.

Against live data, --source X compares only the sources fetched: the base is
narrowed to them, so the other sources' items are not "removed". --since is
refused: items not updated since then are not fetched, and they would show as
removed with their findings resolved.

--fail-on applies to NEW findings only: what was already there does not fail
a pull request.

Exit codes: 0 no new finding at or above --fail-on; 1 new findings at or
above it; 2 usage, config or snapshot file error; 3 a side could not be read
completely (a snapshot marked incomplete, a failed source, an unreadable pull
request). 3 wins.`,
		Example: `  # what changed since last night's snapshot
  pomlint drift --base nightly.json --format markdown

  # two snapshots, JSON for a script
  pomlint drift --base monday.json --head friday.json --format json --output drift.json

  # policy preview of a roster edit on the bundled demo
  pomlint drift --base-config configs/demo.yaml --head-config proposed.yaml

  # only the items a pull request references
  pomlint drift --base nightly.json --linked-from-pr acme/payments#42`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runDrift(cmd, o) },
	}
	o.in.register(cmd)
	fl := cmd.Flags()
	fl.StringArrayVarP(&o.formats, "format", "f", nil, "report format ("+strings.Join(drift.Formats, ", ")+"), or FMT=PATH (repeatable; default text)")
	fl.StringVarP(&o.output, "output", "o", "", "write the report given without =PATH to this file instead of stdout (- is stdout)")
	fl.StringVar(&o.failOn, "fail-on", "error", "exit 1 when a NEW finding is at or above: error, warning, note or never")
	fl.StringVar(&o.linkedPR, "linked-from-pr", "", "compare only the items pull request owner/repo#N references (needs a GitHub token)")
	return cmd
}

func (a *App) runDrift(cmd *cobra.Command, o *driftOptions) error {
	failOn, err := parseFailOn(o.failOn)
	if err != nil {
		return err
	}
	targets, err := parseFormats(o.formats, o.output, "text", knownDriftFormat, a.path)
	if err != nil {
		return err
	}
	var link linkFunc
	if o.linkedPR != "" {
		repo, n, err := parsePRRef(o.linkedPR)
		if err != nil {
			return err
		}
		link = func(ctx context.Context, l *loaded, base, head *model.Snapshot) ([]string, error) {
			c, err := a.prClient(l, o.in.apiURL)
			if err != nil {
				return nil, err
			}
			return a.linkedKeys(ctx, c, repo, n, l, base, head)
		}
	}
	if err := a.prepareOutputs(targets); err != nil {
		return err
	}
	rep, _, err := a.computeDrift(cmd.Context(), &o.in, link)
	if err != nil {
		return err
	}
	if err := a.writeDriftReports(rep, targets); err != nil {
		return err
	}
	a.logIncomplete(rep)
	return exitCode(rep.ExitCode(failOn))
}

// knownDriftFormat accepts the drift report formats.
func knownDriftFormat(name string) error {
	for _, x := range drift.Formats {
		if name == x {
			return nil
		}
	}
	return fmt.Errorf("unknown drift format (want %s)", strings.Join(drift.Formats, ", "))
}

// writeDriftReports writes rep in every --format target: to its file, or
// to stdout.
func (a *App) writeDriftReports(rep *drift.Report, targets []reportTarget) error {
	var failed []error
	for _, t := range targets {
		var buf bytes.Buffer
		if err := drift.Write(&buf, rep, t.format, report.GitHubBodyLimit); err != nil {
			return err
		}
		data := buf.Bytes()
		if t.format == "text" {
			// Titles and server errors in it are written by anyone.
			data = []byte(safetext.Text(buf.String()))
		}
		data = stdoutSafe(t.path, t.format, data)
		if err := output.Write(a.IO.Out, a.outPath(t.path), data, output.ModePrivate); err != nil {
			failed = append(failed, a.reportFailed(t, fmt.Errorf("write %s drift report: %w", t.format, err)))
			continue
		}
		if !output.IsStdout(t.path) {
			a.log.Info().Str("format", t.format).Str("path", t.path).Msg("drift report written")
		}
	}
	return reportsFailed(failed, len(targets), !rep.Complete)
}

func (a *App) logIncomplete(rep *drift.Report) {
	for _, sd := range []drift.Side{rep.Base, rep.Head} {
		for _, s := range sd.Sources {
			if !s.Complete {
				a.log.Error().Str("side", sd.Label).Str("source", s.Name).Msg("incomplete: " + s.Error)
			}
		}
	}
}

// parsePRRef parses owner/repo#N.
func parsePRRef(s string) (string, int, error) {
	repo, num, ok := strings.Cut(s, "#")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n <= 0 || strings.Count(repo, "/") != 1 || strings.HasPrefix(repo, "/") || strings.HasSuffix(repo, "/") {
		return "", 0, usageError("--linked-from-pr %q: want owner/repo#NUMBER", s)
	}
	return repo, n, nil
}

// computeDrift builds both sides as in describes them and compares them,
// narrowed by link (when not nil) and --item. It also returns the config it
// loaded (nil when comparing two snapshots without one).
func (a *App) computeDrift(ctx context.Context, in *driftInputs, link linkFunc) (*drift.Report, *loaded, error) {
	policy := in.baseConfig != "" || in.headConfig != ""
	switch {
	case policy && (in.baseConfig == "" || in.headConfig == ""):
		return nil, nil, usageError("policy preview needs both --base-config and --head-config")
	case policy && (in.base != "" || in.head != ""):
		return nil, nil, usageError("--base/--head compare snapshots and --base-config/--head-config compare configs; give one pair")
	case !policy && in.data != "":
		return nil, nil, usageError("--data is for the policy preview (--base-config and --head-config)")
	case !policy && in.base == "":
		return nil, nil, usageError("give --base SNAPSHOT (and --head SNAPSHOT, or live data), or --base-config and --head-config")
	}
	var base, head *model.Snapshot
	var l *loaded
	var err error
	o := drift.Options{Tool: a.Tool()}
	if policy {
		base, head, l, err = a.policySides(ctx, in)
		if err != nil {
			return nil, nil, err
		}
		o.BaseLabel, o.HeadLabel = "config "+in.baseConfig, "config "+in.headConfig
		if in.data != "" {
			o.BaseLabel += " on " + in.data
			o.HeadLabel += " on " + in.data
		}
	} else {
		if base, err = a.readSnapshot(in.base); err != nil {
			return nil, nil, err
		}
		o.BaseLabel = in.base
		if in.head != "" {
			if head, err = a.readSnapshot(in.head); err != nil {
				return nil, nil, err
			}
			o.HeadLabel = in.head
			if l, err = a.optionalConfig(); err != nil {
				return nil, nil, err
			}
		} else {
			if in.fetch.since != "" {
				return nil, nil, usageError("--since cannot be used when comparing with a snapshot: items not updated since then are not fetched, and drift would report them as removed and their findings as resolved; narrow with --source or --item instead")
			}
			if l, err = a.loadConfig(); err != nil {
				return nil, nil, err
			}
			if head, err = a.liveSnapshot(ctx, l, &in.fetch, nil); err != nil {
				return nil, nil, err
			}
			undated(head)
			o.HeadLabel = "live"
			if len(in.fetch.sources) > 0 {
				// Items of sources not fetched are not removed: compare
				// only the sources the head has.
				base = narrowSources(base, head.Sources)
				o.BaseLabel += " (sources " + sourceNames(head.Sources) + ")"
			}
		}
	}
	if link != nil || len(in.items) > 0 {
		o.Only = []string{}
		switch {
		case link != nil && len(in.items) > 0:
			o.OnlyFrom = "this pull request references or --item names"
		case link == nil:
			o.OnlyFrom = "given with --item"
		}
		for _, it := range in.items {
			for _, k := range strings.Split(it, ",") {
				if k = strings.TrimSpace(k); k != "" {
					o.Only = append(o.Only, k)
				}
			}
		}
		if link != nil {
			keys, err := link(ctx, l, base, head)
			if err != nil {
				return nil, nil, err
			}
			o.Only = append(o.Only, keys...)
		}
		o.Only = dedupeKeys(o.Only)
	}
	rep := drift.Diff(base, head, o)
	a.log.Info().Int("new", rep.Summary.NewFindings).Int("resolved", rep.Summary.Resolved).Int("items", len(rep.Items)).
		Bool("complete", rep.Complete).Msg("drift computed")
	return rep, l, nil
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

func dedupeKeys(keys []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, k := range keys {
		if n := strings.ToLower(k); !seen[n] {
			seen[n] = true
			out = append(out, k)
		}
	}
	return out
}

// readSnapshot reads a snapshot file; a missing or malformed file is a
// usage error that names it.
func (a *App) readSnapshot(p string) (*model.Snapshot, error) {
	s, err := file.Read(a.path(p))
	if err != nil {
		return nil, usageError("%v", strings.Replace(err.Error(), a.path(p), p, 1))
	}
	return s, nil
}

// optionalConfig loads the config when one is named or a default file
// exists, and returns nil otherwise.
func (a *App) optionalConfig() (*loaded, error) {
	if a.configFile == "" {
		if _, err := config.Find("", a.WorkDir); err != nil {
			return nil, nil
		}
	}
	return a.loadConfig()
}

// loadConfigAt loads the config at path instead of --config.
func (a *App) loadConfigAt(path string) (*loaded, error) {
	saved := a.configFile
	a.configFile = path
	defer func() { a.configFile = saved }()
	return a.loadConfig()
}

// policySides runs the base and the head config over the same data and
// returns both runs as snapshots, and the head config.
func (a *App) policySides(ctx context.Context, in *driftInputs) (*model.Snapshot, *model.Snapshot, *loaded, error) {
	lb, err := a.loadConfigAt(in.baseConfig)
	if err != nil {
		return nil, nil, nil, err
	}
	// The head config is the pull request's proposal: it never decides
	// where credentials go (see preview.go).
	if err := a.checkHeadConfig(in.baseConfig, in.headConfig); err != nil {
		return nil, nil, nil, err
	}
	lh, err := a.loadConfigAt(in.headConfig)
	if err != nil {
		return nil, nil, nil, err
	}
	lh = withBaseSources(lh, lb)
	if in.data != "" {
		data, err := a.readSnapshot(in.data)
		if err != nil {
			return nil, nil, nil, err
		}
		base, err := a.snapshotFromData(ctx, lb, data)
		if err != nil {
			return nil, nil, nil, err
		}
		head, err := a.snapshotFromData(ctx, lh, data)
		if err != nil {
			return nil, nil, nil, err
		}
		return undated(base), undated(head), lh, nil
	}
	base, err := a.liveSnapshot(ctx, lb, &in.fetch, nil)
	if err != nil {
		return nil, nil, nil, err
	}
	head, err := a.liveSnapshot(ctx, lh, &in.fetch, nil)
	if err != nil {
		return nil, nil, nil, err
	}
	return undated(base), undated(head), lh, nil
}

// undated drops the time of a side computed just now (live data, a config
// run): it says nothing a reader needs, and it would make the sticky PR
// comment differ on every run, so it would be rewritten even when nothing
// changed.
func undated(s *model.Snapshot) *model.Snapshot {
	s.GeneratedAt = time.Time{}
	return s
}

// snapshotFromData classifies and lints a snapshot's items under l's
// config (its roster, classification, ownership and rules), as if they had
// just been fetched. Roster imports are not re-read.
func (a *App) snapshotFromData(ctx context.Context, l *loaded, data *model.Snapshot) (*model.Snapshot, error) {
	items := make([]model.Item, len(data.Items))
	copy(items, data.Items)
	for i := range items {
		items[i].Level, items[i].Owner, items[i].Team = "", nil, ""
	}
	roster := rosterFromConfig(l.cfg)
	classify.New(l.cfg, roster).Apply(items, false)
	c := &collected{items: items, sources: append([]model.SourceStatus(nil), data.Sources...), roster: roster}
	res, err := a.lintItems(ctx, l, c, nil)
	if err != nil {
		return nil, err
	}
	return a.snapshotOf(res, c.items), nil
}

// prClient builds the GitHub pull request client: auth and base URL from
// the config's first github source when there is one (token_env, app),
// else $GITHUB_TOKEN on api.github.com; --api-url overrides the base URL.
// It never uses the HTTP cache, so a comment just written is read back.
func (a *App) prClient(l *loaded, apiURL string) (*github.PRClient, error) {
	src := config.Source{Name: "github", Kind: config.KindGitHub, GitHub: &config.GitHubSource{}}
	dir := ""
	if l != nil {
		dir = l.cfg.Dir
		for _, s := range l.cfg.Sources {
			if s.Kind == config.KindGitHub && s.GitHub != nil {
				gs := *s.GitHub
				src = config.Source{Name: s.Name, Kind: s.Kind, GitHub: &gs}
				break
			}
		}
	}
	if apiURL != "" {
		src.GitHub.BaseURL = apiURL
	}
	env := connector.Env{
		HTTP: connector.HTTPOptions{
			Transport: a.Transport,
			Clock:     a.Clock,
			Source:    src.Name,
			Notify:    a.notify,
		},
		Getenv:    a.Getenv,
		ConfigDir: dir,
		Notify:    a.notify,
	}
	c, err := github.NewPRClient(src, env)
	if err != nil {
		return nil, usageError("talk to GitHub about the pull request (token and API URL from the config's first github source, else GITHUB_TOKEN and --api-url): %v", err)
	}
	return c, nil
}

// linkedKeys reads pull request repo#n and returns the item keys it
// references. Jira keys are accepted only for projects the config or the
// data know.
func (a *App) linkedKeys(ctx context.Context, c *github.PRClient, repo string, n int, l *loaded, base, head *model.Snapshot) ([]string, error) {
	pr, err := c.PullRequest(ctx, repo, n)
	if err != nil {
		return nil, &exitError{code: model.ExitIncomplete, err: err}
	}
	commits, err := c.CommitMessages(ctx, repo, n)
	if err != nil {
		return nil, &exitError{code: model.ExitIncomplete, err: err}
	}
	var jql, teams, hosts []string
	// Issue URLs count on the pull request's own web host (github.com or a
	// GitHub Enterprise Server) and the config's GitHub hosts.
	if u, err := url.Parse(pr.HTMLURL); err == nil && u.Host != "" {
		hosts = append(hosts, u.Host)
	}
	if l != nil {
		for _, s := range l.cfg.Sources {
			if s.Jira != nil {
				jql = append(jql, s.Jira.JQL)
			}
			if s.GitHub != nil && s.GitHub.BaseURL != "" {
				if u, err := url.Parse(s.GitHub.BaseURL); err == nil && u.Host != "" && u.Host != "api.github.com" {
					hosts = append(hosts, u.Host, strings.TrimPrefix(u.Host, "api."))
				}
			}
		}
		for _, t := range l.cfg.Roster.Teams {
			teams = append(teams, t.Match["jira_projects"]...)
		}
	}
	var items []model.Item
	for _, s := range []*model.Snapshot{base, head} {
		if s != nil {
			items = append(items, s.Items...)
		}
	}
	prRepo := pr.BaseRepo
	if prRepo == "" {
		prRepo = repo
	}
	refs := drift.Linked(drift.PullRequest{Repo: prRepo, Title: pr.Title, Body: pr.Body, Branch: pr.HeadRef, Commits: commits},
		drift.LinkOptions{JiraProjects: drift.JiraProjects(jql, teams, items), GitHubHosts: hosts})
	keys := drift.Keys(refs)
	a.log.Info().Str("pr", fmt.Sprintf("%s#%d", repo, n)).Strs("items", keys).Msg("items the pull request references")
	return keys, nil
}
