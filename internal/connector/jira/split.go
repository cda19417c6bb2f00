package jira

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pomlint/pomlint/internal/model"
)

// Jira Cloud's enhanced search pages with nextPageToken, so one query can
// only be read one page after another. To read a large result concurrently
// the search is split into independent queries:
//
//  1. one stream per project (the projects a top-level project clause
//     names, else the site's projects);
//  2. within a project, by issue-key ranges. The first query of a project
//     is a real page: the user's JQL AND project = X ORDER BY key DESC. If
//     it is the last page, the project is done in one request. Otherwise it
//     holds every matching issue from the lowest key it shows (X-low) up,
//     and the rest, issuekey < X-low, is cut into ranges
//     "issuekey >= X-a AND issuekey < X-b" sized from the key density of
//     that page, each read as its own token-paged stream.
//
// Jira refuses a key bound that is not an existing issue the account can
// see (deleted, moved to another project, or under issue security), and
// every long-lived project has such gaps. X-low was just returned, so the
// top range's bound exists; a computed bound that Jira refuses is given up
// and the two ranges it separated are read as one (rangeStream). The ranges
// cover every number below X-low (the last has no lower bound), so no issue
// is missed when keys are sparse or issues were moved (a moved issue gets a
// new key of its new project); an issue seen twice is kept once. Issues
// created after the first page of a project lie above it and belong to the
// next run, as with any snapshot. JQL compares issue keys by number within
// the key's project, and sorts them that way. A first page that already
// reaches key 1 while Jira says more follow is paged to its end.
//
// Ranges hold about 1/(2×concurrency) of a project's remaining pages, but
// at least minRangePages, so the streams finish close together while the
// partly filled last page of each range and the refused bounds stay within
// a tenth of the floor (one request per 100 issues).
//
// The split rests on assumptions Jira does not promise: that a project's
// issues all carry its current key prefix (after a project key change or a
// move, old keys live on and may sort apart), that range bounds resolve
// within the project (an old key may be an alias of a moved issue), and,
// when the JQL names no projects, that the project list shows every project
// the search can reach. So a split search is checked: Jira Cloud's
// approximate count of the JQL (POST /rest/api/3/search/approximate-count,
// one request, run alongside the streams) must not exceed the issues read,
// and every issue a key range returns must carry the range's prefix.
// Otherwise the split result is dropped and the JQL is read again in one
// unsplit stream, which needs none of these assumptions. A search that
// split nothing (explicit projects, each read in one query) needs no check.
// The count is an estimate: one too high costs the second read, one too
// low could hide a loss of as many issues (Atlassian gives no error bound;
// its index lags recent changes by seconds).

// searchCloud reads the JQL with concurrent streams (bound conc).
func (c *Connector) searchCloud(ctx context.Context, m *mapping, body, order string, fields []string, conc int, p *progress) ([]model.Item, error) {
	var projects []string
	listed := false
	if conc > 1 {
		var err error
		if projects, listed, err = c.streamProjects(ctx, body); err != nil {
			return nil, err
		}
	}
	unsplit := func() ([]model.Item, error) {
		pl := newPool(ctx, 1)
		pl.run(func(ctx context.Context) error {
			return c.cloudStream(ctx, m, joinJQL(body, order), fields, pl.emit, p)
		})
		items, err := pl.wait()
		return dedupeItems(items), err
	}
	if len(projects) == 0 {
		return unsplit()
	}
	pl := newPool(ctx, c.streams())
	chk := &splitCheck{c: c, jql: body}
	if listed {
		chk.start(pl)
	}
	for _, pk := range projects {
		pl.run(func(ctx context.Context) error {
			return c.projectStreams(ctx, pl, chk, m, body, order, pk, fields, conc, p)
		})
	}
	items, err := pl.wait()
	items = dedupeItems(items)
	if err != nil {
		return items, err
	}
	reason := chk.verdict(len(items))
	if reason == "" {
		return items, nil
	}
	c.notify("warn", "jira split search may be incomplete; reading the JQL again in one stream", map[string]any{"reason": reason, "read": len(items)})
	p.reset()
	return unsplit()
}

