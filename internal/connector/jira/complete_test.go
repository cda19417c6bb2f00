package jira

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
	"github.com/pomlint/pomlint/internal/model"
)

// hookTransport calls after once the answer to a request matching match has
// arrived, before the client reads it: the next requests see the change.
type hookTransport struct {
	match func(*http.Request) bool
	after func(n int) // n counts the matching answers, from 1
	n     atomic.Int64
	edit  func(*http.Request, map[string]json.RawMessage)
}

func (h *hookTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || h.match == nil || !h.match(req) {
		return resp, err
	}
	if h.edit != nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var m map[string]json.RawMessage
		if json.Unmarshal(b, &m) == nil {
			h.edit(req, m)
			b, _ = json.Marshal(m)
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Del("Content-Length")
	}
	if h.after != nil {
		h.after(int(h.n.Add(1)))
	}
	return resp, nil
}

func dcPage(start string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		return r.URL.Path == "/rest/api/2/search" && r.URL.Query().Get("startAt") == start
	}
}

func closeIssue(is *fake.JiraIssue) { is.Status, is.StatusCategory = "Done", "done" }

func wantKeys(t *testing.T, items []model.Item, project string, from, to int, except ...string) {
	t.Helper()
	k := byKey(items)
	skip := map[string]bool{}
	for _, e := range except {
		skip[e] = true
	}
	for n := from; n <= to; n++ {
		key := fmt.Sprintf("%s-%d", project, n)
		if _, ok := k[key]; !ok && !skip[key] {
			t.Errorf("%s missing", key)
		}
	}
}

