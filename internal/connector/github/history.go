package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
)

// issueEventJSON is an issue event of the REST issue events API
// (https://docs.github.com/rest/issues/events). v60's gh.IssueEvent lacks
// issue_type and prev_issue_type.
type issueEventJSON struct {
	ID            int64          `json:"id"`
	Event         string         `json:"event"`
	CreatedAt     time.Time      `json:"created_at"`
	Assignee      *userJSON      `json:"assignee"`
	Label         *labelJSON     `json:"label"`
	IssueType     *issueTypeJSON `json:"issue_type"`
	PrevIssueType *issueTypeJSON `json:"prev_issue_type"`
	// Issue is set on the repository-wide listing only.
	Issue *struct {
		Number int `json:"number"`
	} `json:"issue"`
}

// History reads the issue events of the given GitHub items and maps them to
// audit events between from and to (to zero: no upper bound), in time
// order, keyed by item key:
//
//	assigned / unassigned             → assignee (to / from account)
//	labeled / unlabeled               → label (to / from name)
//	issue_type_added/_changed/_removed → type (prev_issue_type → issue_type)
//	closed / reopened                 → state (open ↔ closed)
//
// Sub-issue parent changes are not read: the REST events name no parent.
//
// Per repository it picks the cheaper listing. With one item it reads
// GET /repos/{o}/{r}/issues/{n}/events. With more it reads the repository's
// listing GET /repos/{o}/{r}/issues/events, which GitHub serves newest
// first, and stops at the first page older than from; should that listing
// need more pages than the items have (a busy repository, a long window) it
// switches to the per-issue listing, so a repository never costs more than
// twice the cheaper way. Repositories are read concurrently
// (github.concurrency).
func (c *Connector) History(ctx context.Context, items []model.Item, from, to time.Time) (map[string][]model.Event, error) {
	out, err := c.history(ctx, items, from, to)
	return out, c.c.secrets.redact(err)
}

func (c *Connector) history(ctx context.Context, items []model.Item, from, to time.Time) (map[string][]model.Event, error) {
	type repoItems struct {
		repo    repoRef
		numbers []int
	}
	byRepo := map[string]*repoItems{}
	var order []string
	for _, it := range items {
		if it.Tracker != model.TrackerGitHub && it.Tracker != "" {
			continue
		}
		full, num, ok := strings.Cut(it.Key, "#")
		owner, name, ok2 := strings.Cut(full, "/")
		n, err := strconv.Atoi(num)
		if !ok || !ok2 || err != nil || n <= 0 {
			continue // a Projects v2 draft: it has no issue events
		}
		k := strings.ToLower(full)
		if byRepo[k] == nil {
			byRepo[k] = &repoItems{repo: repoRef{owner: owner, name: name}}
			order = append(order, k)
		}
		byRepo[k].numbers = append(byRepo[k].numbers, n)
	}
	sort.Strings(order)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		out      = map[string][]model.Event{}
		firstErr error
		wg       sync.WaitGroup
		done     atomic.Int64
	)
	total := 0
	for _, k := range order {
		total += len(byRepo[k].numbers)
	}
	h := &historyRun{Connector: c, slots: make(slots, c.concurrency)}
	for _, k := range order {
		wg.Add(1)
		go func(ri *repoItems) {
			defer wg.Done()
			got, err := h.repoHistory(ctx, ri.repo, ri.numbers, from, to)
			c.progress("histories", int(done.Add(int64(len(ri.numbers)))), total)
			mu.Lock()
			defer mu.Unlock()
			for k, evs := range got {
				out[k] = evs
			}
			if err != nil && firstErr == nil {
				firstErr = err
				cancel()
			}
		}(byRepo[k])
	}
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = fmt.Errorf("read history of github source %q: %w", c.name, context.Cause(ctx))
	}
	return out, firstErr
}

// historyRun is one History call: requests in flight share one bound
// (github.concurrency), whichever repository or issue they read.
type historyRun struct {
	*Connector
	slots slots
}

func (c *historyRun) get(ctx context.Context, u string, v any) (*gh.Response, error) {
	if err := c.slots.acquire(ctx); err != nil {
		return nil, err
	}
	defer c.slots.release()
	return c.c.getJSON(ctx, u, v)
}

// repoHistory reads the events of numbers in repo.
func (c *historyRun) repoHistory(ctx context.Context, repo repoRef, numbers []int, from, to time.Time) (map[string][]model.Event, error) {
	if len(numbers) > 1 {
		out, ok, err := c.repoListing(ctx, repo, numbers, from, to)
		if ok || err != nil {
			return out, err
		}
		c.notify("debug", "repository event listing needs more pages than its items; reading per issue", map[string]any{"repo": repo.String(), "items": len(numbers)})
	}
	out := map[string][]model.Event{}
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		firstErr error
	)
	for _, n := range numbers {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			evs, err := c.issueEvents(ctx, repo, n, from, to)
			mu.Lock()
			defer mu.Unlock()
			if len(evs) > 0 {
				out[fmt.Sprintf("%s#%d", repo, n)] = evs
			}
			if err != nil && firstErr == nil {
				firstErr = err
			}
		}(n)
	}
	wg.Wait()
	return out, firstErr
}

