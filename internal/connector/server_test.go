package connector_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/connector/github"
	"github.com/pomlint/pomlint/internal/fake"
)

// epoch is where every fake clock starts.
var epoch = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// countingServer is an httptest server that numbers the requests it sees.
type countingServer struct {
	*httptest.Server
	n atomic.Int32
}

// newServer serves h, passing it the 1-based number of each request.
func newServer(t *testing.T, h func(n int, w http.ResponseWriter, r *http.Request)) *countingServer {
	t.Helper()
	s := &countingServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(int(s.n.Add(1)), w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *countingServer) requests() int { return int(s.n.Load()) }

// notices records the notices a client sends.
type notices struct {
	mu   sync.Mutex
	list []connector.Notice
}

func (n *notices) add(x connector.Notice) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.list = append(n.list, x)
}

func (n *notices) all() []connector.Notice {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]connector.Notice(nil), n.list...)
}

// harness is one client under test with its clock and notices.
type harness struct {
	clock   *fake.Clock
	notices *notices
	client  *http.Client
}

// newHarness builds a client with a fake clock, jitter that always takes the
// full backoff (so waits are deterministic) and recorded notices; edit
// adjusts the options first.
func newHarness(t *testing.T, edit func(*connector.HTTPOptions)) *harness {
	t.Helper()
	h := &harness{clock: fake.NewClock(epoch), notices: &notices{}}
	o := connector.HTTPOptions{
		Clock:  h.clock,
		Notify: h.notices.add,
		Source: "gh",
		Jitter: func(max time.Duration) time.Duration { return max },
		// The recorded answers are GitHub's: read their rate limits (the
		// resource, the secondary limit) as the GitHub connector does.
		RateLimits: github.RateLimits,
	}
	if edit != nil {
		edit(&o)
	}
	h.client = connector.NewHTTPClient(o)
	return h
}

// get sends a GET and returns status and body; err when the client failed.
func (h *harness) get(ctx context.Context, url string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func assertRequests(t *testing.T, s *countingServer, want int) {
	t.Helper()
	if got := s.requests(); got != want {
		t.Errorf("server saw %d requests, want %d", got, want)
	}
}

func assertSleeps(t *testing.T, c *fake.Clock, want ...time.Duration) {
	t.Helper()
	got := c.Sleeps()
	if len(got) != len(want) {
		t.Fatalf("slept %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("slept %v, want %v", got, want)
		}
	}
}

func assertContains(t *testing.T, s, sub string) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Errorf("%q does not contain %q", s, sub)
	}
}