func TestDataCenterPagingIsComplete(t *testing.T) {
	t.Run("should read again and miss no issue when an issue leaves the JQL mid-run", func(t *testing.T) {
		data := fake.JiraGenerate(1, 250)
		var srv *fake.Jira
		hook := &hookTransport{match: dcPage("0"), after: func(n int) {
			if n == 1 { // P1-5, on page 1, is closed once page 1 was read
				srv.UpdateIssue("P1-5", closeIssue)
			}
		}}
		h := newHarness(t, setup{mode: fake.JiraDataCenter, deployment: DeploymentDataCenter, data: &data, jql: "project = P1 AND statusCategory != Done", transport: hook})
		srv = h.srv
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil {
			t.Fatalf("Fetch: %v", err)
		}
		if len(items) != 249 || byKey(items)["P1-5"].Key != "" {
			t.Errorf("got %d items (P1-5 present: %v), want the 249 open issues", len(items), byKey(items)["P1-5"].Key != "")
		}
		wantKeys(t, items, "P1", 1, 250, "P1-5")
		if !hasNotice(h, "reading it again") {
			t.Errorf("no notice of the second read: %+v", h.notes)
		}
	})
	t.Run("should fail, with the items read, when the result keeps changing", func(t *testing.T) {
		data := fake.JiraGenerate(1, 250)
		var srv *fake.Jira
		hook := &hookTransport{match: dcPage("0"), after: func(n int) { srv.UpdateIssue(fmt.Sprintf("P1-%d", n), closeIssue) }}
		h := newHarness(t, setup{mode: fake.JiraDataCenter, deployment: DeploymentDataCenter, data: &data, jql: "statusCategory != Done", transport: hook})
		srv = h.srv
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err == nil || !strings.Contains(err.Error(), "changed again on the second read") || !strings.Contains(err.Error(), "may have been skipped") {
			t.Fatalf("got %d items, err %v; want an error saying the result kept changing", len(items), err)
		}
		if len(items) == 0 {
			t.Error("want the items read so far with the error")
		}
	})
	t.Run("should fail when a page does not continue the one before it (reviewer repro)", func(t *testing.T) {
		// The second page loses its first issue, as if an issue of page
		// 1 had been closed before it was read, on every read.
		data := fake.JiraGenerate(1, 250)
		hook := &hookTransport{match: dcPage("99"), edit: func(_ *http.Request, m map[string]json.RawMessage) {
			var issues []json.RawMessage
			_ = json.Unmarshal(m["issues"], &issues)
			m["issues"], _ = json.Marshal(issues[1:])
		}}
		h := newHarness(t, setup{mode: fake.JiraDataCenter, data: &data, jql: "project = P1", transport: hook})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err == nil {
			t.Fatalf("got %d of 250 items and no error", len(items))
		}
	})
	t.Run("should read on when issues join the JQL mid-run", func(t *testing.T) {
		data := fake.JiraGenerate(1, 299)
		data.Issues[2].Status, data.Issues[2].StatusCategory = "Done", "done" // P1-3
		var srv *fake.Jira
		hook := &hookTransport{match: dcPage("0"), after: func(n int) {
			if n == 1 {
				srv.UpdateIssue("P1-3", func(is *fake.JiraIssue) { is.Status, is.StatusCategory = "To Do", "new" })
			}
		}}
		h := newHarness(t, setup{mode: fake.JiraDataCenter, deployment: DeploymentDataCenter, data: &data, jql: "statusCategory != Done", transport: hook})
		srv = h.srv
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil {
			t.Fatalf("Fetch: %v", err)
		}
		wantKeys(t, items, "P1", 1, 299, "P1-3")
		// Pages at 0, 99, 198 (the last now short of the new total), then 297.
		if got := h.srv.RequestsTo("/rest/api/2/search"); got != 4 {
			t.Errorf("%d search requests, want 4", got)
		}
	})
	t.Run("should search in key order whatever ORDER BY the JQL has", func(t *testing.T) {
		data := fake.JiraGenerate(1, 250)
		h := newHarness(t, setup{mode: fake.JiraDataCenter, data: &data, jql: "project = P1 ORDER BY updated DESC, Rank"})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil || len(items) != 250 {
			t.Fatalf("got %d items err %v", len(items), err)
		}
		for _, q := range h.srv.Queries() {
			if q != "project = P1 ORDER BY key ASC" {
				t.Errorf("query %q, want the JQL ORDER BY key ASC", q)
			}
		}
	})
	t.Run("should page by the issues returned when the server returns fewer than the maxResults it reports", func(t *testing.T) {
		// The answer says maxResults 50 but holds 40 issues.
		data := fake.JiraGenerate(1, 250)
		h := newHarness(t, setup{mode: fake.JiraDataCenter, data: &data, jql: "project = P1", opts: []fake.JiraOption{fake.WithJiraPageCap(50, 50, 100), fake.WithJiraSilentPageCap(40)}})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil || len(items) != 250 {
			t.Fatalf("got %d items err %v, want 250", len(items), err)
		}
		wantKeys(t, items, "P1", 1, 250)
	})
	t.Run("should fail when the first page is empty but the total is not", func(t *testing.T) {
		data := fake.JiraGenerate(1, 250)
		hook := &hookTransport{match: dcPage("0"), edit: func(_ *http.Request, m map[string]json.RawMessage) { m["issues"] = json.RawMessage("[]") }}
		h := newHarness(t, setup{mode: fake.JiraDataCenter, data: &data, jql: "project = P1", transport: hook})
		_, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err == nil || !strings.Contains(err.Error(), "reports 250 issues but returned 0") {
			t.Errorf("err = %v, want an error", err)
		}
	})
}

func hasNotice(h *harness, text string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, n := range h.notes {
		if strings.Contains(n.Message, text) {
			return true
		}
	}
	return false
}

