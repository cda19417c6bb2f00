package jira

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
	"time"

	"github.com/pomlint/pomlint/internal/model"
)

type changeItem struct {
	Field      string `json:"field"`
	FieldType  string `json:"fieldtype"`
	FieldID    string `json:"fieldId"`
	From       string `json:"from"`
	FromString string `json:"fromString"`
	To         string `json:"to"`
	ToString   string `json:"toString"`
}

type history struct {
	ID      string       `json:"id"`
	Created string       `json:"created"`
	Items   []changeItem `json:"items"`
}

// History reads the changelog of each item and maps assignee, owner field,
// label, type, parent and status changes between from and to (to zero: no
// upper bound) to events, in time order, keyed by item key.
//
// Closes and reopens come from the status category, what an item's current
// Closed says too: a status change into a done status is a state event
// open → closed, one from a done status to another category closed → open,
// one between two done statuses no change. The changelog names statuses by
// id (from/to) and name, so the categories come from GET
// /rest/api/2/status, read at most once per History call and only when an
// item has a status change in the period. An id the list does not have (a
// deleted status) is looked up by its name; a change into a done status
// from an unknown one closes, a change from a done status to an unknown one
// is left out.
//
// The resolution field is the fallback for a site that does not let the
// account read the status list (404 or 403; History notes it and goes on):
// set → closed, cleared → open, one resolution replaced by another no
// change. It is never mixed with status changes, so a transition that sets
// status and resolution at once gives one state event. Any other error
// reading the list fails History.
//
// Cloud pages /rest/api/3/issue/{key}/changelog (startAt, maxResults,
// isLast): the changelog that search's expand=changelog returns is capped
// at 100 entries. Data Center has no paged changelog endpoint before 9.x
// on every edition we could verify, so it reads
// /rest/api/2/issue/{key}?expand=changelog, which on Data Center returns
// the whole history; should a server ever answer with fewer histories than
// its total, History reports an error rather than a silent partial.
// Items are read concurrently, at most jira.concurrency at once.
func (c *Connector) History(ctx context.Context, items []model.Item, from, to time.Time) (map[string][]model.Event, error) {
	out, err := c.history(ctx, items, from, to)
	return out, c.redactErr(c.explain(ctx, err))
}

