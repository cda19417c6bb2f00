package fake

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The payloads below follow GitHub's REST reference for "Get a pull
// request", "List commits on a pull request" and the issue comment object
// (id, node_id, url, html_url, body, user, created_at, updated_at,
// issue_url, author_association, performed_via_github_app, reactions).

// PullsBot is the login the fake's token belongs to by default (the
// Actions GITHUB_TOKEN): the account whose comments the fake creates. GET
// /user answers 403 "Resource not accessible by integration" for it, as
// GitHub does; WithPullsViewer makes the token a user's.
const PullsBot = "github-actions[bot]"

// PullsPR is one pull request the fake serves.
type PullsPR struct {
	Repo    string // owner/repo
	Number  int
	Title   string
	Body    string
	HeadRef string // head branch; default "feature/x"
	Author  string // default "octocat"
	Commits []string
	// Comments are the comments already on the pull request.
	Comments []PullsComment
}

// PullsComment is one issue comment on a pull request.
type PullsComment struct {
	ID      int64
	Author  string
	Body    string
	Created time.Time
	Updated time.Time
}

// PullsFaults switch failures on.
type PullsFaults struct {
	// ForbidWrites answers POST and PATCH with 403 "Resource not
	// accessible by integration", as GitHub does for a read-only
	// GITHUB_TOKEN (a fork's pull request, or no pull-requests: write).
	ForbidWrites bool
	// HideWrites answers POST and PATCH with 404 Not Found, as GitHub does
	// for a token that may not see the repository.
	HideWrites bool
	// RejectAppJWT answers GET /app with 401 "A JSON web token could not
	// be decoded", as GitHub does for a JWT that is not the app's (wrong
	// key or app ID, or a skewed clock). Installation tokens still work.
	RejectAppJWT bool
	// NextLoop answers every listing page with a Link header whose only
	// link is rel="next" to the page just served.
	NextLoop bool
}

// Pulls is a fake of GitHub's pull request and issue comment endpoints over
// httptest. It checks the Authorization header, fails the test on any path
// it does not know, enforces GitHub's 65,536-character comment limit (422),
// and records every comment it creates or updates.
type Pulls struct {
	*httptest.Server

	tb     testing.TB
	token  string
	now    func() time.Time
	viewer string // the token's account; PullsBot when empty

	// GitHub App mode (WithPullsApp): the app's ID, installation and slug.
	appID, installationID int64
	appSlug               string

	mu      sync.Mutex
	prs     map[string]*PullsPR // by lower-case "owner/repo#n"
	nextID  int64
	faults  PullsFaults
	created []PullsComment
	updated []PullsComment
	reqs    []string
	// installTok are the installation tokens issued (GitHub App mode).
	installTok []string
}

// PullsOption tunes a fake.
type PullsOption func(*Pulls)

// WithPullsNow sets the clock that stamps comments.
func WithPullsNow(now func() time.Time) PullsOption { return func(p *Pulls) { p.now = now } }

// WithPullsViewer makes the token belong to login (a user or a GitHub App's
// "<slug>[bot]"): GET /user answers with it when it is not a bot, and the
// comments the fake creates are by it.
func WithPullsViewer(login string) PullsOption { return func(p *Pulls) { p.viewer = login } }

// WithPullsApp makes the fake a GitHub App installation's view of GitHub:
// POST /app/installations/{installationID}/access_tokens with a JWT issued
// by appID returns an installation token, the only credentials the other
// endpoints then accept; GET /app with such a JWT returns the app, whose
// slug is slug; the token's account is "<slug>[bot]" (GET /user answers
// 403, and the comments the fake creates are by it).
func WithPullsApp(appID, installationID int64, slug string) PullsOption {
	return func(p *Pulls) { p.appID, p.installationID, p.appSlug = appID, installationID, slug }
}

// WithPullsFaults switches faults on from the start.
func WithPullsFaults(f PullsFaults) PullsOption { return func(p *Pulls) { p.faults = f } }

