package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
	"github.com/pomlint/pomlint/internal/golden"
	"github.com/pomlint/pomlint/internal/model"
)

var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// harness is a fake GitHub, a fake clock and a connector wired to both.
type harness struct {
	gh      *fake.GitHub
	clock   *fake.Clock
	notices []connector.Notice
	mu      sync.Mutex
}

func (h *harness) notify(n connector.Notice) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.notices = append(h.notices, n)
}

type setup struct {
	data   fake.GitHubData
	fake   []fake.GitHubOption
	src    func(*Source)
	env    func(*connector.Env)
	getenv map[string]string
	// now starts the fake clock (default epoch).
	now time.Time
}

func start(t *testing.T, s setup) (*harness, connector.Connector, error) {
	t.Helper()
	if s.now.IsZero() {
		s.now = epoch
	}
	h := &harness{clock: fake.NewClock(s.now)}
	opts := append([]fake.GitHubOption{fake.WithGitHubTB(t), fake.WithGitHubNow(h.clock.Now)}, s.fake...)
	h.gh = fake.NewGitHub(s.data, opts...)
	gs := &Source{BaseURL: h.gh.RESTURL()}
	if s.src != nil {
		s.src(gs)
	}
	vars := map[string]string{"GITHUB_TOKEN": fake.GitHubToken}
	for k, v := range s.getenv {
		vars[k] = v
	}
	env := connector.Env{
		HTTP:   connector.HTTPOptions{Clock: h.clock, Jitter: func(max time.Duration) time.Duration { return max / 2 }},
		Getenv: func(k string) string { return vars[k] },
		Notify: h.notify,
	}
	if s.env != nil {
		s.env(&env)
	}
	c, err := New(config.Source{Name: "gh", Kind: KindName, Block: gs}, env)
	return h, c, err
}

func mustStart(t *testing.T, s setup) (*harness, connector.Connector) {
	t.Helper()
	h, c, err := start(t, s)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return h, c
}

func demoSource(gs *Source) {
	gs.Orgs = []string{"acme"}
	gs.Projects = []Project{{Org: "acme", Number: 7}}
}

func byKey(items []model.Item) map[string]model.Item {
	m := make(map[string]model.Item, len(items))
	for _, it := range items {
		m[it.Key] = it
	}
	return m
}

func TestFetchDemoGolden(t *testing.T) {
	_, c := mustStart(t, setup{data: fake.GitHubDemoData(), src: demoSource})
	items, err := c.Fetch(context.Background(), connector.FetchOptions{})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	got, err := json.MarshalIndent(items, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "testdata/golden/demo-items.json", append(got, '\n'))
}