func (c *Connector) history(ctx context.Context, items []model.Item, from, to time.Time) (map[string][]model.Event, error) {
	dep, err := c.Deployment(ctx)
	if err != nil {
		return nil, err
	}
	cloud := dep == DeploymentCloud
	all, err := c.fields(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	names := append([]string(nil), c.ownerNames...)
	c.mu.Unlock()
	names = dedupe(append(names, c.cfg.Fields...))
	owner := map[string]string{} // field id or lower-case name → configured name
	userField := map[string]bool{}
	for _, n := range names {
		if f, ok := findField(all, n); ok {
			owner[f.ID] = n
			owner[strings.ToLower(f.Name)] = n
			userField[n] = f.Schema.Type == "user" || f.Schema.Items == "user"
		}
	}
	conc := c.concurrency()
	var keys []string
	for _, it := range items {
		if it.Tracker == model.TrackerJira || it.Tracker == "" {
			keys = append(keys, it.Key)
		}
	}
	out := map[string][]model.Event{}
	var mu sync.Mutex
	sl := &statusList{c: c}
	_, err = runStreams(ctx, keys, conc, func(ctx context.Context, key string, _ func([]model.Item)) error {
		hs, err := c.changelog(ctx, key, cloud)
		if err != nil {
			return err
		}
		m := eventMapper{key: key, from: from, to: to, owner: owner, userField: userField, cloud: cloud,
			statuses: func() (*statusCategories, error) { return sl.get(ctx) }}
		evs, err := m.events(hs)
		if err != nil {
			return err
		}
		mu.Lock()
		if len(evs) > 0 {
			out[key] = evs
		}
		mu.Unlock()
		return nil
	})
	return out, err
}

func (c *Connector) changelog(ctx context.Context, key string, cloud bool) ([]history, error) {
	if !cloud {
		var res struct {
			Changelog struct {
				Total     int       `json:"total"`
				Histories []history `json:"histories"`
			} `json:"changelog"`
		}
		q := url.Values{"expand": {"changelog"}, "fields": {"issuetype"}}
		if err := c.get(ctx, "rest/api/2/issue/"+url.PathEscape(key), q, &res); err != nil {
			return nil, fmt.Errorf("read changelog of %s: %w", key, err)
		}
		if n := len(res.Changelog.Histories); n < res.Changelog.Total {
			return res.Changelog.Histories, fmt.Errorf("read changelog of %s: Jira returned %d of %d entries", key, n, res.Changelog.Total)
		}
		return res.Changelog.Histories, nil
	}
	var out []history
	start := 0
	seen := map[string]bool{}
	for page := 1; ; page++ {
		var res struct {
			StartAt int       `json:"startAt"`
			Total   *int      `json:"total"`
			IsLast  *bool     `json:"isLast"`
			Values  []history `json:"values"`
		}
		q := url.Values{"startAt": {strconv.Itoa(start)}, "maxResults": {"100"}}
		if err := c.get(ctx, "rest/api/3/issue/"+url.PathEscape(key)+"/changelog", q, &res); err != nil {
			return out, fmt.Errorf("read changelog of %s: %w", key, err)
		}
		out = append(out, res.Values...)
		fresh := len(res.Values)
		for _, h := range res.Values {
			if h.ID != "" {
				if seen[h.ID] {
					fresh--
				}
				seen[h.ID] = true
			}
		}
		// isLast decides; without it, total does; without both the end
		// cannot be told, and stopping would be a silent partial.
		switch {
		case res.IsLast != nil && *res.IsLast:
			return out, nil
		case res.IsLast == nil && res.Total == nil:
			return out, fmt.Errorf("read changelog of %s: page %d has neither isLast nor total, so its end cannot be told", key, page)
		case res.IsLast == nil && start+len(res.Values) >= *res.Total:
			return out, nil
		}
		if len(res.Values) == 0 {
			return out, fmt.Errorf("read changelog of %s: page %d is empty but not the last; stopping endless pagination", key, page)
		}
		if fresh == 0 {
			return out, fmt.Errorf("read changelog of %s: page %d repeats only entries already read; stopping endless pagination", key, page)
		}
		start += len(res.Values)
	}
}

// statusCategories maps status ids, and unambiguous lower-case names, to
// their category key.
type statusCategories struct {
	byID, byName map[string]string
}

// category is the category key of the status with this id or, when the id
// is unknown, this name; "" when neither is known.
func (s *statusCategories) category(id, name string) string {
	if k, ok := s.byID[id]; ok {
		return k
	}
	return s.byName[strings.ToLower(name)]
}

// statusList reads the site's status list once: the first caller fetches
// it, the others wait for that answer.
type statusList struct {
	c    *Connector
	mu   sync.Mutex
	done bool
	cats *statusCategories // nil: not readable, use the resolution
	err  error
}

func (l *statusList) get(ctx context.Context) (*statusCategories, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return l.cats, l.err
	}
	var list []struct {
		ID             string `json:"id"`
		Name           string `json:"name"`
		StatusCategory struct {
			Key string `json:"key"`
		} `json:"statusCategory"`
	}
	err := l.c.get(ctx, "rest/api/2/status", nil, &list)
	var api *APIError
	switch {
	case err == nil:
		cats := &statusCategories{byID: map[string]string{}, byName: map[string]string{}}
		ambiguous := map[string]bool{}
		for _, st := range list {
			key := strings.ToLower(st.StatusCategory.Key)
			cats.byID[st.ID] = key
			name := strings.ToLower(st.Name)
			if k, ok := cats.byName[name]; (ok && k != key) || ambiguous[name] {
				ambiguous[name] = true
				delete(cats.byName, name)
				continue
			}
			cats.byName[name] = key
		}
		l.cats = cats
	case errors.As(err, &api) && (api.Status == http.StatusNotFound || api.Status == http.StatusForbidden):
		l.c.notify("warn", "jira status list not readable: closes and reopens in the audit come from the resolution field",
			map[string]any{"status": api.Status, "reason": err.Error()})
	case ctx.Err() != nil:
		// Not remembered: a cancelled caller says nothing about the list.
		return nil, ctx.Err()
	default:
		l.err = fmt.Errorf("read status list: %w", err)
	}
	l.done = true
	return l.cats, l.err
}

