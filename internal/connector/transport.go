package connector

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Backoff bounds of transient retries (full jitter: a retry waits a random
// time in [0, min(backoffCap, backoffBase·2^n)]).
const (
	backoffBase = time.Second
	backoffCap  = 30 * time.Second
	// secondaryMinWait is the wait for a secondary rate limit that names
	// no Retry-After (GitHub's advice): at least a minute, then back off
	// exponentially.
	secondaryMinWait = time.Minute
	// peekLimit bounds how much of a 403/429 body is read to tell a
	// secondary rate limit from a permission error.
	peekLimit = 64 << 10
	// drainLimit bounds how much of a discarded body is read so the
	// connection can be reused.
	drainLimit = 64 << 10
)

// Rate-limit kinds, the values of RateLimitError.Limit.
const (
	// LimitPrimary is GitHub's hourly budget (X-RateLimit-Remaining: 0).
	LimitPrimary = "primary"
	// LimitSecondary is GitHub's secondary (abuse) limit.
	LimitSecondary = "secondary"
	// Limit429 is any other 429 Too Many Requests (Jira's limits).
	Limit429 = "429"
	// LimitRetryAfter is a 5xx answer whose Retry-After is too long.
	LimitRetryAfter = "retry-after"
)

// Transport is the retry and rate-limit layer of the client NewHTTPClient
// builds. It gives each attempt its own timeout, retries transient failures
// with jittered exponential backoff, waits out rate limits through the
// injected Clock, and records the last rate-limit state seen per host.
//
// When it gives up it returns:
//   - for 5xx answers: the real last response (status, headers, body), so
//     go-github and go-jira build their usual error types from it;
//   - for network errors and timeouts: an error naming method, path and the
//     number of attempts, wrapping the last error;
//   - for rate limits it will not wait out (longer than MaxWait, or more
//     than MaxRateLimitRetries for one request): a *RateLimitError, and no
//     response.
//
// Other answers (2xx, 3xx, 304, 401, a permission 403, 404, …) are returned
// as they are, after one attempt. Every error it produces is redacted of
// HTTPOptions.Secrets. http.Client wraps them in a *url.Error that repeats
// the full request URL, query included: wrap client errors with
// RedactError before showing them if a URL may carry a secret.
type Transport struct {
	next           http.RoundTripper
	clock          Clock
	timeout        time.Duration
	maxRetries     int
	maxRateRetries int
	maxWait        time.Duration
	jitter         func(time.Duration) time.Duration
	notify         func(Notice)
	source         string
	secrets        []string
	rateHeaders    RateLimitHeaders

	mu     sync.Mutex
	rates  map[rateKey]RateLimit
	latest map[string]rateKey // host → key updated last
}

// NewTransport returns the retry and rate-limit transport for o (without the
// cache). NewHTTPClient uses it; it is exported for callers that assemble
// their own stack.
func NewTransport(o HTTPOptions) *Transport {
	o = o.withDefaults()
	return &Transport{
		next:           o.Transport,
		clock:          o.Clock,
		timeout:        o.Timeout,
		maxRetries:     o.MaxRetries,
		maxRateRetries: o.MaxRateLimitRetries,
		maxWait:        o.MaxWait,
		jitter:         o.Jitter,
		notify:         o.Notify,
		source:         o.Source,
		secrets:        append([]string(nil), o.Secrets...),
		rateHeaders:    o.RateLimits,
		rates:          map[rateKey]RateLimit{},
		latest:         map[string]rateKey{},
	}
}

// decision is what to do after one attempt.
type decision struct {
	// transient marks a 5xx, counted against MaxRetries; otherwise the
	// answer is a rate limit, counted against MaxRateLimitRetries.
	transient bool
	wait      time.Duration
	limit     string    // Limit* kind; "" for a 5xx without Retry-After
	reset     time.Time // when the limit resets, if known
	reason    string    // for the notice: "502 bad gateway", "attempt timed out"
	// untilReset marks a secondary limit waited out until
	// X-RateLimit-Reset (its X-RateLimit-Remaining was 0).
	untilReset bool
}

// RoundTrip sends req, retrying and waiting as the type documents.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	once := ctx.Value(noTransientRetryKey{}) != nil
	req, err := replayable(req)
	if err != nil {
		return nil, t.errorf(req, err, "read request body: %v", err)
	}
	transient, limited := 0, 0
	for {
		if err := ctx.Err(); err != nil {
			return nil, t.errorf(req, err, "%v", err)
		}
		resp, cancel, timedOut, err := t.attempt(req)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, t.errorf(req, ctxErr, "%v", ctxErr)
			}
			var replay *replayError
			if errors.As(err, &replay) || (!timedOut && !retryableNetError(err)) || once {
				return nil, t.errorf(req, err, "%v", err)
			}
			reason := "network error: " + err.Error()
			if timedOut {
				reason = fmt.Sprintf("attempt timed out after %v", t.timeout)
				err = &attemptTimeoutError{after: t.timeout, err: err}
			}
			if transient >= t.maxRetries {
				return nil, t.errorf(req, err, "giving up after %s: %v", attempts(transient+1), err)
			}
			d := decision{wait: t.backoff(transient), transient: true, reason: reason}
			transient++
			if err := t.wait(ctx, req, d, transient); err != nil {
				return nil, err
			}
			continue
		}

		t.observe(req, resp)
		d, retry, peekErr := t.decide(req, resp, limited)
		if peekErr != nil {
			// The body of a 403/429 could not be read; hand back
			// what there is rather than guess.
			return finish(resp, cancel), nil
		}
		if !retry {
			return finish(resp, cancel), nil
		}
		if d.limit != "" && d.wait > t.maxWait {
			discard(resp, cancel)
			return nil, t.rateErr(req, resp.StatusCode, d, -1)
		}
		n := 0
		if d.transient {
			if transient >= t.maxRetries || once {
				return finish(resp, cancel), nil
			}
			transient++
			n = transient
		} else {
			if limited >= t.maxRateRetries {
				discard(resp, cancel)
				return nil, t.rateErr(req, resp.StatusCode, d, limited)
			}
			limited++
			n = limited
		}
		discard(resp, cancel)
		if err := t.wait(ctx, req, d, n); err != nil {
			return nil, err
		}
	}
}