func TestFetchItems(t *testing.T) {
	h, c := mustStart(t, setup{data: fake.GitHubDemoData(), src: demoSource})
	items, err := c.Fetch(context.Background(), connector.FetchOptions{})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	m := byKey(items)
	t.Run("should skip pull requests", func(t *testing.T) {
		for _, k := range []string{"acme/payments#5", "acme/checkout#13"} {
			if _, ok := m[k]; ok {
				t.Errorf("%s is a pull request and should not be an item", k)
			}
		}
	})
	t.Run("should skip closed issues and archived repos by default", func(t *testing.T) {
		if _, ok := m["acme/payments#6"]; ok {
			t.Error("closed acme/payments#6 should be out of scope")
		}
		if _, ok := m["acme/legacy#1"]; ok {
			t.Error("archived acme/legacy should be skipped")
		}
		found := false
		for _, n := range h.notices {
			found = found || strings.Contains(n.Message, "skipping archived repo acme/legacy")
		}
		if !found {
			t.Errorf("should notify about the archived repo, got %v", h.notices)
		}
	})
	t.Run("should read issue types", func(t *testing.T) {
		for k, want := range map[string]string{"acme/payments#1": "Initiative", "acme/payments#2": "Epic", "acme/payments#4": "Bug", "acme/checkout#10": "Feature", "acme/payments#8": ""} {
			if got := m[k].Type; got != want {
				t.Errorf("%s type = %q, want %q", k, got, want)
			}
		}
	})
	t.Run("should read sub-issue parents, across repositories too", func(t *testing.T) {
		for k, want := range map[string]string{"acme/payments#2": "acme/payments#1", "acme/payments#3": "acme/payments#2", "acme/checkout#10": "acme/payments#1", "acme/checkout#11": "acme/checkout#10", "acme/payments#1": ""} {
			if got := m[k].Parent; got != want {
				t.Errorf("%s parent = %q, want %q", k, got, want)
			}
		}
		if n := h.gh.RequestsTo("/repos/acme/payments/issues/1/sub_issues"); n != 0 {
			t.Errorf("parent_issue_url should make sub_issues requests unnecessary, made %d", n)
		}
	})
	t.Run("should merge board fields into REST items and add drafts and out-of-scope issues", func(t *testing.T) {
		p1 := m["acme/payments#1"]
		if u := p1.ProjectFields["Owner"].Users; len(u) != 1 || u[0].Login != fake.GitHubAlice {
			t.Errorf("acme/payments#1 Owner = %+v", p1.ProjectFields["Owner"])
		}
		if p1.ProjectFields["Level"].Text != "Strategic" || p1.ProjectFields["Target"].Text != "2026-06-30" {
			t.Errorf("acme/payments#1 fields = %+v", p1.ProjectFields)
		}
		if _, ok := p1.ProjectFields["Title"]; ok {
			t.Error("the built-in Title field should be left out")
		}
		if got := m["acme/payments#2"].ProjectFields["Estimate"].Text; got != "13" {
			t.Errorf("number field = %q", got)
		}
		if got := m["acme/checkout#10"].ProjectFields["Sprint"].Text; got != "Sprint 12" {
			t.Errorf("iteration field = %q", got)
		}
		d := m["acme/project-7/draft-7006"]
		if d.Title != "Explore BNPL partners" || d.Reporter == nil || d.Reporter.Login != fake.GitHubAlice || d.Source != "gh" {
			t.Errorf("draft = %+v", d)
		}
		if r := m["acme-labs/research#3"]; r.Type != "Epic" || r.Repo != "acme-labs/research" {
			t.Errorf("board issue outside the orgs = %+v", r)
		}
		if _, ok := m["acme/payments#6"]; ok {
			t.Error("an archived board item / closed issue should not come back through the board")
		}
		if len(items) != 12 {
			t.Errorf("got %d items, want 12", len(items))
		}
	})
}

func TestFetchPagination(t *testing.T) {
	t.Run("should follow Link rel=next to /repositories/{id}/issues", func(t *testing.T) {
		h, c := mustStart(t, setup{data: fake.GitHubGenerate(1, 250), src: func(gs *Source) { gs.Repos = []string{"bench/repo-00"} }})
		items, err := c.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 250 {
			t.Fatalf("got %d items, want 250", len(items))
		}
		if a, b := h.gh.RequestsTo("/repos/bench/repo-00/issues"), h.gh.RequestsTo("/repositories/5000/issues"); a != 1 || b != 2 {
			t.Errorf("requests: first page %d, Link pages %d; want 1 and 2", a, b)
		}
		if items[0].Key != "bench/repo-00#1" || items[249].Key != "bench/repo-00#250" {
			t.Errorf("items should be in number order: %s .. %s", items[0].Key, items[249].Key)
		}
	})
	t.Run("should page board items and field values", func(t *testing.T) {
		data := fake.GitHubGenerate(1, 120)
		p := fake.GitHubProject{Org: "bench", Number: 1, Title: "Big"}
		for i := 1; i <= 120; i++ {
			p.Items = append(p.Items, fake.GitHubProjectItem{Issue: fmt.Sprintf("bench/repo-00#%d", i)})
		}
		for f := 0; f < 60; f++ {
			p.Items[0].Fields = append(p.Items[0].Fields, fake.GitHubFieldValue{Field: fmt.Sprintf("F%02d", f), Kind: fake.FieldText, Text: "v"})
		}
		data.Projects = []fake.GitHubProject{p}
		h, c := mustStart(t, setup{data: data, src: func(gs *Source) { gs.Projects = []Project{{Org: "bench", Number: 1}} }})
		items, err := c.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 120 {
			t.Fatalf("got %d items, want 120", len(items))
		}
		if got := len(byKey(items)["bench/repo-00#1"].ProjectFields); got != 60 {
			t.Errorf("item 1 has %d fields, want 60 (second field-value page)", got)
		}
		if n := h.gh.RequestsTo("/graphql"); n != 3 {
			t.Errorf("graphql requests = %d, want 2 item pages + 1 field-value page", n)
		}
	})
}

