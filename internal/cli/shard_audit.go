package cli

import (
	"fmt"

	"github.com/pomlint/pomlint/internal/app"
	"github.com/pomlint/pomlint/internal/audit"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/output"
	"github.com/pomlint/pomlint/internal/shard"
)

// checkAuditShard: a sharded audit writes one shard file (--output), not
// reports; the merge writes the reports.
func checkAuditShard(o *auditOptions) error {
	if o.fetch.Shard == "" {
		return nil
	}
	if o.output == "" || len(o.formats) > 0 {
		return usageError("audit --shard %s: give --output FILE and no --format; pomlint merge --audit writes the reports from the shards' files", o.fetch.Shard)
	}
	return nil
}

// writeAuditShard writes what a sharded audit read (see app.AuditShard)
// to --output. Exit 3 when incomplete.
func (a *App) writeAuditShard(l *loaded, c *app.Collected, o *auditOptions, hr *app.HistoryResult) error {
	window := model.ShardAudit{From: o.from, To: o.to, ComparePrevious: o.compare}
	snap := a.core().AuditShard(l, c, o.fetch.FetchOptions, window, hr)
	data, err := app.EncodeSnapshot(snap)
	if err != nil {
		return err
	}
	if err := output.Write(a.IO.Out, a.outPath(o.output), stdoutSafe(o.output, "snapshot", data), output.ModePrivate); err != nil {
		return fmt.Errorf("write audit shard: %w", err)
	}
	a.log.Info().Str("path", o.output).Int("items", len(snap.Items)).Msg("audit shard written")
	if !app.SnapshotComplete(snap) {
		return exitCode(model.ExitIncomplete)
	}
	return nil
}

// mergeAudit is pomlint merge --audit: the audit of the union of the shards'
// items with the union of their history.
func (a *App) mergeAudit(l *loaded, o *mergeOptions, parts []shard.Part, targets []reportTarget) error {
	from, to, err := parseWindow(o.from, o.to)
	if err != nil {
		return err
	}
	want := model.ShardAudit{From: o.from, To: o.to, ComparePrevious: o.compare}
	for _, p := range parts {
		if p.Shard.Audit == nil || *p.Shard.Audit != want {
			got := "not an audit shard"
			if w := p.Shard.Audit; w != nil {
				got = fmt.Sprintf("--from %s --to %s --compare-previous=%v", w.From, w.To, w.ComparePrevious)
			}
			return usageError("merge --audit: %s was written with %s, the merge asks for --from %s --to %s --compare-previous=%v", p.File, got, o.from, o.to, o.compare)
		}
	}
	c := app.CombineShards(l, parts)
	hist, noHistory := app.MergeHistory(parts)
	return a.renderAudit(c.Items, hist, audit.Options{
		From: from, To: to, Now: a.Now(), ComparePrevious: o.compare, GracePeriod: l.Config.Audit.Grace(),
		Classifier: c.Classifier,
		Roster:     c.Roster,
		Tool:       a.Tool(),
		Sources:    c.Sources,
	}, noHistory, targets)
}
