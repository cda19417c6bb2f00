package jira

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
)

// maxSplitProjects bounds the per-project split when the JQL names no
// projects and the site's project list is used: past it, empty streams would
// cost more than they save, and one stream is used.
const maxSplitProjects = 100

// Fetch returns the issues the source's JQL matches. On a failure it returns
// the issues read so far with the error.
func (c *Connector) Fetch(ctx context.Context, opts connector.FetchOptions) ([]model.Item, error) {
	items, err := c.fetch(ctx, opts)
	if err != nil {
		return items, c.redactErr(c.explain(ctx, err))
	}
	return items, nil
}

func (c *Connector) fetch(ctx context.Context, opts connector.FetchOptions) ([]model.Item, error) {
	dep, err := c.Deployment(ctx)
	if err != nil {
		return nil, err
	}
	cloud := dep == DeploymentCloud
	m := &mapping{cloud: cloud, base: c.base, source: c.src.Name}
	names := dedupe(append(append([]string(nil), opts.OwnerFields...), c.cfg.Fields...))
	c.mu.Lock()
	c.ownerNames = names
	c.mu.Unlock()
	fields := append([]string(nil), systemFields...)
	if len(names) > 0 || !cloud {
		all, err := c.fields(ctx)
		if err != nil {
			return nil, err
		}
		if m.custom, err = resolveFields(all, names); err != nil {
			return nil, err
		}
		for _, r := range m.custom {
			fields = append(fields, r.Field.ID)
		}
		if !cloud {
			if f, ok := findPlugin(all, "Epic Link", epicLinkPlugin); ok {
				m.epicLink = f.ID
				fields = append(fields, f.ID)
			}
			if f, ok := findPlugin(all, "Parent Link", parentLinkPlugin); ok {
				m.parentLink = f.ID
				fields = append(fields, f.ID)
			}
		}
	}
	fields = dedupe(fields)
	jql := strings.TrimSpace(c.cfg.JQL)
	body, order := splitOrderBy(jql)
	if !opts.Since.IsZero() {
		// JQL dates are read in the Jira user's profile time zone, which
		// pomlint cannot know; moving the bound back 14 hours (the widest
		// UTC offset) may re-read a few issues but never misses one.
		since := opts.Since.UTC().Add(-14 * time.Hour).Format("2006/01/02 15:04")
		body = andJQL(body, fmt.Sprintf(`updated >= "%s"`, since))
	}
	conc := c.concurrency()
	p := &progress{c: c, total: -1}
	var items []model.Item
	if cloud {
		items, err = c.searchCloud(ctx, m, body, order, fields, conc, p)
	} else {
		items, err = c.searchDC(ctx, m, body, fields, p)
	}
	sortItems(items)
	return items, err
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

var orderByRE = regexp.MustCompile(`(?i)\s*\border\s+by\b`)

// splitOrderBy separates a trailing ORDER BY clause, which must stay last
// when clauses are added.
func splitOrderBy(jql string) (body, order string) {
	locs := orderByRE.FindAllStringIndex(jql, -1)
	for i := len(locs) - 1; i >= 0; i-- {
		if !insideQuotes(jql, locs[i][0]) {
			return strings.TrimSpace(jql[:locs[i][0]]), strings.TrimSpace(jql[locs[i][0]:])
		}
	}
	return jql, ""
}

func insideQuotes(s string, pos int) bool {
	var q byte
	for i := 0; i < pos; i++ {
		switch {
		case q == 0 && (s[i] == '"' || s[i] == '\''):
			q = s[i]
		case q != 0 && s[i] == q:
			q = 0
		}
	}
	return q != 0
}

func andJQL(body, clause string) string {
	if body == "" {
		return clause
	}
	return "(" + body + ") AND " + clause
}

func joinJQL(body, order string) string {
	if order == "" {
		return body
	}
	if body == "" {
		return order
	}
	return body + " " + order
}

func sortItems(items []model.Item) {
	sort.SliceStable(items, func(i, j int) bool {
		pi, ni := splitKey(items[i].Key)
		pj, nj := splitKey(items[j].Key)
		if pi != pj {
			return pi < pj
		}
		if ni != nj {
			return ni < nj
		}
		return items[i].Key < items[j].Key
	})
}

func splitKey(k string) (string, int) {
	p, n, _ := strings.Cut(k, "-")
	v, _ := strconv.Atoi(n)
	return p, v
}

type progress struct {
	c     *Connector
	mu    sync.Mutex
	done  int
	total int
}

func (p *progress) add(n int) {
	if p.c.env.Progress == nil {
		return
	}
	// Reported under the lock: streams run concurrently and a progress
	// bar need not be safe for concurrent use.
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	p.c.env.Progress.Progress(p.c.src.Name, "issues", p.done, p.total)
}

// reset starts the count again, for a search that is read once more.
func (p *progress) reset() {
	p.mu.Lock()
	p.done = 0
	p.mu.Unlock()
}

func (p *progress) setTotal(t int) {
	p.mu.Lock()
	p.total = t
	p.mu.Unlock()
}

// searchPage is one page of either search API.
type searchPage struct {
	Issues []rawIssue `json:"issues"`
	// Cloud enhanced search.
	IsLast        *bool  `json:"isLast"`
	NextPageToken string `json:"nextPageToken"`
	// Data Center search.
	StartAt    int  `json:"startAt"`
	MaxResults int  `json:"maxResults"`
	Total      *int `json:"total"`
}

// runStreams runs one function per query with at most conc at once and
// gathers the items; the first error cancels the others. conc workers take
// the queries in order, so the goroutines stay within conc however many
// queries there are.
func runStreams(ctx context.Context, queries []string, conc int, run func(context.Context, string, func([]model.Item)) error) ([]model.Item, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		items []model.Item
		errs  []error
		wg    sync.WaitGroup
		next  = make(chan string)
	)
	emit := func(batch []model.Item) {
		mu.Lock()
		items = append(items, batch...)
		mu.Unlock()
	}
	for range min(max(1, conc), len(queries)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range next {
				if ctx.Err() != nil {
					continue
				}
				if err := run(ctx, q, emit); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					cancel()
				}
			}
		}()
	}
