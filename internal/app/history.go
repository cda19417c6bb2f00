package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/pomlint/pomlint/internal/audit"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/connector/file"
	"github.com/pomlint/pomlint/internal/model"
)

// HistoryResult is the history the audit replays.
type HistoryResult struct {
	History audit.History
	// Sources are the collected sources' statuses, marked incomplete where
	// history could not be read.
	Sources []model.SourceStatus
	// NoHistory names the file sources that hold no events for the items
	// audited.
	NoHistory []string
}

// History reads the history of the items alive in [begin, to) from every
// source concurrently, since begin (no upper bound: timelines are replayed
// back from today's state). A source whose connector cannot read history,
// or whose history fails, becomes incomplete with the reason. Every read
// has returned when History returns.
func (a *App) History(ctx context.Context, c *Collected, begin, to time.Time) *HistoryResult {
	end := to
	if now := a.now(); now.Before(end) {
		end = now
	}
	bySource := map[string][]model.Item{}
	for i := range c.Items {
		it := &c.Items[i]
		if aliveIn(it, begin, end) {
			bySource[it.Source] = append(bySource[it.Source], *it)
		}
	}
	out := &HistoryResult{History: audit.History{}, Sources: append([]model.SourceStatus(nil), c.Sources...)}
	var mu sync.Mutex
	var g errgroup.Group
	for i := range out.Sources {
		st := &out.Sources[i]
		items := bySource[st.Name]
		if len(items) == 0 {
			continue
		}
		conn, ok := c.Conns[st.Name]
		if !ok {
			continue // the connector could not be built: already incomplete
		}
		hf, ok := conn.(connector.HistoryFetcher)
		if !ok {
			st.Complete = false
			st.Error = joinErr(st.Error, fmt.Sprintf("history: a %s source cannot read item history, so its %d items cannot be audited", st.Kind, len(items)))
			continue
		}
		g.Go(func() error {
			start := time.Now()
			evs, err := hf.History(ctx, items, begin, time.Time{})
			mu.Lock()
			defer mu.Unlock()
			a.addHistory(out, st, items, evs, err, start)
			return nil
		})
	}
	_ = g.Wait() // a source's failure is its status
	sort.Strings(out.NoHistory)
	return out
}

// addHistory records one source's history read; the caller holds the lock.
func (a *App) addHistory(out *HistoryResult, st *model.SourceStatus, items []model.Item, evs map[string][]model.Event, err error, start time.Time) {
	n := 0
	for _, e := range evs {
		n += len(e)
	}
	if err != nil {
		var ce *connector.ConfigError
		msg := err.Error()
		if errors.As(err, &ce) {
			msg = "configuration: " + msg
		}
		st.Complete = false
		st.Error = joinErr(st.Error, "history: "+msg)
	}
	out.History.Add(st.Name, evs)
	if err == nil && n == 0 && st.Kind == file.KindName && len(items) > 0 {
		out.NoHistory = append(out.NoHistory, st.Name)
	}
	a.Log.Info().Str("source", st.Name).Int("items", len(items)).Int("events", n).
		Bool("complete", err == nil).Str("took", time.Since(start).Round(time.Millisecond).String()).Msg("history read")
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

func joinErr(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
