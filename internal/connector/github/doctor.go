package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	gh "github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/suggest"
)

var _ connector.Checker = (*Connector)(nil)

// Check diagnoses the source for pomlint doctor: it reaches the API, reads
// who the credentials belong to (GET /user, or GET /app for GitHub App
// auth), reads each configured repository (its permissions), organisation,
// roster-import team and Projects v2 board, and looks up every project field
// the config names on each board. A server that cannot be reached ends the
// checks at once: every further request would fail the same way.
//
// GitHub API docs: https://docs.github.com/rest/users/users#get-the-authenticated-user,
// https://docs.github.com/rest/repos/repos#get-a-repository
func (c *Connector) Check(ctx context.Context, req connector.CheckRequest) []connector.Check {
	var out []connector.Check
	who, ok := c.checkAccount(ctx, &out)
	if !ok {
		return out
	}
	out = append(out, who)
	for _, r := range c.repos {
		out = append(out, c.checkRepo(ctx, r))
	}
	for _, org := range c.cfg.Orgs {
		name := "org " + org
		var repos []*gh.Repository
		_, err := c.c.getJSON(ctx, fmt.Sprintf("orgs/%s/repos?per_page=1", url.PathEscape(org)), &repos)
		if err != nil {
			out = append(out, c.failed(name, err, accessRepos, "give the token read access to the organisation's repositories, or fix github.orgs"))
			continue
		}
		out = append(out, connector.Pass(name, "repositories can be listed"))
	}
	if req.Import != nil {
		teams := make([]string, 0, len(req.Import.Groups(ImportKey)))
		for t := range req.Import.Groups(ImportKey) {
			teams = append(teams, t)
		}
		sort.Strings(teams)
		for _, t := range teams {
			out = append(out, c.checkTeam(ctx, t))
		}
	}
	for _, p := range c.cfg.Projects {
		out = append(out, c.checkBoard(ctx, p, req.ProjectFields)...)
	}
	return out
}

// checkAccount reads who the credentials are. It reports ok false (with the
// failed checks in out) when the server cannot be reached or rejects the
// credentials: nothing else can be checked then.
func (c *Connector) checkAccount(ctx context.Context, out *[]connector.Check) (connector.Check, bool) {
	if c.cfg.App != nil {
		src := config.Source{Name: c.name, Kind: KindName, Block: &c.cfg}
		p := &PRClient{c: c.c, appID: c.cfg.App.AppID}
		app, err := newAppClient(src, c.env, c.c)
		if err != nil {
			*out = append(*out, connector.Fail("credentials", connector.ProblemConfig, err.Error(), "fix github.app (app_id, installation_id, the private key)"))
			return connector.Check{}, false
		}
		p.app = app
		login, err := p.AppLogin(ctx)
		if c.unreachable(err, out) {
			return connector.Check{}, false
		}
		*out = append(*out, connector.Pass("connectivity", "the API answered"))
		if err != nil {
			*out = append(*out, connector.Fail("credentials", connector.ProblemSource, err.Error(), "check github.app.app_id, the private key and this machine's clock"))
			return connector.Check{}, false
		}
		return connector.Pass("credentials", fmt.Sprintf("GitHub App %s (%s)", login, c.c.credential)), true
	}
	u, resp, err := c.c.rest.Users.Get(ctx, "")
	if c.unreachable(err, out) {
		return connector.Check{}, false
	}
	*out = append(*out, connector.Pass("connectivity", "the API at github.base_url answered"))
	var er *gh.ErrorResponse
	switch {
	case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusUnauthorized:
		*out = append(*out, connector.Fail("credentials", connector.ProblemSource,
			fmt.Sprintf("GitHub rejected %s: it is invalid, expired or revoked", c.c.credential),
			"create a new token (classic: scopes repo, read:org, read:project; fine-grained: Issues, Metadata, Members and Projects read) and put it in that variable"))
		return connector.Check{}, false
	case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusForbidden && !connector.IsRateLimit(err):
		// An integration token (the Actions GITHUB_TOKEN) may not read
		// GET /user; it still reads what it was granted.
		return connector.Pass("credentials", fmt.Sprintf("%s is an integration token (it may not read GET /user)", c.c.credential)), true
	case err != nil:
		*out = append(*out, connector.Fail("credentials", connector.ProblemSource, c.c.secrets.scrub(c.c.explain(err, accessViewer).Error()), "check the token and try again"))
		return connector.Check{}, false
	}
	detail := fmt.Sprintf("%s (%s", u.GetLogin(), c.c.credential)
	if resp != nil {
		if s, ok := resp.Header["X-Oauth-Scopes"]; ok {
			scopes := strings.TrimSpace(strings.Join(s, ","))
			if scopes == "" {
				scopes = "none"
			}
			detail += "; scopes: " + scopes
		}
	}
	return connector.Pass("credentials", detail+")"), true
}

