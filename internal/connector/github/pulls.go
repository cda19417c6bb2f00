package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	gh "github.com/google/go-github/v60/github"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
)

// accessPulls names what reading a pull request, its commits and comments
// needs.
var accessPulls = access{"the pull request", "the `repo` scope (classic token) / 'Pull requests: read' permission (fine-grained token or GitHub App)"}

// commentWriteHint says how to grant write access to PR comments.
const commentWriteHint = "writing a pull request comment needs the `repo` scope (classic token) or 'Pull requests: write' / 'Issues: write' " +
	"(fine-grained token or GitHub App); in GitHub Actions add `permissions: {pull-requests: write}` to the job. " +
	"Pull requests from forks get a read-only GITHUB_TOKEN"

// PRClient reads a pull request and upserts its comments. Build it with
// NewPRClient; it goes through the same plumbing (retries, rate limits,
// redaction) and auth as the github source.
type PRClient struct {
	c *clients
	// app is set for GitHub App installation auth: a REST client
	// authenticated as the app itself (a JWT signed with its private key),
	// for GET /app, which installation tokens may not call.
	app *gh.Client
	// appID is the GitHub App's ID when app is set.
	appID int64
}

// NewPRClient builds a client from a github source's settings (base_url,
// token_env or app); src.Block may be a bare &Source{} for
// api.github.com with $GITHUB_TOKEN. It makes no request.
func NewPRClient(src config.Source, env connector.Env) (*PRClient, error) {
	if src.Name == "" {
		src.Name = "github"
	}
	src.Kind = KindName
	if Block(src) == nil {
		src.Block = &Source{}
	}
	c, err := newClients(src, env)
	if err != nil {
		return nil, err
	}
	p := &PRClient{c: c}
	if Block(src).App != nil {
		if p.app, err = newAppClient(src, env, c); err != nil {
			return nil, err
		}
		p.appID = Block(src).App.AppID
	}
	return p, nil
}

// newAppClient builds a REST client authenticated as the GitHub App itself
// (ghinstallation's AppsTransport signs a short-lived JWT per request) on
// the shared plumbing, allowed only to the source's REST origin. newClients
// has already checked the app settings.
func newAppClient(src config.Source, env connector.Env, c *clients) (*gh.Client, error) {
	getenv := env.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	key, err := appKey(src.Name, Block(src).App, env.ConfigDir, getenv)
	if err != nil {
		return nil, err
	}
	opts := env.HTTP
	if opts.Source == "" {
		opts.Source = src.Name
	}
	if opts.Notify == nil {
		opts.Notify = env.Notify
	}
	opts.Clock = c.clock
	// GET /app is one small request per run: never from a cache.
	opts.CacheDir = ""
	opts.RateLimits = RateLimits
	base := connector.NewHTTPClient(opts)
	inner := base.Transport
	if inner == nil {
		inner = http.DefaultTransport
	}
	// Record each JWT as a secret as it passes, to scrub it from errors.
	atr, err := ghinstallation.NewAppsTransport(&secretRecorder{next: inner, secrets: c.secrets}, Block(src).App.AppID, key)
	if err != nil {
		return nil, &connector.ConfigError{Err: fmt.Errorf("github.app: read private key: %w", err)}
	}
	atr.BaseURL = strings.TrimRight(c.restBase.String(), "/")
	appHTTP := *base
	appHTTP.Transport = &rateShield{next: &originGuard{allowed: []string{originOf(c.restBase)}, next: atr}}
	rest := gh.NewClient(&appHTTP)
	rest.BaseURL = c.restBase
	rest.UserAgent = "pomlint"
	return rest, nil
}

// PullRequest is what pomlint reads of a pull request.
type PullRequest struct {
	Number  int
	Title   string
	Body    string
	HTMLURL string
	// HeadRef is the head branch name (feature/PAY-12-refunds).
	HeadRef string
	// BaseRepo is the repository the pull request targets, owner/repo.
	BaseRepo string
	State    string
}

// Comment is one issue comment on a pull request.
type Comment struct {
	ID      int64
	Body    string
	HTMLURL string
	User    string
	Created time.Time
	Updated time.Time
}

// WriteError is a comment that could not be created or updated because the
// credentials lack write access (403 or 404 on the write).
type WriteError struct {
	// Op is "create" or "update".
	Op     string
	Status int
	hint   string
	err    error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("%s pull request comment: %d %s (%s): %s", e.Op, e.Status, http.StatusText(e.Status), e.hint, commentWriteHint)
}

func (e *WriteError) Unwrap() error { return e.err }

// splitRepo splits owner/repo.
func splitRepo(repo string) (string, string, error) {
	owner, name, ok := strings.Cut(strings.TrimSpace(repo), "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("repository %q is not owner/repo", repo)
	}
	return owner, name, nil
}

