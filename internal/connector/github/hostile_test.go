package github

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
)

// Tests of GitHub behaviour a tidy fake does not show by default: hostile or
// broken paging, secondary limits with a reset, older GHES schemas, and
// organisations of thousands of repositories.

func TestSecondaryLimitWaitsForReset(t *testing.T) {
	t.Run("should wait until X-RateLimit-Reset, not a minute, when a secondary limit says remaining 0", func(t *testing.T) {
		h, c := mustStart(t, setup{data: fake.GitHubDemoData(),
			src: func(gs *Source) { gs.Repos = []string{"acme/payments"} },
			fake: []fake.GitHubOption{
				fake.WithGitHubRateLimit(5000, 5000, epoch.Add(8*time.Minute)),
				fake.WithGitHubFaults(fake.GitHubFaults{Path: "/issues", SecondaryRemainingZero: 1}),
			}})
		items, err := c.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil {
			t.Fatalf("Fetch: %v", err)
		}
		if len(items) != 6 {
			t.Errorf("got %d items, want 6", len(items))
		}
		if got := fmt.Sprint(h.clock.Sleeps()); got != fmt.Sprint([]time.Duration{8*time.Minute + time.Second}) {
			t.Errorf("sleeps = %s, want [8m1s] (until the reset)", got)
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		if len(h.notices) == 0 || !strings.Contains(h.notices[0].Message, "secondary rate limit hit; waiting 8m1s for reset at") {
			t.Errorf("notices = %v, want one naming the wait until the reset", h.notices)
		}
	})
}

// sparseOrg is organisation "bench" of repos repositories of which the
// first open have 3 open issues; the others have only a closed issue, so
// the org listing reports open_issues_count 0 for them.
func sparseOrg(repos, open int) fake.GitHubData {
	d := fake.GitHubGenerate(repos, 3)
	for r := open; r < repos; r++ {
		d.Repos[r].Issues = d.Repos[r].Issues[:1]
		d.Repos[r].Issues[0].State = "closed"
	}
	return d
}

func TestOrgSkipsReposWithoutOpenIssues(t *testing.T) {
	const repos, open = 2000, 100
	org := func(gs *Source) { gs.Orgs = []string{"bench"} }
	tests := []struct {
		name         string
		src          func(*Source)
		opts         connector.FetchOptions
		wantItems    int
		maxRequests  int
		minRequests  int
		wantSkipNote bool
	}{
		// 20 pages of the org listing + one page per repository with open
		// issues: 120 requests, not 2,020.
		{name: "should skip repositories whose open_issues_count is 0 with state open",
			src: org, wantItems: open * 3, maxRequests: 125, wantSkipNote: true},
		{name: "should read every repository with state all",
			src:       func(gs *Source) { org(gs); gs.State = "all" },
			wantItems: open*3 + repos - open, minRequests: repos},
		{name: "should read every repository in an incremental run (since)",
			src: org, opts: connector.FetchOptions{Since: epoch.Add(-10 * 365 * 24 * time.Hour)},
			wantItems: open * 3, minRequests: repos},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, c := mustStart(t, setup{data: sparseOrg(repos, open), src: tt.src})
			items, err := c.Fetch(context.Background(), tt.opts)
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if len(items) != tt.wantItems {
				t.Errorf("got %d items, want %d", len(items), tt.wantItems)
			}
			n := h.gh.Requests()
			t.Logf("%d requests for an org of %d repositories, %d with open issues", n, repos, open)
			if tt.maxRequests > 0 && n > tt.maxRequests {
				t.Errorf("made %d requests, want at most %d", n, tt.maxRequests)
			}
			if n < tt.minRequests {
				t.Errorf("made %d requests, want at least %d (every repository)", n, tt.minRequests)
			}
			h.mu.Lock()
			defer h.mu.Unlock()
			var note bool
			for _, x := range h.notices {
				if x.Level == "debug" && strings.Contains(x.Message, fmt.Sprintf("skipped %d repositories of bench", repos-open)) {
					note = true
				}
			}
			if note != tt.wantSkipNote {
				t.Errorf("debug notice of the skipped repositories = %v, want %v: %v", note, tt.wantSkipNote, h.notices)
			}
		})
	}
}

