package jira

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pomlint/pomlint/internal/config"
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
	Created string       `json:"created"`
	Items   []changeItem `json:"items"`
}

// History reads the changelog of each item and maps assignee, owner field,
// label, type, parent and resolution changes between from and to (to zero:
// no upper bound) to events, in time order, keyed by item key.
//
// Closes and reopens come from the resolution field: set → state event
// open → closed, cleared → closed → open. The status category (what an
// item's current Closed says) would be the better signal — many workflows,
// team-managed projects among them, never set a resolution, and some leave
// it set after a reopen — but the changelog names statuses only by id and
// name, so it needs GET /rest/api/2/status for the categories, one request
// the shared fake does not serve yet. An item closed by status alone has no
// close event; the audit then takes its last update as the close time and
// says so in a note.
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
	cloud := dep == config.DeploymentCloud
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
	_, err = runStreams(ctx, keys, conc, func(ctx context.Context, key string, _ func([]model.Item)) error {
		hs, err := c.changelog(ctx, key, cloud)
		if err != nil {
			return err
		}
		evs, err := events(key, hs, from, to, owner, userField, cloud)
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
		start += len(res.Values)
	}
}

func events(key string, hs []history, from, to time.Time, owner map[string]string, userField map[string]bool, cloud bool) ([]model.Event, error) {
	account := func(id, display string) *model.Account { return changeAccount(id, display, cloud) }
	var out []model.Event
	for _, h := range hs {
		at, err := parseTime(h.Created)
		if err != nil {
			return out, fmt.Errorf("read changelog of %s: %w", key, err)
		}
		if (!from.IsZero() && at.Before(from)) || (!to.IsZero() && at.After(to)) {
			continue
		}
		for _, ci := range h.Items {
			ev := model.Event{Item: key, At: at}
			field := strings.ToLower(ci.Field)
			switch {
			case ci.FieldID == "assignee" || (ci.FieldID == "" && field == "assignee"):
				ev.Field = "assignee"
				ev.FromAccount, ev.ToAccount = account(ci.From, ci.FromString), account(ci.To, ci.ToString)
			case ci.FieldID == "resolution" || (ci.FieldID == "" && field == "resolution"):
				// Setting a resolution closes the item, clearing it
				// reopens it; a change from one resolution to another is
				// no state change.
				set, was := ci.To != "" || ci.ToString != "", ci.From != "" || ci.FromString != ""
				if set == was {
					continue
				}
				ev.Field, ev.From, ev.To = "state", "open", "closed"
				if was {
					ev.From, ev.To = "closed", "open"
				}
			case ci.FieldID == "issuetype" || field == "issuetype":
				ev.Field, ev.From, ev.To = "type", ci.FromString, ci.ToString
			case ci.FieldID == "labels" || field == "labels":
				ev.Field, ev.From, ev.To = "label", ci.FromString, ci.ToString
			case field == "issueparentassociation" || field == "parent" || field == "epic link" || field == "parent link":
				ev.Field, ev.From, ev.To = "parent", orRaw(ci.FromString, ci.From), orRaw(ci.ToString, ci.To)
			case owner[ci.FieldID] != "" || owner[field] != "":
				name := owner[ci.FieldID]
				if name == "" {
					name = owner[field]
				}
				ev.Field = "field:" + name
				if userField[name] {
					ev.FromAccount, ev.ToAccount = account(ci.From, ci.FromString), account(ci.To, ci.ToString)
				} else {
					ev.From, ev.To = ci.FromString, ci.ToString
				}
			default:
				continue
			}
			out = append(out, ev)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
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