// attempt sends one try of req under its own deadline. The returned cancel
// releases that deadline; it is nil when err is not nil.
func (t *Transport) attempt(req *http.Request) (resp *http.Response, cancel context.CancelFunc, timedOut bool, err error) {
	ctx, cancel := req.Context(), context.CancelFunc(func() {})
	if t.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, t.timeout)
	}
	r := req.Clone(ctx)
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			cancel()
			return nil, nil, false, &replayError{err: err}
		}
		r.Body = body
	}
	resp, err = t.next.RoundTrip(r)
	if err != nil {
		timedOut = ctx.Err() != nil && req.Context().Err() == nil
		cancel()
		return nil, nil, timedOut, err
	}
	if resp.StatusCode == http.StatusNotModified || req.Method == http.MethodHead {
		// No body follows; release the deadline now, since a cache
		// layer that swaps a 304 for its stored answer never closes it.
		discard(resp, cancel)
		resp.Body = http.NoBody
		return resp, func() {}, false, nil
	}
	return resp, cancel, false, nil
}

// decide classifies one answer: whether to retry it, after how long, and
// which limit it hit. It may replace resp.Body (after peeking at it).
type noTransientRetryKey struct{}

// WithoutTransientRetries marks requests made with ctx as writes that must
// not be repeated after a 5xx, a network error or a timeout: the server may
// have carried them out already (a second POST of a PR comment would post it
// twice). Rate-limit answers are still waited out and retried, since the
// server refused those requests.
func WithoutTransientRetries(ctx context.Context) context.Context {
	return context.WithValue(ctx, noTransientRetryKey{}, true)
}

