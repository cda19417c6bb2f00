package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/engine"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/report"
)

type lintOptions struct {
	fetch    fetchFlags
	formats  []string
	output   string
	failOn   string
	baseline string
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
	fl.StringArrayVarP(&o.formats, "format", "f", nil, "report format, or FMT=PATH (repeatable; default text)")
	fl.StringVarP(&o.output, "output", "o", "", "write the report given without =PATH to this file instead of stdout (- is stdout)")
	fl.StringVar(&o.failOn, "fail-on", "error", "exit 1 when a finding is at or above: error, warning, note or never")
	fl.StringVar(&o.baseline, "baseline", "", "baseline file: findings in it are reported as baselined and do not fail the run")
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
		name = strings.TrimSpace(name)
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
	if err := checkShardTargets(&o.fetch, targets); err != nil {
		return err
	}
	var baseline *engine.Baseline
	if o.baseline != "" {
		if baseline, err = engine.LoadBaseline(a.path(o.baseline)); err != nil {
			return usageError("%v", err)
		}
	}
	l, err := a.loadConfig()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	c, err := a.collect(ctx, l, &o.fetch)
	if err != nil {
		return err
	}
	res, err := a.lintItems(ctx, l, c, baseline)
	if err != nil {
		return err
	}
	markShard(res, l, c, &o.fetch)
	if res.Shard != nil {
		// A shard's findings are provisional (parents in other shards
		// are not seen): only the merge fails on findings.
		failOn = model.SeverityNone
	}
	if err := a.writeReports(res, targets); err != nil {
		return err
	}
	// Failed sources were logged as they failed, and every report says so.
	return exitCode(res.ExitCode(failOn))
}

// path resolves a user-given path against the working directory.
func (a *App) path(p string) string {
	if p == "" || filepath.IsAbs(p) || a.WorkDir == "" {
		return p
	}
	return filepath.Join(a.WorkDir, p)
}

func (a *App) writeReports(res *model.Result, targets []reportTarget) error {
	for _, t := range targets {
		toTerminal := t.path == "" && a.IO.OutTTY
		r, err := report.New(t.format, report.Options{Color: toTerminal && !a.noColor})
		if err != nil {
			return usageError("%v", err)
		}
		if g, ok := r.(interface{ SetSummaryPath(string) }); ok {
			g.SetSummaryPath(a.Getenv("GITHUB_STEP_SUMMARY"))
		}
		var buf bytes.Buffer
		if err := r.Report(&buf, res); err != nil {
			return fmt.Errorf("write %s report: %w", t.format, err)
		}
		var w io.Writer = a.IO.Out
		if t.path != "" {
			if err := os.WriteFile(a.path(t.path), buf.Bytes(), 0o644); err != nil {
				return fmt.Errorf("write %s report: %w", t.format, err)
			}
			a.log.Info().Str("format", t.format).Str("path", t.path).Msg("report written")
			continue
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return fmt.Errorf("write %s report: %w", t.format, err)
		}
	}
	return nil
}