func TestCloudSplitIsVerified(t *testing.T) {
	t.Run("should read again in one stream when a project has issues under a second key prefix", func(t *testing.T) {
		data := fake.JiraGenerate(1, 1000)
		for n := 1; n <= 30; n++ { // kept their old keys after a project key change
			is := data.Issues[n]
			is.Key, is.ProjectKey, is.Parent = fmt.Sprintf("OLD-%d", n), "P1", ""
			data.Issues = append(data.Issues, is)
		}
		h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentCloud, data: &data, jql: "project = P1"})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil || len(items) != 1030 {
			t.Fatalf("got %d items err %v, want 1030", len(items), err)
		}
		wantKeys(t, items, "OLD", 1, 30)
		if !hasNotice(h, "may be incomplete") {
			t.Errorf("no notice of the second read")
		}
	})
	t.Run("should read again in one stream when the project list misses a project", func(t *testing.T) {
		data := fake.JiraGenerate(3, 300)
		h := newHarness(t, setup{mode: fake.JiraCloud, data: &data, jql: "statusCategory != Done", opts: []fake.JiraOption{fake.WithJiraHiddenProjects("P3")}})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil || len(items) != 900 {
			t.Fatalf("got %d items err %v, want 900", len(items), err)
		}
		wantKeys(t, items, "P3", 1, 300)
	})
	t.Run("should read again in one stream when the count cannot be read", func(t *testing.T) {
		data := fake.JiraGenerate(1, 1000)
		hook := &hookTransport{match: func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/approximate-count") },
			edit: func(_ *http.Request, m map[string]json.RawMessage) { delete(m, "count") }}
		h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentCloud, data: &data, jql: "project = P1", transport: hook})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil || len(items) != 1000 {
			t.Fatalf("got %d items err %v", len(items), err)
		}
		if !hasNotice(h, "may be incomplete") {
			t.Error("want the split result dropped when it cannot be checked")
		}
	})
	t.Run("should read again in one stream when Jira's estimate is above the issues read", func(t *testing.T) {
		data := fake.JiraGenerate(1, 1000)
		h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentCloud, data: &data, jql: "project = P1", opts: []fake.JiraOption{fake.WithJiraCountSkew(3)}})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil || len(items) != 1000 || !hasNotice(h, "may be incomplete") {
			t.Fatalf("got %d items err %v, want 1000 after a second read", len(items), err)
		}
		if q := h.srv.Queries(); q[len(q)-1] != "project = P1" {
			t.Errorf("last query %q, want the unsplit JQL", q[len(q)-1])
		}
	})
	t.Run("should keep a split result the count confirms, with one count request", func(t *testing.T) {
		data := fake.JiraGenerate(2, 1000)
		h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentCloud, data: &data, jql: "project in (P1, P2)", strictFake: true})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil || len(items) != 2000 {
			t.Fatalf("got %d items err %v", len(items), err)
		}
		if c := h.srv.Counts(); len(c) != 1 || c[0] != "project in (P1, P2)" {
			t.Errorf("counts = %q, want one of the JQL", c)
		}
		if hasNotice(h, "may be incomplete") || h.srv.RequestsTo("/rest/api/2/search/jql") > 21 {
			t.Errorf("split result dropped, or %d search requests (floor 20)", h.srv.RequestsTo("/rest/api/2/search/jql"))
		}
	})
	t.Run("should not count when every named project was read in one query", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraCloud, strictFake: true})
		if _, err := h.conn.Fetch(context.Background(), ownerFields); err != nil {
			t.Fatal(err)
		}
		if c := h.srv.Counts(); len(c) != 0 {
			t.Errorf("counts = %q, want none", c)
		}
	})
}

