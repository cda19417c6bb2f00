package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/audit"
	"github.com/pomlint/pomlint/internal/classify"
	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
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
	o.fetch.closedSince = begin
	c, err := a.collect(ctx, l, &o.fetch)
	if err != nil {
		return err
	}
	hist, sources, noHistory := a.fetchHistory(ctx, c, begin, to, now)
	if err := ctx.Err(); err != nil {
		return &exitError{code: model.ExitIncomplete, err: fmt.Errorf("interrupted: %w", err)}
	}
	if c.shard != nil {
		return a.writeAuditShard(l, c, o, hist, sources, noHistory)
	}
	return a.renderAudit(c.items, hist, audit.Options{
		From: from, To: to, Now: now, ComparePrevious: o.compare, GracePeriod: l.cfg.Audit.Grace(),
		Classifier: classify.New(l.cfg, c.roster),
		Roster:     c.roster,
		Tool:       a.Tool(),
		Sources:    sources,
	}, noHistory, targets)
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

// aliveIn reports whether it may have been alive in [from, to): created
// before to and, when closed, updated (so closed) at or after from.
func aliveIn(it *model.Item, from, to time.Time) bool {
	if !it.Created.IsZero() && !it.Created.Before(to) {
		return false
	}
	if it.Closed && !it.Updated.IsZero() && it.Updated.Before(from) {
		return false
	}
	return true
}

// fetchHistory reads the history of the items alive in [begin, to) from
// every source concurrently, since begin (no upper bound: timelines are
// replayed back from today's state). A source whose connector cannot read
// history, or whose history fails, becomes incomplete with the reason.
func (a *App) fetchHistory(ctx context.Context, c *collected, begin, to, now time.Time) (audit.History, []model.SourceStatus, []string) {
	var noHistory []string
	end := to
	if now.Before(end) {
		end = now
	}
	bySource := map[string][]model.Item{}
	for i := range c.items {
		it := &c.items[i]
		if aliveIn(it, begin, end) {
			bySource[it.Source] = append(bySource[it.Source], *it)
		}
	}
	sources := append([]model.SourceStatus(nil), c.sources...)
	hist := audit.History{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range sources {
		st := &sources[i]
		items := bySource[st.Name]
		if len(items) == 0 {
			continue
		}
		conn, ok := c.conns[st.Name]
		if !ok {
			continue // the connector could not be built: already incomplete
		}
		hf, ok := conn.(connector.HistoryFetcher)
		if !ok {
			st.Complete = false
			st.Error = joinErr(st.Error, fmt.Sprintf("history: a %s source cannot read item history, so its %d items cannot be audited", st.Kind, len(items)))
			continue
		}
		wg.Add(1)
		go func(st *model.SourceStatus, hf connector.HistoryFetcher, items []model.Item) {
			defer wg.Done()
			start := time.Now()
			evs, err := hf.History(ctx, items, begin, time.Time{})
			n := 0
			for _, e := range evs {
				n += len(e)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				var ce *connector.ConfigError
				msg := err.Error()
				if errors.As(err, &ce) {
					msg = "configuration: " + msg
				}
				st.Complete = false
				st.Error = joinErr(st.Error, "history: "+msg)
			}
			hist.Add(st.Name, evs)
			if err == nil && n == 0 && st.Kind == config.KindFile && len(items) > 0 {
				noHistory = append(noHistory, st.Name)
			}
			a.log.Info().Str("source", st.Name).Int("items", len(items)).Int("events", n).
				Bool("complete", err == nil).Str("took", time.Since(start).Round(time.Millisecond).String()).Msg("history read")
		}(st, hf, items)
	}
	wg.Wait()
	sort.Strings(noHistory)
	return hist, sources, noHistory
}

func joinErr(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
