package connector

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

// RateState returns the last rate-limit state seen by a client built by
// NewHTTPClient for host and resource ("" = the one updated last), so the
// tests can see what the transport recorded, also behind the cache.
func RateState(c *http.Client, host, resource string) (RateLimit, bool) {
	switch rt := c.Transport.(type) {
	case *Transport:
		return rt.RateLimit(host, resource)
	case *cacheTransport:
		return rt.retry.RateLimit(host, resource)
	}
	return RateLimit{}, false
}

// StatusError is an HTTP answer as a test prints it: method, path and
// status, plus the start of the body (redacted, on one line), so a test can
// check what the transport hands back. Build it with NewStatusError.
type StatusError struct {
	Method string
	// URL is the request path; never the query string.
	URL        string
	StatusCode int
	Body       string
}

// NewStatusError reads (up to 4 KiB of) resp's body, closes it, and returns
// the error describing resp, redacted of secrets.
func NewStatusError(resp *http.Response, secrets []string) *StatusError {
	e := &StatusError{StatusCode: resp.StatusCode}
	if resp.Request != nil {
		e.Method = resp.Request.Method
		e.URL = Redact(resp.Request.URL.Path, secrets)
	}
	if resp.Body != nil {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
		e.Body = Truncate(strings.Join(strings.Fields(Redact(string(b), secrets)), " "), 512)
	}
	return e
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("%s %s: %d %s", strings.ToLower(e.Method), e.URL, e.StatusCode, strings.ToLower(http.StatusText(e.StatusCode)))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}