func (t *Transport) decide(req *http.Request, resp *http.Response, limited int) (decision, bool, error) {
	now := t.clock.Now()
	status := fmt.Sprintf("%d %s", resp.StatusCode, strings.ToLower(http.StatusText(resp.StatusCode)))
	switch resp.StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if ra, ok := retryAfter(resp.Header, now); ok {
			return decision{transient: true, wait: ra, limit: LimitRetryAfter, reset: now.Add(ra), reason: status}, true, nil
		}
		return decision{transient: true, wait: -1, reason: status}, true, nil
	case http.StatusForbidden, http.StatusTooManyRequests:
	default:
		return decision{}, false, nil
	}

	body, err := peek(resp)
	if err != nil {
		return decision{}, false, err
	}
	secondary := t.rateHeaders.Secondary(resp.StatusCode, resp.Header, body)
	if ra, ok := retryAfter(resp.Header, now); ok {
		kind := Limit429
		if secondary || resp.StatusCode == http.StatusForbidden {
			kind = LimitSecondary
		}
		return decision{wait: ra, limit: kind, reset: now.Add(ra), reason: status}, true, nil
	}
	rh := t.rateHeaders.Read(resp.Header)
	reset, hasReset := rh.Reset, !rh.Reset.IsZero()
	if rh.Remaining == 0 && hasReset && !secondary {
		wait := max(reset.Sub(now), 0) + time.Second
		return decision{wait: wait, limit: LimitPrimary, reset: reset, reason: status}, true, nil
	}
	if secondary {
		// The advice for a secondary limit (GitHub's, the one tracker
		// that has one): Retry-After first (above), then, when the budget
		// is empty, wait until its reset; only otherwise a minute,
		// doubling.
		if rh.Remaining == 0 && hasReset {
			wait := max(reset.Sub(now), 0) + time.Second
			return decision{wait: wait, limit: LimitSecondary, reset: reset, untilReset: true, reason: status}, true, nil
		}
		wait := secondaryMinWait << min(limited, 16)
		return decision{wait: wait, limit: LimitSecondary, reset: now.Add(wait), reason: status}, true, nil
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		if hasReset && reset.After(now) {
			// Jira: X-RateLimit-Reset without Retry-After.
			return decision{wait: reset.Sub(now), limit: Limit429, reset: reset, reason: status}, true, nil
		}
		wait := max(t.backoff(limited), backoffBase)
		return decision{wait: wait, limit: Limit429, reset: now.Add(wait), reason: status}, true, nil
	}
	// A 403 that is no rate limit: a permission problem, not retried.
	return decision{}, false, nil
}

// wait notifies and sleeps d.wait (or a jittered backoff when d.wait < 0 was
// resolved by the caller). n is the retry number of this kind.
func (t *Transport) wait(ctx context.Context, req *http.Request, d decision, n int) error {
	if d.wait < 0 {
		d.wait = t.backoff(n - 1)
	}
	if err := ctx.Err(); err != nil {
		return t.errorf(req, err, "%v", err)
	}
	t.emit(req, d, n)
	if err := t.clock.Sleep(ctx, d.wait); err != nil {
		return t.errorf(req, err, "wait %v before retry: %v", d.wait, err)
	}
	return nil
}

// emit sends the notice that precedes a wait.
func (t *Transport) emit(req *http.Request, d decision, n int) {
	if t.notify == nil {
		return
	}
	what := requestName(req, t.secrets)
	wait := d.wait.Round(time.Millisecond)
	var msg string
	switch {
	case d.transient:
		msg = fmt.Sprintf("%s: %s; retrying in %v (retry %d of %d)", what, d.reason, wait, n, t.maxRetries)
	case d.limit == LimitPrimary:
		msg = fmt.Sprintf("rate limit exhausted; waiting %v for reset at %s (%s)", wait, d.reset.UTC().Format(time.RFC3339), what)
	case d.limit == LimitSecondary && d.untilReset:
		msg = fmt.Sprintf("secondary rate limit hit; waiting %v for reset at %s before retry %d of %d (%s)", wait, d.reset.UTC().Format(time.RFC3339), n, t.maxRateRetries, what)
	case d.limit == LimitSecondary:
		msg = fmt.Sprintf("secondary rate limit hit; waiting %v before retry %d of %d (%s)", wait, n, t.maxRateRetries, what)
	default:
		msg = fmt.Sprintf("rate limited (%s); waiting %v before retry %d of %d (%s)", d.reason, wait, n, t.maxRateRetries, what)
	}
	fields := map[string]any{
		"wait":    wait.String(),
		"attempt": n + 1,
		"method":  req.Method,
		"path":    Redact(req.URL.Path, t.secrets),
		"reason":  d.reason,
	}
	if d.limit != "" {
		fields["limit"] = d.limit
		fields["reset"] = d.reset.UTC().Format(time.RFC3339)
	}
	t.notify(Notice{Source: t.source, Level: "warn", Message: Redact(msg, t.secrets), Fields: fields})
}

