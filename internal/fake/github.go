package fake

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
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

// GitHubData is what a fake GitHub serves.
type GitHubData struct {
	Repos    []GitHubRepo
	Teams    []GitHubTeam
	Projects []GitHubProject
}

// GitHubRepo is a repository with its issues (and pull requests, which the
// issues API lists too).
type GitHubRepo struct {
	Owner, Name string
	// ID is the repository id in /repositories/{id} links; 0 assigns one.
	ID             int64
	Archived       bool
	IssuesDisabled bool
	Issues         []GitHubIssue
}

// FullName is owner/name.
func (r GitHubRepo) FullName() string { return r.Owner + "/" + r.Name }

// GitHubIssue is one issue or pull request.
type GitHubIssue struct {
	Number    int
	Title     string
	State     string // open (default) or closed
	Type      string // issue type name, "" for none
	Labels    []string
	Assignees []string
	Author    string
	Milestone string
	// Parent is the parent issue key owner/repo#N, "" for none.
	Parent      string
	PullRequest bool
	Created     time.Time
	Updated     time.Time
}

// GitHubTeam is an organisation team; Members already include the members
// of child teams, as GitHub's list-team-members endpoint does.
type GitHubTeam struct {
	Org, Slug string
	Members   []string
}

// GitHubProject is a Projects v2 board of an organisation or a user.
type GitHubProject struct {
	Org, User string
	Number    int
	Title     string
	Items     []GitHubProjectItem
}

// GitHubProjectItem is one board item: an issue or pull request (by key
// owner/repo#N, looked up in the data's repos) or a draft.
type GitHubProjectItem struct {
	// ID is the item's database id; 0 assigns one.
	ID          int64
	Issue       string
	PullRequest string
	Draft       *GitHubDraft
	Archived    bool
	// Redacted serves the item as GitHub does to a credential that cannot
	// read its issue or pull request: type REDACTED, content null, no
	// field values.
	Redacted bool
	Fields   []GitHubFieldValue
}

// GitHubDraft is a draft issue on a board.
type GitHubDraft struct {
	Title     string
	Creator   string
	Assignees []string
	Created   time.Time
	Updated   time.Time
}

// Projects v2 field kinds.
const (
	FieldText         = "text"
	FieldSingleSelect = "single_select"
	FieldNumber       = "number"
	FieldDate         = "date"
	FieldIteration    = "iteration"
	FieldUser         = "user"
)

// GitHubFieldValue is one Projects v2 field value of an item.
type GitHubFieldValue struct {
	Field  string
	Kind   string
	Text   string // text, single select option, date (YYYY-MM-DD), iteration title
	Number float64
	Users  []string
}

// GitHubFaults switch on failures. Counted faults (N > 0) fire on the first
// N matching requests and then stop. Faults apply to requests whose path
// contains Path ("" matches all) except /rate_limit and installation tokens.
type GitHubFaults struct {
	Path string
	// TooManyRequests answers 429 with Retry-After.
	TooManyRequests int
	// SecondaryLimit answers 403 with Retry-After and the secondary rate
	// limit message and documentation_url GitHub sends.
	SecondaryLimit int
	// SecondaryRemainingZero answers 403 with the secondary rate limit
	// message, no Retry-After, X-RateLimit-Remaining: 0 and
	// X-RateLimit-Reset at the fake's reset time (WithGitHubRateLimit), as
	// GitHub's docs describe one kind of secondary-limit answer.
	SecondaryRemainingZero int
	// RetryAfter is the Retry-After value in seconds (default 1).
	RetryAfter int
	// ServerErrors answers 502 Bad Gateway.
	ServerErrors int
	// TruncatedJSON cuts every matching response body in half.
	TruncatedJSON bool
	// Unauthorized answers 401 Bad credentials.
	Unauthorized bool
	// NotFound answers 404 Not Found.
	NotFound bool
	// EchoAuthorization answers 400 with the request's Authorization
	// header in the message, like a misbehaving proxy, to prove clients
	// scrub credentials from errors.
	EchoAuthorization bool
	// Slow delays matching responses (it really sleeps: use it to test
	// request timeouts and cancellation).
	Slow time.Duration
	// RedirectTo answers matching requests with 302 Found to the same
	// path and query on this origin (scheme://host[:port]), as a
	// compromised proxy or a misconfigured server might.
	RedirectTo string
	// ForeignLinks rewrites the fake's own origin in Link headers to this
	// origin, so rel="next"/"last" point at another host.
	ForeignLinks string
	// EmptyBody answers 200 with GitHub's headers and an empty body.
	EmptyBody int
	// NullBody answers 200 with GitHub's headers and the body null.
	NullBody int
	// GraphQLRateLimited answers GraphQL requests the way GitHub does when
	// the GraphQL primary rate limit is spent: 200 OK, an errors body of
	// type GraphQLRateLimitType, X-RateLimit-Remaining: 0 and
	// X-RateLimit-Reset at the fake's reset time (WithGitHubRateLimit).
	GraphQLRateLimited int
	// GraphQLRateLimitType is the error type: "RATE_LIMITED" (default,
	// as documented) or "RATE_LIMIT" (with code graphql_rate_limit, as
	// GitHub has been seen to send).
	GraphQLRateLimitType string
	// NullNode answers node(id:) queries with {"data":{"node":null}} and
	// no errors.
	NullNode bool

	// Hostile paging, on matching listings (issues, org repositories, team
	// members, sub-issues):
	//
	// NextLoop answers every page with a Link header whose only link is
	// rel="next" to the very URL requested.
	NextLoop bool
	// EndlessPages serves page 1's entries on every page, with a Link
	// rel="next" to the following page and never an end or a rel="last".
	EndlessPages bool
	// ClaimLastPage makes rel="last" (and rel="next" up to it) claim this
	// many pages; pages past the real end come back as [] like GitHub's.
	ClaimLastPage int
	// RepeatCursor answers every Projects v2 items page with the same
	// items, hasNextPage true and the same endCursor.
	RepeatCursor bool
	// PaddedBody pads every matching JSON answer (REST and GraphQL) with
	// this many bytes of whitespace: still valid JSON, just huge.
	PaddedBody int
}

