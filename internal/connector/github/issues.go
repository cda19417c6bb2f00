package github

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/pomlint/pomlint/internal/model"
)

// issueJSON is an issue object of the REST issues API, with the fields v60's
// gh.Issue lacks: type, parent_issue_url, sub_issues_summary.
type issueJSON struct {
	Number        int              `json:"number"`
	Title         string           `json:"title"`
	State         string           `json:"state"`
	HTMLURL       string           `json:"html_url"`
	RepositoryURL string           `json:"repository_url"`
	User          *userJSON        `json:"user"`
	Labels        []labelJSON      `json:"labels"`
	Assignees     []userJSON       `json:"assignees"`
	Milestone     *milestoneJSON   `json:"milestone"`
	PullRequest   json.RawMessage  `json:"pull_request"`
	Type          *issueTypeJSON   `json:"type"`
	CreatedAt     time.Time        `json:"created_at"`
	UpdatedAt     time.Time        `json:"updated_at"`
	SubIssues     *subIssueSummary `json:"sub_issues_summary"`
	// ParentIssueURL is nil when the key is absent (servers that predate
	// sub-issues) and "null" when the issue has no parent.
	ParentIssueURL json.RawMessage `json:"parent_issue_url"`
}

type userJSON struct {
	Login string `json:"login"`
}

type labelJSON struct {
	Name string `json:"name"`
}

type milestoneJSON struct {
	Title string `json:"title"`
}

type issueTypeJSON struct {
	Name string `json:"name"`
}

type subIssueSummary struct {
	Total     int `json:"total"`
	Completed int `json:"completed"`
}

// isPull reports whether the issues API returned a pull request.
func (i *issueJSON) isPull() bool {
	return len(i.PullRequest) > 0 && string(i.PullRequest) != "null"
}

// repoPage is one page of a repository's issues.
type repoPage struct {
	items []model.Item
	// parents lists issues whose children must be listed through the
	// sub_issues endpoint (the server sent no parent_issue_url).
	parents []int
}

// listIssues reads every issue of repo (pull requests dropped), calling
// onPage after each page. It returns what it read and the first error.
func (c *run) listIssues(ctx context.Context, repo repoRef, since time.Time, onPage func(n int)) ([]model.Item, error) {
	q := url.Values{}
	q.Set("state", c.cfg.State)
	q.Set("sort", "created")
	q.Set("direction", "asc")
	q.Set("per_page", strconv.Itoa(perPage))
	if !since.IsZero() {
		q.Set("since", since.UTC().Format(time.RFC3339))
	}
	next := fmt.Sprintf("repos/%s/%s/issues?%s", url.PathEscape(repo.owner), url.PathEscape(repo.name), q.Encode())

	var items []model.Item
	var parents []int
	for page := 1; next != ""; page++ {
		var raw []issueJSON
		resp, err := c.c.getJSON(ctx, next, &raw)
		if err != nil {
			return items, fmt.Errorf("read issues of %s (page %d): %w", repo, page, c.c.explain(err, accessIssues))
		}
		for i := range raw {
			is := &raw[i]
			if is.isPull() {
				continue
			}
			items = append(items, c.toItem(repo, is))
			if is.ParentIssueURL == nil && is.SubIssues != nil && is.SubIssues.Total > 0 {
				parents = append(parents, is.Number)
			}
		}
		if onPage != nil {
			onPage(len(raw))
		}
		next = nextLink(resp)
	}
	if len(parents) > 0 {
		if err := c.fillParents(ctx, repo, parents, items); err != nil {
			return items, err
		}
	}
	return items, nil
}

// fillParents lists the sub-issues of each parent and sets Parent on the
// children that are among items. Children in other repositories are linked
// when Fetch merges all repositories (see linkParents).
func (c *run) fillParents(ctx context.Context, repo repoRef, parents []int, items []model.Item) error {
	byKey := make(map[string]*model.Item, len(items))
	for i := range items {
		byKey[items[i].Key] = &items[i]
	}
	for _, n := range parents {
		parentKey := fmt.Sprintf("%s#%d", repoKey(repo, items), n)
		next := fmt.Sprintf("repos/%s/%s/issues/%d/sub_issues?per_page=%d", url.PathEscape(repo.owner), url.PathEscape(repo.name), n, perPage)
		for next != "" {
			var subs []issueJSON
			resp, err := c.c.getJSON(ctx, next, &subs)
			if err != nil {
				return fmt.Errorf("read sub-issues of %s: %w", parentKey, c.c.explain(err, accessIssues))
			}
			for i := range subs {
				k := issueKeyFromURL(subs[i].RepositoryURL, subs[i].Number)
				if k == "" {
					continue
				}
				if it, ok := byKey[k]; ok {
					it.Parent = parentKey
				} else {
					c.pendingParent(k, parentKey)
				}
			}
			next = nextLink(resp)
		}
	}
	return nil
}

