package github

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pomlint/pomlint/internal/connector"
)

// tokenTransport adds the token to the requests originGuard lets through.
// It sits above the shared plumbing so retries and cached revalidations
// carry it too.
type tokenTransport struct {
	token string
	next  http.RoundTripper
}

func (t *tokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+t.token)
	return t.next.RoundTrip(r)
}

// originGuard sits above the credential layer (the token or the GitHub App
// installation transport) and lets only requests to the configured API
// origins through: the REST root and the GraphQL endpoint, scheme and host
// (with port) alike. Everything else fails before any credential is added:
// a 30x to another host or from https to http (http.Client drops the
// Authorization header on a cross-domain redirect, but the credential layer
// below would add it again), and Link-header or sub-issue URLs that point
// elsewhere. A foreign host could otherwise also feed items into the run.
// The installation-token endpoint of ghinstallation is on the REST origin
// and is requested below the guard.
type originGuard struct {
	allowed []string // origins, as originOf spells them
	next    http.RoundTripper
}

func (t *originGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	o := originOf(req.URL)
	for _, a := range t.allowed {
		if o == a {
			return t.next.RoundTrip(req)
		}
	}
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return nil, &foreignOriginError{target: o + req.URL.EscapedPath(), allowed: t.allowed}
}

// foreignOriginError is a request originGuard refused.
type foreignOriginError struct {
	target  string
	allowed []string
}

func (e *foreignOriginError) Error() string {
	return fmt.Sprintf("refused to send the GitHub credentials to %s: it is not the configured API (%s); a redirect or a Link header pointed there",
		e.target, strings.Join(e.allowed, ", "))
}

// originOf is u's scheme://host[:port] in lower case, without a default
// port, so https://API.github.com:443/x and https://api.github.com/ match.
func originOf(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	if p := u.Port(); (scheme == "https" && p == "443") || (scheme == "http" && p == "80") {
		host = strings.TrimSuffix(host, ":"+p)
	}
	return scheme + "://" + host
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
//
// It also waits out GitHub's GraphQL primary rate limit, which the shared
// plumbing cannot see: GitHub answers it with 200 OK and a body of
// {"errors":[{"type":"RATE_LIMITED",...}]} (lately "type":"RATE_LIMIT",
// "code":"graphql_rate_limit"), with X-RateLimit-Reset and not always
// X-RateLimit-Remaining: 0. On such an answer it sends a notice, sleeps on
// the injected clock until the reset (Retry-After when given, else a
// minute) and sends the query again, at most maxRetries times; a reset
// beyond maxWait fails at once with a *connector.RateLimitError.
type graphQLStatus struct {
	next       http.RoundTripper
	clock      connector.Clock
	maxWait    time.Duration
	maxRetries int
	notify     func(connector.Notice)
	source     string
}

func (t *graphQLStatus) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.GetBody == nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read graphql request body: %w", err)
		}
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	for limited := 0; ; limited++ {
		r := req
		if limited > 0 {
			r = req.Clone(req.Context())
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, fmt.Errorf("replay graphql request: %w", err)
				}
				r.Body = body
			}
		}
		resp, err := t.next.RoundTrip(r)
		if err != nil || resp == nil {
			return resp, err
		}
		if resp.StatusCode >= 300 {
			defer resp.Body.Close()
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
			var m struct {
				Message string `json:"message"`
			}
			_ = json.Unmarshal(body, &m)
			return nil, &statusError{Code: resp.StatusCode, Status: resp.Status, Message: m.Message}
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read graphql response: %w", err)
		}
		if !graphQLRateLimited(body) {
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			return resp, nil
		}
		if t.clock == nil {
			t.clock = connector.RealClock{}
		}
		now := t.clock.Now()
		wait, reset := graphQLWait(resp.Header, now)
		rle := &connector.RateLimitError{Method: req.Method, URL: req.URL.Path, StatusCode: resp.StatusCode,
			Limit: connector.LimitPrimary, Wait: wait, Reset: reset, MaxWait: t.maxWait}
		if wait > t.maxWait {
			return nil, rle
		}
		if limited >= t.maxRetries {
			rle.Exhausted, rle.Retries = true, limited
			return nil, rle
		}
		if t.notify != nil {
			at := ""
			if !reset.IsZero() {
				at = " at " + reset.UTC().Format(time.RFC3339)
			}
			t.notify(connector.Notice{Source: t.source, Level: "warn",
				Message: fmt.Sprintf("graphql rate limit exhausted; waiting %v for the reset%s", wait.Round(time.Second), at),
				Fields:  map[string]any{"wait": wait.String(), "limit": connector.LimitPrimary, "resource": "graphql", "host": req.URL.Host}})
		}
		if err := t.clock.Sleep(req.Context(), wait); err != nil {
			return nil, fmt.Errorf("wait for graphql rate limit reset: %w", err)
		}
	}
}

