package github

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

// repoRead collects the pages of one repository's issue listing.
type repoRead struct {
	repo repoRef
	// pending counts page readers still running; the last one to finish
	// completes the repository (legacy parents).
	pending atomic.Int64

	mu    sync.Mutex
	byNum map[int]model.Item
	// parents lists issues whose children must be listed through the
	// sub_issues endpoint (the server sent no parent_issue_url).
	parents []int
}

// add keeps the issues of one page (pull requests dropped). An issue read
// twice (the listing shifted between pages) is kept once, in its newer form.
func (rr *repoRead) add(c *Connector, raw []issueJSON) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	for i := range raw {
		is := &raw[i]
		if is.isPull() {
			continue
		}
		if old, dup := rr.byNum[is.Number]; dup && !is.UpdatedAt.After(old.Updated) {
			continue
		} else if !dup && is.ParentIssueURL == nil && is.SubIssues != nil && is.SubIssues.Total > 0 {
			rr.parents = append(rr.parents, is.Number)
		}
		rr.byNum[is.Number] = c.toItem(rr.repo, is)
	}
}

// items returns the issues read, by number.
func (rr *repoRead) items() []model.Item {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	nums := make([]int, 0, len(rr.byNum))
	for n := range rr.byNum {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	out := make([]model.Item, 0, len(nums))
	for _, n := range nums {
		out = append(out, rr.byNum[n])
	}
	return out
}

// firstPageURL is page 1 of repo's issue listing, oldest first.
func (c *run) firstPageURL(repo repoRef) string {
	return pageURL(repo, c.cfg.State, c.opts.Since)
}

// closedPageURL is page 1 of repo's closed issues updated since
// FetchOptions.ClosedSince (an audit's window), when the source itself reads
// only open ones; "" otherwise.
func (c *run) closedPageURL(repo repoRef) string {
	if c.opts.ClosedSince.IsZero() || c.cfg.State != "open" {
		return ""
	}
	since := c.opts.ClosedSince
	if c.opts.Since.After(since) {
		since = c.opts.Since
	}
	return pageURL(repo, "closed", since)
}

func pageURL(repo repoRef, state string, since time.Time) string {
	q := url.Values{}
	q.Set("state", state)
	q.Set("sort", "created")
	q.Set("direction", "asc")
	q.Set("per_page", strconv.Itoa(perPage))
	if !since.IsZero() {
		q.Set("since", since.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("repos/%s/%s/issues?%s", url.PathEscape(repo.owner), url.PathEscape(repo.name), q.Encode())
}

// listings are the listings of rr for the pager: its issue listing and,
// in an audit, its closed issues updated in the window. The last of them to
// finish completes the repository (legacy parents). open is the org
// listing's open_issues_count (-1 when unknown): with state open it bounds
// the pages of the issue listing (see maxPages).
func (c *run) listings(rr *repoRead, open int) []*listing {
	urls := []string{c.firstPageURL(rr.repo)}
	if closed := c.closedPageURL(rr.repo); closed != "" {
		urls = append(urls, closed)
	}
	rr.pending.Store(int64(len(urls)))
	out := make([]*listing, len(urls))
	for i, u := range urls {
		out[i] = &listing{
			what:  "read issues of " + rr.repo.String(),
			first: c.c.absolute(u),
			read: func(ctx context.Context, u string, n int) ([]string, *gh.Response, error) {
				return c.readPage(ctx, rr, u, n)
			},
			done: func(ctx context.Context) error {
				if rr.pending.Add(-1) == 0 {
					return c.fillParents(ctx, rr)
				}
				return nil
			},
		}
	}
	if c.cfg.State == "open" && open >= 0 {
		out[0].maxPages, out[0].expect = maxPages(open), fmt.Sprintf("open_issues_count is %d", open)
	}
	return out
}

// maxPages bounds the pages of a listing of about open entries: twice the
// pages they fill, plus ten for issues opened while the run reads. Past it
// the server is not paging that listing; without the bound a server that
// sends fresh pages for ever would fill memory.
func maxPages(open int) int {
	return 2*((open+perPage-1)/perPage) + 10
}

// readPage reads one page of rr's listing under the run's bound and returns
// the numbers of its entries, pull requests included.
func (c *run) readPage(ctx context.Context, rr *repoRead, u string, n int) ([]string, *gh.Response, error) {
	if err := c.slots.acquire(ctx); err != nil {
		return nil, nil, fmt.Errorf("read issues of %s (page %d): %w", rr.repo, n, err)
	}
	var raw []issueJSON
	resp, err := c.c.getJSON(ctx, u, &raw)
	c.slots.release()
	if err != nil {
		return nil, nil, fmt.Errorf("read issues of %s (page %d): %w", rr.repo, n, c.c.explain(err, accessIssues))
	}
	rr.add(c.Connector, raw)
	c.pageDone(len(raw))
	keys := make([]string, len(raw))
	for i := range raw {
		keys[i] = strconv.Itoa(raw[i].Number)
	}
	return keys, resp, nil
}

// fillParents lists the sub-issues of each parent and sets Parent on the
// children that are among the repository's issues. Children in other
// repositories are linked when Fetch merges all repositories.
func (c *run) fillParents(ctx context.Context, rr *repoRead) error {
	rr.mu.Lock()
	parents := append([]int(nil), rr.parents...)
	repo := rr.repo.String()
	for _, it := range rr.byNum {
		if it.Repo != "" {
			repo = it.Repo // GitHub's spelling
		}
		break
	}
	rr.mu.Unlock()
	for _, n := range parents {
		parentKey := fmt.Sprintf("%s#%d", repo, n)
		next := c.c.absolute(fmt.Sprintf("repos/%s/%s/issues/%d/sub_issues?per_page=%d", url.PathEscape(rr.repo.owner), url.PathEscape(rr.repo.name), n, perPage))
		guard := newLoopGuard(next)
		for page := 1; next != ""; page++ {
			if err := c.slots.acquire(ctx); err != nil {
				return fmt.Errorf("read sub-issues of %s: %w", parentKey, err)
			}
			var subs []issueJSON
			resp, err := c.c.getJSON(ctx, next, &subs)
			c.slots.release()
			if err != nil {
				return fmt.Errorf("read sub-issues of %s: %w", parentKey, c.c.explain(err, accessIssues))
			}
			if err := guard.chain(subKeys(subs), next, parseLinks(resp).next); err != nil {
				return fmt.Errorf("read sub-issues of %s (page %d): %w", parentKey, page, err)
			}
			for i := range subs {
				k := issueKeyFromURL(subs[i].RepositoryURL, subs[i].Number)
				if k == "" {
					continue
				}
				if !c.setLocalParent(rr, k, subs[i].Number, parentKey) {
					c.pendingParent(k, parentKey)
				}
			}
			next = parseLinks(resp).next
		}
	}
	return nil
}

// subKeys are the keys of a sub-issues page, for loop detection.
func subKeys(subs []issueJSON) []string {
	keys := make([]string, len(subs))
	for i := range subs {
		keys[i] = subs[i].RepositoryURL + "#" + strconv.Itoa(subs[i].Number)
	}
	return keys
}

// setLocalParent sets the parent of child key k (number n) if it is one of
// rr's issues.
func (c *run) setLocalParent(rr *repoRead, k string, n int, parent string) bool {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	it, ok := rr.byNum[n]
	if !ok || !strings.EqualFold(it.Key, k) {
		return false
	}
	it.Parent = parent
	rr.byNum[n] = it
	return true
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
//
// go-github's Do treats an empty body as success and a JSON null decodes
// into a nil slice, so a listing page that came back empty or null would
// pass as a page without entries and its issues would vanish. getJSON takes
// the raw body instead and rejects both as a malformed response.
func (c *clients) getJSON(ctx context.Context, path string, v any) (*gh.Response, error) {
	req, err := c.rest.NewRequest("GET", path, nil)
	if err != nil {
		return nil, err
	}
	var body bytes.Buffer
	resp, err := c.rest.Do(ctx, req, &body)
	if err != nil {
		return resp, err
	}
	b := bytes.TrimSpace(body.Bytes())
	switch {
	case len(b) == 0:
		return resp, &hintedError{status: "malformed response", hint: fmt.Sprintf("%s with an empty body", resp.Status), err: errEmptyBody}
	case bytes.Equal(b, []byte("null")):
		return resp, &hintedError{status: "malformed response", hint: fmt.Sprintf("%s with a null body", resp.Status), err: errEmptyBody}
	}
	if err := json.Unmarshal(b, v); err != nil {
		return resp, err
	}
	return resp, nil
}

// absolute resolves a path relative to the REST root, as getJSON would,
// so that a Link header pointing back at it compares equal.
func (c *clients) absolute(path string) string {
	u, err := c.restBase.Parse(path)
	if err != nil {
		return path
	}
	return u.String()
}

// errEmptyBody is the cause when a listing answered 2xx with no JSON value.
var errEmptyBody = errors.New("empty or null response body")

// links are the rel="next" and rel="last" targets of a Link header.
type links struct {
	next, last string
	// lastPage is the page number in last, 0 if absent or unreadable.
	lastPage int
}

// parseLinks reads a response's Link header. Following its URLs verbatim
// keeps GitHub's own paging (they point at /repositories/{id}/issues with
// every query parameter kept).
func parseLinks(resp *gh.Response) links {
	var l links
	if resp == nil {
		return l
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
		u = u[1 : len(u)-1]
		for _, s := range segs[1:] {
			switch strings.TrimSpace(s) {
			case `rel="next"`:
				l.next = u
			case `rel="last"`:
				l.last = u
			}
		}
	}
	if l.last != "" {
		if pu, err := url.Parse(l.last); err == nil {
			if n, err := strconv.Atoi(pu.Query().Get("page")); err == nil && n > 0 {
				l.lastPage = n
			}
		}
	}
	return l
}

// withPage is u with its page parameter set to n.
func withPage(u string, n int) string {
	pu, err := url.Parse(u)
	if err != nil {
		return u
	}
	q := pu.Query()
	q.Set("page", strconv.Itoa(n))
	pu.RawQuery = q.Encode()
	return pu.String()
}