// NewPulls starts a fake serving prs; it accepts GitHubToken and is closed
// when tb's test ends.
func NewPulls(tb testing.TB, prs []PullsPR, opts ...PullsOption) *Pulls {
	p := &Pulls{tb: tb, token: GitHubToken, prs: map[string]*PullsPR{}, nextID: 1_000_000_001,
		now: func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }}
	for _, o := range opts {
		o(p)
	}
	for i := range prs {
		pr := prs[i]
		pr.Comments = append([]PullsComment(nil), pr.Comments...)
		for j := range pr.Comments {
			c := &pr.Comments[j]
			if c.ID == 0 {
				c.ID = p.nextID
				p.nextID++
			}
			if c.Created.IsZero() {
				c.Created = p.now()
			}
			if c.Updated.IsZero() {
				c.Updated = c.Created
			}
		}
		p.prs[strings.ToLower(pr.Repo)+"#"+strconv.Itoa(pr.Number)] = &pr
	}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	tb.Cleanup(p.Close)
	return p
}

// RESTURL is the REST root a client uses (ends in "/").
func (p *Pulls) RESTURL() string { return p.URL + "/" }

// SetFaults switches faults on or off between runs.
func (p *Pulls) SetFaults(f PullsFaults) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = f
}

// Comments returns the comments now on a pull request, oldest first.
func (p *Pulls) Comments(repo string, n int) []PullsComment {
	p.mu.Lock()
	defer p.mu.Unlock()
	pr := p.prs[strings.ToLower(repo)+"#"+strconv.Itoa(n)]
	if pr == nil {
		return nil
	}
	return append([]PullsComment(nil), pr.Comments...)
}

// Created returns the comments created so far, in order.
func (p *Pulls) Created() []PullsComment {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]PullsComment(nil), p.created...)
}

// Updated returns the comment updates so far (the body after each), in
// order.
func (p *Pulls) Updated() []PullsComment {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]PullsComment(nil), p.updated...)
}

// Requests lists "METHOD path" of every request served, in order.
func (p *Pulls) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.reqs...)
}

func (p *Pulls) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.reqs = append(p.reqs, r.Method+" "+r.URL.Path)
	p.mu.Unlock()
	parts := pathParts(r.URL.Path)
	// The GitHub App endpoints take the app's JWT, not a token.
	if p.appID != 0 && dispatch(p.appRoutes(), w, r, parts) {
		return
	}
	if !p.authorized(w, r) {
		return
	}
	if !dispatch(p.routes(), w, r, parts) {
		p.tb.Errorf("fake pulls: unknown request %s %s", r.Method, r.URL)
		ghError(w, http.StatusNotFound, "Not Found")
	}
}

// appRoutes are the endpoints a GitHub App's JWT reaches (WithPullsApp):
// only this installation's access tokens exist.
func (p *Pulls) appRoutes() []route {
	id := strconv.FormatInt(p.installationID, 10)
	return []route{
		{http.MethodPost, "app/installations/" + id + "/access_tokens", func(w http.ResponseWriter, r *http.Request, _ []string) { p.serveAccessToken(w, r) }},
		{http.MethodGet, "app", func(w http.ResponseWriter, r *http.Request, _ []string) { p.serveApp(w, r) }},
	}
}

// routes are the endpoints a token reaches. The handlers of
// repos/{owner}/{repo}/… get owner, repo and the number or comment ID as
// args.
func (p *Pulls) routes() []route {
	return []route{
		{http.MethodGet, "user", func(w http.ResponseWriter, r *http.Request, _ []string) { p.serveUser(w, r) }},
		{http.MethodGet, "repos/*/*/pulls/*", p.servePull},
		{http.MethodGet, "repos/*/*/pulls/*/commits", p.serveCommits},
		{http.MethodGet, "repos/*/*/issues/*/comments", p.serveComments},
		{http.MethodPost, "repos/*/*/issues/*/comments", p.createComment},
		{http.MethodPatch, "repos/*/*/issues/comments/*", p.updateComment},
	}
}

// authorized checks the Authorization header (a token, as Bearer or token)
// and answers 401 as GitHub does when the fake does not take it.
func (p *Pulls) authorized(w http.ResponseWriter, r *http.Request) bool {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if (scheme != "Bearer" && scheme != "token") || !p.accepts(tok) {
		p.tb.Errorf("fake pulls: wrong or missing Authorization header on %s %s", r.Method, r.URL.Path)
		ghError(w, http.StatusUnauthorized, "Bad credentials")
		return false
	}
	return true
}

// serveUser answers GET /user, the token's account.
//
// GitHub API docs: https://docs.github.com/rest/users/users#get-the-authenticated-user:
// integration tokens (Actions, GitHub App installations) get 403.
func (p *Pulls) serveUser(w http.ResponseWriter, r *http.Request) {
	login := p.author()
	if strings.HasSuffix(login, "[bot]") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": "Resource not accessible by integration",
			"documentation_url": "https://docs.github.com/rest/users/users#get-the-authenticated-user", "status": "403"})
		return
	}
	p.json(w, r, http.StatusOK, p.user(login))
}