// splitCheck verifies a split search (see above).
type splitCheck struct {
	c    *Connector
	jql  string
	once sync.Once

	mu      sync.Mutex
	started bool
	count   int
	err     error
	suspect string
}

// start queues the approximate count of the JQL, once.
func (k *splitCheck) start(pl *pool) {
	k.once.Do(func() {
		k.mu.Lock()
		k.started = true
		k.mu.Unlock()
		pl.run(func(ctx context.Context) error {
			var res struct {
				Count *int `json:"count"`
			}
			err := k.c.post(ctx, "rest/api/3/search/approximate-count", map[string]string{"jql": k.jql}, &res)
			if err == nil && res.Count == nil {
				err = errors.New("the answer has no count")
			}
			k.mu.Lock()
			defer k.mu.Unlock()
			if err != nil {
				k.err = err
			} else {
				k.count = *res.Count
			}
			return nil // an unverified split is read again, not failed
		})
	})
}

// distrust records why the split result cannot be trusted.
func (k *splitCheck) distrust(reason string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.suspect == "" {
		k.suspect = reason
	}
}

// verdict says why a split search that read n issues may be incomplete,
// or "" when it is not. Call it after the pool is done.
func (k *splitCheck) verdict(n int) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	switch {
	case k.suspect != "":
		return k.suspect
	case !k.started:
		return "" // nothing was split
	case k.err != nil:
		return fmt.Sprintf("cannot count the JQL's issues to check the split: %v", k.c.redactErr(k.err))
	case n < k.count:
		return fmt.Sprintf("the split streams read %d issues, Jira counts about %d", n, k.count)
	}
	return ""
}

// projectStreams reads the first (highest-key) page of one project and
// queues the key ranges below it.
func (c *Connector) projectStreams(ctx context.Context, pl *pool, chk *splitCheck, m *mapping, body, order, project string, fields []string, conc int, p *progress) error {
	inProject := andJQL(body, "project = "+quoteJQL(project))
	var low, high, served int
	var prefix string
	var last, through bool
	err := c.pageCloud(ctx, m, inProject+" ORDER BY key DESC", fields, "", pageSize, pl.emit, p, func(page *searchPage) bool {
		if page.IsLast != nil && *page.IsLast {
			last = true
			return false
		}
		if through {
			return true
		}
		prefix, low, high = keyBounds(page.Issues)
		served = len(page.Issues)
		// Keys that do not read as PROJECT-n (never seen on Jira), or a
		// page that already reaches key 1 while Jira says more follow
		// (issues under another prefix sort below it): page this query
		// to its end instead of splitting it.
		through = low <= 1
		return through
	})
	if err != nil || last || through {
		return err
	}
	chk.start(pl)
	// Issues per key number in the page just read, and the page size the
	// server allows, size the ranges.
	density := min(1, float64(served)/float64(high-low+1))
	estPages := int(density*float64(low-1))/served + 1
	perRange := max(minRangePages, (estPages+2*conc-1)/(2*conc))
	width := max(1, int(float64(perRange*served)/density))
	ks := &keySplit{prefix: prefix}
	for b := low; b > 1; b -= width {
		ks.bounds = append(ks.bounds, b)
	}
	ks.state = make([]boundState, len(ks.bounds))
	ks.state[0] = boundUsed // the first page returned it
	ks.cond = sync.NewCond(&ks.mu)
	for i := range ks.bounds {
		emit := func(batch []model.Item) {
			for _, it := range batch {
				if pk, _, _ := strings.Cut(it.Key, "-"); pk != prefix {
					chk.distrust(fmt.Sprintf("a key range of %s returned %s, outside that prefix", prefix, it.Key))
					break
				}
			}
			pl.emit(batch)
		}
		pl.run(func(ctx context.Context) error {
			return c.rangeStream(ctx, m, inProject, order, ks, i, fields, emit, p)
		})
	}
	return nil
}

// minRangePages is the least pages a key range is sized for. Each range
// ends on a partly filled page and may cost a request refused for a missing
// bound: ranges of at least 12 pages keep that near 1/20 of the floor, and
// projects still run in parallel with each other.
const minRangePages = 12

// boundState is what is known of a key bound: nothing yet, being tried by
// a range's query, used (a query with it was answered, so it existed then),
// or refused by Jira.
type boundState int

