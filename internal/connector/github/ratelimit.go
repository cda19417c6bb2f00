package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
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

// planBudget checks, before the run, that the primary rate limit covers the
// estimated requests. It uses the rate state the org listing reported when
// there is one (known), and otherwise asks GET /rate_limit, which does not
// count against the limit. When
// the remaining budget is too small it waits for the reset (on the injected
// clock, with a notice) if that is within the max wait, and fails otherwise.
// GHES with rate limiting disabled answers 404: then there is nothing to plan.
func (c *Connector) planBudget(ctx context.Context, need int, known *coreRate) error {
	if need <= 0 {
		return nil
	}
	var core coreRate
	if known != nil {
		core = *known
	} else {
		rl, _, err := c.c.rest.RateLimits(ctx)
		if err != nil {
			var er *gh.ErrorResponse
			if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound {
				return nil
			}
			return fmt.Errorf("read rate limit: %w", c.c.explain(err, accessRate))
		}
		r := rl.GetCore()
		if r == nil {
			return nil
		}
		core = coreRate{limit: r.Limit, remaining: r.Remaining, reset: r.Reset.Time}
	}
	if core.limit == 0 || core.remaining >= need {
		return nil
	}
	now := c.c.clock.Now()
	wait := core.reset.Sub(now)
	if wait <= 0 {
		return nil
	}
	if need > core.limit {
		// More than a whole hour's budget: waiting once cannot cover it;
		// start now and let the plumbing wait at each reset.
		c.notify("warn", fmt.Sprintf("this run needs about %d requests, more than the hourly limit of %d; it will wait for resets", need, core.limit), nil)
		return nil
	}
	if wait > c.maxWait() {
		return fmt.Errorf("plan requests: %w: %d of %d requests left, this run needs about %d; the limit resets at %s, in %s, beyond the max wait of %s",
			errNoBudget, core.remaining, core.limit, need, core.reset.UTC().Format(time.RFC3339), wait.Round(time.Second), c.maxWait())
	}
	c.notify("warn", fmt.Sprintf("waiting %s for the primary rate limit to reset: %d of %d requests left, this run needs about %d", wait.Round(time.Second), core.remaining, core.limit, need),
		map[string]any{"remaining": core.remaining, "limit": core.limit, "need": need, "reset": core.reset.UTC()})
	if err := c.c.clock.Sleep(ctx, wait+time.Second); err != nil {
		return fmt.Errorf("wait for rate limit reset: %w", err)
	}
	return nil
}
