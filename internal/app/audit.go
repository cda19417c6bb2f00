package app

import (
	"context"
	"fmt"
	"time"

	"github.com/pomlint/pomlint/internal/audit"
	"github.com/pomlint/pomlint/internal/classify"
	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/shard"
)

// AuditWindow is the period an audit covers.
type AuditWindow struct {
	// Given is the period as the user gave it (audit shards record it).
	Given model.ShardAudit
	// From is the first day and To the day after the last; Begin is From,
	// or the first day of the previous period when it is compared.
	From, To, Begin time.Time
}

// ParseAuditWindow reads --from and --to as days (both included) and
// whether the previous period of equal length is compared.
func ParseAuditWindow(from, to string, comparePrevious bool) (*AuditWindow, error) {
	if from == "" || to == "" {
		return nil, usageError("--from and --to are required (YYYY-MM-DD)")
	}
	f, err := config.ParseDate(from)
	if err != nil {
		return nil, usageError("--from: %v", err)
	}
	t, err := config.ParseDate(to)
	if err != nil {
		return nil, usageError("--to: %v", err)
	}
	if t.Before(f) {
		return nil, usageError("--to %s is before --from %s", to, from)
	}
	w := &AuditWindow{Given: model.ShardAudit{From: from, To: to, ComparePrevious: comparePrevious}, From: f, To: t.AddDate(0, 0, 1), Begin: f}
	if comparePrevious {
		w.Begin = audit.PreviousStart(w.From, w.To)
	}
	return w, nil
}

// CheckStarted refuses a window that begins after now: there is nothing
// to audit yet.
func (w *AuditWindow) CheckStarted(now time.Time) error {
	if !w.Begin.Before(now) {
		return usageError("--from %s is in the future", w.Given.From)
	}
	return nil
}

// AuditResult is what an audit gives: the report, or on a sharded run the
// shard's snapshot for pomlint merge --audit (Report is nil then).
type AuditResult struct {
	Report *audit.Report
	Shard  *model.Snapshot
}

// Audit reads the sources (items closed in the window too) and their
// history over the window, and computes the audit report: time-weighted
// compliance per team, level and owner, against the previous period when
// asked for.
func (a *App) Audit(ctx context.Context, l *Loaded, w *AuditWindow, ff FetchOptions) (*AuditResult, error) {
	// Items closed during the period (or the previous one) were alive in it.
	ff.ClosedSince = w.Begin
	c, err := a.Collect(ctx, l, ff)
	if err != nil {
		return nil, err
	}
	hr := a.History(ctx, c, w.Begin, w.To)
	if err := ctx.Err(); err != nil {
		return nil, interrupted(err)
	}
	if c.Shard != nil {
		return &AuditResult{Shard: a.auditShard(l, c, ff, w.Given, hr)}, nil
	}
	rep := a.auditReport(c.Items, hr.History, audit.Options{
		From: w.From, To: w.To, Now: a.now(), ComparePrevious: w.Given.ComparePrevious, GracePeriod: l.Config.Audit.Grace(),
		Classifier: classify.New(l.Config, c.Roster),
		Roster:     c.Roster,
		Tool:       a.Tool,
		Sources:    hr.Sources,
	}, hr.NoHistory)
	return &AuditResult{Report: rep}, nil
}

// MergeAudit is the audit of the union of the audit shards' items with the
// union of their history; every shard must have been given window.
func (a *App) MergeAudit(l *Loaded, parts []shard.Part, w *AuditWindow) (*audit.Report, error) {
	for _, p := range parts {
		if p.Shard.Audit == nil || *p.Shard.Audit != w.Given {
			got := "not an audit shard"
			if g := p.Shard.Audit; g != nil {
				got = fmt.Sprintf("--from %s --to %s --compare-previous=%v", g.From, g.To, g.ComparePrevious)
			}
			return nil, usageError("merge --audit: %s was written with %s, the merge asks for --from %s --to %s --compare-previous=%v",
				p.File, got, w.Given.From, w.Given.To, w.Given.ComparePrevious)
		}
	}
	c := CombineShards(l, parts)
	hist, noHistory := MergeHistory(parts)
	return a.auditReport(c.Items, hist, audit.Options{
		From: w.From, To: w.To, Now: a.now(), ComparePrevious: w.Given.ComparePrevious, GracePeriod: l.Config.Audit.Grace(),
		Classifier: c.Classifier,
		Roster:     c.Roster,
		Tool:       a.Tool,
		Sources:    c.Sources,
	}, noHistory), nil
}

// auditReport runs the audit and notes the file sources that hold no
// history.
func (a *App) auditReport(items []model.Item, hist audit.History, opts audit.Options, noHistory []string) *audit.Report {
	rep := audit.Run(items, hist, opts)
	for _, name := range noHistory {
		rep.Notes = append(rep.Notes, fmt.Sprintf("Source %s is a snapshot with no history (no events) for the items audited: their ownership is taken as constant over the period. Snapshots written by pomlint snapshot hold no history; audit the trackers themselves, or a snapshot with an events array.", name))
	}
	return rep
}
