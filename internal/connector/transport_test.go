package connector_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
)

func TestTransportRetriesTransientFailures(t *testing.T) {
	t.Run("should retry 502 then succeed", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				http.Error(w, "bad gateway", http.StatusBadGateway)
				return
			}
			fmt.Fprint(w, `{"ok":true}`)
		})
		h := newHarness(t, nil)
		status, body, err := h.get(context.Background(), s.URL+"/repos/acme/pay/issues")
		if err != nil || status != 200 || body != `{"ok":true}` {
			t.Fatalf("got %d %q %v, want 200", status, body, err)
		}
		assertRequests(t, s, 2)
		assertSleeps(t, h.clock, time.Second)
		ns := h.notices.all()
		if len(ns) != 1 || ns[0].Level != "warn" || ns[0].Source != "gh" {
			t.Fatalf("notices = %+v, want one warn from gh", ns)
		}
		assertContains(t, ns[0].Message, "get /repos/acme/pay/issues: 502 bad gateway; retrying in 1s (retry 1 of 4)")
	})

	for _, status := range []int{500, 502, 503, 504} {
		t.Run(fmt.Sprintf("should give up after MaxRetries %d answers with the real last response", status), func(t *testing.T) {
			s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				fmt.Fprintf(w, `{"message":"attempt %d failed"}`, n)
			})
			h := newHarness(t, func(o *connector.HTTPOptions) { o.MaxRetries = 3 })
			req, _ := http.NewRequest(http.MethodGet, s.URL+"/rest/api/3/search/jql?jql=project%3DPAY", nil)
			resp, err := h.client.Do(req)
			if err != nil {
				t.Fatalf("Do: %v, want the last response", err)
			}
			serr := connector.NewStatusError(resp, nil)
			want := fmt.Sprintf(`get /rest/api/3/search/jql: %d %s: {"message":"attempt 4 failed"}`, status, strings.ToLower(http.StatusText(status)))
			if serr.Error() != want {
				t.Errorf("error = %q, want %q", serr, want)
			}
			assertRequests(t, s, 4)
			// Full jitter with the jitter at its ceiling: 1s, 2s, 4s.
			assertSleeps(t, h.clock, time.Second, 2*time.Second, 4*time.Second)
		})
	}

	t.Run("should cap the backoff at 30s", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
		})
		h := newHarness(t, func(o *connector.HTTPOptions) { o.MaxRetries = 7 })
		if status, _, err := h.get(context.Background(), s.URL); err != nil || status != 503 {
			t.Fatalf("got %d %v, want 503", status, err)
		}
		assertRequests(t, s, 8)
		assertSleeps(t, h.clock, 1*time.Second, 2*time.Second, 4*time.Second, 8*time.Second, 16*time.Second, 30*time.Second, 30*time.Second)
	})

	t.Run("should draw the backoff from the jitter source", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n < 3 {
				w.WriteHeader(http.StatusInternalServerError)
			}
		})
		var ceilings []time.Duration
		h := newHarness(t, func(o *connector.HTTPOptions) {
			o.Jitter = func(max time.Duration) time.Duration { ceilings = append(ceilings, max); return max / 4 }
		})
		if status, _, err := h.get(context.Background(), s.URL); err != nil || status != 200 {
			t.Fatalf("got %d %v, want 200", status, err)
		}
		assertSleeps(t, h.clock, 250*time.Millisecond, 500*time.Millisecond)
		if len(ceilings) != 2 || ceilings[0] != time.Second || ceilings[1] != 2*time.Second {
			t.Errorf("jitter ceilings = %v, want [1s 2s]", ceilings)
		}
	})

	t.Run("should honour Retry-After on a 503", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.Header().Set("Retry-After", "12")
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		})
		h := newHarness(t, nil)
		if status, _, err := h.get(context.Background(), s.URL); err != nil || status != 200 {
			t.Fatalf("got %d %v, want 200", status, err)
		}
		assertRequests(t, s, 2)
		assertSleeps(t, h.clock, 12*time.Second)
	})

	t.Run("should retry a refused connection and give up with an error", func(t *testing.T) {
		s := newServer(t, func(int, http.ResponseWriter, *http.Request) {})
		url := s.URL
		s.Close()
		h := newHarness(t, func(o *connector.HTTPOptions) { o.MaxRetries = 2 })
		_, _, err := h.get(context.Background(), url+"/x")
		if err == nil {
			t.Fatal("want an error")
		}
		assertContains(t, err.Error(), "get /x: giving up after 3 attempts")
		assertSleeps(t, h.clock, time.Second, 2*time.Second)
	})

	t.Run("should not retry an unsupported scheme", func(t *testing.T) {
		h := newHarness(t, nil)
		if _, _, err := h.get(context.Background(), "ftp://example.invalid/x"); err == nil {
			t.Fatal("want an error")
		}
		assertSleeps(t, h.clock)
	})
}

func TestTransportDoesNotRetryClientErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{"should not retry 401", 401, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`},
		{"should not retry a permission 403", 403, `{"message":"Resource not accessible by integration"}`},
		{"should not retry 404", 404, `{"message":"Not Found"}`},
		{"should not retry 410 (Jira's retired search)", 410, `{"errorMessages":["The requested API has been removed."]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-RateLimit-Remaining", "4000")
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			})
			h := newHarness(t, nil)
			status, body, err := h.get(context.Background(), s.URL)
			if err != nil || status != tc.status || body != tc.body {
				t.Fatalf("got %d %q %v, want %d and the body unchanged", status, body, err, tc.status)
			}
			assertRequests(t, s, 1)
			assertSleeps(t, h.clock)
		})
	}
}

func TestTransportRateLimits(t *testing.T) {
	t.Run("should honour 429 Retry-After seconds", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.Header().Set("Retry-After", "7")
				w.WriteHeader(http.StatusTooManyRequests)
			}
		})
		h := newHarness(t, nil)
		if status, _, err := h.get(context.Background(), s.URL); err != nil || status != 200 {
			t.Fatalf("got %d %v, want 200", status, err)
		}
		assertRequests(t, s, 2)
		assertSleeps(t, h.clock, 7*time.Second)
		assertContains(t, h.notices.all()[0].Message, "rate limited (429 too many requests); waiting 7s before retry 1 of 6")
	})

	t.Run("should honour 429 Retry-After as an HTTP-date", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.Header().Set("Retry-After", epoch.Add(90*time.Second).Format(http.TimeFormat))
				w.WriteHeader(http.StatusTooManyRequests)
			}
		})
		h := newHarness(t, nil)
		if status, _, err := h.get(context.Background(), s.URL); err != nil || status != 200 {
			t.Fatalf("got %d %v, want 200", status, err)
		}
		assertRequests(t, s, 2)
		assertSleeps(t, h.clock, 90*time.Second)
	})

	t.Run("should wait for Jira's ISO-8601 X-RateLimit-Reset without Retry-After", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				// Atlassian's format: yyyy-MM-ddTHH:mmZ.
				w.Header().Set("X-RateLimit-Reset", epoch.Add(2*time.Minute).Format("2006-01-02T15:04Z"))
				w.Header().Set("RateLimit-Reason", "jira-burst-based")
				w.WriteHeader(http.StatusTooManyRequests)
			}
		})
		h := newHarness(t, nil)
		if status, _, err := h.get(context.Background(), s.URL); err != nil || status != 200 {
			t.Fatalf("got %d %v, want 200", status, err)
		}
		assertRequests(t, s, 2)
		assertSleeps(t, h.clock, 2*time.Minute)
	})

	t.Run("should wait for the primary reset within max-wait", func(t *testing.T) {
		reset := epoch.Add(4*time.Minute + 11*time.Second)
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Limit", "5000")
			w.Header().Set("X-RateLimit-Resource", "core")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
			if n == 1 {
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprint(w, `{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}`)
				return
			}
			w.Header().Set("X-RateLimit-Remaining", "4999")
		})
		h := newHarness(t, nil)
		if status, _, err := h.get(context.Background(), s.URL+"/repos/acme/pay/issues"); err != nil || status != 200 {
			t.Fatalf("got %d %v, want 200", status, err)
		}
		assertRequests(t, s, 2)
		assertSleeps(t, h.clock, 4*time.Minute+12*time.Second)
		ns := h.notices.all()
		if len(ns) != 1 {
			t.Fatalf("notices = %+v, want 1", ns)
		}
		assertContains(t, ns[0].Message, "rate limit exhausted; waiting 4m12s for reset at 2026-03-02T10:04:11Z")
		if ns[0].Fields["limit"] != connector.LimitPrimary {
			t.Errorf("notice fields = %v, want limit primary", ns[0].Fields)
		}
	})

	t.Run("should fail fast with RateLimitError when the reset is beyond max-wait", func(t *testing.T) {
		reset := epoch.Add(47 * time.Minute)
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
			w.WriteHeader(http.StatusTooManyRequests)
		})
		h := newHarness(t, nil)
		_, _, err := h.get(context.Background(), s.URL+"/repos/acme/pay/issues?state=open")
		var rle *connector.RateLimitError
		if !errors.As(err, &rle) || !connector.IsRateLimit(err) {
			t.Fatalf("err = %v, want a *RateLimitError", err)
		}
		if rle.Limit != connector.LimitPrimary || rle.Wait != 47*time.Minute+time.Second || !rle.Reset.Equal(reset) || rle.URL != "/repos/acme/pay/issues" {
			t.Errorf("error = %+v", rle)
		}
		want := "get /repos/acme/pay/issues: rate limit exhausted: would have to wait 47m1s for reset at 2026-03-02T10:47:00Z, longer than the maximum wait 15m0s (raise it with --max-wait)"
		if rle.Error() != want {
			t.Errorf("error = %q\nwant    %q", rle.Error(), want)
		}
		assertRequests(t, s, 1)
		assertSleeps(t, h.clock)
	})

	t.Run("should wait longer when max-wait is raised", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(epoch.Add(47*time.Minute).Unix(), 10))
				w.WriteHeader(http.StatusForbidden)
			}
		})
		h := newHarness(t, func(o *connector.HTTPOptions) { o.MaxWait = time.Hour })
		if status, _, err := h.get(context.Background(), s.URL); err != nil || status != 200 {
			t.Fatalf("got %d %v, want 200", status, err)
		}
		assertSleeps(t, h.clock, 47*time.Minute+time.Second)
	})

	t.Run("should treat a 403 secondary-limit body as a wait of at least a minute", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n <= 2 {
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`)
			}
		})
		h := newHarness(t, nil)
		if status, _, err := h.get(context.Background(), s.URL+"/graphql"); err != nil || status != 200 {
			t.Fatalf("got %d %v, want 200", status, err)
		}
		assertRequests(t, s, 3)
		// A minute, then exponentially more.
		assertSleeps(t, h.clock, time.Minute, 2*time.Minute)
		assertContains(t, h.notices.all()[0].Message, "secondary rate limit hit; waiting 1m0s before retry 1 of 6 (get /graphql)")
	})

	t.Run("should wait for X-RateLimit-Reset on a secondary limit with X-RateLimit-Remaining 0", func(t *testing.T) {
		// GitHub's docs: for a secondary limit, "if the x-ratelimit-remaining
		// header is 0, you should not retry your request until after the
		// time ... specified by the x-ratelimit-reset header".
		reset := epoch.Add(7*time.Minute + 30*time.Second)
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.Header().Set("X-RateLimit-Limit", "5000")
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`)
			}
		})
		h := newHarness(t, nil)
		if status, _, err := h.get(context.Background(), s.URL+"/repos/acme/pay/issues"); err != nil || status != 200 {
			t.Fatalf("got %d %v, want 200", status, err)
		}
		assertRequests(t, s, 2)
		assertSleeps(t, h.clock, 7*time.Minute+31*time.Second)
		ns := h.notices.all()
		assertContains(t, ns[0].Message, "secondary rate limit hit; waiting 7m31s for reset at 2026-03-02T10:07:30Z")
		if ns[0].Fields["limit"] != connector.LimitSecondary {
			t.Errorf("notice fields = %v, want limit secondary", ns[0].Fields)
		}
	})

	t.Run("should fail fast on a secondary limit whose X-RateLimit-Reset is beyond max-wait", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(epoch.Add(40*time.Minute).Unix(), 10))
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit."}`)
		})
		h := newHarness(t, nil)
		_, _, err := h.get(context.Background(), s.URL)
		var rle *connector.RateLimitError
		if !errors.As(err, &rle) || rle.Limit != connector.LimitSecondary || rle.Wait != 40*time.Minute+time.Second {
			t.Fatalf("err = %v, want a secondary *RateLimitError of 40m1s", err)
		}
		assertRequests(t, s, 1)
		assertSleeps(t, h.clock)
	})

	t.Run("should treat GitHub's older abuse message as a secondary limit", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprint(w, `{"message":"You have triggered an abuse detection mechanism. Please wait a few minutes before you try again."}`)
			}
		})
		h := newHarness(t, nil)
		if status, _, err := h.get(context.Background(), s.URL); err != nil || status != 200 {
			t.Fatalf("got %d %v, want 200", status, err)
		}
		assertSleeps(t, h.clock, time.Minute)
	})

	t.Run("should honour Retry-After on a 403 secondary limit", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.Header().Set("Retry-After", "30")
				w.WriteHeader(http.StatusForbidden)
				fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit."}`)
			}
		})
		h := newHarness(t, nil)
		if status, _, err := h.get(context.Background(), s.URL); err != nil || status != 200 {
			t.Fatalf("got %d %v, want 200", status, err)
		}
		assertRequests(t, s, 2)
		assertSleeps(t, h.clock, 30*time.Second)
	})

	t.Run("should fail with RateLimitError when Retry-After exceeds max-wait", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusServiceUnavailable)
		})
		h := newHarness(t, nil)
		_, _, err := h.get(context.Background(), s.URL+"/rest/api/3/myself")
		var rle *connector.RateLimitError
		if !errors.As(err, &rle) || rle.Limit != connector.LimitRetryAfter || rle.Wait != time.Hour {
			t.Fatalf("err = %v, want a retry-after *RateLimitError of 1h", err)
		}
		assertRequests(t, s, 1)
		assertSleeps(t, h.clock)
	})

	t.Run("should end an always-429 server in a RateLimitError after bounded retries", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "5")
			w.WriteHeader(http.StatusTooManyRequests)
		})
		h := newHarness(t, nil)
		_, _, err := h.get(context.Background(), s.URL+"/rest/api/3/search/jql")
		var rle *connector.RateLimitError
		if !errors.As(err, &rle) || !rle.Exhausted || rle.Retries != connector.DefaultMaxRateLimitRetries {
			t.Fatalf("err = %v, want an exhausted *RateLimitError", err)
		}
		assertContains(t, err.Error(), "get /rest/api/3/search/jql: rate limited (429): still limited after 6 retries")
		assertRequests(t, s, 7)
		assertSleeps(t, h.clock, 5*time.Second, 5*time.Second, 5*time.Second, 5*time.Second, 5*time.Second, 5*time.Second)
	})

	t.Run("should back off on a 429 with no hint", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n <= 3 {
				w.WriteHeader(http.StatusTooManyRequests)
			}
		})
		h := newHarness(t, func(o *connector.HTTPOptions) {
			o.Jitter = func(time.Duration) time.Duration { return 0 }
		})
		if status, _, err := h.get(context.Background(), s.URL); err != nil || status != 200 {
			t.Fatalf("got %d %v, want 200", status, err)
		}
		// Never less than a second, however small the jitter.
		assertSleeps(t, h.clock, time.Second, time.Second, time.Second)
	})

	t.Run("should count rate-limit retries apart from transient ones", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			switch n {
			case 1, 3:
				w.WriteHeader(http.StatusBadGateway)
			case 2:
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
			}
		})
		h := newHarness(t, func(o *connector.HTTPOptions) { o.MaxRetries = 2; o.MaxRateLimitRetries = 1 })
		if status, _, err := h.get(context.Background(), s.URL); err != nil || status != 200 {
			t.Fatalf("got %d %v, want 200", status, err)
		}
		assertRequests(t, s, 4)
		assertSleeps(t, h.clock, time.Second, time.Second, 2*time.Second)
	})
}