func TestFetchConcurrentPages(t *testing.T) {
	org := func(conc int) func(*Source) {
		return func(gs *Source) { gs.Orgs = []string{"bench"}; gs.Concurrency = conc }
	}
	t.Run("should read pages 2..last from rel=last within one shared bound", func(t *testing.T) {
		h, c := mustStart(t, setup{data: fake.GitHubGenerate(3, 250), src: org(2)})
		items, err := c.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 750 || len(byKey(items)) != 750 {
			t.Fatalf("got %d items (%d keys), want 750", len(items), len(byKey(items)))
		}
		// 1 org listing + 3 repos x 3 pages, nothing more.
		if n := h.gh.Requests(); n != 10 {
			t.Errorf("requests = %d, want 10 (%v)", n, h.gh.Paths())
		}
		if a := h.gh.RequestsTo("/repositories/5002/issues"); a != 2 {
			t.Errorf("pages 2..3 of repo-02 read %d times, want 2", a)
		}
		if m := h.gh.MaxInFlight(); m > 2 {
			t.Errorf("%d requests in flight at once, bound is 2", m)
		}
	})
	t.Run("should follow rel=next when the server sends no rel=last", func(t *testing.T) {
		h, c := mustStart(t, setup{data: fake.GitHubGenerate(2, 250), fake: []fake.GitHubOption{fake.WithGitHubNoLastLink()}, src: org(4)})
		items, err := c.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 500 {
			t.Fatalf("got %d items, want 500", len(items))
		}
		if a, b := h.gh.RequestsTo("/repositories/5000/issues"), h.gh.RequestsTo("/repositories/5001/issues"); a != 2 || b != 2 {
			t.Errorf("Link pages read: %d and %d, want 2 each", a, b)
		}
	})
	t.Run("should read strictly one request at a time with concurrency 1", func(t *testing.T) {
		h, c := mustStart(t, setup{data: fake.GitHubGenerate(3, 250), src: org(1)})
		if _, err := c.Fetch(context.Background(), connector.FetchOptions{}); err != nil {
			t.Fatal(err)
		}
		if m := h.gh.MaxInFlight(); m != 1 {
			t.Errorf("%d requests in flight at once, want 1", m)
		}
	})
}

func TestLinks(t *testing.T) {
	tests := []struct {
		name       string
		header     string
		next, last string
		lastPage   int
	}{
		{name: "should read next and last", header: `<https://api.github.com/repositories/1/issues?page=2&per_page=100>; rel="next", <https://api.github.com/repositories/1/issues?page=7&per_page=100>; rel="last"`,
			next: "https://api.github.com/repositories/1/issues?page=2&per_page=100", last: "https://api.github.com/repositories/1/issues?page=7&per_page=100", lastPage: 7},
		{name: "should leave lastPage 0 without rel=last", header: `<https://h/x?page=2>; rel="next"`, next: "https://h/x?page=2"},
		{name: "should leave lastPage 0 when last has no page number", header: `<https://h/x?cursor=abc>; rel="last"`, last: "https://h/x?cursor=abc"},
		{name: "should read nothing from an empty header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &gh.Response{Response: &http.Response{Header: http.Header{}}}
			if tt.header != "" {
				resp.Header.Set("Link", tt.header)
			}
			l := parseLinks(resp)
			if l.next != tt.next || l.last != tt.last || l.lastPage != tt.lastPage {
				t.Errorf("parseLinks = %+v, want next %q last %q page %d", l, tt.next, tt.last, tt.lastPage)
			}
		})
	}
	if got := withPage("https://h/repositories/1/issues?page=7&per_page=100&state=open", 3); got != "https://h/repositories/1/issues?page=3&per_page=100&state=open" {
		t.Errorf("withPage = %s", got)
	}
}

