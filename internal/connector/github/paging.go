package github

import (
	"context"
	"errors"
	"fmt"
	"sync"

	gh "github.com/google/go-github/v60/github"
)

// Paging a GitHub REST listing must end even when the server misbehaves: a
// rel="next" back to a page already read, endless pages that repeat what was
// read, or a rel="last" far past the real end. The pager reads any number
// of listings with a fixed number of workers (twice the run's concurrency;
// the run's slots bound the requests in flight): pages 2..last of a listing are claimed one at a time as workers free up,
// never started as one goroutine each, and every fault above ends the run
// with an error naming the listing, the page and what was wrong.

// pageCeiling bounds a listing whose size nothing else bounds (a repository
// named in repos, the closed-issues listing of an audit, an org's
// repositories): 5,000 pages of 100 is 500,000 entries, more than any
// GitHub repository or organisation holds, so only a server that invents
// fresh entries forever reaches it, and the run ends instead of growing
// without limit.
const pageCeiling = 5000

// errPaging is the cause of every paging fault, so callers can tell it
// from network and HTTP errors.
var errPaging = errors.New("the server's paging does not end")

// loopGuard stops a rel="next" chain that revisits a URL or serves a page
// of entries all read before. It is not safe for concurrent use.
type loopGuard struct {
	urls map[string]bool
	keys map[string]bool
}

func newLoopGuard(first string) *loopGuard {
	return &loopGuard{urls: map[string]bool{first: true}, keys: map[string]bool{}}
}

// page records the keys of one page's entries; it fails when the page has
// entries and none of them is new. Offset paging may repeat a few entries
// when the listing shifts while it is read, never a whole page.
func (g *loopGuard) page(keys []string) error {
	fresh := 0
	for _, k := range keys {
		if !g.keys[k] {
			g.keys[k] = true
			fresh++
		}
	}
	if len(keys) > 0 && fresh == 0 {
		return fmt.Errorf("%w: the page holds only entries already read (%d of them)", errPaging, len(keys))
	}
	return nil
}

// next records the rel="next" target u; it fails when u was read already.
func (g *loopGuard) next(u string) error {
	if g.urls[u] {
		return fmt.Errorf("%w: Link rel=\"next\" points at a page already read (%s)", errPaging, u)
	}
	g.urls[u] = true
	return nil
}

// chain checks one page of a rel="next" chain read at u whose Link names
// next ("" at the end): its keys, and that next is no page already read.
func (g *loopGuard) chain(keys []string, u, next string) error {
	if err := g.page(keys); err != nil {
		return err
	}
	if next == "" {
		return nil
	}
	if len(keys) == 0 {
		return fmt.Errorf("%w: an empty page names a rel=\"next\" page (%s)", errPaging, next)
	}
	g.urls[u] = true
	return g.next(next)
}

// cursor checks one page of a GraphQL connection: its node keys, and that
// its endCursor, when hasNextPage asks for more, was never sent before (the
// guard's URLs hold the cursors; newLoopGuard("") marks the first page).
func (g *loopGuard) cursor(keys []string, hasNext bool, end string) error {
	if hasNext && g.urls[end] {
		return fmt.Errorf("%w: hasNextPage is true but the endCursor %q repeats a cursor already sent", errPaging, end)
	}
	if err := g.page(keys); err != nil {
		return err
	}
	if hasNext {
		g.urls[end] = true
	}
	return nil
}

// listing is one offset-paged REST listing the pager reads.
type listing struct {
	// what names the listing in errors: "read issues of acme/payments".
	what string
	// first is the URL of page 1.
	first string
	// read fetches page n at u, keeps its entries and returns their keys
	// (issue numbers, repository names) for loop detection.
	read func(ctx context.Context, u string, n int) (keys []string, resp *gh.Response, err error)
	// done, if set, runs once after the listing's last page was read.
	done func(ctx context.Context) error
	// maxPages, if set, is the most pages the listing may have; expect
	// says why ("open_issues_count is 250").
	maxPages int
	expect   string

	// Guarded by the pager's mu.
	guard      *loopGuard
	base       string // rel="last" URL that pages 2..last are built on
	next, last int    // next page to claim, the claimed last page
	// outstanding counts pages queued, claimable or being read.
	outstanding int
}

// pageJob is one page to read.
type pageJob struct {
	l *listing
	u string
	n int
	// follow: follow rel="next" after this page (page 1, the claimed
	// last page, and every page of a chain).
	follow bool
	// ranged: the page was claimed from 2..last.
	ranged bool
}

// pager hands pages of its listings to a fixed set of workers.
type pager struct {
	mu     sync.Mutex
	cond   *sync.Cond
	queue  []pageJob
	ranges []*listing
	active int
	err    error
}

