package github

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// tokenTransport adds the token to every request. It sits above the shared
// plumbing so retries and cached revalidations carry it too.
type tokenTransport struct {
	token string
	next  http.RoundTripper
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+t.token)
	return t.next.RoundTrip(r)
}

// secretRecorder notes the installation tokens ghinstallation puts on
// requests, so that errors can be scrubbed of them.
type secretRecorder struct {
	next    http.RoundTripper
	secrets *secretSet
}

func (t *secretRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if a := req.Header.Get("Authorization"); a != "" {
		if _, tok, ok := strings.Cut(a, " "); ok {
			t.secrets.add(tok)
		}
	}
	return t.next.RoundTrip(req)
}

// headerRemainingCopy keeps X-RateLimit-Remaining: 0 visible to this package
// after rateShield has hidden it from go-github.
const (
	headerRemainingCopy = "X-Pomlint-Ratelimit-Remaining"
	headerResetCopy     = "X-Pomlint-Ratelimit-Reset"
)

// rateShield sits between go-github and the shared plumbing. go-github v60
// remembers a response with X-RateLimit-Remaining: 0 and then refuses every
// request until the reset (checkRateLimitBeforeDo, on the wall clock), without
// reaching the transport; v60 has no exported way to bypass that check
// (BypassRateLimitCheck and SleepUntilPrimaryRateLimitResetWhenRateLimited
// came in later releases). Waiting for resets is the plumbing's job, on the
// injected clock, so the shield hides a zero remaining count on responses the
// plumbing let through. Rate-limit errors the plumbing gives up on arrive as
// errors, not responses, so nothing is lost.
type rateShield struct{ next http.RoundTripper }

func (t *rateShield) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp == nil {
		return resp, err
	}
	if resp.Header.Get("X-Ratelimit-Remaining") == "0" && resp.StatusCode < 400 {
		// Both go: without Remaining v60 reads 0, and a zero count with a
		// future Reset is exactly what trips its check.
		resp.Header.Set(headerRemainingCopy, "0")
		resp.Header.Set(headerResetCopy, resp.Header.Get("X-Ratelimit-Reset"))
		resp.Header.Del("X-Ratelimit-Remaining")
		resp.Header.Del("X-Ratelimit-Reset")
	}
	return resp, nil
}

// statusError is a non-2xx answer, with a hint at what to fix.
type statusError struct {
	Code    int
	Status  string
	Message string // GitHub's message field, if any
}

func (e *statusError) Error() string {
	if e.Message != "" {
		return fmt.Sprintf("%s (%s)", e.Status, e.Message)
	}
	return e.Status
}

// graphQLStatus turns non-2xx GraphQL answers into a *statusError: githubv4
// reports them only as text, and the connector needs the code to explain a
// 401 or 403.
type graphQLStatus struct{ next http.RoundTripper }

func (t *graphQLStatus) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp == nil || resp.StatusCode < 300 {
		return resp, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var m struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &m)
	return nil, &statusError{Code: resp.StatusCode, Status: resp.Status, Message: m.Message}
}

// secretSet holds credentials that must never appear in error text.
type secretSet struct {
	mu   sync.Mutex
	vals []string
}

func (s *secretSet) add(v string) {
	if len(v) < 4 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.vals {
		if x == v {
			return
		}
	}
	s.vals = append(s.vals, v)
}

func (s *secretSet) scrub(msg string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.vals {
		msg = strings.ReplaceAll(msg, v, "[REDACTED]")
	}
	return msg
}

// redactedError shows a scrubbed message and still unwraps to the cause, so
// errors.Is(err, context.Canceled) keeps working.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redact scrubs err's text of every known credential.
func (s *secretSet) redact(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := s.scrub(msg)
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean, err: err}
}

// isTruncated reports whether err is a body cut short or not JSON.
func isTruncated(err error) bool {
	var se *json.SyntaxError
	var ue *json.UnmarshalTypeError
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &se) || errors.As(err, &ue) ||
		bytes.Contains([]byte(fmt.Sprint(err)), []byte("unexpected end of JSON"))
}