func TestRepoReadDedupe(t *testing.T) {
	c := &Connector{name: "gh"}
	rr := &repoRead{repo: repoRef{"acme", "x"}, byNum: map[int]model.Item{}}
	older, newer := epoch, epoch.Add(time.Hour)
	rr.add(c, []issueJSON{{Number: 1, Title: "old", UpdatedAt: older}, {Number: 2, Title: "two", UpdatedAt: older}})
	// The listing shifted: issue 2 comes again on the next page, edited.
	rr.add(c, []issueJSON{{Number: 2, Title: "two edited", UpdatedAt: newer}, {Number: 3, Title: "three", UpdatedAt: older}})
	rr.add(c, []issueJSON{{Number: 2, Title: "stale copy", UpdatedAt: older}})
	items := rr.items()
	if len(items) != 3 {
		t.Fatalf("should keep each issue once: got %d items", len(items))
	}
	if items[1].Title != "two edited" {
		t.Errorf("should keep the newer copy of a duplicate, got %q", items[1].Title)
	}
}

// progressLog records progress calls.
type progressLog struct {
	mu    sync.Mutex
	calls []progressCall
}

type progressCall struct {
	source, unit string
	done, total  int
}

func (p *progressLog) Progress(source, unit string, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, progressCall{source, unit, done, total})
}

