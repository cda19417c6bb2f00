package fake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// GitHubEvent is one issue event the events fake serves.
type GitHubEvent struct {
	// Issue is the issue key owner/repo#N.
	Issue string
	// Event is GitHub's event name: assigned, unassigned, labeled,
	// unlabeled, issue_type_added, issue_type_changed, issue_type_removed,
	// closed, reopened, renamed, …
	Event string
	At    time.Time
	Actor string
	// Assignee (assigned/unassigned), Label (labeled/unlabeled), Type and
	// PrevType (issue type events).
	Assignee, Label, Type, PrevType string
}

// GitHubEvents is a fake of GitHub's issue events endpoints over httptest:
//
//	GET /repos/{o}/{r}/issues/events          every event of the repository, newest first, with the issue object
//	GET /repos/{o}/{r}/issues/{n}/events      one issue's events, oldest first
//
// with GitHub's payload shapes (id, node_id, url, actor, event, commit_id,
// created_at, assignee/assigner, label, issue_type/prev_issue_type),
// per_page/page pagination with Link headers, and token auth. It is
// separate from GitHub (the issues fake) because it is the audit's; mount
// both behind one base URL with Mux when a test needs issues and events.
type GitHubEvents struct {
	*httptest.Server

	token    string
	latency  time.Duration
	tb       testing.TB
	nextLoop bool

	byRepo  map[string][]eventOut // lower-case owner/repo -> newest first
	byIssue map[string][]eventOut // lower-case owner/repo#n -> oldest first

	requests atomic.Int64
	mu       sync.Mutex
	paths    map[string]int
}

// GitHubEventsOption tunes the events fake.
type GitHubEventsOption func(*GitHubEvents)

// WithEventsLatency delays every response by d (benchmarks: it really
// sleeps).
func WithEventsLatency(d time.Duration) GitHubEventsOption {
	return func(g *GitHubEvents) { g.latency = d }
}

// WithEventsTB fails the test on an unknown path or a missing token.
func WithEventsTB(tb testing.TB) GitHubEventsOption { return func(g *GitHubEvents) { g.tb = tb } }

// WithEventsNextLoop answers every events page with a Link header whose
// only link is rel="next" to the very URL requested, as a broken proxy
// might.
func WithEventsNextLoop() GitHubEventsOption { return func(g *GitHubEvents) { g.nextLoop = true } }

type eventOut struct {
	ID        int64          `json:"id"`
	NodeID    string         `json:"node_id"`
	URL       string         `json:"url"`
	Actor     ghUserOut      `json:"actor"`
	Event     string         `json:"event"`
	CommitID  *string        `json:"commit_id"`
	CommitURL *string        `json:"commit_url"`
	CreatedAt string         `json:"created_at"`
	Assignee  *ghUserOut     `json:"assignee,omitempty"`
	Assigner  *ghUserOut     `json:"assigner,omitempty"`
	Label     *eventLabel    `json:"label,omitempty"`
	IssueType *eventType     `json:"issue_type,omitempty"`
	PrevType  *eventType     `json:"prev_issue_type,omitempty"`
	Issue     *eventIssueOut `json:"issue,omitempty"`
	// PerformedVia is always null here, as for events done by people.
	PerformedVia *struct{} `json:"performed_via_github_app"`

	at time.Time
}

type eventLabel struct {
	Name  string `json:"name"`
	Color string `json:"color"`
}

type eventType struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type eventIssueOut struct {
	ID     int64  `json:"id"`
	Number int    `json:"number"`
	URL    string `json:"url"`
	Title  string `json:"title"`
	State  string `json:"state"`
}

// NewGitHubEvents starts the events fake serving events.
func NewGitHubEvents(events []GitHubEvent, opts ...GitHubEventsOption) *GitHubEvents {
	g := &GitHubEvents{token: GitHubToken, byRepo: map[string][]eventOut{}, byIssue: map[string][]eventOut{}, paths: map[string]int{}}
	for _, o := range opts {
		o(g)
	}
	g.Server = httptest.NewServer(http.HandlerFunc(g.serve))
	sorted := append([]GitHubEvent(nil), events...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].At.Before(sorted[j].At) })
	for i, e := range sorted {
		repo, n := splitIssueKey(e.Issue)
		out := g.render(int64(5000000+i), repo, e)
		g.byIssue[strings.ToLower(e.Issue)] = append(g.byIssue[strings.ToLower(e.Issue)], out)
		withIssue := out
		withIssue.Issue = &eventIssueOut{ID: int64(900000 + n), Number: n, URL: g.URL + "/repos/" + repo + "/issues/" + strconv.Itoa(n), Title: "issue " + strconv.Itoa(n), State: "open"}
		g.byRepo[strings.ToLower(repo)] = append(g.byRepo[strings.ToLower(repo)], withIssue)
	}
	for k := range g.byRepo {
		evs := g.byRepo[k]
		for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
			evs[i], evs[j] = evs[j], evs[i]
		}
	}
	if g.tb != nil {
		g.tb.Cleanup(g.Close)
	}
	return g
}