// GitHubToken is the token the fake accepts unless WithGitHubToken says
// otherwise.
const GitHubToken = "fake-github-token-for-tests"

// GitHubOption tunes a fake GitHub server.
type GitHubOption func(*GitHub)

// WithGitHubTB makes an unknown path or a wrong Authorization header fail
// tb, and closes the server at the end of the test.
func WithGitHubTB(tb testing.TB) GitHubOption { return func(g *GitHub) { g.tb = tb } }

// WithGitHubToken sets the token the fake accepts.
func WithGitHubToken(tok string) GitHubOption { return func(g *GitHub) { g.token = tok } }

// WithGitHubLatency delays every response by d (benchmarks: it really
// sleeps).
func WithGitHubLatency(d time.Duration) GitHubOption { return func(g *GitHub) { g.latency = d } }

// WithGitHubFaults switches faults on.
func WithGitHubFaults(f GitHubFaults) GitHubOption { return func(g *GitHub) { g.faults = f } }

// WithGitHubGHES serves the GitHub Enterprise Server layout: REST under
// /api/v3/ and GraphQL at /api/graphql. Anything else is unexpected.
func WithGitHubGHES() GitHubOption { return func(g *GitHub) { g.ghes = true } }

// WithGitHubCacheControl sets the Cache-Control of successful responses.
// The default is GitHub's "private, max-age=60, s-maxage=60"; use
// "private, max-age=0" so that a cache revalidates at once.
func WithGitHubCacheControl(v string) GitHubOption { return func(g *GitHub) { g.cacheControl = v } }

// WithGitHubRateLimit sets the primary rate limit: limit an hour, remaining
// now, reset at reset. Each REST request that is not a 304 costs one; at 0
// the fake answers 403 until its clock passes reset, then refills.
func WithGitHubRateLimit(limit, remaining int, reset time.Time) GitHubOption {
	return func(g *GitHub) { g.limit, g.remaining, g.reset = limit, remaining, reset }
}

// WithGitHubGraphQLRateLimit sets the GraphQL budget GET /rate_limit
// reports in resources.graphql (default 5,000 of 5,000, resetting with the
// REST budget); at reset it refills. Queries do not spend it.
func WithGitHubGraphQLRateLimit(limit, remaining int, reset time.Time) GitHubOption {
	return func(g *GitHub) { g.gqlLimit, g.gqlRemaining, g.gqlReset = limit, remaining, reset }
}

// WithGitHubNow sets the fake's clock (for rate-limit resets); pass a
// fake.Clock's Now to share the connector's clock.
func WithGitHubNow(now func() time.Time) GitHubOption { return func(g *GitHub) { g.now = now } }

// WithGitHubLegacyParents omits parent_issue_url from issue objects, like
// servers that predate it, so clients must use the sub_issues endpoint.
func WithGitHubLegacyParents() GitHubOption { return func(g *GitHub) { g.legacyParents = true } }