// PullRequest reads pull request number n of repo (owner/repo).
//
// GitHub API docs: https://docs.github.com/rest/pulls/pulls#get-a-pull-request
func (p *PRClient) PullRequest(ctx context.Context, repo string, n int) (*PullRequest, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return nil, err
	}
	pr, _, err := p.c.rest.PullRequests.Get(ctx, owner, name, n)
	if err != nil {
		return nil, fmt.Errorf("read pull request %s#%d: %w", repo, n, p.c.explain(err, accessPulls))
	}
	out := &PullRequest{Number: pr.GetNumber(), Title: pr.GetTitle(), Body: pr.GetBody(), HTMLURL: pr.GetHTMLURL(), State: pr.GetState(),
		HeadRef: pr.GetHead().GetRef(), BaseRepo: pr.GetBase().GetRepo().GetFullName()}
	if out.BaseRepo == "" {
		out.BaseRepo = repo
	}
	return out, nil
}

// CommitMessages lists the messages of the pull request's commits, oldest
// first, following every page (GitHub lists at most 250 commits).
//
// GitHub API docs: https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request
func (p *PRClient) CommitMessages(ctx context.Context, repo string, n int) ([]string, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return nil, err
	}
	var out []string
	opt := &gh.ListOptions{PerPage: perPage}
	guard := newLoopGuard("")
	for {
		commits, resp, err := p.c.rest.PullRequests.ListCommits(ctx, owner, name, n, opt)
		if err != nil {
			return out, fmt.Errorf("list commits of pull request %s#%d: %w", repo, n, p.c.explain(err, accessPulls))
		}
		keys := make([]string, len(commits))
		for i, c := range commits {
			out = append(out, c.GetCommit().GetMessage())
			keys[i] = c.GetSHA()
		}
		if err := pageChain(guard, keys, opt.Page, resp); err != nil {
			return out, fmt.Errorf("list commits of pull request %s#%d: %w", repo, n, err)
		}
		if resp == nil || resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// Comments lists every issue comment on the pull request, oldest first,
// following every page.
//
// GitHub API docs: https://docs.github.com/rest/issues/comments#list-issue-comments
func (p *PRClient) Comments(ctx context.Context, repo string, n int) ([]Comment, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return nil, err
	}
	var out []Comment
	opt := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: perPage}}
	guard := newLoopGuard("")
	for {
		cs, resp, err := p.c.rest.Issues.ListComments(ctx, owner, name, n, opt)
		if err != nil {
			return out, fmt.Errorf("list comments of pull request %s#%d: %w", repo, n, p.c.explain(err, accessPulls))
		}
		keys := make([]string, len(cs))
		for i, c := range cs {
			out = append(out, comment(c))
			keys[i] = strconv.FormatInt(c.GetID(), 10)
		}
		if err := pageChain(guard, keys, opt.Page, resp); err != nil {
			return out, fmt.Errorf("list comments of pull request %s#%d: %w", repo, n, err)
		}
		if resp == nil || resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// ErrNoViewer is returned by Viewer when the credentials are not a user's:
// GitHub answers GET /user with 403 "Resource not accessible by
// integration" to the Actions GITHUB_TOKEN and to GitHub App installation
// tokens.
var ErrNoViewer = errors.New("the credentials do not belong to a user account (GET /user is not accessible by an integration token)")

// Viewer returns the login of the account the credentials belong to (GET
// /user). For GitHub App installation auth that account is the app's bot,
// "<slug>[bot]", and Viewer reads the slug from GET /app authenticated as
// the app (AppLogin). For another integration token (the Actions
// GITHUB_TOKEN) it returns an error wrapping ErrNoViewer.
//
// GitHub API docs: https://docs.github.com/rest/users/users#get-the-authenticated-user
func (p *PRClient) Viewer(ctx context.Context) (string, error) {
	if p.app != nil {
		return p.AppLogin(ctx)
	}
	u, _, err := p.c.rest.Users.Get(ctx, "")
	if err != nil {
		var er *gh.ErrorResponse
		var rl *gh.RateLimitError
		var ab *gh.AbuseRateLimitError
		if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusForbidden && !errors.As(err, &rl) && !errors.As(err, &ab) {
			return "", fmt.Errorf("read the authenticated user: %w", ErrNoViewer)
		}
		return "", fmt.Errorf("read the authenticated user: %w", p.c.explain(err, accessViewer))
	}
	if u.GetLogin() == "" {
		return "", fmt.Errorf("read the authenticated user: GitHub returned no login")
	}
	return u.GetLogin(), nil
}

// accessViewer names what reading the authenticated user needs.
var accessViewer = access{"the authenticated user", "no extra scope (any user token may read GET /user)"}

// ErrAppLogin is wrapped by AppLogin's errors: the GitHub App's bot login
// could not be found.
var ErrAppLogin = errors.New("cannot find the GitHub App's bot login")

// UsesApp reports whether the client authenticates as a GitHub App
// installation.
func (p *PRClient) UsesApp() bool { return p.app != nil }

// AppLogin returns the login a GitHub App installation writes comments as,
// "<slug>[bot]", with the slug from GET /app authenticated with the app's
// JWT (installation tokens may not call it). Errors wrap ErrAppLogin; it
// fails when the client does not use GitHub App auth.
//
// GitHub API docs: https://docs.github.com/rest/apps/apps#get-the-authenticated-app
func (p *PRClient) AppLogin(ctx context.Context) (string, error) {
	if p.app == nil {
		return "", fmt.Errorf("%w: the credentials are not a GitHub App's", ErrAppLogin)
	}
	a, _, err := p.app.Apps.Get(ctx, "")
	if err != nil {
		return "", fmt.Errorf("%w: read the authenticated app (GET /app with app %d's JWT): %w", ErrAppLogin, p.appID, p.appExplain(err))
	}
	slug := strings.TrimSpace(a.GetSlug())
	if slug == "" {
		return "", fmt.Errorf("%w: GET /app returned no slug for app %d", ErrAppLogin, p.appID)
	}
	return slug + "[bot]", nil
}

// appExplain explains a failed request made as the app (with its JWT, not
// an installation token).
func (p *PRClient) appExplain(err error) error {
	var er *gh.ErrorResponse
	var rl *gh.RateLimitError
	var ab *gh.AbuseRateLimitError
	if errors.As(err, &er) && er.Response != nil && !errors.As(err, &rl) && !errors.As(err, &ab) {
		switch code := er.Response.StatusCode; code {
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
			msg := p.c.secrets.scrub(er.Message)
			if msg == "" {
				msg = http.StatusText(code)
			}
			return &hintedError{status: er.Response.Status,
				hint: fmt.Sprintf("GitHub says %q: check github.app.app_id (%d) and that the private key is that app's, and that this machine's clock is right (the JWT is valid for minutes)", msg, p.appID),
				err:  p.c.secrets.redact(err)}
		}
	}
	return p.c.explain(err, accessApp)
}

// accessApp names what reading the authenticated app needs.
var accessApp = access{"the GitHub App", "nothing beyond a JWT signed with the app's private key"}

// CreateComment adds a comment to the pull request. Missing write access
// gives a *WriteError.
//
// GitHub API docs: https://docs.github.com/rest/issues/comments#create-an-issue-comment
func (p *PRClient) CreateComment(ctx context.Context, repo string, n int, body string) (*Comment, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return nil, err
	}
	// A create that failed with a 5xx may have happened: never repeat it,
	// or the PR gets two sticky comments.
	c, _, err := p.c.rest.Issues.CreateComment(connector.WithoutTransientRetries(ctx), owner, name, n, &gh.IssueComment{Body: gh.String(body)})
	if err != nil {
		return nil, p.writeError("create", fmt.Sprintf("create comment on pull request %s#%d", repo, n), err)
	}
	out := comment(c)
	return &out, nil
}

