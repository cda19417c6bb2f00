package jira

import (
	"context"
	"strings"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
)

// Units lists the projects a top-level project clause of the JQL names
// ("project in (PAY, CHK) AND …"), with unknown sizes; nil when the JQL names
// none (the source is then read whole by one shard: the site's project list
// may miss projects the search reaches, see split.go).
//
// Sizes are left unknown on purpose: Jira's approximate count costs one
// request per project, and every shard plans, so counting would cost N × P
// requests for N shards and P projects, about a tenth of the pages of a
// large site.
func (c *Connector) Units(ctx context.Context, opts connector.FetchOptions) ([]connector.Unit, error) {
	body, _ := splitOrderBy(strings.TrimSpace(c.cfg.JQL))
	ps := jqlProjects(body)
	if ps == nil {
		return nil, nil
	}
	out := make([]connector.Unit, 0, len(ps))
	for _, p := range ps {
		out = append(out, connector.Unit{Name: p, Size: -1})
	}
	return out, nil
}

// FetchUnits reads the source's JQL restricted to the given projects
// ("(JQL) AND project in (…)"), with a connector of its own built from the
// same settings. No unit, no request.
func (c *Connector) FetchUnits(ctx context.Context, opts connector.FetchOptions, units []connector.Unit) ([]model.Item, error) {
	if len(units) == 0 {
		return nil, nil
	}
	keys := make([]string, 0, len(units))
	for _, u := range units {
		keys = append(keys, quoteJQL(u.Name))
	}
	body, order := splitOrderBy(strings.TrimSpace(c.cfg.JQL))
	cfg := c.cfg
	cfg.JQL = joinJQL(andJQL(body, "project in ("+strings.Join(keys, ", ")+")"), order)
	src := c.src
	src.Block = &cfg
	sub, err := New(src, c.env)
	if err != nil {
		return nil, err
	}
	items, err := sub.Fetch(ctx, opts)
	// History (audit) reads owner-field changes by the names the last
	// Fetch resolved.
	if s, ok := sub.(*Connector); ok {
		s.mu.Lock()
		names := s.ownerNames
		s.mu.Unlock()
		c.mu.Lock()
		c.ownerNames = names
		c.mu.Unlock()
	}
	return items, err
}

var _ connector.Partitioner = (*Connector)(nil)