// routedPR returns the pull request that args (owner, repo, number) name,
// or answers 404, as GitHub does for a pull request that does not exist,
// and returns nil. Such a request is not a test failure: a client may ask.
func (p *Pulls) routedPR(w http.ResponseWriter, args []string) *PullsPR {
	pr := p.pr(args[0]+"/"+args[1], args[2])
	if pr == nil {
		ghError(w, http.StatusNotFound, "Not Found")
	}
	return pr
}

// servePull answers GET /repos/{owner}/{repo}/pulls/{n}.
func (p *Pulls) servePull(w http.ResponseWriter, r *http.Request, args []string) {
	pr := p.routedPR(w, args)
	if pr == nil {
		return
	}
	p.json(w, r, http.StatusOK, p.pullJSON(pr))
}

// serveCommits answers GET /repos/{owner}/{repo}/pulls/{n}/commits.
func (p *Pulls) serveCommits(w http.ResponseWriter, r *http.Request, args []string) {
	pr := p.routedPR(w, args)
	if pr == nil {
		return
	}
	all := make([]any, len(pr.Commits))
	for i, m := range pr.Commits {
		all[i] = p.commitJSON(pr, i, m)
	}
	p.paged(w, r, all)
}

// serveComments answers GET /repos/{owner}/{repo}/issues/{n}/comments.
func (p *Pulls) serveComments(w http.ResponseWriter, r *http.Request, args []string) {
	pr := p.routedPR(w, args)
	if pr == nil {
		return
	}
	p.mu.Lock()
	all := make([]any, len(pr.Comments))
	for i := range pr.Comments {
		all[i] = p.commentJSON(pr, &pr.Comments[i])
	}
	p.mu.Unlock()
	p.paged(w, r, all)
}

// createComment answers POST /repos/{owner}/{repo}/issues/{n}/comments.
//
// GitHub API docs: https://docs.github.com/rest/issues/comments#create-an-issue-comment
func (p *Pulls) createComment(w http.ResponseWriter, r *http.Request, args []string) {
	pr := p.routedPR(w, args)
	if pr == nil {
		return
	}
	body, ok := p.writeBody(w, r, "https://docs.github.com/rest/issues/comments#create-an-issue-comment")
	if !ok {
		return
	}
	p.mu.Lock()
	c := PullsComment{ID: p.nextID, Author: p.author(), Body: body, Created: p.now(), Updated: p.now()}
	p.nextID++
	pr.Comments = append(pr.Comments, c)
	p.created = append(p.created, c)
	out := p.commentJSON(pr, &c)
	p.mu.Unlock()
	w.Header().Set("Location", out["url"].(string))
	p.json(w, r, http.StatusCreated, out)
}

// updateComment answers PATCH /repos/{owner}/{repo}/issues/comments/{id}.
//
// GitHub API docs: https://docs.github.com/rest/issues/comments#update-an-issue-comment
func (p *Pulls) updateComment(w http.ResponseWriter, r *http.Request, args []string) {
	repo := args[0] + "/" + args[1]
	id, _ := strconv.ParseInt(args[2], 10, 64)
	body, ok := p.writeBody(w, r, "https://docs.github.com/rest/issues/comments#update-an-issue-comment")
	if !ok {
		return
	}
	p.mu.Lock()
	for _, pr := range p.prs {
		if !strings.EqualFold(pr.Repo, repo) {
			continue
		}
		for i := range pr.Comments {
			if c := &pr.Comments[i]; c.ID == id {
				c.Body, c.Updated = body, p.now()
				p.updated = append(p.updated, *c)
				out := p.commentJSON(pr, c)
				p.mu.Unlock()
				p.json(w, r, http.StatusOK, out)
				return
			}
		}
	}
	p.mu.Unlock()
	ghError(w, http.StatusNotFound, "Not Found")
}

// author is the login the token belongs to.
func (p *Pulls) author() string {
	switch {
	case p.viewer != "":
		return p.viewer
	case p.appID != 0:
		return p.appSlug + "[bot]"
	}
	return PullsBot
}

