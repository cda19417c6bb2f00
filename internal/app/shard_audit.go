package app

import (
	"sort"
	"strings"

	"github.com/pomlint/pomlint/internal/model"
)

// auditShard is what a sharded audit writes for pomlint merge --audit: the
// items it read, their history by source, the sources' status (history
// included) and the audit window, as a sharded snapshot.
func (a *App) auditShard(l *Loaded, c *Collected, ff FetchOptions, window model.ShardAudit, hr *HistoryResult) *model.Snapshot {
	res := &model.Result{Tool: a.Tool, Sources: hr.Sources}
	MarkShard(res, l, c, ff)
	sh := res.Shard
	sh.Audit = &window
	sh.NoHistory = hr.NoHistory
	bySource := map[string][]model.Event{}
	keys := make([]string, 0, len(hr.History))
	for k := range hr.History {
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
		bySource[src] = append(bySource[src], hr.History[k]...)
	}
	for _, s := range sh.Sources {
		if evs, ok := bySource[s]; ok {
			sh.History = append(sh.History, model.ShardHistory{Source: s, Events: evs})
		}
	}
	snap := a.SnapshotOf(res, res.ShardItems)
	snap.Shard = sh
	return snap
}
