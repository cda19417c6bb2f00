package jira

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
	"github.com/pomlint/pomlint/internal/model"
)

// goroutineTransport records the most goroutines alive at any request.
type goroutineTransport struct{ max atomic.Int64 }

func (g *goroutineTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	n := int64(runtime.NumGoroutine())
	for m := g.max.Load(); n > m && !g.max.CompareAndSwap(m, n); m = g.max.Load() {
	}
	return http.DefaultTransport.RoundTrip(req)
}

func TestDataCenterResultWindow(t *testing.T) {
	tests := []struct {
		name string
		data func() (fake.JiraData, int)
		jql  string
	}{
		{name: "should read 12,000 issues of two projects past the 10,000 window", jql: "project in (P1, P2)",
			data: func() (fake.JiraData, int) { return fake.JiraGenerate(2, 6000), 12000 }},
		{name: "should read one project of 10,667 issues with gaps and moved keys past the window", jql: "project = P1",
			data: func() (fake.JiraData, int) { return gapData(1, 16000, false) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, want := tt.data()
			h := newHarness(t, setup{mode: fake.JiraDataCenter, deployment: DeploymentDataCenter, data: &data, jql: tt.jql, strictFake: true})
			items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
			if err != nil || len(items) != want || len(byKey(items)) != want {
				t.Fatalf("got %d items (%d keys) err %v, want %d", len(items), len(byKey(items)), err, want)
			}
			floor := (want + 98) / 99
			if got := h.srv.RequestsTo("/rest/api/2/search"); float64(got) > 1.05*float64(floor) {
				t.Errorf("%d search requests, want about %d", got, floor)
			}
		})
	}
}

func TestDataCenterSmallerWindow(t *testing.T) {
	t.Run("should read in smaller windows when the admin set a window below 10,000", func(t *testing.T) {
		data := fake.JiraGenerate(2, 1300)
		h := newHarness(t, setup{mode: fake.JiraDataCenter, deployment: DeploymentDataCenter, data: &data, jql: "project in (P1, P2)",
			opts: []fake.JiraOption{fake.WithJiraResultWindow(1000)}})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil || len(items) != 2600 || len(byKey(items)) != 2600 {
			t.Fatalf("got %d items (%d keys) err %v, want 2600", len(items), len(byKey(items)), err)
		}
		if !hasNotice(h, "smaller windows") {
			t.Error("no notice of the smaller window")
		}
	})
	t.Run("should show Jira's message when the search limit is exceeded", func(t *testing.T) {
		data := fake.JiraGenerate(1, 300)
		h := newHarness(t, setup{mode: fake.JiraDataCenter, deployment: DeploymentDataCenter, data: &data, jql: "project = P1",
			opts: []fake.JiraOption{fake.WithJiraResultWindow(50)}})
		_, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err == nil || !strings.Contains(err.Error(), "Search limit exceeded") {
			t.Errorf("err = %v, want Jira's message", err)
		}
	})
}

func TestDataCenterWindowStart(t *testing.T) {
	t.Run("should start the next window after an earlier issue when the last one read was deleted", func(t *testing.T) {
		data := fake.JiraGenerate(1, 2500)
		var srv *fake.Jira
		// The last issue of the first window (pages 0..891 of 100) is
		// P1-991; it disappears just before the second window asks for
		// the issues after it.
		hook := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if strings.Contains(r.URL.Query().Get("jql"), `issuekey > "P1-991"`) {
				srv.UpdateIssue("P1-991", func(is *fake.JiraIssue) { is.Hidden = true })
			}
			return http.DefaultTransport.RoundTrip(r)
		})
		h := newHarness(t, setup{mode: fake.JiraDataCenter, deployment: DeploymentDataCenter, data: &data, jql: "project = P1", transport: hook,
			opts: []fake.JiraOption{fake.WithJiraResultWindow(1000)}})
		srv = h.srv
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil {
			t.Fatalf("Fetch: %v", err)
		}
		wantKeys(t, items, "P1", 1, 2500)
		var after []string
		for _, q := range h.srv.Queries() {
			if strings.Contains(q, "issuekey >") && !slices.Contains(after, q) {
				after = append(after, q)
			}
		}
		if len(after) < 2 || !strings.Contains(after[1], `issuekey > "P1-990"`) {
			t.Errorf("window queries %q, want one after P1-990 once P1-991 was refused", after)
		}
	})
}