feed:
	for _, q := range queries {
		select {
		case next <- q:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if len(errs) == 0 {
		if err := ctx.Err(); err != nil {
			return items, err
		}
		return items, nil
	}
	// Streams cut short by the cancel above only repeat the first error.
	var real []error
	for _, e := range errs {
		if !errors.Is(e, context.Canceled) {
			real = append(real, e)
		}
	}
	if len(real) == 0 {
		real = errs[:1]
	}
	return items, errors.Join(real...)
}

func (c *Connector) cloudStream(ctx context.Context, m *mapping, jql string, fields []string, emit func([]model.Item), p *progress) error {
	_, err := c.cloudPages(ctx, m, jql, fields, "", emit, p)
	return err
}

// cloudPages pages one enhanced search from token ("" = the first page) to
// its last page and returns the first page it read.
func (c *Connector) cloudPages(ctx context.Context, m *mapping, jql string, fields []string, token string, emit func([]model.Item), p *progress) (*searchPage, error) {
	var first *searchPage
	err := c.pageCloud(ctx, m, jql, fields, token, pageSize, emit, p, func(page *searchPage) bool {
		if first == nil {
			first = page
		}
		return true
	})
	return first, err
}

// pageCloud pages one enhanced search from token; after each page, more
// says whether to read the next one.
func (c *Connector) pageCloud(ctx context.Context, m *mapping, jql string, fields []string, token string, size int,
	emit func([]model.Item), p *progress, more func(*searchPage) bool) error {
	seen := map[string]bool{}
	if token != "" {
		seen[token] = true
	}
	// A page loop ends where the server says, but also where what it
	// sends stops making sense: pages that bring no issue not already read
	// (endless fresh tokens over the same issues), or more pages than any
	// real search has.
	read := map[string]bool{}
	stale := 0
	limit, why := maxStreamPages, fmt.Sprintf("no search of a site is longer than %d pages", maxStreamPages)
	for pages := 0; ; pages++ {
		if pages == countAfterPages {
			// A long stream: Jira's approximate count of its JQL bounds it
			// more closely (twice the count, and some slack, as the count is
			// an estimate and the index lags).
			if n, ok := c.approximateCount(ctx, jql); ok {
				if l := (2*n+size-1)/size + countSlackPages; l < limit {
					limit, why = l, fmt.Sprintf("Jira counts about %d issues for the JQL, %d pages at most", n, l)
				}
			}
		}
		if pages >= limit {
			return fmt.Errorf("search jira %q in source %q: still not at the last page after %d pages (%d issues) and %s; stopping a pagination that does not end (the result would be incomplete)",
				jql, c.src.Name, pages, len(read), why)
		}
		q := url.Values{"jql": {jql}, "maxResults": {strconv.Itoa(size)}, "fields": {strings.Join(fields, ",")}}
		if token != "" {
			q.Set("nextPageToken", token)
		}
		var page searchPage
		if err := c.get(ctx, "rest/api/2/search/jql", q, pageDest{m: m, page: &page}); err != nil {
			return c.searchError(err, jql, DeploymentCloud)
		}
		batch, err := m.items(page.Issues)
		emit(batch)
		p.add(len(batch))
		if err != nil {
			return err
		}
		if page.IsLast == nil {
			return fmt.Errorf("search jira %q: the answer has no isLast: %s does not look like Jira Cloud's enhanced search (set deployment: datacenter in source %q if it is Data Center)",
				jql, c.host, c.src.Name)
		}
		if *page.IsLast {
			more(&page)
			return nil
		}
		if page.NextPageToken == "" {
			return fmt.Errorf("search jira %q: page %d says isLast false but gives no nextPageToken", jql, pages+1)
		}
		fresh := 0
		for _, is := range page.Issues {
			if !read[is.Key] {
				read[is.Key] = true
				fresh++
			}
		}
		if fresh > 0 {
			stale = 0
		} else if stale++; stale == maxStalePages {
			return fmt.Errorf("search jira %q in source %q: %d pages in a row with isLast false brought no issue not already read (%d issues read); stopping endless pagination (the result would be incomplete)",
				jql, c.src.Name, stale, len(read))
		}
		if seen[page.NextPageToken] {
			return fmt.Errorf("search jira %q: Jira returned the same nextPageToken again after %d pages; stopping endless pagination (the result would be incomplete)",
				jql, pages+1)
		}
		seen[page.NextPageToken] = true
		token = page.NextPageToken
		if !more(&page) {
			return nil
		}
	}
}

// Bounds of one token-paged search: maxStalePages pages in a row that
// bring no new issue end it, and so does maxStreamPages pages. 5,000 pages
// of 100 is 500,000 issues, GitHub's page ceiling too: a stream reads one
// project or one key range of it (split.go), so only a server that invents
// fresh issues forever reaches it, and the run ends instead of growing
// without limit. A stream still paging after countAfterPages pages (5,000
// issues) asks Jira's approximate count of its JQL once (one request more
// for such a stream) and is then bounded by twice the count plus
// countSlackPages pages: the count is an estimate and its index lags.
const (
	maxStalePages   = 3
	maxStreamPages  = 5_000
	countAfterPages = 50
	countSlackPages = 10
)

// approximateCount is Jira Cloud's estimate of the JQL's issues (POST
// /rest/api/3/search/approximate-count), without its ORDER BY; false when
// Jira does not give one.
func (c *Connector) approximateCount(ctx context.Context, jql string) (int, bool) {
	body, _ := splitOrderBy(jql)
	var res struct {
		Count *int `json:"count"`
	}
	if err := c.post(ctx, "rest/api/3/search/approximate-count", map[string]string{"jql": body}, &res); err != nil || res.Count == nil || *res.Count < 0 {
		return 0, false
	}
	return *res.Count, true
}

func (m *mapping) items(raw []rawIssue) ([]model.Item, error) {
	out := make([]model.Item, 0, len(raw))
	for _, ri := range raw {
		it, err := m.item(ri)
		if err != nil {
			return out, err
		}
		out = append(out, it)
	}
	return out, nil
}

// searchError words a failed search: JQL errors with Jira's messages, a
// wrong deployment setting with what to change.
func (c *Connector) searchError(err error, jql, dep string) error {
	var api *APIError
	if errors.As(err, &api) {
		switch {
		case api.Status == http.StatusGone && dep == DeploymentDataCenter:
			return &connector.ConfigError{Err: fmt.Errorf("search jira: %s answered 410 Gone on /rest/api/2/search, which Jira Cloud removed: this site is Jira Cloud; set deployment: cloud (and email_env) in source %q: %w",
				c.host, c.src.Name, err)}
		case api.Status == http.StatusNotFound && dep == DeploymentCloud:
			return &connector.ConfigError{Err: fmt.Errorf("search jira: %s has no /rest/api/2/search/jql (404), so it is not Jira Cloud: set deployment: datacenter in source %q: %w",
				c.host, c.src.Name, err)}
		case api.Status == http.StatusBadRequest:
			return &rejectedJQL{jql: jql, api: api}
		}
	}
	return fmt.Errorf("search jira %q: %w", jql, err)
}

// rejectedJQL is a search Jira answered with 400: the JQL is invalid, or
// names something (such as a key bound) that does not exist.
type rejectedJQL struct {
	jql string
	api *APIError
}

func (r *rejectedJQL) Error() string {
	return fmt.Sprintf("search jira: Jira rejected the JQL %q: %s", r.jql, strings.Join(r.api.Messages, "; "))
}

func (r *rejectedJQL) Unwrap() error { return r.api }

var projectInRE = regexp.MustCompile(`(?i)^project\s*(=|in)\s*(.+)$`)

// streamProjects returns the projects to split the search by: those a
// top-level "project = X" or "project in (...)" conjunct names, else the
// site's projects (when there are at most maxSplitProjects; listed is then
// true: the list may miss projects the search reaches), else none (one
// stream).
func (c *Connector) streamProjects(ctx context.Context, body string) (projects []string, listed bool, err error) {
	if ps := jqlProjects(body); ps != nil {
		return ps, false, nil
	}
	var list []struct {
		Key string `json:"key"`
	}
	if err := c.get(ctx, "rest/api/2/project", nil, &list); err != nil {
		return nil, false, fmt.Errorf("list jira projects to split the search: %w", err)
	}
	if len(list) > maxSplitProjects {
		c.notify("info", "many projects: searching in one stream", map[string]any{"projects": len(list)})
		return nil, false, nil
	}
	out := make([]string, 0, len(list))
	for _, p := range list {
		out = append(out, p.Key)
	}
	sort.Strings(out)
	return out, true, nil
}

// jqlProjects finds the projects a top-level project clause names, or nil
// when the JQL has a top-level OR or no such clause.
func jqlProjects(body string) []string {
	parts, ok := topLevelAnd(body)
	if !ok {
		return nil
	}
	for _, part := range parts {
		mt := projectInRE.FindStringSubmatch(strings.TrimSpace(part))
		if mt == nil {
			continue
		}
		v := strings.TrimSpace(mt[2])
		if strings.EqualFold(mt[1], "in") {
			if !strings.HasPrefix(v, "(") || !strings.HasSuffix(v, ")") {
				continue
			}
			v = v[1 : len(v)-1]
		} else if strings.ContainsAny(v, "() ") && !strings.HasPrefix(v, `"`) {
			continue
		}
		var out []string
		for _, s := range strings.Split(v, ",") {
			s = strings.Trim(strings.TrimSpace(s), `"'`)
			if s == "" || strings.ContainsAny(s, "()") {
				return nil
			}
			out = append(out, s)
		}
		return dedupe(out)
	}
	return nil
}

// topLevelAnd splits JQL on AND outside parentheses and quotes; ok is false
// when OR appears at the top level.
func topLevelAnd(s string) ([]string, bool) {
	var parts []string
	depth, start := 0, 0
	var q byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case q != 0:
			if ch == q {
				q = 0
			}
		case ch == '"' || ch == '\'':
			q = ch
		case ch == '(':
			depth++
		case ch == ')':
			depth--
		case depth == 0 && isWordAt(s, i, "or"):
			return nil, false
		case depth == 0 && isWordAt(s, i, "and"):
			parts = append(parts, s[start:i])
			start = i + 3
		}
	}
	return append(parts, s[start:]), true
}