func TestHostilePagingEnds(t *testing.T) {
	repo := func(gs *Source) { gs.Repos = []string{"bench/repo-00"} }
	org := func(gs *Source) { gs.Orgs = []string{"bench"} }
	// Bound on requests: a few pages plus what the workers had in flight
	// when the fault showed; never one per claimed page.
	bound := 3 + 2*DefaultConcurrency
	tests := []struct {
		name    string
		data    fake.GitHubData
		src     func(*Source)
		opts    []fake.GitHubOption
		faults  fake.GitHubFaults
		wantErr []string
	}{
		{name: "should stop when rel=next points at the page just read",
			data: fake.GitHubGenerate(1, 250), src: repo, faults: fake.GitHubFaults{Path: "/issues", NextLoop: true},
			wantErr: []string{"read issues of bench/repo-00 (page 1)", `rel="next"`, "page already read"}},
		{name: "should stop when endless next pages repeat issues already read",
			data: fake.GitHubGenerate(1, 250), src: repo, faults: fake.GitHubFaults{Path: "/issues", EndlessPages: true},
			wantErr: []string{"read issues of bench/repo-00 (page 2)", "only entries already read"}},
		{name: "should stop when rel=last claims 300,000 pages",
			data: fake.GitHubGenerate(1, 250), src: repo, faults: fake.GitHubFaults{Path: "/issues", ClaimLastPage: 300000},
			wantErr: []string{"read issues of bench/repo-00 (page 1)", `claims 300000 pages in its rel="last"`, "no GitHub listing is longer than 5000 pages"}},
		{name: "should stop when rel=last claims more pages than there are",
			data: fake.GitHubGenerate(1, 250), src: repo, faults: fake.GitHubFaults{Path: "/issues", ClaimLastPage: 300},
			wantErr: []string{"read issues of bench/repo-00 (page ", "came back empty", `rel="last" claimed 300 pages`}},
		{name: "should stop at page 1 when rel=last claims more pages than open_issues_count allows",
			data: fake.GitHubGenerate(2, 250), src: org, faults: fake.GitHubFaults{Path: "/issues", ClaimLastPage: 300000},
			wantErr: []string{"read issues of bench/repo-0", "(page 1)", `claims 300000 pages in its rel="last"`, "more than the 16 pages its size allows (open_issues_count is 250)"}},
		{name: "should stop when the org listing's rel=last claims 300,000 pages",
			data: fake.GitHubGenerate(3, 5), src: org, faults: fake.GitHubFaults{Path: "/orgs/bench/repos", ClaimLastPage: 300000},
			wantErr: []string{"list repositories of bench (page 1)", `claims 300000 pages in its rel="last"`}},
		{name: "should stop when the org listing's rel=next loops",
			data: fake.GitHubGenerate(3, 5), src: org, faults: fake.GitHubFaults{Path: "/orgs/bench/repos", NextLoop: true},
			wantErr: []string{"list repositories of bench (page 1)", "page already read"}},
		{name: "should stop when the org listing's pages never end",
			data: fake.GitHubGenerate(3, 5), src: org, faults: fake.GitHubFaults{Path: "/orgs/bench/repos", EndlessPages: true},
			wantErr: []string{"list repositories of bench (page 2)", "only entries already read"}},
		{name: "should stop when a sub-issues listing loops",
			data: fake.GitHubGenerate(1, 20), src: repo, opts: []fake.GitHubOption{fake.WithGitHubLegacyParents()},
			faults:  fake.GitHubFaults{Path: "/sub_issues", NextLoop: true},
			wantErr: []string{"read sub-issues of bench/repo-00#1 (page 1)", "page already read"}},
		{name: "should stop when a board's endCursor repeats",
			data: boardData(120, nil), src: boardOnly, faults: fake.GitHubFaults{Path: "/graphql", RepeatCursor: true},
			wantErr: []string{"read project bench/project-1 (page 2)", "endCursor", "repeats"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			h, c := mustStart(t, setup{data: tt.data, src: tt.src, fake: append([]fake.GitHubOption{fake.WithGitHubFaults(tt.faults)}, tt.opts...)})
			start := time.Now()
			_, err := c.Fetch(ctx, connector.FetchOptions{})
			if err == nil {
				t.Fatal("Fetch should fail")
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q should mention %q", err, s)
				}
			}
			if connector.IsRateLimit(err) || ctx.Err() != nil {
				t.Errorf("should end on its own, not by the deadline: %v", err)
			}
			if n := h.gh.Requests(); n > bound {
				t.Errorf("made %d requests, want at most %d", n, bound)
			}
			if n := h.gh.MaxInFlight(); n > DefaultConcurrency {
				t.Errorf("%d requests in flight at once, want at most %d", n, DefaultConcurrency)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v, want seconds at most", d)
			}
		})
	}
}