// WithGitHubNoLastLink leaves rel="last" (and rel="first") out of Link
// headers, as some proxies and older servers do, so clients must follow
// rel="next".
func WithGitHubNoLastLink() GitHubOption { return func(g *GitHub) { g.noLastLink = true } }

// WithGitHubSchemaWithout serves a GraphQL schema whose Issue type lacks
// these fields ("issueType", "parent"), like older GitHub Enterprise Server
// releases: a query selecting one fails validation.
func WithGitHubSchemaWithout(fields ...string) GitHubOption {
	return func(g *GitHub) {
		for _, f := range fields {
			g.schemaWithout[f] = true
		}
	}
}

// WithGitHubApp makes the fake accept GitHub App installation auth: POST
// /app/installations/{installationID}/access_tokens with a JWT issued by
// appID returns an installation token, which the fake then accepts.
func WithGitHubApp(appID, installationID int64) GitHubOption {
	return func(g *GitHub) { g.appID, g.installationID = appID, installationID }
}

// GitHub is a fake GitHub (REST + GraphQL) over httptest.
type GitHub struct {
	*httptest.Server

	data   GitHubData
	faults GitHubFaults
	tb     testing.TB

	token, prefix, cacheControl string
	latency                     time.Duration
	ghes, legacyParents         bool
	noLastLink                  bool
	appID, installationID       int64
	now                         func() time.Time
	schemaWithout               map[string]bool

	repos     map[string]*ghRepo // by lower-case full name
	reposByID map[int64]*ghRepo

	mu           sync.Mutex
	byPath       map[string]int
	unexpected   []string
	limit        int
	remaining    int
	reset        time.Time
	gqlLimit     int
	gqlRemaining int
	gqlReset     time.Time
	counted      map[string]int // counted faults fired
	installTok   []string
	gqlSeen      []GraphQLRequest
	requests     atomic.Int64
	notModified  atomic.Int64
	inFlight     atomic.Int64
	maxInFlight  atomic.Int64
}

// ghRepo is a repository with its issues rendered once.
type ghRepo struct {
	GitHubRepo
	issues   []GitHubIssue // sorted by number
	rendered [][]byte
	children map[int][]int // parent number -> child issue indexes (same repo)
	extChild map[int][]string
}

// NewGitHub starts a fake GitHub serving data.
func NewGitHub(data GitHubData, opts ...GitHubOption) *GitHub {
	g := &GitHub{
		data: data, token: GitHubToken, cacheControl: "private, max-age=60, s-maxage=60",
		limit: 5000, remaining: 5000, now: time.Now,
		byPath: map[string]int{}, counted: map[string]int{}, schemaWithout: map[string]bool{},
	}
	for _, o := range opts {
		o(g)
	}
	if g.reset.IsZero() {
		g.reset = g.now().Add(time.Hour)
	}
	if g.ghes {
		g.prefix = "/api/v3"
	}
	g.Server = httptest.NewServer(http.HandlerFunc(g.serve))
	g.index()
	if g.tb != nil {
		g.tb.Cleanup(g.Close)
	}
	return g
}

// RESTURL is the REST root a client uses (ends in "/").
func (g *GitHub) RESTURL() string { return g.URL + g.prefix + "/" }

// GraphQLURL is the GraphQL endpoint.
func (g *GitHub) GraphQLURL() string {
	if g.ghes {
		return g.URL + "/api/graphql"
	}
	return g.URL + "/graphql"
}

// Requests is the number of requests served so far.
func (g *GitHub) Requests() int { return int(g.requests.Load()) }

// MaxInFlight is the largest number of requests the fake has served at once
// since it started or ResetCounters.
func (g *GitHub) MaxInFlight() int { return int(g.maxInFlight.Load()) }

// NotModified is the number of 304 answers so far.
func (g *GitHub) NotModified() int { return int(g.notModified.Load()) }

// RequestsTo is the number of requests served for one path.
func (g *GitHub) RequestsTo(path string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.byPath[path]
}

// Paths returns the request count per path.
func (g *GitHub) Paths() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[string]int, len(g.byPath))
	for k, v := range g.byPath {
		out[k] = v
	}
	return out
}

// Unexpected lists requests the fake did not know how to answer.
func (g *GitHub) Unexpected() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.unexpected...)
}

// ResetCounters zeroes the request counters (between a cold and a warm run).
func (g *GitHub) ResetCounters() {
	g.mu.Lock()
	g.byPath = map[string]int{}
	g.mu.Unlock()
	g.requests.Store(0)
	g.notModified.Store(0)
	g.maxInFlight.Store(0)
}

func (g *GitHub) fail(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	g.mu.Lock()
	g.unexpected = append(g.unexpected, msg)
	g.mu.Unlock()
	if g.tb != nil {
		g.tb.Errorf("fake github: %s", msg)
	}
}

