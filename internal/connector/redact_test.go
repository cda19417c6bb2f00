package connector_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/connector"
)

func basicAuth(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
}

func TestRedact(t *testing.T) {
	const tok = "fake-jira-api-token-value"
	for _, tc := range []struct {
		name    string
		in      string
		secrets []string
		want    string
	}{
		{"should replace the secret itself", "token " + tok + " rejected", []string{tok}, "token [REDACTED] rejected"},
		{"should replace every occurrence", tok + "/" + tok, []string{tok}, "[REDACTED]/[REDACTED]"},
		{"should replace its base64 form", "x " + base64.StdEncoding.EncodeToString([]byte(tok)) + " y", []string{tok}, "x [REDACTED] y"},
		{"should replace a basic-auth value containing it", "Authorization: Basic " + basicAuth("po@acme.example", tok), []string{tok}, "Authorization: Basic [REDACTED]"},
		{"should replace a basic-auth value at any alignment", "Basic " + basicAuth("ab@c.de", tok), []string{tok}, "Basic [REDACTED]"},
		{"should replace its URL-escaped form", "/search?t=" + url.QueryEscape("a+b/c="+tok), []string{"a+b/c=" + tok}, "/search?t=[REDACTED]"},
		{"should ignore empty secrets", "nothing to hide", []string{"", ""}, "nothing to hide"},
		{"should leave text without secrets alone", "get /repos/acme/pay: 404 not found", []string{tok}, "get /repos/acme/pay: 404 not found"},
		{"should leave unrelated base64 alone", "etag W/\"ZGlmZmVyZW50IHN0dWZm\"", []string{tok}, "etag W/\"ZGlmZmVyZW50IHN0dWZm\""},
		{"should replace several secrets", "a=s3cr3t-one b=s3cr3t-two", []string{"s3cr3t-one", "s3cr3t-two"}, "a=[REDACTED] b=[REDACTED]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := connector.Redact(tc.in, tc.secrets); got != tc.want {
				t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestNoSecretInErrors drives every error path of the plumbing with the
// token in the request path, the query, the Authorization header and the
// server's answers, and checks that no error and no notice shows it.
func TestNoSecretInErrors(t *testing.T) {
	const email, tok = "po@acme.example", "jira-api-token-0123456789abcdef"
	auth := "Basic " + basicAuth(email, tok)
	forms := []string{tok, base64.StdEncoding.EncodeToString([]byte(tok)), basicAuth(email, tok)}
	check := func(t *testing.T, what, s string) {
		t.Helper()
		for _, f := range forms {
			if strings.Contains(s, f) {
				t.Errorf("%s shows a secret: %q", what, s)
			}
		}
	}

	// The server echoes back everything it was sent.
	echo := func(status int, extra http.Header) func(int, http.ResponseWriter, *http.Request) {
		return func(n int, w http.ResponseWriter, r *http.Request) {
			for k, v := range extra {
				w.Header()[k] = v
			}
			w.WriteHeader(status)
			b, _ := io.ReadAll(r.Body)
			fmt.Fprintf(w, `{"errorMessages":["bad request %s?%s auth=%s body=%s"]}`, r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization"), b)
		}
	}
	closed := newServer(t, func(int, http.ResponseWriter, *http.Request) {})
	closedURL := closed.URL
	closed.Close()
	hang := make(chan struct{})
	defer close(hang)

	for _, tc := range []struct {
		name    string
		handler func(int, http.ResponseWriter, *http.Request)
		url     string // overrides the server's
		timeout time.Duration
		ctx     func() context.Context
	}{
		{name: "should redact a StatusError that echoes URL, header and body", handler: echo(500, nil)},
		{name: "should redact a 400 echo", handler: echo(400, nil)},
		{name: "should redact a RateLimitError", handler: echo(429, http.Header{"Retry-After": {"86400"}})},
		{name: "should redact an exhausted RateLimitError", handler: echo(429, http.Header{"Retry-After": {"1"}})},
		{name: "should redact a network error", url: closedURL},
		{name: "should redact a timeout", timeout: 10 * time.Millisecond, handler: func(n int, w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body) // the server notices a closed connection only after the body
			select {
			case <-r.Context().Done():
			case <-hang:
			}
		}},
		{name: "should redact a cancelled request", handler: echo(200, nil), ctx: func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := tc.url
			if base == "" {
				base = newServer(t, tc.handler).URL
			}
			h := newHarness(t, func(o *connector.HTTPOptions) {
				o.Secrets = []string{tok}
				o.MaxRetries = 1
				o.Timeout = tc.timeout
			})
			ctx := context.Background()
			if tc.ctx != nil {
				ctx = tc.ctx()
			}
			target := base + "/rest/api/3/user/" + tok + "?jql=" + url.QueryEscape("assignee = "+tok) + "&token=" + tok
			newReq := func() *http.Request {
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(`{"token":"`+tok+`"}`))
				req.Header.Set("Authorization", auth)
				return req
			}

			// The transport's own errors.
			tr := connector.NewTransport(connector.HTTPOptions{
				Secrets: []string{tok}, MaxRetries: 1, Timeout: tc.timeout, Clock: h.clock,
				Notify: h.notices.add, Jitter: func(time.Duration) time.Duration { return 0 },
			})
			resp, err := tr.RoundTrip(newReq())
			if err != nil {
				check(t, "transport error", err.Error())
			} else {
				check(t, "status error", connector.NewStatusError(resp, []string{tok}).Error())
			}

			// Through the client: net/http's *url.Error repeats the
			// full URL, query included; RedactError cleans it.
			resp, err = h.client.Do(newReq())
			if err != nil {
				check(t, "client error", connector.RedactError(err, []string{tok}).Error())
				var ue *url.Error
				if !errors.As(err, &ue) {
					t.Errorf("client error %T, want *url.Error inside", err)
				}
				check(t, "inner error", ue.Err.Error())
			} else {
				check(t, "status error", connector.NewStatusError(resp, []string{tok}).Error())
			}
			for _, n := range h.notices.all() {
				check(t, "notice", n.Message+fmt.Sprint(n.Fields))
			}
		})
	}
}

func TestRedactErrorKeepsChain(t *testing.T) {
	t.Run("should keep errors.Is and Timeout through redaction", func(t *testing.T) {
		inner := &url.Error{Op: "Get", URL: "https://x/?t=s3cr3t", Err: context.DeadlineExceeded}
		err := connector.RedactError(fmt.Errorf("fetch issues: %w", inner), []string{"s3cr3t"})
		if !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("err = %v", err)
		}
		var te interface{ Timeout() bool }
		if !errors.As(err, &te) || !te.Timeout() {
			t.Error("Timeout() lost")
		}
		if connector.RedactError(nil, nil) != nil {
			t.Error("RedactError(nil) != nil")
		}
	})
}
