package connector

import (
	"context"
	"net/http"
	"time"
)

// HTTPOptions configure the shared HTTP client.
type HTTPOptions struct {
	// Timeout bounds one request, including reading its body (default 30s).
	Timeout time.Duration
	// MaxRetries bounds retries of transient failures: 5xx, network errors,
	// timeouts (default 4).
	MaxRetries int
	// MaxWait bounds a single wait for a rate limit to reset or a
	// Retry-After to pass (default 15m). A longer wait fails the request
	// with a *RateLimitError instead.
	MaxWait time.Duration
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
	// Source names the source in notices.
	Source string
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

// NewHTTPClient returns the client every connector uses.
//
// TODO(plumbing): retries, rate limits and the cache are being built in
// transport.go; this placeholder only sets the timeout.
func NewHTTPClient(o HTTPOptions) *http.Client {
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	base := o.Transport
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	return &http.Client{Transport: base, Timeout: o.Timeout}
}