func (g *GitHub) index() {
	g.repos = map[string]*ghRepo{}
	g.reposByID = map[int64]*ghRepo{}
	for i, r := range g.data.Repos {
		if r.ID == 0 {
			r.ID = int64(1000 + i)
		}
		gr := &ghRepo{GitHubRepo: r, children: map[int][]int{}, extChild: map[int][]string{}}
		gr.issues = append([]GitHubIssue(nil), r.Issues...)
		sort.SliceStable(gr.issues, func(a, b int) bool { return gr.issues[a].Number < gr.issues[b].Number })
		g.repos[strings.ToLower(r.FullName())] = gr
		g.reposByID[r.ID] = gr
	}
	for _, gr := range g.repos {
		for i := range gr.issues {
			p := gr.issues[i].Parent
			if p == "" {
				continue
			}
			prepo, pn := splitIssueKey(p)
			pr, ok := g.repos[strings.ToLower(prepo)]
			switch {
			case !ok:
			case pr == gr:
				gr.children[pn] = append(gr.children[pn], i)
			default:
				pr.extChild[pn] = append(pr.extChild[pn], gr.FullName()+"#"+strconv.Itoa(gr.issues[i].Number))
			}
		}
	}
	for _, gr := range g.repos {
		for _, ks := range gr.extChild {
			sort.Slice(ks, func(a, b int) bool { return ks[a] < ks[b] })
		}
	}
	for _, gr := range g.repos {
		gr.rendered = make([][]byte, len(gr.issues))
		for i := range gr.issues {
			b, err := json.Marshal(g.issueJSON(gr, &gr.issues[i]))
			if err != nil {
				panic(err)
			}
			if g.legacyParents {
				// Servers that predate sub-issues send no parent_issue_url key.
				if k := bytes.LastIndex(b, []byte(`,"parent_issue_url":`)); k > 0 {
					b = append(b[:k:k], '}')
				}
			}
			gr.rendered[i] = b
		}
	}
}

func splitIssueKey(k string) (string, int) {
	repo, n, _ := strings.Cut(k, "#")
	v, _ := strconv.Atoi(n)
	return repo, v
}

func (g *GitHub) serve(w http.ResponseWriter, r *http.Request) {
	defer g.track(r)()
	if !waitLatency(r, g.latency) {
		return
	}
	gqlPath := "/graphql"
	if g.ghes {
		gqlPath = "/api/graphql"
	}
	if r.URL.Path == gqlPath {
		g.serveGraphQLEndpoint(w, r)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, g.prefix+"/")
	if !ok {
		g.fail("unknown path %s", r.URL)
		ghError(w, http.StatusNotFound, "Not Found")
		return
	}
	g.serveREST(w, r, rest)
}

// track counts a request for Requests, MaxInFlight and Paths; the caller
// calls the func it returns once the request is answered, which ends it
// for MaxInFlight.
func (g *GitHub) track(r *http.Request) (done func()) {
	g.requests.Add(1)
	n := g.inFlight.Add(1)
	for m := g.maxInFlight.Load(); n > m && !g.maxInFlight.CompareAndSwap(m, n); m = g.maxInFlight.Load() {
	}
	g.mu.Lock()
	g.byPath[r.URL.Path]++
	g.mu.Unlock()
	return func() { g.inFlight.Add(-1) }
}

// serveGraphQLEndpoint answers a request to the GraphQL endpoint: POST
// only, after the token, the faults and the GraphQL rate limit.
func (g *GitHub) serveGraphQLEndpoint(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		g.fail("unexpected method %s %s", r.Method, r.URL.Path)
		ghError(w, http.StatusNotFound, "Not Found")
		return
	}
	if !g.authorized(w, r) || g.fault(w, r) || g.graphQLRateLimited(w, r) {
		return
	}
	g.serveGraphQL(w, r)
}

// serveREST answers a REST request; rest is its path below the REST root.
// The order of the checks matters: the app's token exchange takes a JWT
// rather than a token; only GET exists besides it; what doctor reads
// authenticates and charges itself (GET /app takes a JWT); GET /rate_limit
// escapes the faults and costs nothing, the listings do not.
func (g *GitHub) serveREST(w http.ResponseWriter, r *http.Request, rest string) {
	parts := strings.Split(rest, "/")
	tokenExchange := route{http.MethodPost, "app/installations/*/access_tokens", func(w http.ResponseWriter, r *http.Request, a []string) {
		g.serveAccessToken(w, r, a[0])
	}}
	if dispatch([]route{tokenExchange}, w, r, parts) {
		return
	}
	if r.Method != http.MethodGet {
		g.fail("unexpected method %s %s", r.Method, r.URL)
		ghError(w, http.StatusNotFound, "Not Found")
		return
	}
	if g.serveDoctor(w, r, parts) || !g.authorized(w, r) {
		return
	}
	if rest == "rate_limit" {
		g.serveRateLimit(w)
		return
	}
	if g.fault(w, r) || !g.charge(w) {
		return
	}
	if !dispatch(g.routes(), w, r, parts) {
		g.fail("unknown path %s", r.URL)
		ghError(w, http.StatusNotFound, "Not Found")
	}
}