// UpdateComment replaces the body of comment id (PATCH
// /repos/{owner}/{repo}/issues/comments/{id}). Missing write access gives a
// *WriteError.
//
// GitHub API docs: https://docs.github.com/rest/issues/comments#update-an-issue-comment
func (p *PRClient) UpdateComment(ctx context.Context, repo string, id int64, body string) (*Comment, error) {
	owner, name, err := splitRepo(repo)
	if err != nil {
		return nil, err
	}
	c, _, err := p.c.rest.Issues.EditComment(ctx, owner, name, id, &gh.IssueComment{Body: gh.String(body)})
	if err != nil {
		return nil, p.writeError("update", fmt.Sprintf("update comment %d in %s", id, repo), err)
	}
	out := comment(c)
	return &out, nil
}

// writeError turns a 403/404 on a write into a *WriteError (GitHub answers
// 404 rather than 403 to a token that may not see a private repository) and
// explains any other failure.
func (p *PRClient) writeError(op, what string, err error) error {
	var er *gh.ErrorResponse
	var rl *gh.RateLimitError
	var ab *gh.AbuseRateLimitError
	if errors.As(err, &er) && er.Response != nil && !errors.As(err, &rl) && !errors.As(err, &ab) {
		if code := er.Response.StatusCode; code == http.StatusForbidden || code == http.StatusNotFound {
			msg := p.c.secrets.scrub(er.Message)
			if msg == "" {
				msg = http.StatusText(code)
			}
			return &WriteError{Op: op, Status: code, hint: fmt.Sprintf("GitHub says %q to %s", msg, p.c.credential), err: p.c.secrets.redact(err)}
		}
	}
	return fmt.Errorf("%s: %w", what, p.c.explain(err, accessPulls))
}

// pageChain checks one page of a go-github listing read at page (0 is
// page 1) against guard: its entries, and that the next page it names was
// not read before.
func pageChain(guard *loopGuard, keys []string, page int, resp *gh.Response) error {
	next := ""
	if resp != nil && resp.NextPage != 0 {
		next = "page " + strconv.Itoa(resp.NextPage)
	}
	return guard.chain(keys, "page "+strconv.Itoa(max(page, 1)), next)
}

func comment(c *gh.IssueComment) Comment {
	return Comment{ID: c.GetID(), Body: c.GetBody(), HTMLURL: c.GetHTMLURL(), User: c.GetUser().GetLogin(),
		Created: c.GetCreatedAt().Time, Updated: c.GetUpdatedAt().Time}
}