// accepts reports whether tok is a credential the fake takes: GitHubToken,
// or in GitHub App mode only an installation token it issued.
func (p *Pulls) accepts(tok string) bool {
	if tok == "" {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.appID == 0 {
		return tok == p.token
	}
	for _, t := range p.installTok {
		if tok == t {
			return true
		}
	}
	return false
}

// appJWT checks that the request carries a JWT issued by the app (Bearer,
// three dot-separated parts, iss = the app ID; the signature is not
// checked) and answers 401 as GitHub does when it does not.
func (p *Pulls) appJWT(w http.ResponseWriter, r *http.Request) bool {
	scheme, jwt, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	segs := strings.Split(jwt, ".")
	if scheme != "Bearer" || len(segs) != 3 {
		p.tb.Errorf("fake pulls: %s %s without a JWT", r.Method, r.URL.Path)
		ghError(w, http.StatusUnauthorized, "A JSON web token could not be decoded")
		return false
	}
	var claims struct {
		Iss string `json:"iss"`
	}
	payload, err := base64.RawURLEncoding.DecodeString(segs[1])
	if err != nil || json.Unmarshal(payload, &claims) != nil || claims.Iss != strconv.FormatInt(p.appID, 10) {
		p.tb.Errorf("fake pulls: %s %s with a JWT not issued by app %d", r.Method, r.URL.Path, p.appID)
		ghError(w, http.StatusUnauthorized, "'Issuer' claim ('iss') must be an Integer")
		return false
	}
	return true
}

// serveAccessToken issues an installation token for the app's JWT.
//
// GitHub API docs: https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app
func (p *Pulls) serveAccessToken(w http.ResponseWriter, r *http.Request) {
	if !p.appJWT(w, r) {
		return
	}
	p.mu.Lock()
	tok := fmt.Sprintf("fake-pulls-installation-token-%04d", len(p.installTok)+1)
	p.installTok = append(p.installTok, tok)
	p.mu.Unlock()
	p.json(w, r, http.StatusCreated, map[string]any{
		"token":                tok,
		"expires_at":           ghTime(time.Now().Add(time.Hour)),
		"permissions":          map[string]string{"issues": "write", "metadata": "read", "pull_requests": "write"},
		"repository_selection": "all",
	})
}

// serveApp answers GET /app, the app the JWT belongs to.
//
// GitHub API docs: https://docs.github.com/rest/apps/apps#get-the-authenticated-app
func (p *Pulls) serveApp(w http.ResponseWriter, r *http.Request) {
	if !p.appJWT(w, r) {
		return
	}
	p.mu.Lock()
	f := p.faults
	p.mu.Unlock()
	if f.RejectAppJWT {
		ghError(w, http.StatusUnauthorized, "A JSON web token could not be decoded")
		return
	}
	created := ghTime(p.now().Add(-365 * 24 * time.Hour))
	p.json(w, r, http.StatusOK, map[string]any{
		"id": p.appID, "slug": p.appSlug, "node_id": ghNodeID("Integration", p.appID), "client_id": "Iv1.fake" + strconv.FormatInt(p.appID, 10),
		"owner": p.user("acme"), "name": p.appSlug, "description": "", "external_url": "https://example.com",
		"html_url": ghWeb + "/apps/" + p.appSlug, "created_at": created, "updated_at": created,
		"permissions": map[string]string{"issues": "write", "metadata": "read", "pull_requests": "write"},
		"events":      []string{}, "installations_count": 1,
	})
}

// InstallationTokens lists the installation tokens issued so far (GitHub
// App mode).
func (p *Pulls) InstallationTokens() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.installTok...)
}

func (p *Pulls) pr(repo, num string) *PullsPR {
	n, err := strconv.Atoi(num)
	if err != nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.prs[strings.ToLower(repo)+"#"+strconv.Itoa(n)]
}

// writeBody reads a {"body": …} request, answering the configured fault or
// GitHub's 422 for a missing or too long body.
func (p *Pulls) writeBody(w http.ResponseWriter, r *http.Request, doc string) (string, bool) {
	p.mu.Lock()
	f := p.faults
	p.mu.Unlock()
	switch {
	case f.ForbidWrites:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": "Resource not accessible by integration", "documentation_url": doc, "status": "403"})
		return "", false
	case f.HideWrites:
		ghError(w, http.StatusNotFound, "Not Found")
		return "", false
	}
	raw, err := io.ReadAll(r.Body)
	var in struct {
		Body *string `json:"body"`
	}
	if err != nil || json.Unmarshal(raw, &in) != nil {
		ghError(w, http.StatusBadRequest, "Problems parsing JSON")
		return "", false
	}
	invalid := func(msg string) (string, bool) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_ = json.NewEncoder(w).Encode(map[string]any{"message": "Validation Failed",
			"errors":            []map[string]string{{"resource": "IssueComment", "code": "custom", "field": "body", "message": msg}},
			"documentation_url": doc, "status": "422"})
		return "", false
	}
	switch {
	case in.Body == nil || *in.Body == "":
		return invalid("body cannot be blank")
	case len([]rune(*in.Body)) > 65536:
		p.tb.Errorf("fake pulls: comment body of %d characters exceeds GitHub's 65536", len([]rune(*in.Body)))
		return invalid("body is too long (maximum is 65536 characters)")
	}
	return *in.Body, true
}

