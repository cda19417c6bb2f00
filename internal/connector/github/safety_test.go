package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
	"github.com/pomlint/pomlint/internal/model"
)

// foreignHost is a second server that records what reaches it.
type foreignHost struct {
	*httptest.Server
	mu    sync.Mutex
	auths []string
	hits  int
}

func newForeignHost(t *testing.T) *foreignHost {
	t.Helper()
	f := &foreignHost{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.hits++
		if a := r.Header.Get("Authorization"); a != "" {
			f.auths = append(f.auths, a)
		}
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("[]"))
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *foreignHost) seen() (int, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits, append([]string(nil), f.auths...)
}

func TestCredentialsStayOnAPIOrigin(t *testing.T) {
	tests := []struct {
		name   string
		faults func(foreign string) fake.GitHubFaults
		app    bool
		data   fake.GitHubData
		repo   string
	}{
		{name: "should not send the token after a redirect to another host",
			faults: func(f string) fake.GitHubFaults { return fake.GitHubFaults{Path: "/issues", RedirectTo: f} },
			data:   fake.GitHubDemoData(), repo: "acme/payments"},
		{name: "should not send an installation token after a redirect to another host", app: true,
			faults: func(f string) fake.GitHubFaults { return fake.GitHubFaults{Path: "/issues", RedirectTo: f} },
			data:   fake.GitHubDemoData(), repo: "acme/payments"},
		{name: "should not follow a Link header to another host with the token",
			faults: func(f string) fake.GitHubFaults { return fake.GitHubFaults{ForeignLinks: f} },
			data:   fake.GitHubGenerate(1, 250), repo: "bench/repo-00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			foreign := newForeignHost(t)
			s := setup{data: tt.data, fake: []fake.GitHubOption{fake.WithGitHubFaults(tt.faults(foreign.URL))},
				src: func(gs *Source) { gs.Repos = []string{tt.repo} }}
			if tt.app {
				s.fake = append(s.fake, fake.WithGitHubApp(12, 34))
				s.getenv = map[string]string{"GITHUB_TOKEN": "", "APP_KEY": fake.AppKeyPEM(t)}
				src := s.src
				s.src = func(gs *Source) {
					src(gs)
					gs.App = &App{AppID: 12, InstallationID: 34, PrivateKeyEnv: "APP_KEY"}
				}
			}
			_, c := mustStart(t, s)
			_, err := c.Fetch(context.Background(), connector.FetchOptions{})
			hits, auths := foreign.seen()
			if len(auths) > 0 {
				t.Fatalf("the foreign host received credentials: %q", auths)
			}
			if hits > 0 {
				t.Errorf("the foreign host was asked %d times; nothing should reach it", hits)
			}
			// A redirect is refused by the shared client, a foreign link by
			// the connector's origin guard; either names the foreign host.
			if err == nil || !strings.Contains(err.Error(), foreign.URL) ||
				!(strings.Contains(err.Error(), "refused to send the GitHub credentials to") || strings.Contains(err.Error(), "refused a redirect")) {
				t.Fatalf("Fetch should fail naming the foreign host, got %v", err)
			}
			if strings.Contains(err.Error(), fake.GitHubToken) {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}

func TestOriginGuard(t *testing.T) {
	allowed := []string{"https://api.github.com", "https://ghe.example.com"}
	tests := []struct {
		name string
		url  string
		pass bool
	}{
		{"should pass the REST origin", "https://api.github.com/repos/a/b/issues", true},
		{"should pass the REST origin with its default port", "https://API.github.com:443/repos/a/b/issues", true},
		{"should pass the GraphQL origin", "https://ghe.example.com/api/graphql", true},
		{"should refuse a downgrade to http", "http://api.github.com/repos/a/b/issues", false},
		{"should refuse another port", "https://api.github.com:8443/repos/a/b/issues", false},
		{"should refuse another host", "https://evil.example.com/repos/a/b/issues", false},
		{"should refuse a look-alike host", "https://api.github.com.evil.example.com/x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *http.Request
			g := &originGuard{allowed: allowed, next: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				got = r
				return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
			})}
			u, _ := url.Parse(tt.url)
			_, err := g.RoundTrip(&http.Request{Method: "GET", URL: u, Header: http.Header{}})
			if tt.pass != (err == nil) || tt.pass != (got != nil) {
				t.Fatalf("pass = %v, want %v (err %v)", err == nil, tt.pass, err)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// boardData is bench/repo-00 with n issues and a board bench/project-1 of
// them; edit changes the board.
func boardData(n int, edit func(p *fake.GitHubProject)) fake.GitHubData {
	data := fake.GitHubGenerate(1, n)
	p := fake.GitHubProject{Org: "bench", Number: 1, Title: "Roadmap"}
	for i := 1; i <= n; i++ {
		p.Items = append(p.Items, fake.GitHubProjectItem{Issue: fmt.Sprintf("bench/repo-00#%d", i)})
	}
	if edit != nil {
		edit(&p)
	}
	data.Projects = []fake.GitHubProject{p}
	return data
}

func boardOnly(gs *Source) { gs.Projects = []Project{{Org: "bench", Number: 1}} }

func TestBoardNothingDroppedSilently(t *testing.T) {
	users := func(n int) []string {
		var out []string
		for i := 0; i < n; i++ {
			out = append(out, fmt.Sprintf("user-%02d", i))
		}
		return out
	}
	labels := func(n int) []string {
		var out []string
		for i := 0; i < n; i++ {
			out = append(out, fmt.Sprintf("label-%03d", i))
		}
		return out
	}
	tests := []struct {
		name      string
		data      fake.GitHubData
		src       func(*Source)
		faults    fake.GitHubFaults
		wantItems int
		wantErr   []string // none: success
		check     func(t *testing.T, items []model.Item)
	}{
		{name: "should fail naming the board, the count and the permission for redacted items",
			data: boardData(5, func(p *fake.GitHubProject) {
				p.Items[1].Redacted = true
				p.Items[3].Redacted = true
			}),
			src: boardOnly, wantItems: 3,
			wantErr: []string{"read project bench/project-1", "2 of 5 items are redacted", "$GITHUB_TOKEN", "'Issues: read'", "`repo` scope"}},
		{name: "should fail when a user field has more users than one page",
			data: boardData(2, func(p *fake.GitHubProject) {
				p.Items[0].Fields = []fake.GitHubFieldValue{{Field: "Owner", Kind: fake.FieldUser, Users: users(21)}}
			}),
			src: boardOnly, wantItems: 2,
			wantErr: []string{"read project bench/project-1", `bench/repo-00#1: field "Owner" has more than 20 users`}},
		{name: "should fail when a board-only issue has more labels than one page",
			data: func() fake.GitHubData {
				d := boardData(2, nil)
				d.Repos[0].Issues[0].Labels = labels(101)
				return d
			}(),
			src: boardOnly, wantItems: 2,
			wantErr: []string{"read project bench/project-1", "bench/repo-00#1 has more than 100 labels"}},
		{name: "should take all labels from REST when the issue's repository is read too",
			data: func() fake.GitHubData {
				d := boardData(2, nil)
				d.Repos[0].Issues[0].Labels = labels(101)
				return d
			}(),
			src: func(gs *Source) {
				boardOnly(gs)
				gs.Repos = []string{"bench/repo-00"}
			},
			wantItems: 2,
			check: func(t *testing.T, items []model.Item) {
				if n := len(byKey(items)["bench/repo-00#1"].Labels); n != 101 {
					t.Errorf("labels = %d, want 101", n)
				}
			}},
		{name: "should fail when node(id:) returns null while paging field values",
			data: boardData(1, func(p *fake.GitHubProject) {
				for f := 0; f < 60; f++ {
					p.Items[0].Fields = append(p.Items[0].Fields, fake.GitHubFieldValue{Field: fmt.Sprintf("F%02d", f), Kind: fake.FieldText, Text: "v"})
				}
			}),
			src: boardOnly, faults: fake.GitHubFaults{NullNode: true}, wantItems: 0,
			wantErr: []string{"read field values of project bench/project-1", "came back null"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := mustStart(t, setup{data: tt.data, src: tt.src, fake: []fake.GitHubOption{fake.WithGitHubFaults(tt.faults)}})
			items, err := c.Fetch(context.Background(), connector.FetchOptions{})
			if len(tt.wantErr) == 0 && err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if len(tt.wantErr) > 0 && err == nil {
				t.Fatal("Fetch should fail")
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q should mention %q", err, s)
				}
			}
			if len(items) != tt.wantItems {
				t.Errorf("got %d items, want %d (the readable ones)", len(items), tt.wantItems)
			}
			if tt.check != nil {
				tt.check(t, items)
			}
		})
	}
}

func TestGraphQLRateLimit(t *testing.T) {
	tests := []struct {
		name      string
		kind      string
		reset     time.Duration
		maxWait   time.Duration
		wantSleep []time.Duration
		wantErr   bool
	}{
		{name: "should wait for the reset on a 200 RATE_LIMITED answer and retry", kind: "RATE_LIMITED", reset: 10 * time.Minute,
			wantSleep: []time.Duration{10*time.Minute + time.Second}},
		{name: "should wait for the reset on a 200 RATE_LIMIT answer and retry", kind: "RATE_LIMIT", reset: 3 * time.Minute,
			wantSleep: []time.Duration{3*time.Minute + time.Second}},
		{name: "should fail with a RateLimitError when the reset is beyond the max wait", kind: "RATE_LIMITED", reset: 50 * time.Minute,
			maxWait: 5 * time.Minute, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, c := mustStart(t, setup{
				data: boardData(120, nil),
				src:  boardOnly,
				fake: []fake.GitHubOption{
					fake.WithGitHubRateLimit(5000, 5000, epoch.Add(tt.reset)),
					fake.WithGitHubFaults(fake.GitHubFaults{GraphQLRateLimited: 1, GraphQLRateLimitType: tt.kind}),
				},
				env: func(e *connector.Env) { e.HTTP.MaxWait = tt.maxWait },
			})
			items, err := c.Fetch(context.Background(), connector.FetchOptions{})
			if tt.wantErr {
				var rle *connector.RateLimitError
				if !errors.As(err, &rle) {
					t.Fatalf("want a *connector.RateLimitError, got %v", err)
				}
				if !strings.Contains(err.Error(), "read project bench/project-1") || !strings.Contains(err.Error(), "--max-wait") {
					t.Errorf("error should name the board and --max-wait: %v", err)
				}
				if s := h.clock.Sleeps(); len(s) != 0 {
					t.Errorf("should not wait: %v", s)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if len(items) != 120 {
				t.Errorf("got %d items, want the complete board of 120", len(items))
			}
			if s := h.clock.Sleeps(); fmt.Sprint(s) != fmt.Sprint(tt.wantSleep) {
				t.Errorf("sleeps = %v, want %v", s, tt.wantSleep)
			}
			h.mu.Lock()
			defer h.mu.Unlock()
			var noticed bool
			for _, n := range h.notices {
				noticed = noticed || strings.Contains(n.Message, "graphql rate limit")
			}
			if !noticed {
				t.Errorf("should send a notice before waiting: %v", h.notices)
			}
		})
	}
}

func TestEmptyOrNullPage(t *testing.T) {
	tests := []struct {
		name    string
		faults  fake.GitHubFaults
		src     func(*Source)
		wantErr []string
	}{
		{name: "should reject a null middle page of issues", faults: fake.GitHubFaults{Path: "/repositories/", NullBody: 1},
			src:     func(gs *Source) { gs.Repos = []string{"bench/repo-00"} },
			wantErr: []string{"read issues of bench/repo-00 (page ", "malformed response", "null body"}},
		{name: "should reject an empty middle page of issues", faults: fake.GitHubFaults{Path: "/repositories/", EmptyBody: 1},
			src:     func(gs *Source) { gs.Repos = []string{"bench/repo-00"} },
			wantErr: []string{"read issues of bench/repo-00 (page ", "malformed response", "empty body"}},
		{name: "should reject a null page of the org repository listing", faults: fake.GitHubFaults{Path: "/orgs/bench/repos", NullBody: 1},
			src:     func(gs *Source) { gs.Orgs = []string{"bench"} },
			wantErr: []string{"list repositories of bench", "malformed response", "null body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := mustStart(t, setup{data: fake.GitHubGenerate(1, 250), src: tt.src, fake: []fake.GitHubOption{fake.WithGitHubFaults(tt.faults)}})
			items, err := c.Fetch(context.Background(), connector.FetchOptions{})
			if err == nil {
				t.Fatalf("Fetch should fail, got %d items and no error", len(items))
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q should mention %q", err, s)
				}
			}
		})
	}
	t.Run("should reject a null page of team members", func(t *testing.T) {
		data := fake.GitHubDemoData()
		_, c := mustStart(t, setup{data: data, src: func(gs *Source) { gs.Repos = []string{"acme/payments"} },
			fake: []fake.GitHubOption{fake.WithGitHubFaults(fake.GitHubFaults{Path: "/members", NullBody: 1})}})
		team := data.Teams[0].Org + "/" + data.Teams[0].Slug
		_, err := c.(*Connector).ImportRoster(context.Background(), config.RosterImport{ImportKey: map[string]string{team: "product-owner"}})
		if err == nil || !strings.Contains(err.Error(), "list members of github team "+team) || !strings.Contains(err.Error(), "null body") {
			t.Fatalf("ImportRoster should fail naming the team and the null body, got %v", err)
		}
	})
}

func TestPlanGraphQLBudget(t *testing.T) {
	tests := []struct {
		name      string
		remaining int
		reset     time.Duration
		wantSleep []time.Duration
		wantErr   []string
	}{
		{name: "should not wait when the GraphQL budget covers the boards", remaining: 4000, reset: 10 * time.Minute},
		{name: "should wait for the GraphQL reset when the budget is below a board page", remaining: 10, reset: 5 * time.Minute,
			wantSleep: []time.Duration{5*time.Minute + time.Second}},
		{name: "should fail before the run when the GraphQL reset is beyond the max wait", remaining: 10, reset: 50 * time.Minute,
			wantErr: []string{"primary rate limit too low", "GraphQL rate limit", "10 of 5000 points left", "max wait"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, c := mustStart(t, setup{data: boardData(3, nil), src: boardOnly,
				fake: []fake.GitHubOption{fake.WithGitHubGraphQLRateLimit(5000, tt.remaining, epoch.Add(tt.reset))}})
			items, err := c.Fetch(context.Background(), connector.FetchOptions{})
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatal("Fetch should fail")
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q should mention %q", err, s)
					}
				}
				if n := h.gh.RequestsTo("/graphql"); n != 0 {
					t.Errorf("no board should be read: %d GraphQL requests", n)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if len(items) != 3 {
				t.Errorf("got %d items, want 3", len(items))
			}
			if s := h.clock.Sleeps(); fmt.Sprint(s) != fmt.Sprint(tt.wantSleep) {
				t.Errorf("sleeps = %v, want %v", s, tt.wantSleep)
			}
			if n := h.gh.RequestsTo("/rate_limit"); n != 1 {
				t.Errorf("GET /rate_limit made %d times, want 1", n)
			}
		})
	}
}
