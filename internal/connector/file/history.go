package file

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
)

// History serves the snapshot's events (model.Snapshot.Events) as item
// history, so an audit runs on snapshot data and the demo without a
// tracker. It keeps the events of the given items
// between from and to (to zero: no upper bound) and returns them in time
// order, keyed by item key.
func (c *Connector) History(ctx context.Context, items []model.Item, from, to time.Time) (map[string][]model.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	snap, err := c.load()
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	want := make(map[string]bool, len(items))
	for _, it := range items {
		if it.Source == "" || it.Source == c.name {
			want[it.Key] = true
		}
	}
	if c.sources != nil {
		// Events carry no source: keep those of items that the selected
		// sources of the snapshot hold.
		held := map[string]bool{}
		for _, it := range snap.Items {
			if c.sources[it.Source] {
				held[it.Key] = true
			}
		}
		for k := range want {
			if !held[k] {
				delete(want, k)
			}
		}
	}
	out := map[string][]model.Event{}
	for i, e := range snap.Events {
		if e.Item == "" || e.At.IsZero() {
			return nil, fmt.Errorf("read history: snapshot %s: events[%d] needs item and at", c.path, i)
		}
		if !want[e.Item] || (!from.IsZero() && e.At.Before(from)) || (!to.IsZero() && e.At.After(to)) {
			continue
		}
		out[e.Item] = append(out[e.Item], e)
	}
	for k := range out {
		evs := out[k]
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].At.Before(evs[j].At) })
	}
	return out, nil
}

var _ connector.HistoryFetcher = (*Connector)(nil)
