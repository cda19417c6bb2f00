package cli

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pomlint/pomlint/internal/audit"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/output"
	"github.com/pomlint/pomlint/internal/shard"
)

// checkAuditShard: a sharded audit writes one shard file (--output), not
// reports; the merge writes the reports.
func checkAuditShard(o *auditOptions) error {
	if o.fetch.shard == "" {
		return nil
	}
	if o.output == "" || len(o.formats) > 0 {
		return usageError("audit --shard %s: give --output FILE and no --format; pomlint merge --audit writes the reports from the shards' files", o.fetch.shard)
	}
	return nil
}

// writeAuditShard writes what a sharded audit read: its items, their history
// by source, the sources' status (history included) and the audit window,
// as a sharded snapshot for pomlint merge --audit. Exit 3 when incomplete.
func (a *App) writeAuditShard(l *loaded, c *collected, o *auditOptions, hist audit.History, sources []model.SourceStatus, noHistory []string) error {
	res := &model.Result{Tool: a.Tool(), Sources: sources}
	markShard(res, l, c, &o.fetch)
	sh := res.Shard
	sh.Audit = &model.ShardAudit{From: o.from, To: o.to, ComparePrevious: o.compare}
	sh.NoHistory = noHistory
	bySource := map[string][]model.Event{}
	keys := make([]string, 0, len(hist))
	for k := range hist {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		si, ii, _ := strings.Cut(keys[i], "\x00")
		sj, ij, _ := strings.Cut(keys[j], "\x00")
		if si != sj {
			return si < sj
		}
		return model.CompareKeys(ii, ij) < 0
	})
	for _, k := range keys {
		src, _, _ := strings.Cut(k, "\x00")
		bySource[src] = append(bySource[src], hist[k]...)
	}
	for _, s := range sh.Sources {
		if evs, ok := bySource[s]; ok {
			sh.History = append(sh.History, model.ShardHistory{Source: s, Events: evs})
		}
	}
	snap := a.snapshotOf(res, res.ShardItems)
	snap.Shard = sh
	data, err := encodeSnapshot(snap)
	if err != nil {
		return err
	}
	if err := output.Write(a.IO.Out, a.outPath(o.output), stdoutSafe(o.output, "snapshot", data), output.ModePrivate); err != nil {
		return fmt.Errorf("write audit shard: %w", err)
	}
	a.log.Info().Str("path", o.output).Int("items", len(snap.Items)).Msg("audit shard written")
	if !snapshotComplete(snap) {
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
	c := a.combineShards(l, parts)
	// An item's history comes from the shard whose copy of the item was
	// kept: the first by shard index (parts are sorted).
	hist := audit.History{}
	taken := map[string]bool{}
	var noHistory []string
	for _, p := range parts {
		here := map[string]bool{}
		for _, h := range p.Shard.History {
			for _, ev := range h.Events {
				k := audit.HistoryKey(h.Source, ev.Item)
				if taken[k] {
					continue
				}
				here[k] = true
				hist[k] = append(hist[k], ev)
			}
		}
		for k := range here {
			taken[k] = true
		}
		for _, n := range p.Shard.NoHistory {
			if !slices.Contains(noHistory, n) {
				noHistory = append(noHistory, n)
			}
		}
	}
	sort.Strings(noHistory)
	return a.renderAudit(c.items, hist, audit.Options{
		From: from, To: to, Now: a.Now(), ComparePrevious: o.compare, GracePeriod: l.cfg.Audit.Grace(),
		Classifier: c.classifier,
		Roster:     c.roster,
		Tool:       a.Tool(),
		Sources:    c.sources,
	}, noHistory, targets)
}
