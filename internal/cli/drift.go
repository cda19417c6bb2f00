package cli

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/app"
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

// appDriftOptions are the application layer's drift options; link narrows the
// drift to the items it returns (nil: no narrowing).
func (a *App) appDriftOptions(in *driftInputs, link app.LinkFunc) app.DriftOptions {
	return app.DriftOptions{
		Fetch: in.fetch.FetchOptions,
		Base:  in.base, Head: in.head,
		BaseConfig: in.baseConfig, HeadConfig: in.headConfig,
		Data:   in.data,
		Items:  in.items,
		Config: a.configOption(),
		Link:   link,
	}
}

type driftOptions struct {
	in       driftInputs
	formats  []string
	output   string
	failOn   string
	linkedPR string
}

// driftHelp is the long help of pomlint drift.
const driftHelp = `Compare two runs: per item, whether it was added or removed, and whether its
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
request). 3 wins.`

func (a *App) newDriftCmd() *cobra.Command {
	o := &driftOptions{}
	cmd := &cobra.Command{
		Use:   "drift",
		Short: "Show what changed in ownership between two snapshots, or what a config change would do",
		Long:  driftHelp,
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
	core := a.core()
	var link app.LinkFunc
	if o.linkedPR != "" {
		pr, err := parsePRRef(o.linkedPR)
		if err != nil {
			return err
		}
		link = func(ctx context.Context, l *loaded, base, head *model.Snapshot) ([]string, error) {
			c, err := core.PRClient(l, o.in.apiURL)
			if err != nil {
				return nil, err
			}
			return core.LinkedKeys(ctx, c, pr, l, base, head)
		}
	}
	if err := a.prepareOutputs(targets); err != nil {
		return err
	}
	rep, _, err := core.Drift(cmd.Context(), a.appDriftOptions(&o.in, link))
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
func parsePRRef(s string) (app.PullRequest, error) {
	repo, num, ok := strings.Cut(s, "#")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n <= 0 || strings.Count(repo, "/") != 1 || strings.HasPrefix(repo, "/") || strings.HasSuffix(repo, "/") {
		return app.PullRequest{}, usageError("--linked-from-pr %q: want owner/repo#NUMBER", s)
	}
	return app.PullRequest{Repo: repo, Number: n}, nil
}