// optionalIssueFields are the Issue selections of the board query (as
// githubv4 spells them) that older GitHub Enterprise Server schemas lack.
// Without them a board still reads: board-only issues lose their issue type
// or their parent, which REST supplies for issues of configured repositories.
var optionalIssueFields = []struct{ name, selection string }{
	{"issueType", "issueType{name}"},
	{"parent", "parent{number,repository{nameWithOwner}}"},
}

// graphQLFeatures sends GitHub's GraphQL-Features header for the fields a
// query reads (issue_types for Issue.issueType), and when a server answers
// that an optional Issue field does not exist (GitHub's validation error
// "Field 'issueType' doesn't exist on type 'Issue'", extensions.code
// undefinedField) it sends a notice and the query again without that field,
// and leaves the field out of every later query of the run.
type graphQLFeatures struct {
	next   http.RoundTripper
	notify func(connector.Notice)
	source string

	mu      sync.Mutex
	dropped map[string]bool
}

func (t *graphQLFeatures) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return t.next.RoundTrip(req)
	}
	b, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read graphql request body: %w", err)
	}
	var in struct {
		Query     string          `json:"query"`
		Variables json.RawMessage `json:"variables,omitempty"`
	}
	if json.Unmarshal(b, &in) != nil {
		return t.next.RoundTrip(withBody(req, b))
	}
	for {
		query := t.strip(in.Query)
		body := b
		if query != in.Query {
			in2 := in
			in2.Query = query
			if body, err = json.Marshal(in2); err != nil {
				return nil, fmt.Errorf("encode graphql request: %w", err)
			}
		}
		r := withBody(req, body)
		if strings.Contains(query, "issueType{") {
			r.Header.Set("GraphQL-Features", "issue_types")
		}
		resp, err := t.next.RoundTrip(r)
		if err != nil || resp == nil {
			return resp, err
		}
		fields := t.undefined(resp)
		if len(fields) == 0 {
			return resp, nil
		}
		_ = resp.Body.Close()
		for _, field := range fields {
			if t.notify != nil {
				t.notify(connector.Notice{Source: t.source, Level: "warn",
					Message: fmt.Sprintf("the GitHub GraphQL API does not know Issue.%s (an older GitHub Enterprise Server?); reading project boards without it, so issues only a board names have no %s",
						field, map[string]string{"issueType": "issue type", "parent": "parent"}[field]),
					Fields: map[string]any{"field": "Issue." + field, "host": req.URL.Host}})
			}
		}
	}
}

// strip removes the dropped optional fields from query.
func (t *graphQLFeatures) strip(query string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, f := range optionalIssueFields {
		if t.dropped[f.name] {
			query = strings.ReplaceAll(query, f.selection, "")
		}
	}
	return query
}