func TestResponseBodyCap(t *testing.T) {
	tests := []struct {
		name    string
		data    fake.GitHubData
		src     func(*Source)
		path    string
		wantErr []string
	}{
		{name: "should refuse an issues page larger than the cap", data: fake.GitHubGenerate(1, 5),
			src: func(gs *Source) { gs.Repos = []string{"bench/repo-00"} }, path: "/issues",
			wantErr: []string{"read issues of bench/repo-00 (page 1)", "larger than 1 MiB"}},
		{name: "should refuse a GraphQL answer larger than the cap", data: boardData(3, nil), src: boardOnly, path: "/graphql",
			wantErr: []string{"read project bench/project-1 (page 1)", "larger than 1 MiB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := mustStart(t, setup{data: tt.data, src: tt.src,
				fake: []fake.GitHubOption{fake.WithGitHubFaults(fake.GitHubFaults{Path: tt.path, PaddedBody: 2 << 20})}})
			c.(*Connector).c.bodyLimit.Store(1 << 20)
			_, err := c.Fetch(context.Background(), connector.FetchOptions{})
			if err == nil {
				t.Fatal("Fetch should fail")
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q should mention %q", err, s)
				}
			}
		})
	}
}

func TestHostileChainsEnd(t *testing.T) {
	t.Run("should stop when a team member listing's rel=next loops", func(t *testing.T) {
		data := fake.GitHubDemoData()
		h, c := mustStart(t, setup{data: data, src: func(gs *Source) { gs.Repos = []string{"acme/payments"} },
			fake: []fake.GitHubOption{fake.WithGitHubFaults(fake.GitHubFaults{Path: "/members", NextLoop: true})}})
		team := data.Teams[0].Org + "/" + data.Teams[0].Slug
		_, err := c.(*Connector).ImportRoster(context.Background(), config.RosterImport{ImportKey: map[string]string{team: "product-owner"}})
		if err == nil || !strings.Contains(err.Error(), "list members of github team "+team+" (page 1)") || !strings.Contains(err.Error(), "page already read") {
			t.Fatalf("ImportRoster should fail naming the team and the loop, got %v", err)
		}
		if n := h.gh.Requests(); n > 2 {
			t.Errorf("made %d requests, want at most 2", n)
		}
	})
	t.Run("should stop when an events listing's rel=next loops", func(t *testing.T) {
		ev := fake.NewGitHubEvents([]fake.GitHubEvent{
			{Issue: "acme/payments#1", Event: "assigned", At: day(1), Assignee: "alice-c"},
			{Issue: "acme/payments#2", Event: "assigned", At: day(2), Assignee: "bob-b"},
		}, fake.WithEventsTB(t), fake.WithEventsNextLoop())
		c := historyConnector(t, ev, "acme/payments")
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_, err := c.History(ctx, ghItems("acme/payments#1", "acme/payments#2"), q3, time.Time{})
		if err == nil || !strings.Contains(err.Error(), "read events of acme/payments (page 1)") || !strings.Contains(err.Error(), "page already read") {
			t.Fatalf("History should fail naming the listing and the loop, got %v", err)
		}
		if n := ev.Requests(); n > 2 {
			t.Errorf("made %d requests, want at most 2", n)
		}
	})
}

