package connector

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Defaults of HTTPOptions.
const (
	DefaultTimeout             = 30 * time.Second
	DefaultMaxRetries          = 4
	DefaultMaxWait             = 15 * time.Minute
	DefaultMaxRateLimitRetries = 6
)

// HTTPOptions configure the shared HTTP client.
type HTTPOptions struct {
	// Timeout bounds one attempt of a request, including reading its body
	// (default 30s; negative: no bound). A retried attempt gets a fresh
	// timeout; waits between attempts do not count.
	Timeout time.Duration
	// MaxRetries bounds retries of transient failures: 5xx, network errors,
	// timeouts (default 4; negative: no retries). A request is sent at most
	// MaxRetries+1 times for them.
	MaxRetries int
	// MaxWait bounds a single wait for a rate limit to reset or a
	// Retry-After to pass (default 15m; negative: never wait). A longer wait
	// fails the request with a *RateLimitError instead.
	MaxWait time.Duration
	// MaxRateLimitRetries bounds how often one request is retried after a
	// rate-limit answer (403/429), so a server that always says 429 ends in
	// a *RateLimitError rather than a loop (default 6; negative: none).
	MaxRateLimitRetries int
	// CacheDir holds the on-disk conditional-request cache; "" disables it.
	CacheDir string
	// Clock is the time source and sleeper; nil means the real clock.
	Clock Clock
	// Transport is the base round tripper; nil means a clone of
	// http.DefaultTransport.
	Transport http.RoundTripper
	// Secrets are values (tokens) that must never appear in errors.
	Secrets []string
	// Notify receives a notice before each wait (rate limit, backoff).
	Notify func(Notice)
	// Source names the source in notices. It also separates the cache
	// entries of different sources.
	Source string
	// Jitter returns a random duration in [0, max] for the full-jitter
	// backoff; nil means math/rand/v2. Tests inject a deterministic one.
	Jitter func(max time.Duration) time.Duration
	// RateLimits reads the tracker's rate-limit headers and tells its
	// secondary limits; nil means StandardRateLimits. A tracker's package
	// sets it before building its client.
	RateLimits RateLimitHeaders
}

// Clock is the time source the plumbing uses, so tests never sleep.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, returning ctx.Err() then.
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx is done.
func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// NewHTTPClient returns the client every connector uses. Its transport stack
// is, outermost first:
//
//	conditional-request disk cache (GET only; when o.CacheDir != "")
//	→ *Transport: per-attempt timeout, retries, rate-limit waits
//	→ o.Transport (or a clone of http.DefaultTransport)
//
// The client itself has no Timeout: o.Timeout bounds each attempt inside the
// retry layer, so rate-limit waits are not cut short and a retried attempt
// gets a fresh deadline. The caller's context always wins at once.
func NewHTTPClient(o HTTPOptions) *http.Client {
	t := NewTransport(o)
	if o.CacheDir == "" {
		return &http.Client{Transport: t, CheckRedirect: sameOrigin}
	}
	return &http.Client{Transport: newCacheTransport(o.CacheDir, o.Source, t), CheckRedirect: sameOrigin}
}

// sameOrigin refuses redirects that leave the tracker's origin or downgrade
// https to http. Tracker APIs redirect within themselves (a renamed
// repository); a redirect elsewhere would send the next request — and, below
// a connector's auth layer, its credentials — to a host nobody configured.
func sameOrigin(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return fmt.Errorf("stopped after 10 redirects")
	}
	first := via[0].URL
	if req.URL.Scheme != first.Scheme || !strings.EqualFold(req.URL.Host, first.Host) {
		return fmt.Errorf("refused a redirect from %s://%s to %s://%s: pomlint only follows redirects within the configured API", first.Scheme, first.Host, req.URL.Scheme, req.URL.Host)
	}
	return nil
}

// withDefaults fills the zero fields of o.
func (o HTTPOptions) withDefaults() HTTPOptions {
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = DefaultMaxRetries
	}
	if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.MaxWait == 0 {
		o.MaxWait = DefaultMaxWait
	}
	if o.MaxWait < 0 {
		o.MaxWait = 0
	}
	if o.MaxRateLimitRetries == 0 {
		o.MaxRateLimitRetries = DefaultMaxRateLimitRetries
	}
	if o.MaxRateLimitRetries < 0 {
		o.MaxRateLimitRetries = 0
	}
	if o.Clock == nil {
		o.Clock = RealClock{}
	}
	if o.RateLimits == nil {
		o.RateLimits = StandardRateLimits{}
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	if o.Jitter == nil {
		o.Jitter = randomJitter
	}
	return o
}
