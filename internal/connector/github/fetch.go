package github

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
)

// run is the state of one Fetch.
type run struct {
	*Connector
	opts connector.FetchOptions

	// slots bounds the requests of this Fetch in flight at once, across
	// every repository and board (see DefaultConcurrency).
	slots slots

	mu sync.Mutex
	// pending maps child keys to parent keys found through the sub_issues
	// endpoint for children fetched by another repository's worker.
	pending map[string]string
	// rate is the primary rate-limit state the org listing reported, so
	// planning needs no GET /rate_limit; nil when there was none.
	rate *coreRate
	// done counts issue-listing entries read (pull requests too, like
	// GitHub's open_issues_count); total is the estimate, -1 if unknown.
	done, total int
}

func (c *run) pendingParent(child, parent string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending[child] = parent
}

// pageDone records a page of n entries and reports progress. The callback
// runs under the lock so the CLI sees done only ever grow.
func (c *run) pageDone(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done += n
	total := c.total
	if total >= 0 && c.done > total {
		total = c.done // the estimate was low (issues opened meanwhile)
	}
	c.progress("issues", c.done, total)
}

// slots is a counting semaphore on requests in flight.
type slots chan struct{}

// acquire takes a slot, or fails when ctx is done first.
func (s slots) acquire(ctx context.Context) error {
	select {
	case s <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s slots) release() { <-s }

// target is one repository to read, with GitHub's estimate of its open
// issues and pull requests when the org listing gave one (-1 otherwise).
type target struct {
	repo repoRef
	open int
}

// Fetch reads the issues of every configured repository and organisation and
// the items of every configured Projects v2 board. All requests share one
// bound on requests in flight (github.concurrency, default
// DefaultConcurrency): pages of one repository are read concurrently once
// its first page names the last one (see fetchRepos). On the first failure
// the remaining work is cancelled and Fetch returns what it read with the
// error.
func (c *Connector) Fetch(ctx context.Context, opts connector.FetchOptions) ([]model.Item, error) {
	items, err := c.fetch(ctx, opts)
	sortItems(items)
	return items, c.c.secrets.redact(err)
}

func (c *Connector) fetch(ctx context.Context, opts connector.FetchOptions) ([]model.Item, error) {
	r := &run{Connector: c, opts: opts, pending: map[string]string{}, slots: make(slots, c.concurrency), total: -1}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read github source %q: %w", c.name, err)
	}
	targets, err := r.resolveRepos(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.planBudget(ctx, estimateRequests(targets), r.rate, len(c.cfg.Projects)); err != nil {
		return nil, err
	}
	r.total = estimateTotal(targets, c.cfg.State, opts.Since)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Boards (GraphQL) are read alongside the repositories, each holding
	// one slot of the shared bound while it pages.
	type boardResult struct {
		boardRead
		err error
	}
	boards := make([]boardResult, len(c.cfg.Projects))
	var bwg sync.WaitGroup
	if len(c.cfg.Projects) > 0 {
		bwg.Add(1)
		go func() {
			defer bwg.Done()
			for i, p := range c.cfg.Projects {
				if err := r.slots.acquire(ctx); err != nil {
					boards[i].err = fmt.Errorf("read project %s: %w", boardName(p), err)
					return
				}
				boards[i].boardRead, boards[i].err = r.fetchBoard(ctx, p)
				r.slots.release()
				if boards[i].err != nil {
					return
				}
			}
		}()
	}

	items, err := r.fetchRepos(ctx, targets)
	if err != nil {
		cancel()
		bwg.Wait()
		return items, err
	}
	bwg.Wait()

	inScope := make(map[string]bool, len(targets))
	for _, t := range targets {
		inScope[strings.ToLower(t.repo.String())] = true
	}
	byKey := make(map[string]int, len(items))
	for i := range items {
		byKey[strings.ToLower(items[i].Key)] = i
	}
	for bn, b := range boards {
		var cut []string
		for _, bi := range b.items {
			key := strings.ToLower(bi.Key)
			if i, ok := byKey[key]; ok {
				mergeFields(&items[i], bi.ProjectFields)
				continue
			}
			if bi.Repo != "" && inScope[strings.ToLower(bi.Repo)] {
				// Read over REST already; absent there because of state or
				// since, so the board must not bring it back.
				continue
			}
			if !c.wantState(bi.Closed) {
				continue
			}
			if why := b.cut[key]; why != "" {
				// Only the board knows this issue, and it sent a cut list.
				cut = append(cut, bi.Key+" has "+why)
			}
			byKey[key] = len(items)
			items = append(items, bi)
		}
		if b.err != nil {
			return items, b.err
		}
		if len(cut) > 0 {
			return items, fmt.Errorf("read project %s: %d issues outside the configured repositories have more values than pomlint reads from a board (%s); add their repositories to github.repos or github.orgs to read them over REST",
				boardName(c.cfg.Projects[bn]), len(cut), strings.Join(firstN(cut, 3), "; "))
		}
	}
	for i := range items {
		if p, ok := r.pending[items[i].Key]; ok && items[i].Parent == "" {
			items[i].Parent = p
		}
	}
	if r.total >= 0 {
		// The estimate came from open_issues_count; end the bar on what
		// was actually read.
		c.progress("issues", r.done, r.done)
	}
	return items, nil
}

// estimateTotal is the number of issue-listing entries a run will read, from
// the org listing's open_issues_count (issues and pull requests), or -1 when
// that does not apply: state closed/all, an incremental run, or a repository
// listed by name.
func estimateTotal(targets []target, state string, since time.Time) int {
	if state != "open" || !since.IsZero() || len(targets) == 0 {
		return -1
	}
	sum := 0
	for _, t := range targets {
		if t.open < 0 {
			return -1
		}
		sum += t.open
	}
	return sum
}

// wantState reports whether an item with this closed flag is in scope.
func (c *Connector) wantState(closed bool) bool {
	switch c.cfg.State {
	case "all":
		return true
	case "closed":
		return closed
	}
	return !closed
}

// mergeFields adds board field values to an item; the first board listed in
// the config wins a field both boards have.
func mergeFields(it *model.Item, f map[string]model.FieldValue) {
	if len(f) == 0 {
		return
	}
	if it.ProjectFields == nil {
		it.ProjectFields = make(map[string]model.FieldValue, len(f))
	}
	for k, v := range f {
		if _, ok := it.ProjectFields[k]; !ok {
			it.ProjectFields[k] = v
		}
	}
}

// fetchRepos reads the issues of targets under the run's bound on requests
// in flight, cancelling the rest on the first error.
//
// GitHub's issue listing pages by offset (page=N) and its Link header names
// the last page, so once page 1 of a repository is in, pages 2..last are
// read concurrently instead of one after another; only the bound, shared by
// all repositories, limits them. When a server sends no rel="last" the
// repository falls back to following rel="next" one page at a time, and the
// last page still follows rel="next" if the listing grew meanwhile.
//
// The order is sort=created&direction=asc, so issues opened during the run
// land after the pages already planned rather than shifting them, and items
// are deduplicated by number. Residual risk, the same as for any
// offset-paged read (sequential too, over a longer window): an issue deleted,
// transferred, closed (state=open) or updated out of a since window while
// the run reads shifts the later issues one place towards the start, so the
// first issue of a page not yet read may slide onto a page already read and
// be missed until the next run.
func (c *run) fetchRepos(ctx context.Context, targets []target) ([]model.Item, error) {
	if len(targets) == 0 {
		return nil, nil
	}
	reads := make([]*repoRead, len(targets))
	var ls []*listing
	for i, t := range targets {
		rr := &repoRead{repo: t.repo, byNum: map[int]model.Item{}}
		reads[i] = rr
		ls = append(ls, c.listings(rr, t.open)...)
	}
	err := readListings(ctx, c.workers(), ls)
	var items []model.Item
	for _, rr := range reads {
		items = append(items, rr.items()...)
	}
	if err != nil && ctx.Err() != nil && !errors.Is(err, errPaging) {
		err = fmt.Errorf("read github source %q: %w", c.name, context.Cause(ctx))
	}
	return items, err
}

// workers is how many page readers run at once: twice the requests in
// flight (the run's slots bound those), so that a slot freed by a reader
// that is still converting its page is taken at once by another; at
// concurrency 1 one reader, strictly serial.
func (c *run) workers() int {
	if c.concurrency > 1 {
		return 2 * c.concurrency
	}
	return 1
}

// resolveRepos lists the configured repositories and every repository of the
// configured organisations, skipping archived ones (unless include_archived)
// and ones with issues disabled. Org listing pages after the first are read
// concurrently under the run's bound.
func (c *run) resolveRepos(ctx context.Context) ([]target, error) {
	seen := map[string]bool{}
	var out []target
	for _, r := range c.repos {
		k := strings.ToLower(r.String())
		if !seen[k] {
			seen[k] = true
			out = append(out, target{repo: r, open: -1})
		}
	}
	// open_issues_count counts open issues and pull requests, so 0 means
	// the listing of open issues is empty: with state open and neither
	// since nor an audit window (which reads closed issues too), such a
	// repository costs a request for nothing. At organisation scale most
	// repositories are like that.
	skipEmpty := c.cfg.State == "open" && c.opts.Since.IsZero() && c.opts.ClosedSince.IsZero()
	for _, org := range c.cfg.Orgs {
		pages, err := c.listOrgRepos(ctx, org)
		skipped := 0
		for _, repos := range pages {
			for _, repo := range repos {
				full := repo.GetFullName()
				owner, name, ok := strings.Cut(full, "/")
				if !ok {
					continue
				}
				k := strings.ToLower(full)
				if seen[k] {
					continue
				}
				if repo.GetArchived() && !c.cfg.IncludeArchived {
					c.notify("info", "skipping archived repo "+full, map[string]any{"repo": full})
					continue
				}
				if repo.HasIssues != nil && !repo.GetHasIssues() {
					c.notify("info", "skipping repo with issues disabled "+full, map[string]any{"repo": full})
					continue
				}
				seen[k] = true
				if skipEmpty && repo.OpenIssuesCount != nil && repo.GetOpenIssuesCount() == 0 {
					skipped++
					continue
				}
				out = append(out, target{repo: repoRef{owner: owner, name: name}, open: repo.GetOpenIssuesCount()})
			}
		}
		if skipped > 0 {
			c.notify("debug", fmt.Sprintf("skipped %d repositories of %s whose open_issues_count is 0 (no open issues or pull requests)", skipped, org),
				map[string]any{"org": org, "skipped": skipped})
		}
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// listOrgRepos reads the repository listing of org, sorted by name so pages
// do not shift while they are read; pages 2..last go concurrently under the
// run's bound (see readListings).
func (c *run) listOrgRepos(ctx context.Context, org string) ([][]*gh.Repository, error) {
	q := url.Values{}
	q.Set("type", "all")
	q.Set("sort", "full_name")
	q.Set("direction", "asc")
	q.Set("per_page", strconv.Itoa(perPage))
	q.Set("page", "1")
	var (
		mu    sync.Mutex
		pages = map[int][]*gh.Repository{}
	)
	what := "list repositories of " + org
	l := &listing{
		what:  what,
		first: c.c.absolute(fmt.Sprintf("orgs/%s/repos?%s", url.PathEscape(org), q.Encode())),
		read: func(ctx context.Context, u string, n int) ([]string, *gh.Response, error) {
			if err := c.slots.acquire(ctx); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", what, err)
			}
			defer c.slots.release()
			var repos []*gh.Repository
			// getJSON, not Repositories.ListByOrg: a null or empty page must
			// fail, not pass as a page without repositories.
			resp, err := c.c.getJSON(ctx, u, &repos)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", what, c.c.explain(err, accessRepos))
			}
			if n == 1 {
				if rate, ok := rateFromHeader(resp.Header); ok {
					c.mu.Lock()
					if c.rate == nil || rate.remaining < c.rate.remaining {
						c.rate = &rate
					}
					c.mu.Unlock()
				}
			}
			keys := make([]string, len(repos))
			for i, r := range repos {
				keys[i] = strings.ToLower(r.GetFullName())
			}
			mu.Lock()
			pages[n] = repos
			mu.Unlock()
			return keys, resp, nil
		},
	}
	err := readListings(ctx, c.workers(), []*listing{l})
	nums := make([]int, 0, len(pages))
	for n := range pages {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	out := make([][]*gh.Repository, 0, len(nums))
	for _, n := range nums {
		out = append(out, pages[n])
	}
	return out, err
}

// estimateRequests is the REST requests a run needs: one page per 100 open
// issues and pull requests of each repository (at least one). Boards are
// planned against the GraphQL limit (see planBudget).
func estimateRequests(targets []target) int {
	n := 0
	for _, t := range targets {
		p := 1
		if t.open > perPage {
			p = (t.open + perPage - 1) / perPage
		}
		n += p
	}
	return n
}

// sortItems orders items by repository and number, then by key.
func sortItems(items []model.Item) {
	sort.SliceStable(items, func(i, j int) bool { return keyLess(items[i].Key, items[j].Key) })
}

func keyLess(a, b string) bool {
	ar, an, aok := strings.Cut(a, "#")
	br, bn, bok := strings.Cut(b, "#")
	if aok && bok && ar == br {
		x, errx := strconv.Atoi(an)
		y, erry := strconv.Atoi(bn)
		if errx == nil && erry == nil {
			return x < y
		}
	}
	if aok && bok {
		return ar < br
	}
	return a < b
}

// errNoBudget is the cause when the primary rate limit cannot cover a run.
var errNoBudget = errors.New("primary rate limit too low for this run")