func (p *Pulls) json(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		p.tb.Errorf("fake pulls: encode: %v", err)
		return
	}
	h := w.Header()
	sum := sha1.Sum(b)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
	h.Set("Cache-Control", "private, max-age=60, s-maxage=60")
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", "4999")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(p.now().Add(time.Hour).Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// paged serves all by per_page and page with GitHub's Link header.
func (p *Pulls) paged(w http.ResponseWriter, r *http.Request, all []any) {
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = 30
	}
	per = min(per, 100)
	page, _ := strconv.Atoi(q.Get("page"))
	if page <= 0 {
		page = 1
	}
	lo, hi := min((page-1)*per, len(all)), min(page*per, len(all))
	last := max(1, (len(all)+per-1)/per)
	link := func(n int, rel string) string {
		q.Set("page", strconv.Itoa(n))
		q.Set("per_page", strconv.Itoa(per))
		return fmt.Sprintf(`<%s%s?%s>; rel="%s"`, p.URL, r.URL.Path, q.Encode(), rel)
	}
	var links []string
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"), link(page-1, "prev"))
	}
	p.mu.Lock()
	loop := p.faults.NextLoop
	p.mu.Unlock()
	if loop {
		links = []string{link(page, "next")}
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	p.json(w, r, http.StatusOK, all[lo:hi])
}

func (p *Pulls) user(login string) ghUserOut {
	id := ghID("user:" + login)
	u := p.URL + "/users/" + login
	typ := "User"
	if strings.HasSuffix(login, "[bot]") {
		typ = "Bot"
	}
	return ghUserOut{
		Login: login, ID: id, NodeID: ghNodeID("User", id),
		AvatarURL: fmt.Sprintf("https://avatars.githubusercontent.com/u/%d?v=4", id), URL: u, HTMLURL: ghWeb + "/" + login,
		FollowersURL: u + "/followers", FollowingURL: u + "/following{/other_user}", GistsURL: u + "/gists{/gist_id}",
		StarredURL: u + "/starred{/owner}{/repo}", SubscriptionsURL: u + "/subscriptions", OrganizationsURL: u + "/orgs",
		ReposURL: u + "/repos", EventsURL: u + "/events{/privacy}", ReceivedEventsURL: u + "/received_events", Type: typ,
	}
}

func (p *Pulls) commentJSON(pr *PullsPR, c *PullsComment) map[string]any {
	author := c.Author
	if author == "" {
		author = PullsBot
	}
	assoc := "NONE"
	if !strings.HasSuffix(author, "[bot]") {
		assoc = "MEMBER"
	}
	api := p.URL + "/repos/" + pr.Repo
	return map[string]any{
		"id": c.ID, "node_id": ghNodeID("IssueComment", c.ID),
		"url":      fmt.Sprintf("%s/issues/comments/%d", api, c.ID),
		"html_url": fmt.Sprintf("%s/%s/pull/%d#issuecomment-%d", ghWeb, pr.Repo, pr.Number, c.ID),
		"body":     c.Body, "user": p.user(author),
		"created_at": ghTime(c.Created), "updated_at": ghTime(c.Updated),
		"issue_url":                fmt.Sprintf("%s/issues/%d", api, pr.Number),
		"author_association":       assoc,
		"performed_via_github_app": nil,
		"reactions": map[string]any{"url": fmt.Sprintf("%s/issues/comments/%d/reactions", api, c.ID), "total_count": 0,
			"+1": 0, "-1": 0, "laugh": 0, "hooray": 0, "confused": 0, "heart": 0, "rocket": 0, "eyes": 0},
	}
}