const (
	boundUnknown boundState = iota
	boundTrying
	boundUsed
	boundRefused
)

// keySplit is the key ranges below a project's first page. bounds holds
// issue numbers in descending order: bounds[0] is the lowest key the first
// page returned (it exists), the others are computed and may not exist.
// Range i reads bounds[i+1] <= n < bounds[i] (the last range has no lower
// bound). A bound is tried by one range at a time: the range on its other
// side waits for that answer rather than send a query that would be refused
// too.
type keySplit struct {
	prefix string
	mu     sync.Mutex
	cond   *sync.Cond // signalled when a bound's state changes
	bounds []int
	state  []boundState
}

func (ks *keySplit) key(i int) string { return ks.prefix + "-" + strconv.Itoa(ks.bounds[i]) }

// claim returns the bounds range i reads with now: its upper bound i and
// lower, the nearest bound below that Jira has not refused (len(bounds):
// none). It waits while another range is trying one of them, and marks the
// ones nobody tried yet as tried by this range (claimed). absorbed is true
// when range i's upper bound was refused: the range above then reads range
// i's keys.
func (ks *keySplit) claim(ctx context.Context, i int, noUpper, noLower bool) (lower int, claimed []int, absorbed bool, err error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	for {
		if err := ctx.Err(); err != nil {
			return 0, nil, false, err
		}
		if i > 0 && ks.state[i] == boundRefused {
			return 0, nil, true, nil
		}
		lower = i + 1
		for lower < len(ks.bounds) && ks.state[lower] == boundRefused {
			lower++
		}
		var need []int
		if !noUpper {
			need = append(need, i)
		}
		if !noLower && lower < len(ks.bounds) {
			need = append(need, lower)
		}
		busy := false
		for _, b := range need {
			busy = busy || ks.state[b] == boundTrying
		}
		if busy {
			ks.cond.Wait()
			continue
		}
		for _, b := range need {
			if ks.state[b] == boundUnknown {
				ks.state[b] = boundTrying
				claimed = append(claimed, b)
			}
		}
		return lower, claimed, false, nil
	}
}

// settle records the answer to a query that tried the claimed bounds: all
// used when it was answered, else the refused one refused and the others
// untried again.
func (ks *keySplit) settle(claimed []int, answered bool, refused int) {
	if len(claimed) == 0 {
		return
	}
	ks.mu.Lock()
	defer ks.mu.Unlock()
	for _, b := range claimed {
		switch {
		case answered:
			ks.state[b] = boundUsed
		case b == refused:
			ks.state[b] = boundRefused
		default:
			ks.state[b] = boundUnknown
		}
	}
	ks.cond.Broadcast()
}

var boundKeyRE = regexp.MustCompile(`key '([^']+)'`)

// rangeStream reads key range i. Real Jira refuses a key bound that is not
// an existing issue the account can see: 400 "An issue with key 'X' does not
// exist for field 'issuekey'." for a deleted or security-hidden issue, and
// "Operator '>=' cannot be applied to moved issue key 'X'." for the old key
// of a moved one. Every long-lived project has such gaps, and the computed
// bounds land in them. A refused bound is given up, and the two ranges it
// separated become one, read by the range above it: no bound is moved onto a
// guess, the refusal costs one request, and no key is left between ranges.
// A bound that a query was answered with before and is refused now (the
// issue was deleted meanwhile) is dropped from this range only, which then
// reads on to the project's end on that side (issues read twice are kept
// once); the approximate count checks the whole.
func (c *Connector) rangeStream(ctx context.Context, m *mapping, inProject, order string, ks *keySplit, i int, fields []string, emit func([]model.Item), p *progress) error {
	noUpper, noLower := false, false
	stop := context.AfterFunc(ctx, func() {
		ks.mu.Lock()
		ks.cond.Broadcast()
		ks.mu.Unlock()
	})
	defer stop()
	for {
		lower, claimed, absorbed, err := ks.claim(ctx, i, noUpper, noLower)
		if err != nil || absorbed {
			return err
		}
		var parts []string
		if lower < len(ks.bounds) && !noLower {
			parts = append(parts, "issuekey >= "+quoteJQL(ks.key(lower)))
		}
		if !noUpper {
			parts = append(parts, "issuekey < "+quoteJQL(ks.key(i)))
		}
		jql := inProject
		if len(parts) > 0 {
			jql = andJQL(inProject, strings.Join(parts, " AND "))
		}
		answered := false
		err = c.pageCloud(ctx, m, joinJQL(jql, order), fields, "", pageSize, emit, p, func(*searchPage) bool {
			if !answered {
				answered = true
				ks.settle(claimed, true, -1)
			}
			return true
		})
		if err == nil {
			return nil
		}
		if answered {
			// A bound it was answered with is refused on a later page:
			// the issue was deleted meanwhile.
			claimed = nil
		}
		refused := refusedKey(err)
		switch {
		case !noLower && lower < len(ks.bounds) && refused == ks.key(lower):
			if slices.Contains(claimed, lower) {
				ks.settle(claimed, false, lower) // merge over it
			} else {
				ks.settle(claimed, false, -1)
				noLower = true // it was used before: read on past it
			}
		case !noUpper && refused == ks.key(i):
			if slices.Contains(claimed, i) {
				ks.settle(claimed, false, i) // the range above reads this one
			} else {
				ks.settle(claimed, false, -1)
				noUpper = true
			}
		default:
			ks.settle(claimed, false, -1)
			return err // not about a bound this range set
		}
	}
}

