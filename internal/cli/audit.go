package cli

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/audit"
	"github.com/pomlint/pomlint/internal/classify"
	"github.com/pomlint/pomlint/internal/config"
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

// parseWindow reads --from and --to as days and returns [from, to+1 day).
func parseWindow(from, to string) (time.Time, time.Time, error) {
	if from == "" || to == "" {
		return time.Time{}, time.Time{}, usageError("--from and --to are required (YYYY-MM-DD)")
	}
	f, err := config.ParseDate(from)
	if err != nil {
		return time.Time{}, time.Time{}, usageError("--from: %v", err)
	}
	t, err := config.ParseDate(to)
	if err != nil {
		return time.Time{}, time.Time{}, usageError("--to: %v", err)
	}
	if t.Before(f) {
		return time.Time{}, time.Time{}, usageError("--to %s is before --from %s", to, from)
	}
	return f, t.AddDate(0, 0, 1), nil
}

// knownAuditFormat accepts the audit report formats.
func knownAuditFormat(name string) error {
	if !audit.KnownFormat(name) {
		return fmt.Errorf("unknown audit format (want %s)", strings.Join(audit.Formats(), ", "))
	}
	return nil
}

func (a *App) runAudit(cmd *cobra.Command, o *auditOptions) error {
	from, to, err := parseWindow(o.from, o.to)
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
	now := a.Now()
	begin := from
	if o.compare {
		begin = audit.PreviousStart(from, to)
	}
	if !begin.Before(now) {
		return usageError("--from %s is in the future", o.from)
	}
	l, err := a.loadConfig()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	// Items closed during the period (or the previous one) were alive in it.
	o.fetch.ClosedSince = begin
	core := a.core()
	c, err := core.Collect(ctx, l, o.fetch.FetchOptions)
	if err != nil {
		return err
	}
	hr := core.History(ctx, c, begin, to)
	if err := ctx.Err(); err != nil {
		return &exitError{Code: model.ExitIncomplete, Err: fmt.Errorf("interrupted: %w", err)}
	}
	if c.Shard != nil {
		return a.writeAuditShard(l, c, o, hr)
	}
	return a.renderAudit(c.Items, hr.History, audit.Options{
		From: from, To: to, Now: now, ComparePrevious: o.compare, GracePeriod: l.Config.Audit.Grace(),
		Classifier: classify.New(l.Config, c.Roster),
		Roster:     c.Roster,
		Tool:       a.Tool(),
		Sources:    hr.Sources,
	}, hr.NoHistory, targets)
}

// renderAudit computes the audit and writes every report; exit 3 when a
// source was not read completely. A sharded audit's merge ends here too.
func (a *App) renderAudit(items []model.Item, hist audit.History, opts audit.Options, noHistory []string, targets []reportTarget) error {
	rep := audit.Run(items, hist, opts)
	for _, name := range noHistory {
		rep.Notes = append(rep.Notes, fmt.Sprintf("Source %s is a snapshot with no history (no events) for the items audited: their ownership is taken as constant over the period. Snapshots written by pomlint snapshot hold no history; audit the trackers themselves, or a snapshot with an events array.", name))
	}
	var failed []error
	for _, t := range targets {
		var buf bytes.Buffer
		if err := audit.Render(&buf, t.format, rep); err != nil {
			failed = append(failed, a.reportFailed(t, err))
			continue
		}
		if err := output.Write(a.IO.Out, a.outPath(t.path), buf.Bytes(), output.ModePrivate); err != nil {
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
