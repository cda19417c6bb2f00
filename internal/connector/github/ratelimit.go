package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	gh "github.com/google/go-github/v60/github"
)

// planBudget checks, before the run, that the primary rate limit covers the
// estimated requests. GET /rate_limit does not count against the limit. When
// the remaining budget is too small it waits for the reset (on the injected
// clock, with a notice) if that is within the max wait, and fails otherwise.
// GHES with rate limiting disabled answers 404: then there is nothing to plan.
func (c *Connector) planBudget(ctx context.Context, need int) error {
	if need <= 0 {
		return nil
	}
	rl, _, err := c.c.rest.RateLimits(ctx)
	if err != nil {
		var er *gh.ErrorResponse
		if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound {
			return nil
		}
		return fmt.Errorf("read rate limit: %w", c.c.explain(err, accessRate))
	}
	core := rl.GetCore()
	if core == nil || core.Limit == 0 || core.Remaining >= need {
		return nil
	}
	now := c.c.clock.Now()
	wait := core.Reset.Time.Sub(now)
	if wait <= 0 {
		return nil
	}
	if need > core.Limit {
		// More than a whole hour's budget: waiting once cannot cover it;
		// start now and let the plumbing wait at each reset.
		c.notify("warn", fmt.Sprintf("this run needs about %d requests, more than the hourly limit of %d; it will wait for resets", need, core.Limit), nil)
		return nil
	}
	if wait > c.maxWait() {
		return fmt.Errorf("plan requests: %w: %d of %d requests left, this run needs about %d; the limit resets at %s, in %s, beyond the max wait of %s",
			errNoBudget, core.Remaining, core.Limit, need, core.Reset.Time.UTC().Format(time.RFC3339), wait.Round(time.Second), c.maxWait())
	}
	c.notify("warn", fmt.Sprintf("waiting %s for the primary rate limit to reset: %d of %d requests left, this run needs about %d", wait.Round(time.Second), core.Remaining, core.Limit, need),
		map[string]any{"remaining": core.Remaining, "limit": core.Limit, "need": need, "reset": core.Reset.Time.UTC()})
	if err := c.c.clock.Sleep(ctx, wait+time.Second); err != nil {
		return fmt.Errorf("wait for rate limit reset: %w", err)
	}
	return nil
}