func TestTransportContext(t *testing.T) {
	t.Run("should send nothing on an already cancelled context", func(t *testing.T) {
		s := newServer(t, func(int, http.ResponseWriter, *http.Request) {})
		h := newHarness(t, nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, _, err := h.get(ctx, s.URL)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		assertRequests(t, s, 0)
	})

	t.Run("should stop at once when the context is cancelled during an attempt", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			cancel()
			w.WriteHeader(http.StatusBadGateway)
		})
		h := newHarness(t, nil)
		_, _, err := h.get(ctx, s.URL)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		assertRequests(t, s, 1)
		assertSleeps(t, h.clock)
		if ns := h.notices.all(); len(ns) != 0 {
			t.Errorf("notices = %+v, want none", ns)
		}
	})

	t.Run("should stop at once when the context is cancelled during a rate-limit wait", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "60")
			w.WriteHeader(http.StatusTooManyRequests)
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		h := newHarness(t, func(o *connector.HTTPOptions) {
			o.Notify = func(connector.Notice) { cancel() } // the user presses ^C while we wait
		})
		_, _, err := h.get(ctx, s.URL)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		assertRequests(t, s, 1)
		assertSleeps(t, h.clock)
	})

	t.Run("should time out a hanging attempt and retry it", func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				select { // hang until the client gives up on the attempt
				case <-r.Context().Done():
				case <-release:
				}
				return
			}
			fmt.Fprint(w, "late but fine")
		})
		h := newHarness(t, func(o *connector.HTTPOptions) { o.Timeout = 50 * time.Millisecond })
		status, body, err := h.get(context.Background(), s.URL+"/rest/api/3/serverInfo")
		if err != nil || status != 200 || body != "late but fine" {
			t.Fatalf("got %d %q %v, want 200", status, body, err)
		}
		assertRequests(t, s, 2)
		assertSleeps(t, h.clock, time.Second)
		assertContains(t, h.notices.all()[0].Message, "attempt timed out after 50ms")
	})

	t.Run("should report a timeout when every attempt hangs", func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		})
		h := newHarness(t, func(o *connector.HTTPOptions) { o.Timeout = 20 * time.Millisecond; o.MaxRetries = 1 })
		_, _, err := h.get(context.Background(), s.URL+"/x")
		if err == nil {
			t.Fatal("want an error")
		}
		assertContains(t, err.Error(), "get /x: giving up after 2 attempts: attempt timed out after 20ms")
		var te interface{ Timeout() bool }
		if !errors.As(err, &te) || !te.Timeout() {
			t.Errorf("err = %v, want Timeout() true", err)
		}
		assertRequests(t, s, 2)
	})
}