func (g *GitHubEvents) render(id int64, repo string, e GitHubEvent) eventOut {
	user := func(login string) *ghUserOut {
		id := ghID("user:" + login)
		u := g.URL + "/users/" + login
		return &ghUserOut{Login: login, ID: id, NodeID: ghNodeID("User", id),
			AvatarURL: fmt.Sprintf("https://avatars.githubusercontent.com/u/%d?v=4", id), URL: u, HTMLURL: ghWeb + "/" + login,
			FollowersURL: u + "/followers", FollowingURL: u + "/following{/other_user}", GistsURL: u + "/gists{/gist_id}",
			StarredURL: u + "/starred{/owner}{/repo}", SubscriptionsURL: u + "/subscriptions", OrganizationsURL: u + "/orgs",
			ReposURL: u + "/repos", EventsURL: u + "/events{/privacy}", ReceivedEventsURL: u + "/received_events", Type: "User"}
	}
	actor := e.Actor
	if actor == "" {
		actor = "octocat"
	}
	out := eventOut{
		ID: id, NodeID: fmt.Sprintf("IE_%d", id), URL: fmt.Sprintf("%s/repos/%s/issues/events/%d", g.URL, repo, id),
		Actor: *user(actor), Event: e.Event, CreatedAt: e.At.UTC().Format(time.RFC3339), at: e.At,
	}
	switch e.Event {
	case "assigned", "unassigned":
		out.Assignee, out.Assigner = user(e.Assignee), user(actor)
	case "labeled", "unlabeled":
		out.Label = &eventLabel{Name: e.Label, Color: "ededed"}
	case "issue_type_added", "issue_type_changed", "issue_type_removed":
		if e.Type != "" {
			out.IssueType = &eventType{ID: 10, Name: e.Type}
		}
		if e.PrevType != "" {
			out.PrevType = &eventType{ID: 11, Name: e.PrevType}
		}
	}
	return out
}

// Requests is the number of requests served so far.
func (g *GitHubEvents) Requests() int { return int(g.requests.Load()) }

// Paths returns the request count per path.
func (g *GitHubEvents) Paths() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[string]int, len(g.paths))
	for k, v := range g.paths {
		out[k] = v
	}
	return out
}

// ResetCounters zeroes the request counters.
func (g *GitHubEvents) ResetCounters() {
	g.mu.Lock()
	g.paths = map[string]int{}
	g.mu.Unlock()
	g.requests.Store(0)
}

func (g *GitHubEvents) serve(w http.ResponseWriter, r *http.Request) {
	g.requests.Add(1)
	g.mu.Lock()
	g.paths[r.URL.Path]++
	g.mu.Unlock()
	if !waitLatency(r, g.latency) {
		return
	}
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if (scheme != "Bearer" && scheme != "token") || tok != g.token {
		if g.tb != nil {
			g.tb.Errorf("fake github events: bad Authorization on %s", r.URL)
		}
		ghError(w, http.StatusUnauthorized, "Bad credentials")
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && len(parts) == 5 && parts[0] == "repos" && parts[3] == "issues" && parts[4] == "events":
		g.page(w, r, g.byRepo[strings.ToLower(parts[1]+"/"+parts[2])])
	case r.Method == http.MethodGet && len(parts) == 6 && parts[0] == "repos" && parts[3] == "issues" && parts[5] == "events":
		g.page(w, r, g.byIssue[strings.ToLower(parts[1]+"/"+parts[2]+"#"+parts[4])])
	default:
		if g.tb != nil {
			g.tb.Errorf("fake github events: unknown path %s %s", r.Method, r.URL)
		}
		ghError(w, http.StatusNotFound, "Not Found")
	}
}

func (g *GitHubEvents) page(w http.ResponseWriter, r *http.Request, evs []eventOut) {
	lo, hi, link := githubPage(r, g.URL+r.URL.Path, len(evs), true)
	if g.nextLoop {
		link = "<" + g.URL + r.URL.RequestURI() + `>; rel="next"`
	}
	if link != "" {
		w.Header().Set("Link", link)
	}
	body := evs[lo:hi]
	if body == nil {
		body = []eventOut{}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-GitHub-Media-Type", "github.v3; format=json")
	_ = json.NewEncoder(w).Encode(body)
}