// routes are the listings a fetch reads, all GET. The handlers get the
// segments the "*" of their pattern matched.
func (g *GitHub) routes() []route {
	return []route{
		{http.MethodGet, "repos/*/*/issues", func(w http.ResponseWriter, r *http.Request, a []string) {
			g.serveIssues(w, r, g.repos[strings.ToLower(a[0]+"/"+a[1])], a[0]+"/"+a[1])
		}},
		{http.MethodGet, "repositories/*/issues", func(w http.ResponseWriter, r *http.Request, a []string) {
			id, _ := strconv.ParseInt(a[0], 10, 64)
			g.serveIssues(w, r, g.reposByID[id], a[0])
		}},
		{http.MethodGet, "repos/*/*/issues/*/sub_issues", func(w http.ResponseWriter, r *http.Request, a []string) {
			n, _ := strconv.Atoi(a[2])
			g.serveSubIssues(w, r, g.repos[strings.ToLower(a[0]+"/"+a[1])], n)
		}},
		{http.MethodGet, "orgs/*/repos", func(w http.ResponseWriter, r *http.Request, a []string) { g.serveOrgRepos(w, r, a[0]) }},
		{http.MethodGet, "orgs/*/teams/*/members", func(w http.ResponseWriter, r *http.Request, a []string) { g.serveTeamMembers(w, r, a[0], a[1]) }},
	}
}

// authorized checks the Authorization header: the token, or an
// installation token the fake issued.
func (g *GitHub) authorized(w http.ResponseWriter, r *http.Request) bool {
	a := r.Header.Get("Authorization")
	scheme, tok, _ := strings.Cut(a, " ")
	ok := (scheme == "Bearer" || scheme == "token") && tok != ""
	if ok {
		g.mu.Lock()
		ok = tok == g.token && g.appID == 0
		for _, t := range g.installTok {
			ok = ok || tok == t
		}
		g.mu.Unlock()
	}
	if !ok {
		g.fail("wrong or missing Authorization header on %s %s", r.Method, r.URL.Path)
		ghError(w, http.StatusUnauthorized, "Bad credentials")
		return false
	}
	return true
}

// fault answers with the configured fault for r, reporting whether it did.
func (g *GitHub) fault(w http.ResponseWriter, r *http.Request) bool {
	f := g.faults
	if f.Path != "" && !strings.Contains(r.URL.Path, f.Path) {
		return false
	}
	if f.Slow > 0 {
		select {
		case <-time.After(f.Slow):
		case <-r.Context().Done():
			return true
		}
	}
	retry := f.RetryAfter
	if retry <= 0 {
		retry = 1
	}
	switch {
	case f.RedirectTo != "":
		w.Header().Set("Location", f.RedirectTo+r.URL.RequestURI())
		w.WriteHeader(http.StatusFound)
		return true
	case f.Unauthorized:
		ghError(w, http.StatusUnauthorized, "Bad credentials")
		return true
	case f.NotFound:
		ghError(w, http.StatusNotFound, "Not Found")
		return true
	case f.EchoAuthorization:
		ghError(w, http.StatusBadRequest, "Problems parsing request with header Authorization: "+r.Header.Get("Authorization"))
		return true
	case g.take("429", f.TooManyRequests):
		w.Header().Set("Retry-After", strconv.Itoa(retry))
		ghError(w, http.StatusTooManyRequests, "Too Many Requests")
		return true
	case g.take("secondary", f.SecondaryLimit):
		w.Header().Set("Retry-After", strconv.Itoa(retry))
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:00000:0000000:0000000:00000000.","documentation_url":"https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`))
		return true
	case g.take("secondary-zero", f.SecondaryRemainingZero):
		g.mu.Lock()
		g.rateHeadersLocked(w.Header(), 0)
		g.mu.Unlock()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:00000:0000000:0000000:00000000.","documentation_url":"https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`))
		return true
	case g.take("5xx", f.ServerErrors):
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
		return true
	}
	return false
}