func TestTransportReplaysBodies(t *testing.T) {
	const query = `{"query":"query { organization(login: \"acme\") { projectV2(number: 7) { title } } }"}`
	for _, tc := range []struct {
		name string
		body func() io.Reader
	}{
		{"should replay a POST body with GetBody on retry", func() io.Reader { return strings.NewReader(query) }},
		{"should buffer and replay a POST body without GetBody", func() io.Reader { return io.MultiReader(bytes.NewBufferString(query)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				got = append(got, r.Method+" "+string(b))
				if n == 1 {
					w.WriteHeader(http.StatusBadGateway)
				}
			})
			h := newHarness(t, nil)
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/graphql", tc.body())
			resp, err := h.client.Do(req)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("Do: %v %v, want 200", resp, err)
			}
			resp.Body.Close()
			assertRequests(t, s, 2)
			want := "POST " + query
			if len(got) != 2 || got[0] != want || got[1] != want {
				t.Errorf("server saw %q, want the body twice", got)
			}
		})
	}
}

func TestRateState(t *testing.T) {
	t.Run("should expose the last primary state per host and resource", func(t *testing.T) {
		reset := epoch.Add(30 * time.Minute)
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Limit", "5000")
			w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(5000-n))
			w.Header().Set("X-RateLimit-Used", strconv.Itoa(n))
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
			w.Header().Set("X-RateLimit-Resource", r.URL.Query().Get("resource"))
		})
		h := newHarness(t, nil)
		host := strings.TrimPrefix(s.URL, "http://")
		if _, ok := connector.RateState(h.client, host, "core"); ok {
			t.Fatal("state before any request")
		}
		h.get(context.Background(), s.URL+"?resource=core")
		h.get(context.Background(), s.URL+"?resource=graphql")
		core, ok := connector.RateState(h.client, host, "core")
		want := connector.RateLimit{Host: host, Resource: "core", Limit: 5000, Remaining: 4999, Used: 1, Reset: reset, Seen: epoch}
		if !ok || core != want {
			t.Errorf("core = %+v, want %+v", core, want)
		}
		latest, ok := connector.RateState(h.client, host, "")
		if !ok || latest.Resource != "graphql" || latest.Remaining != 4998 {
			t.Errorf("latest = %+v, want graphql with 4998 left", latest)
		}
	})
}

