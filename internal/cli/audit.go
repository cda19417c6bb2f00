package cli

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/app"
	"github.com/pomlint/pomlint/internal/audit"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/output"
)

type auditOptions struct {
	fetch   fetchFlags
	from    string
	to      string
	compare bool
	formats []string
	output  string
}

func (a *App) newAuditCmd() *cobra.Command {
	o := &auditOptions{}
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Audit ownership over a period from item history",
		Long: `Reconstruct every item's ownership timeline from tracker history (GitHub
issue events, the Jira changelog, a snapshot's events) and report, for the
period --from to --to (both days included), how much of the time items were
owned by the right role: time-weighted compliance per team, per level and
overall, items never correctly owned, the median time from creation to a
correct owner, ownership changes, the most frequent rules and the owners
holding the most non-compliant items. --compare-previous adds the period of
equal length before (the previous quarter for a quarter) and the difference.

History is read only for items alive in the period, concurrently, through the
same HTTP cache as lint. A source whose history cannot be read completely
makes the audit incomplete: the reports say so and the exit code is 3.

Formats: ` + strings.Join(audit.Formats(), ", ") + ` (default markdown). Give --format several
times as FMT=PATH to write several reports in one run; the CSV report is one
file whose kind column says whether a row is overall, team, level or item.`,
		Example: `  # last quarter against the quarter before, for a wiki page
  pomlint audit --from 2026-07-01 --to 2026-09-30 --compare-previous

  # every format in one run
  pomlint audit --from 2026-07-01 --to 2026-09-30 --compare-previous \
    --format html=audit.html --format csv=audit.csv --format json=audit.json --format markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runAudit(cmd, o) },
	}
	o.fetch.registerWithoutSince(cmd) // the period needs every item alive in it
	o.fetch.registerShard(cmd)
	fl := cmd.Flags()
	fl.StringVar(&o.from, "from", "", "first day of the period (YYYY-MM-DD, required)")
	fl.StringVar(&o.to, "to", "", "last day of the period, included (YYYY-MM-DD, required)")
	fl.BoolVar(&o.compare, "compare-previous", false, "also compute the previous period of equal length and the difference")
	fl.StringArrayVarP(&o.formats, "format", "f", nil, "report format ("+strings.Join(audit.Formats(), ", ")+"), or FMT=PATH (repeatable; default markdown)")
	fl.StringVarP(&o.output, "output", "o", "", "write the report without a path here instead of stdout")
	return cmd
}

// knownAuditFormat accepts the audit report formats.
func knownAuditFormat(name string) error {
	if !audit.KnownFormat(name) {
		return fmt.Errorf("unknown audit format (want %s)", strings.Join(audit.Formats(), ", "))
	}
	return nil
}

func (a *App) runAudit(cmd *cobra.Command, o *auditOptions) error {
	w, err := app.ParseAuditWindow(o.from, o.to, o.compare)
	if err != nil {
		return err
	}
	if err := checkAuditShard(o); err != nil {
		return err
	}
	targets, err := parseFormats(o.formats, o.output, "markdown", knownAuditFormat, a.path)
	if err != nil {
		return err
	}
	if err := a.prepareOutputs(targets); err != nil {
		return err
	}
	if err := w.CheckStarted(a.Now()); err != nil {
		return err
	}
	l, err := a.loadConfig()
	if err != nil {
		return err
	}
	res, err := a.core().Audit(cmd.Context(), l, w, o.fetch.FetchOptions)
	if err != nil {
		return err
	}
	if res.Shard != nil {
		return a.writeAuditShard(res.Shard, o.output)
	}
	return a.renderAudit(res.Report, targets)
}

// renderAudit writes every report of the audit; exit 3 when a source was
// not read completely. A sharded audit's merge ends here too.
func (a *App) renderAudit(rep *audit.Report, targets []reportTarget) error {
	var failed []error
	for _, t := range targets {
		var buf bytes.Buffer
		if err := audit.Render(&buf, t.format, rep); err != nil {
			failed = append(failed, a.reportFailed(t, err))
			continue
		}
		if err := output.Write(a.IO.Out, a.outPath(t.path), stdoutSafe(t.path, t.format, buf.Bytes()), output.ModePrivate); err != nil {
			failed = append(failed, a.reportFailed(t, fmt.Errorf("write %s audit report: %w", t.format, err)))
			continue
		}
		if t.path != "" {
			a.log.Info().Str("format", t.format).Str("path", t.path).Msg("audit report written")
		}
	}
	if err := reportsFailed(failed, len(targets), !rep.Complete); err != nil {
		return err
	}
	if !rep.Complete {
		for _, s := range rep.Sources {
			if !s.Complete {
				a.log.Error().Str("source", s.Name).Msg("incomplete: " + s.Error)
			}
		}
		return exitCode(model.ExitIncomplete)
	}
	return exitCode(model.ExitOK)
}