// matches reports whether r is subject to the faults (their Path).
func (g *GitHub) matches(r *http.Request) bool {
	return g.faults.Path == "" || strings.Contains(r.URL.Path, g.faults.Path)
}

// graphQLRateLimited answers with GitHub's GraphQL primary-limit answer
// while GraphQLRateLimited lasts, reporting whether it did.
func (g *GitHub) graphQLRateLimited(w http.ResponseWriter, r *http.Request) bool {
	if !g.matches(r) || !g.take("graphql-rate", g.faults.GraphQLRateLimited) {
		return false
	}
	g.mu.Lock()
	reset := g.reset
	g.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Used", "5000")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "graphql")
	h.Set("Content-Type", "application/json; charset=utf-8")
	e := map[string]any{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1000."}
	if g.faults.GraphQLRateLimitType == "RATE_LIMIT" {
		e = map[string]any{"type": "RATE_LIMIT", "code": "graphql_rate_limit", "message": "API rate limit already exceeded for user ID 1000."}
	}
	b, _ := json.Marshal(map[string]any{"errors": []any{e}})
	_, _ = w.Write(b)
	return true
}

// take consumes one of n counted faults of kind k.
func (g *GitHub) take(k string, n int) bool {
	if n <= 0 {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.counted[k] >= n {
		return false
	}
	g.counted[k]++
	return true
}

// charge takes one request from the primary budget, answering 403 when it
// is spent. It takes the request at once (a 304 gives it back in spend), so
// concurrent requests cannot all pass on the last one.
func (g *GitHub) charge(w http.ResponseWriter) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if now := g.now(); !now.Before(g.reset) {
		g.remaining = g.limit
		g.reset = now.Add(time.Hour)
	}
	if g.remaining <= 0 {
		g.rateHeadersLocked(w.Header(), 0)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"message":"API rate limit exceeded for user ID 1000. If you reach out to GitHub Support for help, please include the request ID 0000:00000:0000000:0000000:00000000 and timestamp 2017-10-10 16:00:00 UTC.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}`))
		return false
	}
	g.remaining--
	return true
}

// spend sets the rate headers of a served request; a 304 is free, so it
// gives back what charge took.
func (g *GitHub) spend(h http.Header, notModified bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if notModified && g.remaining < g.limit {
		g.remaining++
	}
	g.rateHeadersLocked(h, g.remaining)
}

func (g *GitHub) rateHeadersLocked(h http.Header, remaining int) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(g.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(g.limit-remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(g.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

func ghError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest"})
}

// reply writes a JSON body with GitHub's headers, answering 304 when the
// client's If-None-Match matches the body's ETag.
func (g *GitHub) reply(w http.ResponseWriter, r *http.Request, body []byte, link string) {
	sum := sha1.Sum(body)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", g.cacheControl)
	h.Set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-Accepted-OAuth-Scopes", "repo")
	h.Set("X-GitHub-Request-Id", "0000:00000:0000000:0000000:00000000")
	if link != "" {
		if f := g.faults.ForeignLinks; f != "" && g.matches(r) {
			link = strings.ReplaceAll(link, g.URL, f)
		}
		h.Set("Link", link)
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && (inm == etag || inm == "W/"+etag) {
		g.notModified.Add(1)
		g.spend(h, true)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	g.spend(h, false)
	if g.matches(r) {
		var bad []byte
		switch {
		case g.take("empty", g.faults.EmptyBody):
			bad = []byte{}
		case g.take("null", g.faults.NullBody):
			bad = []byte("null")
		}
		if bad != nil {
			h.Set("Content-Type", "application/json; charset=utf-8")
			h.Set("Content-Length", strconv.Itoa(len(bad)))
			_, _ = w.Write(bad)
			return
		}
	}
	if g.faults.TruncatedJSON && (g.faults.Path == "" || strings.Contains(r.URL.Path, g.faults.Path)) {
		body = body[:len(body)/2]
	}
	body = g.pad(r, body)
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// page cuts n entries by per_page/page and builds GitHub's Link header on
// base (keeping every other query parameter), or the hostile one the
// paging faults ask for.
func (g *GitHub) page(r *http.Request, n int, base string) (lo, hi int, link string) {
	lo, hi, link = githubPage(r, g.URL+base, n, !g.noLastLink)
	f := g.faults
	if !g.matches(r) {
		return lo, hi, link
	}
	per, pg := pageParams(r)
	switch {
	case f.NextLoop:
		return lo, hi, "<" + g.URL + r.URL.RequestURI() + `>; rel="next"`
	case f.EndlessPages:
		return 0, min(per, n), pageLinks(r, g.URL+base, pg, pg+1, false)
	case f.ClaimLastPage > 0:
		return lo, hi, pageLinks(r, g.URL+base, pg, f.ClaimLastPage, true)
	}
	return lo, hi, link
}

// pad appends the PaddedBody fault's whitespace to a matching body.
func (g *GitHub) pad(r *http.Request, body []byte) []byte {
	if g.faults.PaddedBody <= 0 || !g.matches(r) {
		return body
	}
	return append(body, bytes.Repeat([]byte(" "), g.faults.PaddedBody)...)
}

// githubPage is GitHub's offset paging shared by the fakes: per_page
// (default 30, at most 100) and page select entries lo:hi of n, and the Link
// header points prev/next (and first/last when withLast) at url with the
// request's other query parameters.
func githubPage(r *http.Request, url string, n int, withLast bool) (lo, hi int, link string) {
	per, pg := pageParams(r)
	last := max((n+per-1)/per, 1)
	lo, hi = min((pg-1)*per, n), min(pg*per, n)
	return lo, hi, pageLinks(r, url, pg, last, withLast)
}

// pageParams reads per_page (default 30, at most 100) and page (from 1).
func pageParams(r *http.Request) (per, pg int) {
	q := r.URL.Query()
	per, _ = strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = 30
	}
	per = min(per, 100)
	pg, _ = strconv.Atoi(q.Get("page"))
	return per, max(pg, 1)
}

// pageLinks is the Link header of page pg of last pages at url.
func pageLinks(r *http.Request, url string, pg, last int, withLast bool) string {
	at := func(p int) string {
		q2 := r.URL.Query()
		q2.Set("page", strconv.Itoa(p))
		return "<" + url + "?" + q2.Encode() + ">"
	}
	var links []string
	if pg > 1 {
		links = append(links, at(pg-1)+`; rel="prev"`)
	}
	if pg < last {
		links = append(links, at(pg+1)+`; rel="next"`)
		if withLast {
			links = append(links, at(last)+`; rel="last"`)
		}
	}
	if pg > 1 && withLast {
		links = append(links, at(1)+`; rel="first"`)
	}
	return strings.Join(links, ", ")
}

// waitLatency holds a response for d, or until the client gives up; false
// means the request is gone.
func waitLatency(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	select {
	case <-time.After(d):
		return true
	case <-r.Context().Done():
		return false
	}
}

func (g *GitHub) serveIssues(w http.ResponseWriter, r *http.Request, repo *ghRepo, name string) {
	if repo == nil {
		ghError(w, http.StatusNotFound, "Not Found")
		return
	}
	if repo.IssuesDisabled {
		ghError(w, http.StatusGone, "Issues are disabled for this repo")
		return
	}
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	var since time.Time
	if s := q.Get("since"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			ghError(w, http.StatusUnprocessableEntity, "Validation Failed")
			return
		}
		since = t
	}
	idx := make([]int, 0, len(repo.issues))
	for i := range repo.issues {
		is := &repo.issues[i]
		st := is.State
		if st == "" {
			st = "open"
		}
		if state != "all" && st != state {
			continue
		}
		if !since.IsZero() && is.Updated.Before(since) {
			continue
		}
		idx = append(idx, i)
	}
	if q.Get("direction") != "asc" {
		for a, b := 0, len(idx)-1; a < b; a, b = a+1, b-1 {
			idx[a], idx[b] = idx[b], idx[a]
		}
	}
	lo, hi, link := g.page(r, len(idx), g.prefix+"/repositories/"+strconv.FormatInt(repo.ID, 10)+"/issues")
	g.reply(w, r, joinJSON(repo.rendered, idx[lo:hi]), link)
}

func (g *GitHub) serveSubIssues(w http.ResponseWriter, r *http.Request, repo *ghRepo, n int) {
	if repo == nil {
		ghError(w, http.StatusNotFound, "Not Found")
		return
	}
	var parts [][]byte
	for _, i := range repo.children[n] {
		parts = append(parts, repo.rendered[i])
	}
	for _, k := range repo.extChild[n] {
		rn, num := splitIssueKey(k)
		if cr, ok := g.repos[strings.ToLower(rn)]; ok {
			for i := range cr.issues {
				if cr.issues[i].Number == num {
					parts = append(parts, cr.rendered[i])
				}
			}
		}
	}
	all := make([]int, len(parts))
	for i := range all {
		all[i] = i
	}
	lo, hi, link := g.page(r, len(parts), r.URL.Path)
	g.reply(w, r, joinJSON(parts, all[lo:hi]), link)
}

func joinJSON(parts [][]byte, idx []int) []byte {
	size := 2
	for _, i := range idx {
		size += len(parts[i]) + 1
	}
	b := make([]byte, 0, size)
	b = append(b, '[')
	for k, i := range idx {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, parts[i]...)
	}
	return append(b, ']')
}

func (g *GitHub) serveOrgRepos(w http.ResponseWriter, r *http.Request, org string) {
	var repos []*ghRepo
	for _, rp := range g.data.Repos {
		if strings.EqualFold(rp.Owner, org) {
			repos = append(repos, g.repos[strings.ToLower(rp.FullName())])
		}
	}
	if len(repos) == 0 {
		ghError(w, http.StatusNotFound, "Not Found")
		return
	}
	lo, hi, link := g.page(r, len(repos), r.URL.Path)
	out := make([]any, 0, hi-lo)
	for _, rp := range repos[lo:hi] {
		out = append(out, g.repoJSON(rp))
	}
	b, _ := json.Marshal(out)
	g.reply(w, r, b, link)
}

func (g *GitHub) serveTeamMembers(w http.ResponseWriter, r *http.Request, org, slug string) {
	for _, t := range g.data.Teams {
		if strings.EqualFold(t.Org, org) && strings.EqualFold(t.Slug, slug) {
			lo, hi, link := g.page(r, len(t.Members), r.URL.Path)
			out := make([]any, 0, hi-lo)
			for _, m := range t.Members[lo:hi] {
				out = append(out, g.userJSON(m))
			}
			b, _ := json.Marshal(out)
			g.reply(w, r, b, link)
			return
		}
	}
	ghError(w, http.StatusNotFound, "Not Found")
}

func (g *GitHub) serveRateLimit(w http.ResponseWriter) {
	g.mu.Lock()
	if now := g.now(); !now.Before(g.reset) {
		g.remaining = g.limit
		g.reset = now.Add(time.Hour)
	}
	core := map[string]int64{"limit": int64(g.limit), "remaining": int64(g.remaining), "reset": g.reset.Unix(), "used": int64(g.limit - g.remaining)}
	gql := map[string]int64{"limit": 5000, "remaining": 5000, "reset": g.reset.Unix(), "used": 0}
	if g.gqlLimit > 0 {
		if now := g.now(); !now.Before(g.gqlReset) {
			g.gqlRemaining = g.gqlLimit
			g.gqlReset = now.Add(time.Hour)
		}
		gql = map[string]int64{"limit": int64(g.gqlLimit), "remaining": int64(g.gqlRemaining), "reset": g.gqlReset.Unix(), "used": int64(g.gqlLimit - g.gqlRemaining)}
	}
	g.rateHeadersLocked(w.Header(), g.remaining)
	g.mu.Unlock()
	body, _ := json.Marshal(map[string]any{"resources": map[string]any{"core": core, "graphql": gql}, "rate": core})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(body)
}

// serveAccessToken issues an installation token for a JWT signed by the
// configured app (the signature itself is not checked).
func (g *GitHub) serveAccessToken(w http.ResponseWriter, r *http.Request, id string) {
	if g.appID == 0 || id != strconv.FormatInt(g.installationID, 10) {
		g.fail("unexpected installation token request %s", r.URL.Path)
		ghError(w, http.StatusNotFound, "Not Found")
		return
	}
	scheme, jwt, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	segs := strings.Split(jwt, ".")
	var claims struct {
		Iss string `json:"iss"`
	}
	if scheme != "Bearer" || len(segs) != 3 {
		g.fail("installation token request without a JWT")
		ghError(w, http.StatusUnauthorized, "A JSON web token could not be decoded")
		return
	}
	payload, err := base64.RawURLEncoding.DecodeString(segs[1])
	if err != nil || json.Unmarshal(payload, &claims) != nil || claims.Iss != strconv.FormatInt(g.appID, 10) {
		g.fail("installation token request with a JWT not issued by app %d", g.appID)
		ghError(w, http.StatusUnauthorized, "'Issuer' claim ('iss') must be an Integer")
		return
	}
	g.mu.Lock()
	tok := fmt.Sprintf("fake-installation-token-%04d", len(g.installTok)+1)
	g.installTok = append(g.installTok, tok)
	g.mu.Unlock()
	body, _ := json.Marshal(map[string]any{
		"token":                tok,
		"expires_at":           time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		"permissions":          map[string]string{"issues": "read", "metadata": "read", "members": "read", "organization_projects": "read"},
		"repository_selection": "all",
	})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(body)
}

// InstallationTokens lists the installation tokens issued so far.
func (g *GitHub) InstallationTokens() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.installTok...)
}
