package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

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
}

// NewPRClient builds a client from a github source's settings (base_url,
// token_env or app); src.GitHub may be a bare &config.GitHubSource{} for
// api.github.com with $GITHUB_TOKEN. It makes no request.
func NewPRClient(src config.Source, env connector.Env) (*PRClient, error) {
	if src.Name == "" {
		src.Name = "github"
	}
	src.Kind = config.KindGitHub
	if src.GitHub == nil {
		src.GitHub = &config.GitHubSource{}
	}
	c, err := newClients(src, env)
	if err != nil {
		return nil, err
	}
	return &PRClient{c: c}, nil
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
	for {
		commits, resp, err := p.c.rest.PullRequests.ListCommits(ctx, owner, name, n, opt)
		if err != nil {
			return out, fmt.Errorf("list commits of pull request %s#%d: %w", repo, n, p.c.explain(err, accessPulls))
		}
		for _, c := range commits {
			out = append(out, c.GetCommit().GetMessage())
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
	for {
		cs, resp, err := p.c.rest.Issues.ListComments(ctx, owner, name, n, opt)
		if err != nil {
			return out, fmt.Errorf("list comments of pull request %s#%d: %w", repo, n, p.c.explain(err, accessPulls))
		}
		for _, c := range cs {
			out = append(out, comment(c))
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
// /user). For an integration token (Actions GITHUB_TOKEN, GitHub App
// installation) it returns an error wrapping ErrNoViewer.
//
// GitHub API docs: https://docs.github.com/rest/users/users#get-the-authenticated-user
func (p *PRClient) Viewer(ctx context.Context) (string, error) {
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

func comment(c *gh.IssueComment) Comment {
	return Comment{ID: c.GetID(), Body: c.GetBody(), HTMLURL: c.GetHTMLURL(), User: c.GetUser().GetLogin(),
		Created: c.GetCreatedAt().Time, Updated: c.GetUpdatedAt().Time}
}
