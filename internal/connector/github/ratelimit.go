package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/pomlint/pomlint/internal/connector"
)

// coreRate is the primary (core) rate-limit state a response reported.
type coreRate struct {
	limit, remaining int
	reset            time.Time
}

// rateFromHeader reads the X-RateLimit-* headers of a REST answer (through
// rateShield's copies when it hid a zero). It reports false when the answer
// has none (GHES with rate limiting off), is for another resource, or was
// served from the cache without a request (its headers are old).
func rateFromHeader(h http.Header) (coreRate, bool) {
	if h.Get(connector.CacheHeader) == connector.CacheFresh {
		return coreRate{}, false
	}
	if r := h.Get("X-Ratelimit-Resource"); r != "" && r != "core" {
		return coreRate{}, false
	}
	get := func(name, copyName string) (int64, bool) {
		v := h.Get(name)
		if v == "" {
			v = h.Get(copyName)
		}
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil
	}
	limit, ok1 := get("X-Ratelimit-Limit", "X-Ratelimit-Limit")
	remaining, ok2 := get("X-Ratelimit-Remaining", headerRemainingCopy)
	reset, ok3 := get("X-Ratelimit-Reset", headerResetCopy)
	if !ok1 || !ok2 || !ok3 || limit <= 0 {
		return coreRate{}, false
	}
	return coreRate{limit: int(limit), remaining: int(remaining), reset: time.Unix(reset, 0)}, true
}

// graphQLPageCost is what one page of a board query costs against the
// GraphQL primary limit, by GitHub's formula (the requests needed to fill
// every connection at its first: size, divided by 100): 1 items(100) + 100
// fieldValues(50) + 100 labels + 200 assignees (issue and draft) + 5,000
// users(20) of the field values = 5,401, about 54 points.
const graphQLPageCost = 54

// planBudget checks, before the run, that the primary rate limit covers the
// estimated REST requests, and that the GraphQL limit covers at least one
// page of each of the boards. For REST it uses the rate state the org
// listing reported when there is one (known), and otherwise asks
// GET /rate_limit, which does not count against the limit; for GraphQL it
// reads resources.graphql of the same answer (one GET /rate_limit at most,
// and none when there are no boards and known is set). When a budget is
// too small it waits for the reset (on the injected clock, with a notice)
// if that is within the max wait, and fails otherwise. GHES with rate
// limiting disabled answers 404: then there is nothing to plan. The GraphQL
// plan is advisory: if /rate_limit cannot be read it is skipped, and a
// limit hit mid-run is still waited out (graphQLStatus).
func (c *Connector) planBudget(ctx context.Context, need int, known *coreRate, boards int) error {
	var limits *gh.RateLimits
	read := func() error {
		if limits != nil {
			return nil
		}
		rl, _, err := c.c.rest.RateLimit.Get(ctx)
		if err != nil {
			var er *gh.ErrorResponse
			if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound {
				limits = &gh.RateLimits{}
				return nil
			}
			return fmt.Errorf("read rate limit: %w", c.c.explain(err, accessRate))
		}
		limits = rl
		return nil
	}
	if need > 0 {
		core := known
		if core == nil {
			if err := read(); err != nil {
				return err
			}
			if r := limits.GetCore(); r != nil {
				core = &coreRate{limit: r.Limit, remaining: r.Remaining, reset: r.Reset.Time}
			}
		}
		if core != nil {
			if err := c.awaitBudget(ctx, "primary rate limit", "requests", *core, need); err != nil {
				return err
			}
		}
	}
	if boards > 0 {
		if err := read(); err != nil {
			if ctx.Err() != nil {
				return err
			}
			c.notify("debug", "skipping the GraphQL budget plan: "+err.Error(), nil)
			return nil
		}
		if r := limits.GetGraphQL(); r != nil {
			return c.awaitBudget(ctx, "GraphQL rate limit", "points", coreRate{limit: r.Limit, remaining: r.Remaining, reset: r.Reset.Time}, boards*graphQLPageCost)
		}
	}
	return nil
}

// awaitBudget waits for rate's reset when its remaining budget is below
// need, or fails when the reset is beyond the max wait. what names the
// limit and unit its unit ("requests", "points").
func (c *Connector) awaitBudget(ctx context.Context, what, unit string, rate coreRate, need int) error {
	if rate.limit == 0 || rate.remaining >= need {
		return nil
	}
	now := c.c.clock.Now()
	wait := rate.reset.Sub(now)
	if wait <= 0 {
		return nil
	}
	if need > rate.limit {
		// More than a whole hour's budget: waiting once cannot cover it;
		// start now and let the plumbing wait at each reset.
		c.notify("warn", fmt.Sprintf("this run needs about %d %s, more than the hourly %s of %d; it will wait for resets", need, unit, what, rate.limit), nil)
		return nil
	}
	if wait > c.maxWait() {
		return fmt.Errorf("plan requests: %w: %s: %d of %d %s left, this run needs about %d; the limit resets at %s, in %s, beyond the max wait of %s",
			errNoBudget, what, rate.remaining, rate.limit, unit, need, rate.reset.UTC().Format(time.RFC3339), wait.Round(time.Second), c.maxWait())
	}
	c.notify("warn", fmt.Sprintf("waiting %s for the %s to reset: %d of %d %s left, this run needs about %d", wait.Round(time.Second), what, rate.remaining, rate.limit, unit, need),
		map[string]any{"remaining": rate.remaining, "limit": rate.limit, "need": need, "reset": rate.reset.UTC(), "resource": what})
	if err := c.c.clock.Sleep(ctx, wait+time.Second); err != nil {
		return fmt.Errorf("wait for rate limit reset: %w", err)
	}
	return nil
}

// RateLimits reads GitHub's rate-limit headers for the shared transport:
// the standard X-RateLimit-* budget, named by X-RateLimit-Resource (core,
// search, graphql), and the secondary (formerly "abuse") limit, which GitHub
// reports as a 403 or 429 whose body says so.
var RateLimits connector.RateLimitHeaders = rateLimits{}

type rateLimits struct{}

func (rateLimits) Read(h http.Header) connector.RateHeaders {
	r := connector.StandardRateLimits{}.Read(h)
	r.Resource = h.Get("X-RateLimit-Resource")
	return r
}

func (rateLimits) Secondary(_ int, _ http.Header, body []byte) bool {
	s := strings.ToLower(string(body))
	return strings.Contains(s, "secondary rate limit") || strings.Contains(s, "abuse")
}