// readListings reads every listing with workers page readers, returning
// the first error (the rest of the work is abandoned then). The read
// functions bound the requests in flight (the run's slots).
func readListings(ctx context.Context, workers int, ls []*listing) error {
	if len(ls) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := &pager{}
	p.cond = sync.NewCond(&p.mu)
	for _, l := range ls {
		if l.maxPages <= 0 {
			l.maxPages, l.expect = pageCeiling, fmt.Sprintf("no GitHub listing is longer than %d pages", pageCeiling)
		}
		l.guard = newLoopGuard(l.first)
		l.outstanding = 1
		p.queue = append(p.queue, pageJob{l: l, u: l.first, n: 1, follow: true})
	}
	stop := context.AfterFunc(ctx, func() {
		p.mu.Lock()
		p.cond.Broadcast()
		p.mu.Unlock()
	})
	defer stop()
	workers = max(1, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				job, ok := p.take(ctx)
				if !ok {
					return
				}
				if err := p.run(ctx, job); err != nil {
					p.fail(err)
					cancel()
				}
			}
		}()
	}
	wg.Wait()
	if p.err != nil {
		return p.err
	}
	return ctx.Err()
}

// take returns the next page to read, or false when all is read or the run
// was cancelled. Claimed ranges go first, so a repository's pages are read
// close together in time (offset paging shifts less in a short window).
func (p *pager) take(ctx context.Context) (pageJob, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		if ctx.Err() != nil || p.err != nil {
			return pageJob{}, false
		}
		if len(p.ranges) > 0 {
			l := p.ranges[0]
			n := l.next
			l.next++
			if l.next > l.last {
				p.ranges = p.ranges[1:]
			}
			p.active++
			return pageJob{l: l, u: withPage(l.base, n), n: n, follow: n == l.last, ranged: true}, true
		}
		if len(p.queue) > 0 {
			job := p.queue[0]
			p.queue = p.queue[1:]
			p.active++
			return job, true
		}
		if p.active == 0 {
			p.cond.Broadcast()
			return pageJob{}, false
		}
		p.cond.Wait()
	}
}

func (p *pager) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err == nil {
		p.err = err
	}
	p.cond.Broadcast()
}

// run reads one page and plans what follows it.
func (p *pager) run(ctx context.Context, job pageJob) error {
	l := job.l
	keys, resp, err := l.read(ctx, job.u, job.n)
	if err != nil {
		p.mu.Lock()
		p.active--
		p.cond.Broadcast()
		p.mu.Unlock()
		return err
	}
	links := parseLinks(resp)

	p.mu.Lock()
	err = p.plan(job, keys, links)
	p.active--
	l.outstanding--
	finished := err == nil && l.outstanding == 0
	p.cond.Broadcast()
	p.mu.Unlock()
	if err != nil {
		return fmt.Errorf("%s (page %d): %w", l.what, job.n, err)
	}
	if finished && l.done != nil {
		return l.done(ctx)
	}
	return nil
}

// plan checks a page against the listing's guard and queues what follows:
// the range 2..last after page 1, or the rel="next" page. Called with mu.
func (p *pager) plan(job pageJob, keys []string, links links) error {
	l := job.l
	if job.ranged && len(keys) == 0 && job.n < l.last {
		// GitHub answers a page past the end with []. A page before the
		// claimed last that is empty means the claim was false (or more
		// than a page of entries vanished while the listing was read).
		return fmt.Errorf("%w: the page came back empty although the Link header's rel=\"last\" claimed %d pages", errPaging, l.last)
	}
	if l.maxPages > 0 && (links.lastPage > l.maxPages || (job.follow && links.next != "" && job.n >= l.maxPages)) {
		claim := fmt.Sprintf("names page %d", max(links.lastPage, job.n+1))
		if links.lastPage > l.maxPages {
			claim = fmt.Sprintf("claims %d pages in its rel=\"last\"", links.lastPage)
		}
		return fmt.Errorf("%w: the listing %s, more than the %d pages its size allows (%s)", errPaging, claim, l.maxPages, l.expect)
	}
	if job.n == 1 && job.follow && links.lastPage > 1 {
		if err := l.guard.page(keys); err != nil {
			return err
		}
		l.base, l.next, l.last = links.last, 2, links.lastPage
		l.outstanding += l.last - 1
		p.ranges = append(p.ranges, l)
		return nil
	}
	next := links.next
	if !job.follow {
		next = ""
	}
	// A next link back to this page is a loop; one back to an earlier
	// page shows as a page of entries already read.
	if err := l.guard.chain(keys, job.u, next); err != nil {
		return err
	}
	if next != "" {
		l.outstanding++
		p.queue = append(p.queue, pageJob{l: l, u: next, n: job.n + 1, follow: true})
	}
	return nil
}