func (p *Pulls) repoJSON(full string) map[string]any {
	owner, name, _ := strings.Cut(full, "/")
	id := ghID("repo:" + full)
	return map[string]any{"id": id, "node_id": ghNodeID("Repository", id), "name": name, "full_name": full, "private": false,
		"owner": p.user(owner), "html_url": ghWeb + "/" + full, "url": p.URL + "/repos/" + full, "default_branch": "main"}
}

func (p *Pulls) pullJSON(pr *PullsPR) map[string]any {
	author, head := pr.Author, pr.HeadRef
	if author == "" {
		author = "octocat"
	}
	if head == "" {
		head = "feature/x"
	}
	owner, _, _ := strings.Cut(pr.Repo, "/")
	id := ghID(fmt.Sprintf("pull:%s#%d", pr.Repo, pr.Number))
	api := p.URL + "/repos/" + pr.Repo
	created := ghTime(p.now().Add(-48 * time.Hour))
	return map[string]any{
		"url": fmt.Sprintf("%s/pulls/%d", api, pr.Number), "id": id, "node_id": ghNodeID("PullRequest", id),
		"html_url":  fmt.Sprintf("%s/%s/pull/%d", ghWeb, pr.Repo, pr.Number),
		"diff_url":  fmt.Sprintf("%s/%s/pull/%d.diff", ghWeb, pr.Repo, pr.Number),
		"patch_url": fmt.Sprintf("%s/%s/pull/%d.patch", ghWeb, pr.Repo, pr.Number),
		"issue_url": fmt.Sprintf("%s/issues/%d", api, pr.Number), "commits_url": fmt.Sprintf("%s/pulls/%d/commits", api, pr.Number),
		"comments_url": fmt.Sprintf("%s/issues/%d/comments", api, pr.Number),
		"number":       pr.Number, "state": "open", "locked": false, "title": pr.Title, "user": p.user(author), "body": pr.Body,
		"labels": []any{}, "milestone": nil, "active_lock_reason": nil, "created_at": created, "updated_at": created,
		"closed_at": nil, "merged_at": nil, "merge_commit_sha": nil, "assignee": nil, "assignees": []any{},
		"requested_reviewers": []any{}, "requested_teams": []any{}, "draft": false,
		"head":               map[string]any{"label": owner + ":" + head, "ref": head, "sha": commitSHA(pr, len(pr.Commits)-1), "user": p.user(owner), "repo": p.repoJSON(pr.Repo)},
		"base":               map[string]any{"label": owner + ":main", "ref": "main", "sha": commitSHA(pr, -1), "user": p.user(owner), "repo": p.repoJSON(pr.Repo)},
		"author_association": "MEMBER", "auto_merge": nil, "merged": false, "mergeable": true, "rebaseable": true,
		"mergeable_state": "clean", "merged_by": nil, "comments": len(pr.Comments), "review_comments": 0,
		"maintainer_can_modify": false, "commits": len(pr.Commits), "additions": 10, "deletions": 2, "changed_files": 1,
	}
}

func commitSHA(pr *PullsPR, i int) string {
	s := sha1.Sum([]byte(fmt.Sprintf("%s#%d/%d", pr.Repo, pr.Number, i)))
	return hex.EncodeToString(s[:])
}

func (p *Pulls) commitJSON(pr *PullsPR, i int, msg string) map[string]any {
	sha := commitSHA(pr, i)
	author := pr.Author
	if author == "" {
		author = "octocat"
	}
	at := ghTime(p.now().Add(time.Duration(i-len(pr.Commits)) * time.Hour))
	sig := map[string]any{"name": author, "email": author + "@users.noreply.github.com", "date": at}
	api := p.URL + "/repos/" + pr.Repo
	parent := commitSHA(pr, i-1)
	return map[string]any{
		"sha": sha, "node_id": ghNodeID("Commit", ghID(sha)),
		"commit": map[string]any{"author": sig, "committer": sig, "message": msg,
			"tree": map[string]any{"sha": commitSHA(pr, 1000+i), "url": api + "/git/trees/" + commitSHA(pr, 1000+i)},
			"url":  api + "/git/commits/" + sha, "comment_count": 0,
			"verification": map[string]any{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil}},
		"url": api + "/commits/" + sha, "html_url": ghWeb + "/" + pr.Repo + "/commit/" + sha,
		"comments_url": api + "/commits/" + sha + "/comments", "author": p.user(author), "committer": p.user("web-flow"),
		"parents": []any{map[string]any{"sha": parent, "url": api + "/commits/" + parent, "html_url": ghWeb + "/" + pr.Repo + "/commit/" + parent}},
	}
}