// unreachable records a connectivity failure when err is one, naming
// github.base_url.
func (c *Connector) unreachable(err error, out *[]connector.Check) bool {
	if err != nil && errors.Is(err, context.Canceled) {
		*out = append(*out, connector.Fail("connectivity", connector.ProblemSource, "interrupted", "run pomlint doctor again"))
		return true
	}
	what, ok := connector.NetProblem(err)
	if !ok {
		return false
	}
	*out = append(*out, connector.Fail("connectivity", connector.ProblemSource,
		fmt.Sprintf("%s: %s", c.c.restBase.String(), what),
		fmt.Sprintf("check github.base_url of source %q (https://api.github.com/, or https://HOST/api/v3/ for GitHub Enterprise Server) and the network or proxy (HTTPS_PROXY)", c.name)))
	return true
}

// failed is a failed permission check, worded by explain.
func (c *Connector) failed(name string, err error, a access, next string) connector.Check {
	if what, ok := connector.NetProblem(err); ok {
		return connector.Fail(name, connector.ProblemSource, what, "check the network and github.base_url")
	}
	return connector.Fail(name, connector.ProblemSource, c.c.secrets.scrub(c.c.explain(err, a).Error()), next)
}

// repoJSON is what the check reads of GET /repos/{owner}/{repo}.
type repoJSON struct {
	FullName    string `json:"full_name"`
	Archived    bool   `json:"archived"`
	HasIssues   bool   `json:"has_issues"`
	Permissions *struct {
		Admin bool `json:"admin"`
		Push  bool `json:"push"`
		Pull  bool `json:"pull"`
	} `json:"permissions"`
}

func (c *Connector) checkRepo(ctx context.Context, r repoRef) connector.Check {
	name := "repo " + r.String()
	var repo repoJSON
	if _, err := c.c.getJSON(ctx, fmt.Sprintf("repos/%s/%s", url.PathEscape(r.owner), url.PathEscape(r.name)), &repo); err != nil {
		return c.failed(name, err, accessIssues, "grant the token read access to the repository (or fix the name in github.repos)")
	}
	switch {
	case !repo.HasIssues:
		return connector.Fail(name, connector.ProblemConfig, "issues are disabled for the repository", "enable issues in the repository settings, or remove it from github.repos")
	case repo.Permissions != nil && !repo.Permissions.Pull:
		return connector.Fail(name, connector.ProblemSource, "the credentials may not read it (permissions.pull is false)", "grant the token read access to the repository")
	}
	detail := "readable"
	if repo.Permissions != nil {
		switch {
		case repo.Permissions.Admin:
			detail += " (admin)"
		case repo.Permissions.Push:
			detail += " (write)"
		default:
			detail += " (read)"
		}
	}
	if repo.Archived {
		detail += "; archived: skipped unless github.include_archived"
	}
	return connector.Pass(name, detail)
}