// issueEvents reads one issue's events, oldest first.
func (c *historyRun) issueEvents(ctx context.Context, repo repoRef, n int, from, to time.Time) ([]model.Event, error) {
	key := fmt.Sprintf("%s#%d", repo, n)
	var out []model.Event
	next := c.c.absolute(fmt.Sprintf("repos/%s/%s/issues/%d/events?per_page=%d", url.PathEscape(repo.owner), url.PathEscape(repo.name), n, perPage))
	guard := newLoopGuard(next)
	for page := 1; next != ""; page++ {
		var raw []issueEventJSON
		resp, err := c.get(ctx, next, &raw)
		if err != nil {
			return out, fmt.Errorf("read events of %s (page %d): %w", key, page, c.c.explain(err, accessIssues))
		}
		if err := guard.chain(eventKeys(raw), next, parseLinks(resp).next); err != nil {
			return out, fmt.Errorf("read events of %s (page %d): %w", key, page, err)
		}
		for i := range raw {
			if ev, ok := toEvent(key, &raw[i], from, to); ok {
				out = append(out, ev)
			}
		}
		next = parseLinks(resp).next
	}
	sortEvents(out)
	return out, nil
}

// repoListing reads the repository-wide event listing for numbers. ok is
// false when it would need more pages than there are items (or GitHub
// refuses to page that deep with 422): the caller reads per issue instead.
func (c *historyRun) repoListing(ctx context.Context, repo repoRef, numbers []int, from, to time.Time) (map[string][]model.Event, bool, error) {
	want := make(map[int]bool, len(numbers))
	for _, n := range numbers {
		want[n] = true
	}
	out := map[string][]model.Event{}
	desc, known := true, false
	next := c.c.absolute(fmt.Sprintf("repos/%s/%s/issues/events?per_page=%d", url.PathEscape(repo.owner), url.PathEscape(repo.name), perPage))
	guard := newLoopGuard(next)
	for page := 1; next != ""; page++ {
		if page > len(numbers) {
			return nil, false, nil
		}
		var raw []issueEventJSON
		resp, err := c.get(ctx, next, &raw)
		if err != nil {
			var er *gh.ErrorResponse
			if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusUnprocessableEntity {
				return nil, false, nil
			}
			return out, true, fmt.Errorf("read events of %s (page %d): %w", repo, page, c.c.explain(err, accessIssues))
		}
		if err := guard.chain(eventKeys(raw), next, parseLinks(resp).next); err != nil {
			return out, true, fmt.Errorf("read events of %s (page %d): %w", repo, page, err)
		}
		if n := len(raw); !known && n > 1 && !raw[0].CreatedAt.Equal(raw[n-1].CreatedAt) {
			desc, known = raw[0].CreatedAt.After(raw[n-1].CreatedAt), true
		}
		for i := range raw {
			e := &raw[i]
			if e.Issue == nil || !want[e.Issue.Number] {
				continue
			}
			key := fmt.Sprintf("%s#%d", repo, e.Issue.Number)
			if ev, ok := toEvent(key, e, from, to); ok {
				out[key] = append(out[key], ev)
			}
		}
		next = parseLinks(resp).next
		// Newest first: a page that ends before from is the last one
		// needed. A listing served oldest first is read to the end.
		if n := len(raw); desc && n > 0 && !from.IsZero() && raw[n-1].CreatedAt.Before(from) {
			break
		}
	}
	for k := range out {
		// Served newest first: reverse so events of one second keep
		// GitHub's order, then sort.
		evs := out[k]
		if desc {
			for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
				evs[i], evs[j] = evs[j], evs[i]
			}
		}
		sortEvents(evs)
	}
	return out, true, nil
}

func sortEvents(evs []model.Event) {
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].At.Before(evs[j].At) })
}

// toEvent maps one issue event to an audit event, when it is one the audit
// needs and falls in [from, to].
func toEvent(key string, e *issueEventJSON, from, to time.Time) (model.Event, bool) {
	if (!from.IsZero() && e.CreatedAt.Before(from)) || (!to.IsZero() && e.CreatedAt.After(to)) {
		return model.Event{}, false
	}
	ev := model.Event{Item: key, At: e.CreatedAt}
	acct := func() *model.Account {
		if e.Assignee == nil || e.Assignee.Login == "" {
			return nil
		}
		return &model.Account{Tracker: model.TrackerGitHub, Login: e.Assignee.Login}
	}
	name := func(t *issueTypeJSON) string {
		if t == nil {
			return ""
		}
		return t.Name
	}
	switch e.Event {
	case "assigned":
		ev.Field, ev.ToAccount = "assignee", acct()
	case "unassigned":
		ev.Field, ev.FromAccount = "assignee", acct()
	case "labeled", "unlabeled":
		if e.Label == nil {
			return ev, false
		}
		ev.Field = "label"
		if e.Event == "labeled" {
			ev.To = e.Label.Name
		} else {
			ev.From = e.Label.Name
		}
	case "issue_type_added":
		ev.Field, ev.To = "type", name(e.IssueType)
	case "issue_type_changed":
		ev.Field, ev.From, ev.To = "type", name(e.PrevIssueType), name(e.IssueType)
	case "issue_type_removed":
		ev.Field, ev.From = "type", name(e.PrevIssueType)
		if ev.From == "" {
			ev.From = name(e.IssueType)
		}
	case "closed":
		ev.Field, ev.From, ev.To = "state", "open", "closed"
	case "reopened":
		ev.Field, ev.From, ev.To = "state", "closed", "open"
	default:
		return ev, false
	}
	if ev.Field == "assignee" && ev.FromAccount == nil && ev.ToAccount == nil {
		return ev, false
	}
	return ev, true
}

var _ connector.HistoryFetcher = (*Connector)(nil)

// eventKeys are the ids of a page of events, for loop detection.
func eventKeys(raw []issueEventJSON) []string {
	keys := make([]string, len(raw))
	for i := range raw {
		keys[i] = strconv.FormatInt(raw[i].ID, 10)
	}
	return keys
}
