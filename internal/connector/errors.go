package connector

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// RateLimitError is a rate limit the plumbing would not wait out: the wait
// was longer than HTTPOptions.MaxWait (raised by --max-wait), or the server
// kept answering with a limit after MaxRateLimitRetries retries.
type RateLimitError struct {
	Method string
	// URL is the request path.
	URL        string
	StatusCode int
	// Limit is the kind of limit: LimitPrimary, LimitSecondary, Limit429
	// or LimitRetryAfter.
	Limit string
	// Wait is how long the server asked to wait.
	Wait time.Duration
	// Reset is when the limit resets; zero when unknown.
	Reset time.Time
	// MaxWait is the bound Wait exceeded.
	MaxWait time.Duration
	// Exhausted is set when the retries ran out rather than the wait
	// being too long; Retries says how many were made.
	Exhausted bool
	Retries   int
}

func (e *RateLimitError) Error() string {
	what := e.URL
	if e.Method != "" {
		what = strings.ToLower(e.Method) + " " + e.URL
	}
	var kind string
	switch e.Limit {
	case LimitPrimary:
		kind = "rate limit exhausted"
	case LimitSecondary:
		kind = "secondary rate limit"
	case LimitRetryAfter:
		kind = fmt.Sprintf("server unavailable (%d) with retry-after", e.StatusCode)
	default:
		kind = "rate limited (429)"
	}
	if e.Exhausted {
		return fmt.Sprintf("%s: %s: still limited after %d retries", what, kind, e.Retries)
	}
	at := ""
	if !e.Reset.IsZero() {
		at = " for reset at " + e.Reset.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%s: %s: would have to wait %v%s, longer than the maximum wait %v (raise it with --max-wait)",
		what, kind, e.Wait.Round(time.Second), at, e.MaxWait)
}

// IsRateLimit reports whether err is, or wraps, a *RateLimitError.
func IsRateLimit(err error) bool {
	var e *RateLimitError
	return errors.As(err, &e)
}

// Truncate cuts s to at most n bytes on a rune boundary, marking the cut
// with "…".
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