func (c *Connector) checkTeam(ctx context.Context, t string) connector.Check {
	name := "team " + t
	org, slug, ok := strings.Cut(t, "/")
	if !ok || org == "" || slug == "" || strings.Contains(slug, "/") {
		return connector.Fail(name, connector.ProblemConfig, "not org/team-slug", "write the team as org/team-slug in roster.import.github_teams")
	}
	var users []*gh.User
	if _, err := c.c.getJSON(ctx, fmt.Sprintf("orgs/%s/teams/%s/members?per_page=1", url.PathEscape(org), url.PathEscape(slug)), &users); err != nil {
		return c.failed(name, err, accessTeam, "give the token read:org (organisation Members: read), or fix the slug in roster.import.github_teams")
	}
	return connector.Pass(name, "members can be listed")
}

// boardFields is a Projects v2 board's title and field names.
type boardFields struct {
	Title  string
	Fields struct {
		Nodes []struct {
			Common struct {
				Name string
			} `graphql:"... on ProjectV2FieldCommon"`
		}
	} `graphql:"fields(first: 100)"`
}

type orgBoardFieldsQuery struct {
	Organization struct {
		ProjectV2 *boardFields `graphql:"projectV2(number: $number)"`
	} `graphql:"organization(login: $login)"`
}

type userBoardFieldsQuery struct {
	User struct {
		ProjectV2 *boardFields `graphql:"projectV2(number: $number)"`
	} `graphql:"user(login: $login)"`
}

// checkBoard reads board p's title and fields, and looks up each project
// field the config names.
func (c *Connector) checkBoard(ctx context.Context, p Project, want []string) []connector.Check {
	name := "board " + boardName(p)
	owner := p.Org
	if owner == "" {
		owner = p.User
	}
	vars := map[string]any{"login": githubv4.String(owner), "number": githubv4.Int(p.Number)}
	var b *boardFields
	var err error
	if p.Org != "" {
		var q orgBoardFieldsQuery
		err = c.c.gql.Query(ctx, &q, vars)
		b = q.Organization.ProjectV2
	} else {
		var q userBoardFieldsQuery
		err = c.c.gql.Query(ctx, &q, vars)
		b = q.User.ProjectV2
	}
	if err == nil && b == nil {
		err = errors.New("no such project")
	}
	if err != nil {
		return []connector.Check{c.failed(name, err, accessBoard, "give the token read:project (organisation Projects: read), or fix github.projects")}
	}
	out := []connector.Check{connector.Pass(name, fmt.Sprintf("%q readable", b.Title))}
	var names []string
	for _, n := range b.Fields.Nodes {
		if n.Common.Name != "" {
			names = append(names, n.Common.Name)
		}
	}
	for _, f := range want {
		fname := fmt.Sprintf("project field %q on %s", f, boardName(p))
		found := false
		for _, n := range names {
			if strings.EqualFold(n, f) {
				found = true
			}
		}
		if found {
			out = append(out, connector.Pass(fname, "found"))
			continue
		}
		detail := "no such field on the board"
		if near := nearest(f, names, 3); len(near) > 0 {
			detail += " (closest: " + strings.Join(near, ", ") + ")"
		}
		out = append(out, connector.Fail(fname, connector.ProblemConfig, detail, "use the field name exactly as the board shows it in ownership.from (project-field:NAME) or classification.project_field"))
	}
	return out
}

// nearest returns up to n of names closest to name by edit distance
// (case-insensitive), quoted, nearest first.
func nearest(name string, names []string, n int) []string {
	cs := append([]string(nil), names...)
	d := func(s string) int { return suggest.Distance(strings.ToLower(name), strings.ToLower(s)) }
	sort.SliceStable(cs, func(i, j int) bool {
		if di, dj := d(cs[i]), d(cs[j]); di != dj {
			return di < dj
		}
		return cs[i] < cs[j]
	})
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, fmt.Sprintf("%q", cs[i]))
	}
	return out
}