func TestGraphQLFeatures(t *testing.T) {
	t.Run("should send GraphQL-Features: issue_types with board queries that read issueType", func(t *testing.T) {
		h, c := mustStart(t, setup{data: fake.GitHubDemoData(), src: demoSource})
		if _, err := c.Fetch(context.Background(), connector.FetchOptions{}); err != nil {
			t.Fatalf("Fetch: %v", err)
		}
		reqs := h.gh.GraphQLRequests()
		if len(reqs) == 0 {
			t.Fatal("no GraphQL request")
		}
		// The check below means nothing if no query reads issueType.
		reading := 0
		for _, r := range reqs {
			if strings.Contains(r.Query, "issueType{") {
				reading++
			}
		}
		if reading == 0 {
			t.Fatalf("none of the %d GraphQL queries reads issueType{: the header check below would check nothing", len(reqs))
		}
		for _, r := range reqs {
			if strings.Contains(r.Query, "issueType{") && !strings.Contains(r.Features, "issue_types") {
				t.Errorf("query reads issueType without GraphQL-Features: issue_types (header %q)", r.Features)
			}
		}
	})
	tests := []struct {
		name    string
		without []string
	}{
		{name: "should read the board again without issueType when the server does not know it", without: []string{"issueType"}},
		{name: "should read the board again without issueType and parent when the server knows neither", without: []string{"issueType", "parent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, c := mustStart(t, setup{data: boardData(120, nil), src: boardOnly,
				fake: []fake.GitHubOption{fake.WithGitHubSchemaWithout(tt.without...)}})
			items, err := c.Fetch(context.Background(), connector.FetchOptions{})
			if err != nil {
				t.Fatalf("Fetch should read the board without the field, got %v", err)
			}
			if len(items) != 120 {
				t.Errorf("got %d items, want 120", len(items))
			}
			rejected := 0
			for _, r := range h.gh.GraphQLRequests() {
				for _, f := range tt.without {
					if strings.Contains(r.Query, f+"{") {
						rejected++
					}
				}
			}
			if rejected > len(tt.without) {
				t.Errorf("%d queries selected a field the server lacks; after the first answer the query should go without it", rejected)
			}
			h.mu.Lock()
			defer h.mu.Unlock()
			for _, f := range tt.without {
				var noticed bool
				for _, n := range h.notices {
					noticed = noticed || (n.Level == "warn" && strings.Contains(n.Message, "Issue."+f))
				}
				if !noticed {
					t.Errorf("should send a notice naming Issue.%s: %v", f, h.notices)
				}
			}
		})
	}
}

func TestPRListingsEnd(t *testing.T) {
	var comments []fake.PullsComment
	for i := range 130 {
		comments = append(comments, fake.PullsComment{Author: "octocat", Body: fmt.Sprintf("comment %d", i+1)})
	}
	p := fake.NewPulls(t, []fake.PullsPR{{Repo: "acme/payments", Number: 7, Title: "Retry payouts",
		Commits: []string{"one", "two"}, Comments: comments}}, fake.WithPullsFaults(fake.PullsFaults{NextLoop: true}))
	c := newPRClient(t, p)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	t.Run("should stop when the comment listing's rel=next loops", func(t *testing.T) {
		_, err := c.Comments(ctx, "acme/payments", 7)
		if err == nil || !strings.Contains(err.Error(), "list comments of pull request acme/payments#7") || !strings.Contains(err.Error(), "page already read") {
			t.Fatalf("Comments should fail naming the loop, got %v", err)
		}
	})
	t.Run("should stop when the commit listing's rel=next loops", func(t *testing.T) {
		_, err := c.CommitMessages(ctx, "acme/payments", 7)
		if err == nil || !strings.Contains(err.Error(), "list commits of pull request acme/payments#7") || !strings.Contains(err.Error(), "page already read") {
			t.Fatalf("CommitMessages should fail naming the loop, got %v", err)
		}
	})
}