func TestWithoutTransientRetries(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status []int
		want   int // requests the server sees
		code   int // final status
	}{
		{"should not repeat a write after a 502", []int{502, 201}, 1, 502},
		{"should still wait out a rate limit and retry", []int{429, 201}, 2, 201},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1)) - 1
				if tc.status[i] == 429 {
					w.Header().Set("Retry-After", "1")
				}
				w.WriteHeader(tc.status[i])
			}))
			defer srv.Close()
			c := connector.NewHTTPClient(connector.HTTPOptions{Clock: fake.NewClock(time.Unix(0, 0))})
			req, _ := http.NewRequestWithContext(connector.WithoutTransientRetries(context.Background()), http.MethodPost, srv.URL, strings.NewReader("{}"))
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if int(n.Load()) != tc.want || resp.StatusCode != tc.code {
				t.Fatalf("server saw %d requests, final status %d; want %d and %d", n.Load(), resp.StatusCode, tc.want, tc.code)
			}
		})
	}
}

func TestRedirectsStayOnOrigin(t *testing.T) {
	var foreign atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { foreign.Add(1) }))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved":
			http.Redirect(w, r, "/here", http.StatusMovedPermanently)
		case "/away":
			http.Redirect(w, r, other.URL+"/x", http.StatusFound)
		default:
			w.WriteHeader(http.StatusOK)
		}
	}))
	defer api.Close()
	c := connector.NewHTTPClient(connector.HTTPOptions{Clock: fake.NewClock(time.Unix(0, 0))})
	t.Run("should follow a redirect within the API", func(t *testing.T) {
		resp, err := c.Get(api.URL + "/moved")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("resp %v err %v", resp, err)
		}
		resp.Body.Close()
	})
	t.Run("should refuse a redirect to another host", func(t *testing.T) {
		_, err := c.Get(api.URL + "/away")
		if err == nil || !strings.Contains(err.Error(), "refused a redirect") || foreign.Load() != 0 {
			t.Fatalf("err %v, foreign requests %d", err, foreign.Load())
		}
	})
}