func TestRedirects(t *testing.T) {
	t.Run("should send no credentials to another host a redirect points to (reviewer repro)", func(t *testing.T) {
		var mu sync.Mutex
		var got []string
		evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			got = append(got, r.Header.Get("Authorization"))
			mu.Unlock()
			w.WriteHeader(http.StatusNotFound)
		}))
		defer evil.Close()
		site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, evil.URL+r.URL.RequestURI(), http.StatusFound)
		}))
		defer site.Close()
		src := config.Source{Name: "j", Kind: KindName, Block: &Source{URL: site.URL, Deployment: "datacenter", JQL: "project = X", TokenEnv: "T"}}
		c, err := New(src, connector.Env{Getenv: func(string) string { return "s3cr3t-token" }, HTTP: connector.HTTPOptions{MaxRetries: -1}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Fetch(context.Background(), connector.FetchOptions{})
		if err == nil || !strings.Contains(err.Error(), "which is not the configured site") || !strings.Contains(err.Error(), "set jira.url") {
			t.Errorf("err = %v, want it to say the site redirects elsewhere", err)
		}
		mu.Lock()
		defer mu.Unlock()
		for _, a := range got {
			if a != "" {
				t.Errorf("other host received Authorization %q", a)
			}
		}
	})
	t.Run("should add credentials only for the site's scheme and host", func(t *testing.T) {
		var seen []string
		rec := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			seen = append(seen, r.URL.Scheme+"://"+r.URL.Host+" "+r.Header.Get("Authorization"))
			return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader("{}")), Header: http.Header{}, Request: r}, nil
		})
		c := &Connector{scheme: "https", host: "jira.acme.example", token: "tok", deployment: DeploymentDataCenter}
		at := &authTransport{base: rec, c: c}
		for _, u := range []string{"https://jira.acme.example/rest/api/2/field", "http://jira.acme.example/rest/api/2/field", "https://evil.example/rest/api/2/field", "https://jira.acme.example:8443/x"} {
			req, _ := http.NewRequest(http.MethodGet, u, nil)
			req.Header.Set("Authorization", "Bearer stale")
			resp, err := at.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		want := []string{"https://jira.acme.example Bearer tok", "http://jira.acme.example ", "https://evil.example ", "https://jira.acme.example:8443 "}
		if strings.Join(seen, "|") != strings.Join(want, "|") {
			t.Errorf("sent %q, want %q", seen, want)
		}
	})
	t.Run("should refuse a redirect from https to http on the same host", func(t *testing.T) {
		c := &Connector{scheme: "https", host: "jira.acme.example", src: config.Source{Name: "j"}}
		req := &http.Request{URL: &url.URL{Scheme: "http", Host: "jira.acme.example", Path: "/rest/api/2/search"}}
		if err := c.checkRedirect(req, nil); err == nil {
			t.Error("want the downgrade refused")
		}
		req.URL.Scheme = "https"
		if err := c.checkRedirect(req, nil); err != nil {
			t.Errorf("same-site redirect refused: %v", err)
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestCacheSeparatesCredentials(t *testing.T) {
	t.Run("should keep one cache directory per token", func(t *testing.T) {
		srv := fake.NewJira(fake.JiraDemoData(), fake.JiraDataCenter, fake.WithJiraAcceptAuth("Bearer other-token"))
		defer srv.Close()
		dir := t.TempDir()
		for _, tok := range []string{fake.JiraToken, "other-token"} {
			src := config.Source{Name: "jira", Kind: KindName, Block: &Source{URL: srv.URL, Deployment: "datacenter", JQL: "project = PAY"}}
			c, err := New(src, connector.Env{Getenv: func(k string) string { return map[string]string{"JIRA_API_TOKEN": tok}[k] },
				HTTP: connector.HTTPOptions{CacheDir: dir, Clock: fake.NewClock(time.Now())}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Fetch(context.Background(), connector.FetchOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		entries, err := os.ReadDir(filepath.Join(dir, "v1"))
		if err != nil {
			t.Fatal(err)
		}
		var spaces []string
		for _, e := range entries {
			if e.IsDir() && e.Name() != "tmp" {
				spaces = append(spaces, e.Name())
			}
		}
		if len(spaces) != 2 {
			t.Errorf("cache directories %q, want one per token (2)", spaces)
		}
		if len(srv.Unexpected()) > 0 {
			t.Errorf("fake: %q", srv.Unexpected())
		}
	})
}

func TestChangelogPaging(t *testing.T) {
	t.Run("should page a Cloud changelog without total until isLast", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraCloud, strictFake: true, faults: fake.JiraFaults{ChangelogNoTotal: true},
			opts: []fake.JiraOption{fake.WithJiraPageCap(100, 50, 2)}})
		evs, err := h.conn.History(context.Background(), []model.Item{{Key: "PAY-3"}}, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(evs["PAY-3"]); n != 5 {
			t.Errorf("%d events, want 5 (7 entries: no owner field is named, and To Do → In Progress opens or closes nothing)", n)
		}
		if got := h.srv.RequestsTo("/rest/api/3/issue/PAY-3/changelog"); got != 4 {
			t.Errorf("%d changelog pages, want 4", got)
		}
	})
	t.Run("should fail on a changelog page with neither isLast nor total", func(t *testing.T) {
		hook := &hookTransport{match: func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/changelog") },
			edit: func(_ *http.Request, m map[string]json.RawMessage) { delete(m, "isLast"); delete(m, "total") }}
		h := newHarness(t, setup{mode: fake.JiraCloud, transport: hook, opts: []fake.JiraOption{fake.WithJiraPageCap(100, 50, 2)}})
		_, err := h.conn.History(context.Background(), []model.Item{{Key: "PAY-3"}}, time.Time{}, time.Time{})
		if err == nil || !strings.Contains(err.Error(), "neither isLast nor total") {
			t.Errorf("err = %v", err)
		}
	})
}