// keyBounds returns the project key prefix and the lowest and highest issue
// number of a page's issues, or zeros when a key does not read as PREFIX-n
// with one prefix for all. The prefix comes from the keys, not the JQL: the
// JQL may name the project by name or id.
func keyBounds(issues []rawIssue) (prefix string, low, high int) {
	for _, is := range issues {
		pk, n, ok := strings.Cut(is.Key, "-")
		v, err := strconv.Atoi(n)
		if !ok || err != nil || v <= 0 || pk == "" || (prefix != "" && pk != prefix) {
			return "", 0, 0
		}
		prefix = pk
		if low == 0 || v < low {
			low = v
		}
		high = max(high, v)
	}
	return prefix, low, high
}

// dedupeItems keeps the first item of each key.
func dedupeItems(items []model.Item) []model.Item {
	seen := make(map[string]bool, len(items))
	out := items[:0]
	for _, it := range items {
		if !seen[it.Key] {
			seen[it.Key] = true
			out = append(out, it)
		}
	}
	return out
}

// pool runs tasks with at most conc at once; a task may queue more tasks.
// Tasks start in the order they were queued. The first error cancels the
// rest.
type pool struct {
	ctx    context.Context
	cancel context.CancelFunc
	sem    chan struct{}
	wg     sync.WaitGroup

	mu    sync.Mutex
	items []model.Item
	errs  []error
}

func newPool(ctx context.Context, conc int) *pool {
	ctx, cancel := context.WithCancel(ctx)
	return &pool{ctx: ctx, cancel: cancel, sem: make(chan struct{}, max(1, conc))}
}

func (pl *pool) emit(batch []model.Item) {
	pl.mu.Lock()
	pl.items = append(pl.items, batch...)
	pl.mu.Unlock()
}

func (pl *pool) run(task func(context.Context) error) {
	pl.wg.Add(1)
	go func() {
		defer pl.wg.Done()
		select {
		case pl.sem <- struct{}{}:
		case <-pl.ctx.Done():
			return
		}
		defer func() { <-pl.sem }()
		if pl.ctx.Err() != nil {
			return
		}
		if err := task(pl.ctx); err != nil {
			pl.mu.Lock()
			pl.errs = append(pl.errs, err)
			pl.mu.Unlock()
			pl.cancel()
		}
	}()
}

// wait waits for every task, queued ones included, and returns the items
// and the errors (streams cut short by the cancel only repeat the first).
func (pl *pool) wait() ([]model.Item, error) {
	pl.wg.Wait()
	defer pl.cancel()
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if len(pl.errs) == 0 {
		return pl.items, context.Cause(pl.ctx)
	}
	var real []error
	for _, e := range pl.errs {
		if !errors.Is(e, context.Canceled) {
			real = append(real, e)
		}
	}
	if len(real) == 0 {
		real = pl.errs[:1]
	}
	return pl.items, errors.Join(real...)
}