func isWordAt(s string, i int, w string) bool {
	if i+len(w) > len(s) || !strings.EqualFold(s[i:i+len(w)], w) {
		return false
	}
	before := i == 0 || s[i-1] == ' ' || s[i-1] == ')'
	after := i+len(w) == len(s) || s[i+len(w)] == ' ' || s[i+len(w)] == '('
	return before && after
}

func quoteJQL(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// dcOrder is the order of every Data Center search, whatever ORDER BY the
// configured JQL has: offset paging is only sound over a fixed order (with
// ORDER BY updated DESC an issue edited during the run moves between pages
// and is read twice or never), and the items are sorted by key afterwards
// anyway.
const dcOrder = "ORDER BY key ASC"

// maxGrowthPages bounds the pages read past the first total when the result
// keeps growing while it is read.
const maxGrowthPages = 20

// errShifted marks a Data Center search whose result changed under the
// offsets while it was read.
var errShifted = errors.New("the result changed while it was read")

// dcWindow is Data Center's search result window
// (jira.search.platform.max.result.window, 10,000 unless the admin changed
// it): a page whose startAt + maxResults passes it answers 500 "Search limit
// exceeded", so no page is asked past it. A larger result is read in
// key-ordered windows (searchDC).
const dcWindow = 10_000

var searchLimitRE = regexp.MustCompile(`(?i)search limit exceeded.*limit of ([0-9][0-9,]*)`)

// searchLimit returns the result window a Data Center 500 "Search limit
// exceeded" names ("... exceeded the search platform limit of 10,000."), or
// 0 when err is not that.
func searchLimit(err error) int {
	var api *APIError
	if !errors.As(err, &api) || api.Status != http.StatusInternalServerError {
		return 0
	}
	for _, msg := range api.Messages {
		if mt := searchLimitRE.FindStringSubmatch(msg); mt != nil {
			n, _ := strconv.Atoi(strings.ReplaceAll(mt[1], ",", ""))
			return n
		}
	}
	return 0
}

// maxDCWindows bounds the windows of one search: a billion issues.
const maxDCWindows = 100_000

// searchDC pages /rest/api/2/search ORDER BY key ASC. The first page gives
// the total and the page size the server allows; the other pages are read
// concurrently, each starting on the last issue of the page before it (the
// stride is one less than the page size). Issues that leave or join the
// result while it is read move the offsets; the overlapping issue shows
// that they did not (see dcPass). When they did, the search is read once
// more, and fails when it changed again.
//
// No page reaches past the result window (dcWindow). A result larger than
// the window is read in windows: each window is the JQL restricted to the
// issues after the last one the window before returned, in key order —
// (project != "P" OR issuekey > "P-n") AND project not in (projects read
// through) — so each starts where the last ended, from a bound Jira has
// just returned, whatever gaps the keys have. Key order groups a project's
// issues, and an issue's key carries its current project's key (Jira
// re-keys moved issues and issues of a renamed project).
func (c *Connector) searchDC(ctx context.Context, m *mapping, body string, fields []string, p *progress) ([]model.Item, error) {
	var all []model.Item
	var through []string // projects read to their end
	cond := ""
	window := dcWindow
	var prev []model.Item // the window before, in key order
	after, back := -1, 0  // prev[after] is the issue this window starts after
	lastProject := ""
	for w := 0; ; w++ {
		if w == maxDCWindows {
			return dedupeItems(all), fmt.Errorf("search jira %q in source %q: still not at the end after %d windows of %d issues; stopping", body, c.src.Name, w, window)
		}
		jql := joinJQL(body, dcOrder)
		if cond != "" {
			jql = joinJQL(andJQL(body, cond), dcOrder)
		}
		items, done, err := c.dcRead(ctx, m, jql, fields, p, w > 0, window)
		if bound := after - 1; err != nil && bound >= 0 && refusedKey(err) == prev[after].Key && back < maxBoundBacks {
			// The issue the window was to start after was deleted or
			// moved since it was read: start after the one before it.
			if pk, _ := splitKey(prev[bound].Key); pk == lastProject {
				back++
				after = bound
				cond = afterCond(prev[after].Key, through)
				w--
				continue
			}
		}
		if lower := searchLimit(err); lower > 0 && lower < window {
			// The admin set a smaller window: read this one again within it.
			c.notify("info", "jira search result window is smaller than 10,000; reading in smaller windows", map[string]any{"window": lower})
			window = lower
			w--
			continue
		}
		all = append(all, items...)
		if err != nil || done {
			return dedupeItems(all), err
		}
		if len(items) == 0 {
			return dedupeItems(all), fmt.Errorf("search jira %q in source %q: a result window came back empty before the end of the result", jql, c.src.Name)
		}
		prev, after, back = items, len(items)-1, 0
		last := items[after].Key
		lastProject, _ = splitKey(last)
		for _, it := range items {
			if pk, _ := splitKey(it.Key); pk != lastProject && !slices.Contains(through, pk) {
				through = append(through, pk)
			}
		}
		cond = afterCond(last, through)
		c.notify("debug", "jira search result is larger than the result window; reading the next window", map[string]any{"window": w + 1, "after": last})
	}
}

// maxBoundBacks bounds how many issues a window steps back when the issue
// it was to start after is refused as a bound.
const maxBoundBacks = 20

// afterCond restricts a search to the issues after key in key order: later
// issues of its project and the projects not yet read through.
func afterCond(key string, through []string) string {
	pk, _ := splitKey(key)
	cond := fmt.Sprintf("(project != %s OR issuekey > %s)", quoteJQL(pk), quoteJQL(key))
	if len(through) > 0 {
		qs := make([]string, len(through))
		for i, t := range through {
			qs[i] = quoteJQL(t)
		}
		cond += " AND project not in (" + strings.Join(qs, ", ") + ")"
	}
	return cond
}

// refusedKey is the key a 400 says does not exist or was moved, or "".
func refusedKey(err error) string {
	var rej *rejectedJQL
	if !errors.As(err, &rej) {
		return ""
	}
	for _, msg := range rej.api.Messages {
		if mt := boundKeyRE.FindStringSubmatch(msg); mt != nil {
			return strings.ToUpper(mt[1])
		}
	}
	return ""
}

// dcRead reads one window of the search; done says whether it reached the
// end of the result. When the result changed under the offsets, the window
// is read once more, and it fails when it changed again.
func (c *Connector) dcRead(ctx context.Context, m *mapping, jql string, fields []string, p *progress, later bool, window int) ([]model.Item, bool, error) {
	items, done, err := c.dcPass(ctx, m, jql, fields, p, window)
	if !errors.Is(err, errShifted) {
		return items, done, err
	}
	c.notify("info", "jira search result changed while it was read; reading it again", map[string]any{"reason": err.Error()})
	if !later {
		p.reset()
	}
	again, done, err2 := c.dcPass(ctx, m, jql, fields, p, window)
	if errors.Is(err2, errShifted) {
		return again, false, fmt.Errorf("%w; it changed again on the second read, so issues may be missing: run again when fewer issues are being edited", err2)
	}
	return again, done, err2
}

// dcPass reads the search once, up to the result window. The pages are
// windows of one key-sorted list read at different times. Page k starts at
// offset k×(size−1), so when nothing moved its first issue is the last issue
// of page k−1. It is enough that the last issue of page k−1 appears anywhere
// in page k: page k−1 then holds every issue up to that key and page k every
// issue from it on, so every issue that matched the JQL for the whole run
// was read, whatever joined or left meanwhile. A page that reaches the end
// of its own total ends the chain (done). When the last issue is missing
// from the next page (issues before it left the result, or a page came back
// short), an issue may have been skipped and dcPass returns errShifted. When
// the last page does not reach the end (issues joined), the pages after it
// are read one by one, up to the window.
//
// The pages read are bounded by the total the first page claims and by the
// result window, whichever is smaller; a page that brings no issue beyond
// the one before it ends the pass.
func (c *Connector) dcPass(ctx context.Context, m *mapping, jql string, fields []string, p *progress, window int) ([]model.Item, bool, error) {
	type page struct {
		start int
		page  searchPage
		items []model.Item
	}
	size := pageSize
	fetch := func(ctx context.Context, start int) (page, error) {
		q := url.Values{"jql": {jql}, "startAt": {strconv.Itoa(start)}, "maxResults": {strconv.Itoa(size)}, "fields": {strings.Join(fields, ",")}}
		pg := page{start: start}
		if err := c.get(ctx, "rest/api/2/search", q, pageDest{m: m, page: &pg.page}); err != nil {
			return pg, c.searchError(err, jql, DeploymentDataCenter)
		}
		var err error
		pg.items, err = m.items(pg.page.Issues)
		if err == nil && pg.page.Total == nil {
			err = fmt.Errorf("search jira %q: the answer has no total: %s does not look like Jira Data Center's search (set deployment: cloud in source %q if it is Cloud)",
				jql, c.host, c.src.Name)
		}
		return pg, err
	}
	final := func(pg page) bool { return pg.start+len(pg.page.Issues) >= *pg.page.Total }
	collect := func(pages []page) []model.Item {
		var out []model.Item
		for _, pg := range pages {
			out = append(out, pg.items...)
		}
		return dedupeItems(out)
	}
	first, err := fetch(ctx, 0)
	p.add(len(first.items))
	if err != nil {
		return first.items, false, err
	}
	total := *first.page.Total
	p.setTotal(total)
	if final(first) {
		return first.items, true, nil
	}
	// The page size is what the server returned, not the maxResults it
	// echoes: a server may cap the page without saying so. Later pages ask
	// for that size, so that startAt + maxResults stays inside the window.
	size = len(first.page.Issues)
	if size < 2 {
		return first.items, false, fmt.Errorf("search jira %q: %s reports %d issues but returned %d on the first page; cannot page through them",
			jql, c.host, total, size)
	}
	stride := size - 1
	if size > window {
		return first.items, false, fmt.Errorf("search jira %q: pages of %d issues do not fit the search result window of %d", jql, size, window)
	}
	inWindow := (window-size)/stride + 1 // pages whose startAt + size <= window
	n := min(1+(total-size+stride-1)/stride, inWindow)
	pages := make([]page, n)
	pages[0] = first
	starts := make([]string, 0, n-1)
	for k := 1; k < n; k++ {
		starts = append(starts, strconv.Itoa(k))
	}
	_, err = runStreams(ctx, starts, c.streams(), func(ctx context.Context, ks string, _ func([]model.Item)) error {
		k, _ := strconv.Atoi(ks)
		pg, err := fetch(ctx, k*stride)
		pages[k] = pg // each stream writes its own element
		p.add(max(0, len(pg.items)-1))
		return err
	})
	if err != nil {
		return collect(pages), false, err
	}
	follows := func(prev, next page) error {
		for _, pg := range []page{prev, next} {
			if len(pg.page.Issues) == 0 {
				return fmt.Errorf("search jira %q: %w: the page at startAt=%d came back empty, before the end of the %d issues Jira reported", jql, errShifted, pg.start, *pg.page.Total)
			}
		}
		last := prev.page.Issues[len(prev.page.Issues)-1].Key
		for i, is := range next.page.Issues {
			if is.Key != last {
				continue
			}
			if i == len(next.page.Issues)-1 && !final(next) {
				return fmt.Errorf("search jira %q: %w: the page at startAt=%d brings no issue after %s, the last of the page before it, although Jira reported %d issues",
					jql, errShifted, next.start, last, total)
			}
			return nil
		}
		return fmt.Errorf("search jira %q: %w: the page at startAt=%d does not start from %s, the last issue of the page before it, so issues between them may have been skipped",
			jql, errShifted, next.start, last)
	}
	for k := 1; k < len(pages); k++ {
		if final(pages[k-1]) {
			pages = pages[:k]
			break
		}
		if err := follows(pages[k-1], pages[k]); err != nil {
			return collect(pages), false, err
		}
	}
	// Issues joined the result while it was read: read on to the end, or
	// to the window.
	for extra := 0; !final(pages[len(pages)-1]); extra++ {
		prev := pages[len(pages)-1]
		if prev.start+stride+size > window {
			return collect(pages), false, nil // the next window goes on
		}
		if extra == maxGrowthPages {
			return collect(pages), false, fmt.Errorf("search jira %q: %w: it kept growing past %d pages beyond the first total of %d", jql, errShifted, maxGrowthPages, total)
		}
		next, err := fetch(ctx, prev.start+stride)
		pages = append(pages, next)
		p.add(max(0, len(next.items)-1))
		if err != nil {
			return collect(pages), false, err
		}
		if err := follows(prev, next); err != nil {
			return collect(pages), false, err
		}
	}
	return collect(pages), true, nil
}
