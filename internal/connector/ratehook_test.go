package connector_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/connector"
)

// TestRateLimitHook proves the transport reads rate limits only through the
// source's RateLimitHeaders: without GitHub's, a 403 that words itself like a
// secondary limit is a permission answer, and no budget is split by resource.
func TestRateLimitHook(t *testing.T) {
	standard := func(o *connector.HTTPOptions) { o.RateLimits = nil }
	t.Run("should not wait on a secondary-limit body without a tracker that has one", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit."}`)
		})
		h := newHarness(t, standard)
		if status, _, err := h.get(context.Background(), s.URL+"/x"); err != nil || status != http.StatusForbidden {
			t.Fatalf("got %d %v, want the 403 back", status, err)
		}
		assertRequests(t, s, 1)
	})
	t.Run("should record the standard budget without a resource", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Limit", "100")
			w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(100-n))
			w.Header().Set("X-RateLimit-Resource", "core")
		})
		h := newHarness(t, standard)
		if _, _, err := h.get(context.Background(), s.URL+"/x"); err != nil {
			t.Fatal(err)
		}
		host := strings.TrimPrefix(s.URL, "http://")
		if rl, ok := connector.RateState(h.client, host, ""); !ok || rl.Resource != "" || rl.Remaining != 99 {
			t.Fatalf("rate state = %+v, %v", rl, ok)
		}
	})
	t.Run("should let a tracker's hook decide", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusTooManyRequests)
				fmt.Fprint(w, `{"error":"slow down"}`)
			}
		})
		hook := &countingHook{}
		h := newHarness(t, func(o *connector.HTTPOptions) { o.RateLimits = hook })
		if status, _, err := h.get(context.Background(), s.URL+"/x"); err != nil || status != 200 {
			t.Fatalf("got %d %v", status, err)
		}
		if hook.secondary != 1 || hook.read < 2 {
			t.Fatalf("hook called %d times for secondary, %d for read", hook.secondary, hook.read)
		}
	})
}

type countingHook struct{ read, secondary int }

func (c *countingHook) Read(h http.Header) connector.RateHeaders {
	c.read++
	return connector.StandardRateLimits{}.Read(h)
}

func (c *countingHook) Secondary(int, http.Header, []byte) bool {
	c.secondary++
	return false
}
