package cli

import (
	"fmt"

	"github.com/pomlint/pomlint/internal/app"
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

// writeAuditShard writes what a sharded audit read (see app.App.Audit)
// to path. Exit 3 when incomplete.
func (a *App) writeAuditShard(snap *model.Snapshot, path string) error {
	data, err := app.EncodeSnapshot(snap)
	if err != nil {
		return err
	}
	if err := output.Write(a.IO.Out, a.outPath(path), stdoutSafe(path, "snapshot", data), output.ModePrivate); err != nil {
		return fmt.Errorf("write audit shard: %w", err)
	}
	a.log.Info().Str("path", path).Int("items", len(snap.Items)).Msg("audit shard written")
	if !app.SnapshotComplete(snap) {
		return exitCode(model.ExitIncomplete)
	}
	return nil
}

// mergeAudit is pomlint merge --audit: the audit of the union of the shards'
// items with the union of their history.
func (a *App) mergeAudit(l *loaded, o *mergeOptions, parts []shard.Part, targets []reportTarget) error {
	w, err := app.ParseAuditWindow(o.from, o.to, o.compare)
	if err != nil {
		return err
	}
	rep, err := a.core().MergeAudit(l, parts, w)
	if err != nil {
		return err
	}
	return a.renderAudit(rep, targets)
}
