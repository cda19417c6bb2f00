package github

import (
	"context"
	"fmt"
	"strings"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
)

// Units lists the repositories the source reads (configured ones, then the
// organisations' repositories in listing order) with their open issue and
// pull request count when the organisation listing gave one (-1 otherwise).
// A source with Projects v2 boards is not split (nil): a board's items enrich
// the issues of any repository, so the board and the repositories it spans
// must be read by one run.
func (c *Connector) Units(ctx context.Context, opts connector.FetchOptions) ([]connector.Unit, error) {
	if len(c.cfg.Projects) > 0 {
		return nil, nil
	}
	r := &run{Connector: c, opts: opts, pending: map[string]string{}, slots: make(slots, c.concurrency), total: -1}
	targets, err := r.resolveRepos(ctx)
	if err != nil {
		return nil, c.c.secrets.redact(err)
	}
	c.unitRate = r.rate
	out := make([]connector.Unit, 0, len(targets))
	for _, t := range targets {
		out = append(out, connector.Unit{Name: t.repo.String(), Size: t.open})
	}
	if out == nil {
		out = []connector.Unit{} // splittable, but empty
	}
	return out, nil
}

// FetchUnits reads the issues of the given repositories only, as Fetch reads
// them (same pages, same parent handling), without listing organisations
// again; the budget is planned on the rate limit the listing in Units
// reported, as Fetch does. No unit, no request.
func (c *Connector) FetchUnits(ctx context.Context, opts connector.FetchOptions, units []connector.Unit) ([]model.Item, error) {
	if len(units) == 0 {
		return nil, nil
	}
	targets := make([]target, 0, len(units))
	for _, u := range units {
		owner, name, ok := strings.Cut(u.Name, "/")
		if !ok {
			return nil, fmt.Errorf("read github source %q: unit %q is not owner/repo", c.name, u.Name)
		}
		targets = append(targets, target{repo: repoRef{owner: owner, name: name}, open: u.Size})
	}
	r := &run{Connector: c, opts: opts, pending: map[string]string{}, slots: make(slots, c.concurrency), total: -1}
	if err := c.planBudget(ctx, estimateRequests(targets), c.unitRate, 0); err != nil {
		return nil, c.c.secrets.redact(err)
	}
	r.total = estimateTotal(targets, c.cfg.State, opts.Since)
	items, err := r.fetchRepos(ctx, targets)
	for i := range items {
		if p, ok := r.pending[items[i].Key]; ok && items[i].Parent == "" {
			items[i].Parent = p
		}
	}
	sortItems(items)
	return items, c.c.secrets.redact(err)
}

var _ connector.Partitioner = (*Connector)(nil)