func TestFetchProgress(t *testing.T) {
	t.Run("should report every page with a growing count against the org's open issues", func(t *testing.T) {
		p := &progressLog{}
		_, c := mustStart(t, setup{data: fake.GitHubGenerate(3, 250),
			src: func(gs *Source) { gs.Orgs = []string{"bench"} },
			env: func(e *connector.Env) { e.Progress = p }})
		if _, err := c.Fetch(context.Background(), connector.FetchOptions{}); err != nil {
			t.Fatal(err)
		}
		// 3 repos x 3 pages, then a final call.
		if len(p.calls) != 10 {
			t.Fatalf("got %d progress calls, want 10: %v", len(p.calls), p.calls)
		}
		prev := 0
		for i, call := range p.calls {
			if call.source != "gh" || call.unit != "issues" {
				t.Errorf("call %d = %+v, want source gh, unit issues", i, call)
			}
			if call.total != 750 {
				t.Errorf("call %d total = %d, want 750 (sum of open_issues_count)", i, call.total)
			}
			if call.done < prev {
				t.Errorf("call %d: done went back from %d to %d", i, prev, call.done)
			}
			prev = call.done
		}
		if last := p.calls[len(p.calls)-1]; last.done != 750 {
			t.Errorf("last call = %+v, want 750 done", last)
		}
	})
	t.Run("should report an unknown total for an incremental run", func(t *testing.T) {
		p := &progressLog{}
		_, c := mustStart(t, setup{data: fake.GitHubGenerate(2, 150),
			src: func(gs *Source) { gs.Orgs = []string{"bench"} },
			env: func(e *connector.Env) { e.Progress = p }})
		if _, err := c.Fetch(context.Background(), connector.FetchOptions{Since: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		if len(p.calls) == 0 {
			t.Fatal("no progress reported")
		}
		for i, call := range p.calls {
			if call.total != -1 {
				t.Errorf("call %d total = %d, want -1 (open_issues_count says nothing about since)", i, call.total)
			}
		}
	})
	t.Run("should run silently without a Progress", func(t *testing.T) {
		_, c := mustStart(t, setup{data: fake.GitHubGenerate(1, 150), src: func(gs *Source) { gs.Orgs = []string{"bench"} }})
		if _, err := c.Fetch(context.Background(), connector.FetchOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestFetchLegacyParents(t *testing.T) {
	h, c := mustStart(t, setup{data: fake.GitHubDemoData(), fake: []fake.GitHubOption{fake.WithGitHubLegacyParents()},
		src: func(gs *Source) { gs.Orgs = []string{"acme"} }})
	items, err := c.Fetch(context.Background(), connector.FetchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := byKey(items)
	for k, want := range map[string]string{"acme/payments#3": "acme/payments#2", "acme/checkout#10": "acme/payments#1", "acme/checkout#11": "acme/checkout#10"} {
		if got := m[k].Parent; got != want {
			t.Errorf("should find parents through sub_issues: %s parent = %q, want %q", k, got, want)
		}
	}
	if h.gh.RequestsTo("/repos/acme/payments/issues/1/sub_issues") != 1 {
		t.Error("should list the sub-issues of acme/payments#1")
	}
}

func TestFetchStateAndSince(t *testing.T) {
	t.Run("should read closed issues with state all", func(t *testing.T) {
		_, c := mustStart(t, setup{data: fake.GitHubDemoData(), src: func(gs *Source) { gs.Repos = []string{"acme/payments"}; gs.State = "all" }})
		items, _ := c.Fetch(context.Background(), connector.FetchOptions{})
		if it, ok := byKey(items)["acme/payments#6"]; !ok || !it.Closed || it.State != "closed" {
			t.Errorf("closed issue = %+v", it)
		}
	})
	t.Run("should ask for items updated since", func(t *testing.T) {
		_, c := mustStart(t, setup{data: fake.GitHubDemoData(), src: func(gs *Source) { gs.Repos = []string{"acme/payments"} }})
		items, err := c.Fetch(context.Background(), connector.FetchOptions{Since: time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, it := range items {
			keys = append(keys, it.Key)
		}
		if strings.Join(keys, ",") != "acme/payments#7,acme/payments#8" {
			t.Errorf("since: got %v", keys)
		}
	})
}

func TestImportRoster(t *testing.T) {
	_, c := mustStart(t, setup{data: fake.GitHubDemoData(), src: demoSource})
	ms, err := c.(connector.RosterImporter).ImportRoster(context.Background(), config.RosterImport{
		ImportKey: map[string]string{"acme/product-owners": "product-owner", "acme/product-managers": "product-manager"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Membership{
		{Account: model.Account{Tracker: model.TrackerGitHub, Login: fake.GitHubAlice}, Role: model.RoleProductManager, Origin: "github team acme/product-managers"},
		{Account: model.Account{Tracker: model.TrackerGitHub, Login: fake.GitHubBob}, Role: model.RoleProductOwner, Origin: "github team acme/product-owners"},
	}
	if fmt.Sprint(ms) != fmt.Sprint(want) {
		t.Errorf("memberships = %+v, want %+v", ms, want)
	}
	t.Run("should name the team and permission on 404", func(t *testing.T) {
		_, err := c.(connector.RosterImporter).ImportRoster(context.Background(), config.RosterImport{ImportKey: map[string]string{"acme/nobody": "product-owner"}})
		if err == nil || !strings.Contains(err.Error(), "acme/nobody") || !strings.Contains(err.Error(), "Members: read") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("should reject an unknown role as a config error", func(t *testing.T) {
		_, err := c.(connector.RosterImporter).ImportRoster(context.Background(), config.RosterImport{ImportKey: map[string]string{"acme/x": "boss"}})
		var ce *connector.ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("err = %v, want a ConfigError", err)
		}
	})
}

func TestFetchCache(t *testing.T) {
	dir := t.TempDir()
	h, c := mustStart(t, setup{data: fake.GitHubDemoData(), fake: []fake.GitHubOption{fake.WithGitHubCacheControl("private, max-age=0")},
		src: func(gs *Source) { gs.Orgs = []string{"acme"} }, env: func(e *connector.Env) { e.HTTP.CacheDir = dir }})
	first, err := c.Fetch(context.Background(), connector.FetchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cold := h.gh.Requests()
	h.gh.ResetCounters()
	second, err := c.Fetch(context.Background(), connector.FetchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(first) != fmt.Sprint(second) {
		t.Error("a revalidated run should return the same items")
	}
	// Every request should be answered 304 (an org run plans its budget
	// from the org listing's headers, so there is no GET /rate_limit).
	if h.gh.Requests() != cold || h.gh.NotModified() != cold {
		t.Errorf("warm run: %d requests, %d answered 304 (cold run made %d)", h.gh.Requests(), h.gh.NotModified(), cold)
	}
}

func TestFetchFaults(t *testing.T) {
	repo := func(gs *Source) { gs.Repos = []string{"acme/payments"} }
	tests := []struct {
		name      string
		faults    fake.GitHubFaults
		opts      []fake.GitHubOption
		env       func(*connector.Env)
		wantErr   []string // substrings; none means success
		wantSleep bool
	}{
		{name: "should wait out a 429 with Retry-After once", faults: fake.GitHubFaults{TooManyRequests: 1, RetryAfter: 7}, wantSleep: true},
		{name: "should wait out a secondary limit 403", faults: fake.GitHubFaults{SecondaryLimit: 1, RetryAfter: 30}, wantSleep: true},
		{name: "should retry 5xx", faults: fake.GitHubFaults{ServerErrors: 2}, wantSleep: true},
		{name: "should fail after too many 5xx", faults: fake.GitHubFaults{ServerErrors: 50}, wantErr: []string{"read issues of acme/payments", "502"}},
		{name: "should fail on truncated JSON", faults: fake.GitHubFaults{TruncatedJSON: true, Path: "/issues"}, wantErr: []string{"read issues of acme/payments", "malformed response"}},
		{name: "should explain 401", faults: fake.GitHubFaults{Unauthorized: true, Path: "/issues"}, wantErr: []string{"read issues of acme/payments", "401", "$GITHUB_TOKEN", "invalid, expired or revoked"}},
		{name: "should explain 404", faults: fake.GitHubFaults{NotFound: true, Path: "/issues"}, wantErr: []string{"read issues of acme/payments", "404 Not Found", "the repository does not exist", "`repo` scope", "'Issues: read'"}},
		{name: "should wait for the primary limit to reset before the run", opts: []fake.GitHubOption{fake.WithGitHubRateLimit(5000, 0, epoch.Add(10*time.Minute))}, wantSleep: true},
		{name: "should fail when the primary reset is beyond the max wait", opts: []fake.GitHubOption{fake.WithGitHubRateLimit(5000, 0, epoch.Add(50*time.Minute))},
			env: func(e *connector.Env) { e.HTTP.MaxWait = 5 * time.Minute }, wantErr: []string{"primary rate limit too low", "max wait"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, c := mustStart(t, setup{data: fake.GitHubDemoData(), fake: append([]fake.GitHubOption{fake.WithGitHubFaults(tt.faults)}, tt.opts...), src: repo, env: tt.env})
			items, err := c.Fetch(context.Background(), connector.FetchOptions{})
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				if len(items) != 6 {
					t.Errorf("got %d items, want 6", len(items))
				}
			} else {
				if err == nil {
					t.Fatal("Fetch should fail")
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q should mention %q", err, s)
					}
				}
				if strings.Contains(err.Error(), fake.GitHubToken) {
					t.Errorf("error leaks the token: %v", err)
				}
			}
			if tt.wantSleep && len(h.clock.Sleeps()) == 0 {
				t.Error("should have waited on the clock")
			}
		})
	}
}

func TestPlanBudgetFromOrgListing(t *testing.T) {
	t.Run("should plan from the org listing's rate headers without GET /rate_limit", func(t *testing.T) {
		h, c := mustStart(t, setup{data: fake.GitHubGenerate(3, 300),
			fake: []fake.GitHubOption{fake.WithGitHubRateLimit(5000, 5, epoch.Add(10*time.Minute))},
			src:  func(gs *Source) { gs.Orgs = []string{"bench"} }})
		items, err := c.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 900 {
			t.Errorf("got %d items, want 900", len(items))
		}
		if n := h.gh.RequestsTo("/rate_limit"); n != 0 {
			t.Errorf("GET /rate_limit made %d times, want 0", n)
		}
		sleeps := h.clock.Sleeps()
		if len(sleeps) == 0 || sleeps[0] < 10*time.Minute {
			t.Errorf("should wait for the reset before the run (4 left, 9 pages needed): sleeps %v", sleeps)
		}
	})
	t.Run("should ask GET /rate_limit for repos listed by name", func(t *testing.T) {
		h, c := mustStart(t, setup{data: fake.GitHubDemoData(), src: func(gs *Source) { gs.Repos = []string{"acme/payments"} }})
		if _, err := c.Fetch(context.Background(), connector.FetchOptions{}); err != nil {
			t.Fatal(err)
		}
		if n := h.gh.RequestsTo("/rate_limit"); n != 1 {
			t.Errorf("GET /rate_limit made %d times, want 1", n)
		}
	})
}

func TestFetchRedactsToken(t *testing.T) {
	h, c := mustStart(t, setup{data: fake.GitHubDemoData(), fake: []fake.GitHubOption{fake.WithGitHubFaults(fake.GitHubFaults{EchoAuthorization: true, Path: "/issues"})},
		src: func(gs *Source) { gs.Repos = []string{"acme/payments"} }})
	_, err := c.Fetch(context.Background(), connector.FetchOptions{})
	if err == nil {
		t.Fatal("Fetch should fail")
	}
	if strings.Contains(err.Error(), fake.GitHubToken) {
		t.Errorf("error leaks the token: %v", err)
	}
	for _, n := range h.notices {
		if strings.Contains(fmt.Sprint(n), fake.GitHubToken) {
			t.Errorf("notice leaks the token: %v", n)
		}
	}
}

func TestFetchCancelled(t *testing.T) {
	_, c := mustStart(t, setup{data: fake.GitHubGenerate(3, 300), src: func(gs *Source) { gs.Orgs = []string{"bench"} }})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Fetch(ctx, connector.FetchOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestFetchGHES(t *testing.T) {
	h, c := mustStart(t, setup{data: fake.GitHubDemoData(), fake: []fake.GitHubOption{fake.WithGitHubGHES()}, src: demoSource})
	if !strings.HasSuffix(h.gh.RESTURL(), "/api/v3/") {
		t.Fatalf("fake REST root %s", h.gh.RESTURL())
	}
	items, err := c.Fetch(context.Background(), connector.FetchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 12 || h.gh.RequestsTo("/api/graphql") != 1 || h.gh.RequestsTo("/api/v3/orgs/acme/repos") != 1 {
		t.Errorf("GHES: %d items, paths %v", len(items), h.gh.Paths())
	}
	t.Run("should derive the GraphQL URL from a GHES base URL", func(t *testing.T) {
		u, g, err := apiURLs("https://ghe.acme.example/api/v3", "")
		if err != nil || u.String() != "https://ghe.acme.example/api/v3/" || g != "https://ghe.acme.example/api/graphql" {
			t.Errorf("got %v %s %v", u, g, err)
		}
		u, g, _ = apiURLs("", "")
		if u.String() != "https://api.github.com/" || g != "https://api.github.com/graphql" {
			t.Errorf("got %v %s", u, g)
		}
	})
}

func TestAppAuth(t *testing.T) {
	pemKey := fake.AppKeyPEM(t)
	h, c := mustStart(t, setup{
		data:   fake.GitHubDemoData(),
		fake:   []fake.GitHubOption{fake.WithGitHubApp(12, 34)},
		getenv: map[string]string{"GITHUB_TOKEN": "", "APP_KEY": pemKey},
		src: func(gs *Source) {
			demoSource(gs)
			gs.App = &App{AppID: 12, InstallationID: 34, PrivateKeyEnv: "APP_KEY"}
		},
	})
	items, err := c.Fetch(context.Background(), connector.FetchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 12 {
		t.Errorf("got %d items", len(items))
	}
	if toks := h.gh.InstallationTokens(); len(toks) != 1 {
		t.Errorf("installation tokens issued: %v, want exactly one (reused)", toks)
	}
}

func TestNewConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		src  func(*Source)
		env  map[string]string
		want string
	}{
		{name: "should name the missing token variable", env: map[string]string{"GITHUB_TOKEN": ""}, src: func(gs *Source) { gs.Repos = []string{"a/b"} }, want: "GITHUB_TOKEN"},
		{name: "should name a custom token variable", src: func(gs *Source) { gs.Repos = []string{"a/b"}; gs.TokenEnv = "ACME_GH" }, want: "ACME_GH"},
		{name: "should reject a malformed repo", src: func(gs *Source) { gs.Repos = []string{"payments"} }, want: `github.repos[0]: "payments" is not owner/repo`},
		{name: "should reject an unknown state", src: func(gs *Source) { gs.Repos = []string{"a/b"}; gs.State = "done" }, want: "github.state"},
		{name: "should want something to read", src: func(gs *Source) {}, want: "list repos, orgs or projects"},
		{name: "should want an app key", src: func(gs *Source) {
			gs.Repos = []string{"a/b"}
			gs.App = &App{AppID: 1, InstallationID: 2, PrivateKeyEnv: "NOPE"}
		}, want: "NOPE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := start(t, setup{data: fake.GitHubDemoData(), src: tt.src, getenv: tt.env})
			var ce *connector.ConfigError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want a ConfigError mentioning %q", err, tt.want)
			}
		})
	}
}

// go-github v60 refuses requests on its own after a response with
// X-RateLimit-Remaining: 0 until the reset, on the wall clock. The shield
// must let the request reach the shared plumbing, which waits on the
// injected clock instead.
func TestFetchRemainingZeroReachesPlumbing(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	h, c := mustStart(t, setup{
		now:  now,
		data: fake.GitHubGenerate(1, 250),
		fake: []fake.GitHubOption{fake.WithGitHubRateLimit(5000, 2, now.Add(10*time.Minute))},
		src:  func(gs *Source) { gs.Repos = []string{"bench/repo-00"} },
	})
	items, err := c.Fetch(context.Background(), connector.FetchOptions{})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if len(items) != 250 {
		t.Errorf("got %d items, want 250", len(items))
	}
	if len(h.clock.Sleeps()) == 0 {
		t.Error("should have waited for the reset on the injected clock")
	}
}

func TestFetchClosedSince(t *testing.T) {
	for _, tc := range []struct {
		name        string
		closedSince time.Time
		want        bool
	}{
		{"should add issues closed in an audit window", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"should leave out issues closed before it", time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), false},
		{"should read open issues only without it", time.Time{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c := mustStart(t, setup{data: fake.GitHubDemoData(), src: func(gs *Source) { gs.Repos = []string{"acme/payments"}; gs.State = "open" }})
			items, err := c.Fetch(context.Background(), connector.FetchOptions{ClosedSince: tc.closedSince})
			if err != nil {
				t.Fatal(err)
			}
			k := byKey(items)
			it, got := k["acme/payments#6"]
			if got != tc.want || (got && !it.Closed) {
				t.Fatalf("closed issue #6 present = %v (closed %v), want %v", got, it.Closed, tc.want)
			}
			if _, ok := k["acme/payments#1"]; !ok {
				t.Fatal("open issues must still be read")
			}
		})
	}
}
