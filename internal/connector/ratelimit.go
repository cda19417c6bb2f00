package connector

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// RateLimit is the primary rate-limit state a server last reported, from the
// rate-limit headers of any answer, as the source's RateLimitHeaders read
// them.
type RateLimit struct {
	// Host is the API host ("api.github.com", "acme.atlassian.net").
	Host string
	// Resource names the budget when a tracker keeps several (GitHub's
	// "core", "search", "graphql"); "" when the server names none.
	Resource  string
	Limit     int
	Remaining int
	Used      int
	// Reset is when the budget refills; zero when not sent.
	Reset time.Time
	// Seen is the Clock time the state was read.
	Seen time.Time
}

type rateKey struct{ host, resource string }

// RateHeaders is what the rate-limit headers of one answer say.
type RateHeaders struct {
	// Known is true when the answer reports a budget (a limit or a
	// remaining count); Reset alone does not make it known.
	Known bool
	// Resource names the budget ("" when the tracker has one).
	Resource  string
	Limit     int
	Remaining int // -1 when not sent
	Used      int
	// Reset is when the budget refills; zero when not sent.
	Reset time.Time
}

// RateLimitHeaders is how a tracker reports rate limits: the budget headers
// of an answer, and which 403/429 answers are a secondary limit (to be
// waited out, at least a minute, doubling). A tracker's package supplies
// one in HTTPOptions.RateLimits; the transport knows no tracker.
type RateLimitHeaders interface {
	Read(h http.Header) RateHeaders
	Secondary(status int, h http.Header, body []byte) bool
}

// StandardRateLimits reads the X-RateLimit-Limit, -Remaining, -Used and
// -Reset headers many trackers send (Reset as unix seconds or an ISO-8601
// time); it knows no secondary limit. It is the default.
type StandardRateLimits struct{}

// Read implements RateLimitHeaders.
func (StandardRateLimits) Read(h http.Header) RateHeaders {
	limit, errL := strconv.Atoi(h.Get("X-RateLimit-Limit"))
	remaining, errR := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	if errR != nil {
		remaining = -1
	}
	used, _ := strconv.Atoi(h.Get("X-RateLimit-Used"))
	reset, _ := parseReset(h.Get("X-RateLimit-Reset"))
	return RateHeaders{Known: errL == nil || errR == nil, Limit: limit, Remaining: remaining, Used: used, Reset: reset}
}

// Secondary implements RateLimitHeaders: no secondary limit.
func (StandardRateLimits) Secondary(int, http.Header, []byte) bool { return false }

// observe records the rate-limit headers of resp, if any.
func (t *Transport) observe(req *http.Request, resp *http.Response) {
	rh := t.rateHeaders.Read(resp.Header)
	if !rh.Known {
		return
	}
	k := rateKey{host: req.URL.Host, resource: rh.Resource}
	rl := RateLimit{Host: k.host, Resource: k.resource, Limit: rh.Limit, Remaining: rh.Remaining, Used: rh.Used, Reset: rh.Reset, Seen: t.clock.Now()}
	t.mu.Lock()
	t.rates[k] = rl
	t.latest[k.host] = k
	t.mu.Unlock()
}

// RateLimit returns the last rate-limit state host reported for resource.
// An empty resource means the state updated last for host, whatever its
// resource.
func (t *Transport) RateLimit(host, resource string) (RateLimit, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := rateKey{host: host, resource: resource}
	if resource == "" {
		if latest, ok := t.latest[host]; ok {
			k = latest
		}
	}
	rl, ok := t.rates[k]
	return rl, ok
}

// WaitForBudget plans ahead: when the last known state of host/resource has
// fewer than need requests left and the budget resets within MaxWait, it
// sends a notice and waits for the reset (plus one second). When the reset is
// further away it returns a *RateLimitError at once. With no known state, or
// enough budget, or a reset already past, it returns nil without waiting.
// need is capped at the limit itself: a run larger than one window waits for
// an empty budget only.
func (t *Transport) WaitForBudget(ctx context.Context, host, resource string, need int) error {
	rl, ok := t.RateLimit(host, resource)
	if !ok || rl.Remaining < 0 || rl.Reset.IsZero() {
		return nil
	}
	if rl.Limit > 0 {
		need = min(need, rl.Limit)
	}
	now := t.clock.Now()
	if rl.Remaining >= need || !rl.Reset.After(now) {
		return nil
	}
	wait := rl.Reset.Sub(now) + time.Second
	if wait > t.maxWait {
		return &RateLimitError{
			URL:     host,
			Limit:   LimitPrimary,
			Wait:    wait,
			Reset:   rl.Reset,
			MaxWait: t.maxWait,
			Planned: true,
		}
	}
	if t.notify != nil {
		t.notify(Notice{
			Source: t.source,
			Level:  "warn",
			Message: fmt.Sprintf("rate limit budget too small (%d of %d left, about %d needed); waiting %v for reset at %s",
				rl.Remaining, rl.Limit, need, wait, rl.Reset.UTC().Format(time.RFC3339)),
			Fields: map[string]any{"wait": wait.String(), "limit": LimitPrimary, "host": host, "resource": rl.Resource,
				"remaining": rl.Remaining, "need": need, "reset": rl.Reset.UTC().Format(time.RFC3339)},
		})
	}
	if err := t.clock.Sleep(ctx, wait); err != nil {
		return fmt.Errorf("wait for rate limit reset of %s: %w", host, err)
	}
	return nil
}

// transportOf finds the *Transport NewHTTPClient put in c.
func transportOf(c *http.Client) (*Transport, bool) {
	if c == nil {
		return nil, false
	}
	switch rt := c.Transport.(type) {
	case *Transport:
		return rt, true
	case *cacheTransport:
		return rt.retry, true
	}
	return nil, false
}

// RateState returns the last rate-limit state seen by a client built by
// NewHTTPClient for host and resource ("" = the one updated last). It
// reports false for other clients or when host has sent no state yet.
func RateState(c *http.Client, host, resource string) (RateLimit, bool) {
	t, ok := transportOf(c)
	if !ok {
		return RateLimit{}, false
	}
	return t.RateLimit(host, resource)
}

// WaitForBudget is Transport.WaitForBudget for a client built by
// NewHTTPClient; for other clients it returns nil.
func WaitForBudget(ctx context.Context, c *http.Client, host, resource string, need int) error {
	t, ok := transportOf(c)
	if !ok {
		return nil
	}
	return t.WaitForBudget(ctx, host, resource, need)
}
