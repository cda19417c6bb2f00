package cli

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/app"
	"github.com/pomlint/pomlint/internal/engine"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/output"
	"github.com/pomlint/pomlint/internal/report"
)

type lintOptions struct {
	fetch    fetchFlags
	formats  []string
	output   string
	failOn   string
	baseline string
	compare  string
}

func (a *App) newLintCmd() *cobra.Command {
	o := &lintOptions{}
	cmd := &cobra.Command{
		Use:   "lint",
		Short: "Lint item ownership in every configured source",
		Long: `Fetch items from the configured sources, classify them, resolve their owners
and report every ownership finding.

Formats: ` + strings.Join(report.Formats, ", ") + `. Give --format several times to
write several reports in one run: --format FMT=PATH writes to PATH, a bare
--format FMT writes to --output or stdout.

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
2 usage or config error; 3 a source could not be read completely. 3 wins:
a run that did not see everything never passes.`,
		Example: `  # the bundled demo, no network
  pomlint lint --config configs/demo.yaml

  # nightly CI: SARIF for code scanning, text for the log, fail on errors
  pomlint lint --format sarif=pomlint.sarif --format text --fail-on error

  # one source, JSON to a file, adopt an old backlog with a baseline
  pomlint lint --source jira --format json --output findings.json --baseline .pomlint-baseline.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runLint(cmd, o) },
	}
	o.fetch.register(cmd)
	o.fetch.registerShard(cmd)
	fl := cmd.Flags()
	fl.StringArrayVarP(&o.formats, "format", "f", nil, "report format ("+strings.Join(report.Formats, ", ")+"), or FMT=PATH (repeatable; default text)")
	fl.StringVarP(&o.output, "output", "o", "", "write the report given without =PATH to this file instead of stdout (- is stdout)")
	fl.StringVar(&o.failOn, "fail-on", "error", "exit 1 when a finding is at or above: error, warning, note or never")
	fl.StringVar(&o.baseline, "baseline", "", "baseline file: findings in it are reported as baselined and do not fail the run")
	fl.StringVar(&o.compare, "compare", "", "earlier snapshot: the Markdown and HTML headers show new / fixed / unchanged findings and the correctly-owned share then and now, the text summary new / fixed")
	return cmd
}

// reportTarget is one --format entry.
type reportTarget struct {
	format string
	path   string // "" = stdout or --output
}

// parseFormats reads --format values ("fmt" or "fmt=path"); known checks a
// format name and says what it wants otherwise. A bare format goes to
// output (stdout when that is empty), and only one may.
func parseFormats(formats []string, output, def string, known func(string) error, resolve func(string) string) ([]reportTarget, error) {
	if len(formats) == 0 {
		formats = []string{def}
	}
	var out []reportTarget
	bare := 0
	for _, f := range formats {
		name, path, hasPath := strings.Cut(f, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if err := known(name); err != nil {
			return nil, usageError("--format %q: %v", f, err)
		}
		if hasPath && strings.TrimSpace(path) == "" {
			return nil, usageError("--format %q: empty path after '='", f)
		}
		if !hasPath {
			path = output
		}
		if path == "-" || path == "/dev/stdout" {
			path = ""
		}
		if path == "" {
			bare++
		}
		out = append(out, reportTarget{format: name, path: path})
	}
	if bare > 1 {
		return nil, usageError("%d reports would all go to stdout; give FMT=PATH for all but one", bare)
	}
	seen := map[string]string{}
	for i := range out {
		if p := out[i].path; p != "" {
			abs, err := filepath.Abs(resolve(p))
			if err != nil {
				abs = filepath.Clean(resolve(p))
			}
			if real, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
				abs = filepath.Join(real, filepath.Base(abs))
			}
			if other, dup := seen[abs]; dup {
				return nil, usageError("--format %s and %s both write %s; give each report its own file", other, out[i].format, p)
			}
			seen[abs] = out[i].format
		}
	}
	return out, nil
}

// knownReport accepts the lint report formats.
func knownReport(name string) error {
	_, err := report.New(name, report.Options{})
	return err
}

func parseFailOn(s string) (model.Severity, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "never" {
		return model.SeverityNone, nil
	}
	sev, err := model.ParseSeverity(s)
	if err != nil {
		return 0, usageError("--fail-on %q: want error, warning, note or never", s)
	}
	return sev, nil
}

func (a *App) runLint(cmd *cobra.Command, o *lintOptions) error {
	failOn, err := parseFailOn(o.failOn)
	if err != nil {
		return err
	}
	targets, err := parseFormats(o.formats, o.output, "text", knownReport, a.path)
	if err != nil {
		return err
	}
	if err := a.prepareOutputs(targets); err != nil {
		return err
	}
	if err := checkShardTargets(o.fetch.Shard, targets); err != nil {
		return err
	}
	var baseline *engine.Baseline
	if o.baseline != "" {
		if baseline, err = engine.LoadBaseline(a.path(o.baseline)); err != nil {
			return usageError("%v", err)
		}
	}
	core := a.core()
	var prev *model.Snapshot
	if o.compare != "" {
		if prev, err = core.ReadSnapshot(o.compare); err != nil {
			return err
		}
	}
	l, err := a.loadConfig()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	c, err := core.Collect(ctx, l, o.fetch.FetchOptions)
	if err != nil {
		return err
	}
	res, err := core.Lint(ctx, l, c, baseline)
	if err != nil {
		return err
	}
	var trend *report.Trend
	switch {
	case prev != nil:
		trend = report.TrendFromSnapshot(o.compare, prev, res)
	case baseline != nil:
		trend = report.TrendFromBaseline(o.baseline, res)
	}
	app.MarkShard(res, l, c, o.fetch.FetchOptions)
	if res.Shard != nil {
		// A shard's findings are provisional (parents in other shards
		// are not seen): only the merge fails on findings.
		failOn = model.SeverityNone
	}
	if err := a.writeReports(res, targets, trend); err != nil {
		return err
	}
	// Failed sources were logged as they failed, and every report says so.
	return exitCode(res.ExitCode(failOn))
}

// outPath resolves an output path against the working directory; "-",
// "" and /dev/stdout stay standard output.
func (a *App) outPath(p string) string {
	if output.IsStdout(p) {
		return "-"
	}
	return a.path(p)
}

// prepareOutput checks that the output path given with flag can be written
// (creating its folders) before anything is fetched: a usage error, in a
// second rather than after a long fetch.
func (a *App) prepareOutput(flag, p string) error {
	if err := output.Prepare(a.outPath(p)); err != nil {
		return usageError("%s: %s", flag, strings.Replace(err.Error(), a.outPath(p), p, 1))
	}
	return nil
}

func (a *App) writeReports(res *model.Result, targets []reportTarget, trend *report.Trend) error {
	var failed []error
	for _, t := range targets {
		toTerminal := t.path == "" && a.IO.OutTTY
		r, err := report.New(t.format, report.Options{Color: toTerminal && !a.noColor, Now: a.Now, Trend: trend})
		if err != nil {
			return usageError("%v", err)
		}
		if g, ok := r.(interface{ SetSummaryPath(string) }); ok {
			g.SetSummaryPath(a.Getenv("GITHUB_STEP_SUMMARY"))
		}
		var buf bytes.Buffer
		if err := r.Report(&buf, res); err != nil {
			failed = append(failed, a.reportFailed(t, fmt.Errorf("write %s report: %w", t.format, err)))
			continue
		}
		if err := output.Write(a.IO.Out, a.outPath(t.path), stdoutSafe(t.path, t.format, buf.Bytes()), output.ModePrivate); err != nil {
			failed = append(failed, a.reportFailed(t, fmt.Errorf("write %s report: %w", t.format, err)))
			continue
		}
		if t.path != "" {
			a.log.Info().Str("format", t.format).Str("path", t.path).Msg("report written")
		}
	}
	return reportsFailed(failed, len(targets), !res.Complete())
}

// prepareOutputs checks every report path (and creates its folders) before
// anything is fetched: a path that cannot be written fails in a second,
// not after a long fetch.
func (a *App) prepareOutputs(targets []reportTarget) error {
	for _, t := range targets {
		if err := a.prepareOutput("--format "+t.format, t.path); err != nil {
			return err
		}
	}
	return nil
}

// reportFailed logs one report that could not be written; the others are
// still written.
func (a *App) reportFailed(t reportTarget, err error) error {
	a.log.Error().Str("format", t.format).Str("path", t.path).Msg(err.Error())
	return err
}

// reportsFailed is the error of a run whose reports were not all written
// (each failure was logged as it happened), or nil: exit 2, or 3 when the
// run was incomplete anyway (3 wins).
func reportsFailed(failed []error, total int, incomplete bool) error {
	if len(failed) == 0 {
		return nil
	}
	msgs := make([]string, len(failed))
	for i, err := range failed {
		msgs[i] = err.Error()
	}
	code := model.ExitUsage
	if incomplete {
		code = model.ExitIncomplete
	}
	return &exitError{Code: code, Err: fmt.Errorf("%d of %d reports not written: %s: %w", len(failed), total, strings.Join(msgs, "; "), errors.Join(failed...))}
}

// checkShardTargets makes sure a sharded lint writes the JSON report that
// pomlint merge reads.
func checkShardTargets(shard string, targets []reportTarget) error {
	if shard == "" {
		return nil
	}
	for _, t := range targets {
		if t.format == "json" {
			return nil
		}
	}
	return usageError("--shard %s: give --format json=FILE too; pomlint merge reads the shards' JSON reports", shard)
}