// undefined reports the optional Issue fields a 200 answer says do not
// exist and were not dropped yet, recording them as dropped; otherwise
// none, and the body is left readable.
func (t *graphQLFeatures) undefined(resp *http.Response) []string {
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	b, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if err != nil || !bytes.Contains(b, []byte("doesn't exist on type")) {
		return nil
	}
	var r struct {
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code      string `json:"code"`
				TypeName  string `json:"typeName"`
				FieldName string `json:"fieldName"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if json.Unmarshal(b, &r) != nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for _, e := range r.Errors {
		for _, f := range optionalIssueFields {
			match := (e.Extensions.Code == "undefinedField" && e.Extensions.TypeName == "Issue" && e.Extensions.FieldName == f.name) ||
				e.Message == fmt.Sprintf("Field '%s' doesn't exist on type 'Issue'", f.name)
			if match && !t.dropped[f.name] {
				if t.dropped == nil {
					t.dropped = map[string]bool{}
				}
				t.dropped[f.name] = true
				out = append(out, f.name)
			}
		}
	}
	return out
}

// withBody is a clone of req sending body.
func withBody(req *http.Request, body []byte) *http.Request {
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return r
}

// graphQLRateLimited reports whether a 200 GraphQL body is GitHub's
// primary rate-limit answer. Only bodies that mention the type are decoded.
func graphQLRateLimited(body []byte) bool {
	if !bytes.Contains(body, []byte(`"RATE_LIMIT`)) {
		return false
	}
	var r struct {
		Errors []struct {
			Type string `json:"type"`
			Code string `json:"code"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &r) != nil {
		return false
	}
	for _, e := range r.Errors {
		if e.Type == "RATE_LIMITED" || e.Type == "RATE_LIMIT" || e.Code == "graphql_rate_limit" {
			return true
		}
	}
	return false
}

// graphQLWait is how long to wait after a GraphQL rate-limit answer, and
// when the limit resets (zero when unknown): until Retry-After, else until
// X-RateLimit-Reset plus a second, else a minute.
func graphQLWait(h http.Header, now time.Time) (time.Duration, time.Time) {
	if s, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After"))); err == nil && s >= 0 {
		d := time.Duration(s) * time.Second
		return d, now.Add(d)
	}
	if v, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-Ratelimit-Reset")), 10, 64); err == nil {
		reset := time.Unix(v, 0)
		if reset.After(now) {
			return reset.Sub(now) + time.Second, reset
		}
	}
	return time.Minute, time.Time{}
}

// defaultBodyLimit caps one response body, as the Jira source does: a page
// of 100 issues with long bodies is a few MB, so a larger answer is a
// broken or hostile server, and reading it whole would only use memory.
const defaultBodyLimit = 64 << 20

// bodyCap fails the read of a response body past *limit bytes, so neither
// go-github nor githubv4 ever buffers more than that of one answer.
type bodyCap struct {
	limit *atomic.Int64
	next  http.RoundTripper
}

func (t *bodyCap) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp == nil || resp.Body == nil || resp.Body == http.NoBody {
		return resp, err
	}
	limit := t.limit.Load()
	if resp.ContentLength > limit {
		_ = resp.Body.Close()
		return nil, &bodyTooLargeError{limit: limit, method: req.Method, path: req.URL.Path}
	}
	resp.Body = &cappedBody{ReadCloser: resp.Body, left: limit, err: &bodyTooLargeError{limit: limit, method: req.Method, path: req.URL.Path}}
	return resp, nil
}

// cappedBody reads at most left bytes, then fails with err.
type cappedBody struct {
	io.ReadCloser
	left int64
	err  error
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One more byte tells a body of exactly the limit from a larger one.
		var one [1]byte
		if n, _ := b.ReadCloser.Read(one[:]); n > 0 {
			return 0, b.err
		}
		return b.ReadCloser.Read(p)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

// bodyTooLargeError is an answer whose body passed the cap.
type bodyTooLargeError struct {
	limit        int64
	method, path string
}

func (e *bodyTooLargeError) Error() string {
	return fmt.Sprintf("malformed response: the answer to %s %s is larger than %d MiB, the most pomlint reads of one response",
		strings.ToLower(e.method), e.path, e.limit>>20)
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

// scrub redacts msg of every known credential, in all the forms
// connector.Redact knows (raw, URL-escaped, base64).
func (s *secretSet) scrub(msg string) string {
	return connector.Redact(msg, s.snapshot())
}

// redact scrubs err's text of every known credential; errors.Is and As
// still see the cause.
func (s *secretSet) redact(err error) error {
	if err == nil {
		return nil
	}
	return connector.RedactError(err, s.snapshot())
}

func (s *secretSet) snapshot() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.vals...)
}

// isTruncated reports whether err is a body cut short or not JSON.
func isTruncated(err error) bool {
	var se *json.SyntaxError
	var ue *json.UnmarshalTypeError
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &se) || errors.As(err, &ue) ||
		bytes.Contains([]byte(fmt.Sprint(err)), []byte("unexpected end of JSON"))
}