func TestBoundedPaging(t *testing.T) {
	tests := []struct {
		name   string
		mode   fake.JiraMode
		faults fake.JiraFaults
		want   []string
	}{
		{name: "should stop Cloud paging that hands out fresh nextPageTokens over the same issues", mode: fake.JiraCloud,
			faults: fake.JiraFaults{FreshTokens: true}, want: []string{"brought no issue not already read", `source "jira"`}},
		{name: "should stop on a Data Center total of two billion", mode: fake.JiraDataCenter,
			faults: fake.JiraFaults{DCTotal: 2_000_000_000}, want: []string{"2000000000 issues Jira reported", "changed again"}},
		{name: "should stop on Data Center pages that repeat the issues already read", mode: fake.JiraDataCenter,
			faults: fake.JiraFaults{IgnoreStartAt: true}, want: []string{"brings no issue after"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := fake.JiraGenerate(1, 450)
			gt := &goroutineTransport{}
			dep := DeploymentCloud
			if tt.mode == fake.JiraDataCenter {
				dep = DeploymentDataCenter
			}
			h := newHarness(t, setup{mode: tt.mode, deployment: dep, data: &data, jql: "project = P1", faults: tt.faults, transport: gt})
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			start := time.Now()
			items, err := h.conn.Fetch(ctx, connector.FetchOptions{})
			if err == nil {
				t.Fatalf("got %d items and no error", len(items))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v\nwant it to contain %q", err, w)
				}
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			// The connector's streams, plus two transport goroutines and
			// one fake server goroutine per connection.
			t.Logf("%d goroutines at most, %d requests, %v", gt.max.Load(), h.srv.Requests(), time.Since(start))
			if n := gt.max.Load(); n > 120 {
				t.Errorf("%d goroutines at once, want a bound set by concurrency", n)
			}
			if got := h.srv.Requests(); got > 500 {
				t.Errorf("%d requests", got)
			}
		})
	}
}

// repeatingPages serves the first page of group members and changelogs
// whatever startAt asks, saying it is not the last of two billion.
func repeatingPages() http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !strings.HasSuffix(r.URL.Path, "/group/member") && !strings.HasSuffix(r.URL.Path, "/changelog") {
			return http.DefaultTransport.RoundTrip(r)
		}
		r = r.Clone(r.Context())
		q := r.URL.Query()
		q.Set("startAt", "0")
		r.URL.RawQuery = q.Encode()
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var m map[string]json.RawMessage
		if json.Unmarshal(b, &m) == nil {
			m["isLast"], m["total"] = json.RawMessage("false"), json.RawMessage("2000000000")
			b, _ = json.Marshal(m)
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Del("Content-Length")
		return resp, nil
	})
}

func TestBoundedSubPaging(t *testing.T) {
	t.Run("should stop group member pages that repeat the members already read", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentCloud, transport: repeatingPages(),
			opts: []fake.JiraOption{fake.WithJiraPageCap(100, 1, 100)}})
		_, err := h.conn.ImportRoster(context.Background(), config.RosterImport{ImportKey: map[string]string{"product-owners": "product-owner"}})
		if err == nil || !strings.Contains(err.Error(), "repeats only members already read") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("should stop changelog pages that repeat the entries already read", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentCloud, transport: repeatingPages(),
			opts: []fake.JiraOption{fake.WithJiraPageCap(100, 50, 2)}})
		_, err := h.conn.History(context.Background(), []model.Item{{Key: "PAY-3"}}, time.Time{}, time.Time{})
		if err == nil || !strings.Contains(err.Error(), "repeats only entries already read") {
			t.Errorf("err = %v", err)
		}
	})
}
