package github

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	gh "github.com/google/go-github/v60/github"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
)

// run is the state of one Fetch.
type run struct {
	*Connector
	opts connector.FetchOptions

	mu sync.Mutex
	// pending maps child keys to parent keys found through the sub_issues
	// endpoint for children fetched by another repository's worker.
	pending map[string]string

	issues atomic.Int64
	total  int
}

func (c *run) pendingParent(child, parent string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending[child] = parent
}

// target is one repository to read, with GitHub's estimate of its open
// issues and pull requests when the org listing gave one (-1 otherwise).
type target struct {
	repo repoRef
	open int
}

// Fetch reads the issues of every configured repository and organisation and
// the items of every configured Projects v2 board. Repositories are read
// concurrently (github.concurrency, default 4). On the first failure the
// remaining work is cancelled and Fetch returns what it read with the error.
func (c *Connector) Fetch(ctx context.Context, opts connector.FetchOptions) ([]model.Item, error) {
	items, err := c.fetch(ctx, opts)
	sortItems(items)
	return items, c.c.secrets.redact(err)
}

func (c *Connector) fetch(ctx context.Context, opts connector.FetchOptions) ([]model.Item, error) {
	r := &run{Connector: c, opts: opts, pending: map[string]string{}}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read github source %q: %w", c.name, err)
	}
	targets, err := c.resolveRepos(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.planBudget(ctx, estimateRequests(targets, len(c.cfg.Projects))); err != nil {
		return nil, err
	}
	r.total = -1
	if sum, known := 0, true; len(targets) > 0 {
		for _, t := range targets {
			if t.open < 0 {
				known = false
				break
			}
			sum += t.open
		}
		if known {
			r.total = sum
		}
	}

	items, err := r.fetchRepos(ctx, targets)
	if err != nil {
		return items, err
	}

	inScope := make(map[string]bool, len(targets))
	for _, t := range targets {
		inScope[strings.ToLower(t.repo.String())] = true
	}
	byKey := make(map[string]int, len(items))
	for i := range items {
		byKey[strings.ToLower(items[i].Key)] = i
	}
	for _, p := range c.cfg.Projects {
		board, err := r.fetchBoard(ctx, p)
		for _, bi := range board {
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
			byKey[key] = len(items)
			items = append(items, bi)
		}
		if err != nil {
			return items, err
		}
	}
	for i := range items {
		if p, ok := r.pending[items[i].Key]; ok && items[i].Parent == "" {
			items[i].Parent = p
		}
	}
	return items, nil
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

// fetchRepos reads targets with bounded concurrency, cancelling the rest on
// the first error.
func (c *run) fetchRepos(ctx context.Context, targets []target) ([]model.Item, error) {
	if len(targets) == 0 {
		return nil, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu       sync.Mutex
		items    []model.Item
		firstErr error
		wg       sync.WaitGroup
	)
	sem := make(chan struct{}, c.concurrency)
	pages := atomic.Int64{}
	for _, t := range targets {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(t target) {
			defer wg.Done()
			defer func() { <-sem }()
			got, err := c.listIssues(ctx, t.repo, c.opts.Since, func(n int) {
				done := c.issues.Add(int64(n))
				pages.Add(1)
				c.progress("issues", int(done), c.total)
			})
			mu.Lock()
			defer mu.Unlock()
			items = append(items, got...)
			if err != nil && firstErr == nil {
				firstErr = err
				cancel()
			}
		}(t)
	}
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = fmt.Errorf("read github source %q: %w", c.name, context.Cause(ctx))
	}
	return items, firstErr
}

// resolveRepos lists the configured repositories and every repository of the
// configured organisations, skipping archived ones (unless include_archived)
// and ones with issues disabled.
func (c *Connector) resolveRepos(ctx context.Context) ([]target, error) {
	seen := map[string]bool{}
	var out []target
	for _, r := range c.repos {
		k := strings.ToLower(r.String())
		if !seen[k] {
			seen[k] = true
			out = append(out, target{repo: r, open: -1})
		}
	}
	for _, org := range c.cfg.Orgs {
		opt := &gh.RepositoryListByOrgOptions{Type: "all", ListOptions: gh.ListOptions{PerPage: perPage}}
		for {
			repos, resp, err := c.c.rest.Repositories.ListByOrg(ctx, org, opt)
			if err != nil {
				return out, fmt.Errorf("list repositories of %s: %w", org, c.c.explain(err, accessRepos))
			}
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
				out = append(out, target{repo: repoRef{owner: owner, name: name}, open: repo.GetOpenIssuesCount()})
			}
			if resp == nil || resp.NextPage == 0 {
				break
			}
			opt.Page = resp.NextPage
		}
	}
	return out, nil
}

// estimateRequests is the REST requests a run needs: one page per 100 open
// issues and pull requests of each repository (at least one), and one
// GraphQL request per board (not counted against the REST budget, but a
// board of many items costs more; the plumbing waits if that runs out).
func estimateRequests(targets []target, boards int) int {
	n := 0
	for _, t := range targets {
		p := 1
		if t.open > perPage {
			p = (t.open + perPage - 1) / perPage
		}
		n += p
	}
	return n + boards
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