// repoKey is the canonical owner/repo of items (from GitHub's own URLs), or
// the configured spelling when there are none.
func repoKey(repo repoRef, items []model.Item) string {
	if len(items) > 0 && items[0].Repo != "" {
		return items[0].Repo
	}
	return repo.String()
}

// toItem converts an issue of repo.
func (c *Connector) toItem(repo repoRef, is *issueJSON) model.Item {
	full := repoFromURL(is.RepositoryURL)
	if full == "" {
		full = repo.String()
	}
	it := model.Item{
		Key:       fmt.Sprintf("%s#%d", full, is.Number),
		Source:    c.name,
		Tracker:   model.TrackerGitHub,
		URL:       is.HTMLURL,
		Title:     is.Title,
		State:     is.State,
		Closed:    is.State == "closed",
		Repo:      full,
		Created:   is.CreatedAt,
		Updated:   is.UpdatedAt,
		Assignees: nil,
	}
	if is.Type != nil {
		it.Type = is.Type.Name
	}
	for _, l := range is.Labels {
		it.Labels = append(it.Labels, l.Name)
	}
	for _, a := range is.Assignees {
		it.Assignees = append(it.Assignees, model.Account{Tracker: model.TrackerGitHub, Login: a.Login})
	}
	if is.User != nil && is.User.Login != "" {
		it.Reporter = &model.Account{Tracker: model.TrackerGitHub, Login: is.User.Login}
	}
	if is.Milestone != nil {
		it.Milestone = is.Milestone.Title
	}
	if len(is.ParentIssueURL) > 0 && string(is.ParentIssueURL) != "null" {
		var u string
		if json.Unmarshal(is.ParentIssueURL, &u) == nil {
			it.Parent = issueKeyFromAPIURL(u)
		}
	}
	return it
}

// repoFromURL turns https://HOST/[api/v3/]repos/{o}/{r} into "o/r".
func repoFromURL(u string) string {
	i := strings.LastIndex(u, "/repos/")
	if i < 0 {
		return ""
	}
	parts := strings.Split(strings.TrimSuffix(u[i+len("/repos/"):], "/"), "/")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

// issueKeyFromAPIURL turns .../repos/{o}/{r}/issues/{n} into "o/r#n".
func issueKeyFromAPIURL(u string) string {
	i := strings.LastIndex(u, "/repos/")
	if i < 0 {
		return ""
	}
	parts := strings.Split(strings.TrimSuffix(u[i+len("/repos/"):], "/"), "/")
	if len(parts) != 4 || parts[2] != "issues" {
		return ""
	}
	if _, err := strconv.Atoi(parts[3]); err != nil {
		return ""
	}
	return parts[0] + "/" + parts[1] + "#" + parts[3]
}

// issueKeyFromURL is "o/r#n" from a repository_url and a number.
func issueKeyFromURL(repoURL string, n int) string {
	r := repoFromURL(repoURL)
	if r == "" || n <= 0 {
		return ""
	}
	return fmt.Sprintf("%s#%d", r, n)
}

// getJSON GETs path (relative to the REST root, or absolute as in a Link
// header) through go-github and decodes the body into v.
func (c *clients) getJSON(ctx context.Context, path string, v any) (*gh.Response, error) {
	req, err := c.rest.NewRequest("GET", path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.rest.Do(ctx, req, v)
	if err != nil {
		return resp, err
	}
	return resp, nil
}

// nextLink is the rel="next" URL of a response's Link header, or "".
// Following it verbatim keeps GitHub's own paging (it points at
// /repositories/{id}/issues with every query parameter kept).
func nextLink(resp *gh.Response) string {
	if resp == nil {
		return ""
	}
	for _, link := range strings.Split(resp.Header.Get("Link"), ",") {
		segs := strings.Split(strings.TrimSpace(link), ";")
		if len(segs) < 2 {
			continue
		}
		u := strings.TrimSpace(segs[0])
		if !strings.HasPrefix(u, "<") || !strings.HasSuffix(u, ">") {
			continue
		}
		for _, s := range segs[1:] {
			if strings.TrimSpace(s) == `rel="next"` {
				return u[1 : len(u)-1]
			}
		}
	}
	return ""
}