// eventMapper maps one item's changelog to events.
type eventMapper struct {
	key       string
	from, to  time.Time
	owner     map[string]string
	userField map[string]bool
	cloud     bool
	// statuses returns the status categories, nil when the list cannot be
	// read; it is called only when a status change is in the period.
	statuses func() (*statusCategories, error)
}

func isField(ci changeItem, id string) bool {
	return ci.FieldID == id || (ci.FieldID == "" && strings.EqualFold(ci.Field, id))
}

// events maps the changelog entries of the period to events, in time
// order. The status list is read only when a status changed in the period.
func (m eventMapper) events(hs []history) ([]model.Event, error) {
	in, statusChange, err := m.inPeriod(hs)
	if err != nil {
		return nil, err
	}
	var cats *statusCategories
	if statusChange && m.statuses != nil {
		if cats, err = m.statuses(); err != nil {
			return nil, err
		}
	}
	var out []model.Event
	for _, e := range in {
		for _, ci := range e.items {
			if isLabels(ci) {
				// The changelog holds the whole lists, space-separated
				// (Jira labels have no spaces); the audit wants one
				// label per event.
				out = append(out, model.LabelEvents(m.key, e.at, strings.Fields(ci.FromString), strings.Fields(ci.ToString))...)
				continue
			}
			ev, ok := m.event(ci, cats, statusChange)
			if !ok {
				continue
			}
			ev.Item, ev.At = m.key, e.at
			if ev.Field == "state" && duplicateState(out, ev) {
				continue
			}
			out = append(out, ev)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// periodEntry is one changelog entry of the period, its time parsed.
type periodEntry struct {
	at    time.Time
	items []changeItem
}

// inPeriod keeps the entries between m.from and m.to (either zero: open),
// and says whether one of them changes the status.
func (m eventMapper) inPeriod(hs []history) (in []periodEntry, statusChange bool, err error) {
	for _, h := range hs {
		at, err := parseTime(h.Created)
		if err != nil {
			return nil, false, fmt.Errorf("read changelog of %s: %w", m.key, err)
		}
		if (!m.from.IsZero() && at.Before(m.from)) || (!m.to.IsZero() && at.After(m.to)) {
			continue
		}
		in = append(in, periodEntry{at, h.Items})
		for _, ci := range h.Items {
			statusChange = statusChange || isField(ci, "status")
		}
	}
	return in, statusChange, nil
}

// event maps one change item by the kind of field it changes (its Item and
// At are the caller's); false when the change is none the audit follows.
// cats is nil when the status list cannot be read; statusChange says
// whether any status changed in the period.
func (m eventMapper) event(ci changeItem, cats *statusCategories, statusChange bool) (model.Event, bool) {
	field := strings.ToLower(ci.Field)
	switch {
	case isField(ci, "assignee"):
		return m.accountChange("assignee", ci), true
	case isField(ci, "status"):
		return statusEvent(ci, cats)
	case isField(ci, "resolution"):
		// Only when the status list cannot be read (or no status
		// changed in the period: then no state changed either).
		if cats != nil || !statusChange {
			return model.Event{}, false
		}
		return resolutionEvent(ci)
	case ci.FieldID == "issuetype" || field == "issuetype":
		return model.Event{Field: "type", From: ci.FromString, To: ci.ToString}, true
	case field == "issueparentassociation" || field == "parent" || field == "epic link" || field == "parent link":
		return model.Event{Field: "parent", From: orRaw(ci.FromString, ci.From), To: orRaw(ci.ToString, ci.To)}, true
	}
	return m.ownerFieldEvent(ci, field)
}

// isLabels says whether a change item is the labels field.
func isLabels(ci changeItem) bool {
	return ci.FieldID == "labels" || strings.EqualFold(ci.Field, "labels")
}

// accountChange is a change of a user field: from and to are accounts.
func (m eventMapper) accountChange(name string, ci changeItem) model.Event {
	return model.Event{Field: name, FromAccount: changeAccount(ci.From, ci.FromString, m.cloud), ToAccount: changeAccount(ci.To, ci.ToString, m.cloud)}
}

// statusEvent is a state event when a status change crosses the done
// category: into it closes the item, out of it (to a known category)
// reopens it.
func statusEvent(ci changeItem, cats *statusCategories) (model.Event, bool) {
	if cats == nil {
		return model.Event{}, false
	}
	was := cats.category(ci.From, ci.FromString) == "done"
	toCat := cats.category(ci.To, ci.ToString)
	switch {
	case toCat == "done" && !was:
		return model.Event{Field: "state", From: "open", To: "closed"}, true
	case was && toCat != "" && toCat != "done":
		return model.Event{Field: "state", From: "closed", To: "open"}, true
	}
	return model.Event{}, false
}

// resolutionEvent is a state event from the resolution field: setting a
// resolution closes the item, clearing it reopens it; a change from one
// resolution to another is no state change.
func resolutionEvent(ci changeItem) (model.Event, bool) {
	set, was := ci.To != "" || ci.ToString != "", ci.From != "" || ci.FromString != ""
	if set == was {
		return model.Event{}, false
	}
	if was {
		return model.Event{Field: "state", From: "closed", To: "open"}, true
	}
	return model.Event{Field: "state", From: "open", To: "closed"}, true
}

// ownerFieldEvent is a change of a field ownership is read from
// (ownership.from field:NAME), by field id or name; a user field's values
// are accounts.
func (m eventMapper) ownerFieldEvent(ci changeItem, field string) (model.Event, bool) {
	name := m.owner[ci.FieldID]
	if name == "" {
		name = m.owner[field]
	}
	if name == "" {
		return model.Event{}, false
	}
	if m.userField[name] {
		return m.accountChange("field:"+name, ci), true
	}
	return model.Event{Field: "field:" + name, From: ci.FromString, To: ci.ToString}, true
}

// duplicateState reports whether out already has this state event at the
// same instant (two done statuses' worth of items in one history entry, or
// two entries a server stamped alike).
func duplicateState(out []model.Event, ev model.Event) bool {
	for i := len(out) - 1; i >= 0 && out[i].At.Equal(ev.At); i-- {
		if out[i].Field == "state" && out[i].To == ev.To {
			return true
		}
	}
	return false
}

// changeAccount builds the account of a user change; the strings hold the
// display name. On Cloud from/to hold the accountId, the account's Login.
// On Data Center they hold the user key: the changelog stores "the ID of
// the changed entity" (https://developer.atlassian.com/server/jira/platform/database-change-history/),
// and a user's id is its key since Jira 6 — JIRAUSER10100 for users created
// since Jira 8, the lower-case username for older ones. It is filed as Key
// and, since it is the username for older users, as Login too; the audit
// matches a key against an assignee's key or username, and gives a
// JIRAUSER key the username an item shows for it.
func changeAccount(id, display string, cloud bool) *model.Account {
	if id == "" && display == "" {
		return nil
	}
	a := &model.Account{Tracker: model.TrackerJira, Login: id, Name: display}
	if !cloud {
		a.Key = id
	}
	return a
}

func orRaw(s, raw string) string {
	if s != "" {
		return s
	}
	return raw
}
