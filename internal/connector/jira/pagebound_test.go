package jira

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
)

// endlessPages makes the fake's Cloud search never end: every page is the
// fake's first page with fresh keys and a fresh nextPageToken, so neither
// the stale-page nor the repeated-token guard stops it. Approximate counts
// are the fake's own (450 here).
func endlessPages(searches *atomic.Int64) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !strings.HasSuffix(r.URL.Path, "/search/jql") {
			return http.DefaultTransport.RoundTrip(r)
		}
		n := searches.Add(1)
		r = r.Clone(r.Context())
		q := r.URL.Query()
		q.Del("nextPageToken")
		r.URL.RawQuery = q.Encode()
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var page map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
			return nil, err
		}
		issues, _ := page["issues"].([]any)
		for i, is := range issues {
			m := is.(map[string]any)
			m["key"] = fmt.Sprintf("P1-%d", 1_000_000+int(n)*1000+i)
			m["id"] = strconv.Itoa(int(n)*1000 + i)
		}
		page["isLast"], page["nextPageToken"] = false, fmt.Sprintf("t%d", n)
		b, _ := json.Marshal(page)
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Del("Content-Length")
		return resp, nil
	})
}

func TestCloudStreamBound(t *testing.T) {
	t.Run("should stop a stream that pages far past Jira's approximate count", func(t *testing.T) {
		data := fake.JiraGenerate(1, 450)
		var searches atomic.Int64
		h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentCloud, data: &data, jql: "project = P1",
			concurrency: 1, transport: endlessPages(&searches)})
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		items, err := h.conn.Fetch(ctx, connector.FetchOptions{})
		if err == nil {
			t.Fatalf("got %d items and no error", len(items))
		}
		for _, w := range []string{"Jira counts about 450 issues", "19 pages at most", `source "jira"`, "does not end"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("err = %v\nwant it to contain %q", err, w)
			}
		}
		if n := searches.Load(); n != countAfterPages {
			t.Errorf("%d search pages read, want %d (the count is asked then, and already exceeded)", n, countAfterPages)
		}
	})
	t.Run("should keep the ceiling without a count at 500,000 issues, as GitHub's", func(t *testing.T) {
		if maxStreamPages*pageSize > 500_000 {
			t.Errorf("ceiling %d pages of %d: more than 500,000 issues", maxStreamPages, pageSize)
		}
	})
}
