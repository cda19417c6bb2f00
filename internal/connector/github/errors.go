package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	gh "github.com/google/go-github/v60/github"
)

// access names what a request reads, for hints on 401/403/404: what it is
// ("the repository") and the token permission it needs.
type access struct {
	thing string
	perm  string
}

var (
	accessIssues = access{"the repository", "the `repo` scope (classic token) / 'Issues: read' permission (fine-grained token or GitHub App)"}
	accessRepos  = access{"the organisation", "the `read:org` and `repo` scopes (classic token) / 'Metadata: read' permission (fine-grained token or GitHub App)"}
	accessTeam   = access{"the team", "the `read:org` scope (classic token) / organisation 'Members: read' permission (fine-grained token or GitHub App)"}
	accessBoard  = access{"the project", "the `read:project` scope (classic token) / organisation 'Projects: read' permission (fine-grained token or GitHub App)"}
	accessRate   = access{"the rate limit endpoint", "a valid token"}
	// accessRedacted is what a board's redacted items need: the issue
	// and pull request content lives in repositories, not in the project.
	accessRedacted = access{"the repositories", "the `repo` scope (classic token) / 'Issues: read' and 'Pull requests: read' permissions on those repositories (fine-grained token), or a GitHub App installation that includes them"}
)

// hintedError is an HTTP failure with a sentence on what to fix.
type hintedError struct {
	status string
	hint   string
	err    error
}

func (e *hintedError) Error() string {
	if e.hint == "" {
		return e.status
	}
	return e.status + ": " + e.hint
}
func (e *hintedError) Unwrap() error { return e.err }

// explain rewrites err from a request that reads a with a hint for the
// status codes a user can fix. Other errors pass through unchanged.
func (c *clients) explain(err error, a access) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var rl *gh.RateLimitError
	if errors.As(err, &rl) {
		return &hintedError{status: "primary rate limit exhausted", hint: fmt.Sprintf("%d requests an hour, resets at %s", rl.Rate.Limit, rl.Rate.Reset.UTC().Format("15:04:05 MST")), err: err}
	}
	var ab *gh.AbuseRateLimitError
	if errors.As(err, &ab) {
		return &hintedError{status: "secondary rate limit", hint: "GitHub asks to slow down; lower github.concurrency", err: err}
	}
	code, status, msg := 0, "", ""
	var er *gh.ErrorResponse
	var se *statusError
	switch {
	case errors.As(err, &er) && er.Response != nil:
		code, status, msg = er.Response.StatusCode, er.Response.Status, er.Message
	case errors.As(err, &se):
		code, status, msg = se.Code, se.Status, se.Message
	default:
		if isTruncated(err) {
			return &hintedError{status: "malformed response", hint: err.Error(), err: err}
		}
		return err
	}
	if status == "" {
		status = fmt.Sprintf("%d %s", code, http.StatusText(code))
	}
	switch code {
	case http.StatusUnauthorized:
		return &hintedError{status: status, hint: fmt.Sprintf("GitHub rejected %s: it is invalid, expired or revoked", c.credential), err: err}
	case http.StatusForbidden:
		return &hintedError{status: status, hint: fmt.Sprintf("%s lacks %s, or the organisation requires SAML SSO authorisation of the token", c.credential, a.perm), err: err}
	case http.StatusNotFound:
		return &hintedError{status: status, hint: fmt.Sprintf("%s does not exist or %s lacks %s", a.thing, c.credential, a.perm), err: err}
	case http.StatusGone:
		return &hintedError{status: status, hint: "issues are disabled for the repository", err: err}
	}
	return &hintedError{status: status, hint: c.secrets.scrub(msg), err: err}
}