// backoff returns the full-jitter wait before transient retry n (0-based).
func (t *Transport) backoff(n int) time.Duration {
	ceil := backoffCap
	if n < 5 { // 1s·2^5 already exceeds the cap
		ceil = min(backoffCap, backoffBase<<n)
	}
	return t.jitter(ceil)
}

// rateErr builds the error for a rate limit the transport will not wait out.
// retries < 0 means the wait exceeded MaxWait; otherwise the retries ran out.
func (t *Transport) rateErr(req *http.Request, status int, d decision, retries int) error {
	e := &RateLimitError{
		Method:     req.Method,
		URL:        Redact(req.URL.Path, t.secrets),
		StatusCode: status,
		Limit:      d.limit,
		Wait:       d.wait,
		Reset:      d.reset,
		MaxWait:    t.maxWait,
	}
	if retries >= 0 {
		e.Retries = retries
		e.Exhausted = true
	}
	return e
}

// errorf builds a redacted error naming method and path that wraps err.
func (t *Transport) errorf(req *http.Request, err error, format string, args ...any) error {
	msg := requestName(req, nil) + ": " + fmt.Sprintf(format, args...)
	return &redactedError{msg: Redact(msg, t.secrets), err: err}
}

// requestName is "get /path" (lower-case method, path without the query).
func requestName(req *http.Request, secrets []string) string {
	return strings.ToLower(req.Method) + " " + Redact(req.URL.Path, secrets)
}

// replayable returns req with a GetBody, buffering a body that has none.
func replayable(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody || req.GetBody != nil {
		return req, nil
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return req, err
	}
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return r, nil
}

// finish hands resp to the caller with its deadline released on Close.
func finish(resp *http.Response, cancel context.CancelFunc) *http.Response {
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp
}

// discard drains a little of resp's body (so the connection is reused),
// closes it and releases the attempt's deadline.
func discard(resp *http.Response, cancel context.CancelFunc) {
	if resp != nil && resp.Body != nil {
		_, _ = io.CopyN(io.Discard, resp.Body, drainLimit)
		resp.Body.Close()
	}
	if cancel != nil {
		cancel()
	}
}

// cancelOnClose releases an attempt's deadline when the body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
	once   sync.Once
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.once.Do(c.cancel)
	return err
}

// peek reads up to peekLimit of resp's body and puts it back.
func peek(resp *http.Response) ([]byte, error) {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, peekLimit))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), resp.Body), resp.Body}
	return b, err
}

// retryAfter parses Retry-After: delay-seconds or an HTTP-date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			secs = 0
		}
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// parseReset parses X-RateLimit-Reset: unix seconds (GitHub) or an ISO-8601
// timestamp such as 2024-06-05T10:21Z (Jira Cloud).
func parseReset(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n > 1e12 { // milliseconds (seen in normalised recordings)
			return time.UnixMilli(n).UTC(), true
		}
		return time.Unix(n, 0).UTC(), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z0700"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// retryableNetError reports whether a transport error may pass on retry.
// Bad certificates, unknown hosts and malformed requests will not.
func retryableNetError(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		dns              *net.DNSError
	)
	switch {
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalid):
		return false
	case errors.As(err, &dns):
		return !dns.IsNotFound
	}
	msg := err.Error()
	return !strings.Contains(msg, "unsupported protocol scheme") && !strings.Contains(msg, "invalid header")
}

// randomJitter is the default full-jitter source.
func randomJitter(ceil time.Duration) time.Duration {
	if ceil <= 0 {
		return 0
	}
	return rand.N(ceil + 1)
}

// attemptTimeoutError marks an attempt cut short by HTTPOptions.Timeout.
type attemptTimeoutError struct {
	after time.Duration
	err   error
}

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("attempt timed out after %v: %v", e.after, e.err)
}
func (e *attemptTimeoutError) Unwrap() error { return e.err }

// Timeout reports true, so net/url.Error.Timeout does too.
func (e *attemptTimeoutError) Timeout() bool { return true }

// replayError is a request body that could not be produced again.
type replayError struct{ err error }

func (e *replayError) Error() string { return "replay request body: " + e.err.Error() }
func (e *replayError) Unwrap() error { return e.err }

func attempts(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}
