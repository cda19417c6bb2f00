package audit

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/rules"
)

// auditor holds what every timeline needs.
type auditor struct {
	opts Options
	// roleDates are the roles_since dates of the roster, sorted: a
	// judgement can change there even when the item does not.
	roleDates []time.Time
	// closedGuess holds the items (source and key) whose close time is
	// their last update because the history has no close event; only
	// those that end up in the audit are counted in the note.
	closedGuess map[string]bool
	// names are display names by roster id or account handle: roster
	// names, and the names trackers show for accounts outside the roster.
	names map[string]string
	// accounts are the identities the current items show, by Jira user key
	// (lower case): a Data Center changelog names users by key only, and
	// this gives such an account back its username and name.
	accounts map[string]model.Account
}

func newAuditor(opts Options) *auditor {
	a := &auditor{opts: opts, closedGuess: map[string]bool{}, names: map[string]string{}}
	seen := map[time.Time]bool{}
	if opts.Roster != nil {
		for _, p := range opts.Roster.People {
			if p.Name != "" {
				a.names[p.ID] = p.Name
			}
			for _, d := range p.RolesSince {
				if !seen[d.Since] {
					seen[d.Since] = true
					a.roleDates = append(a.roleDates, d.Since)
				}
			}
		}
	}
	slices.SortFunc(a.roleDates, time.Time.Compare)
	return a
}

// timeline is an item's judged life from the audit's first day (or its
// creation) to its close (or now).
type timeline struct {
	item      *model.Item
	intervals []Interval
}

// indexAccounts files the accounts the items show today (assignees and
// user fields) by user key, for the trackers whose history names users by a
// key that differs from the login the items show.
func (a *auditor) indexAccounts(items []model.Item) {
	a.accounts = map[string]model.Account{}
	add := func(acc model.Account) {
		if acc.Key != "" && acc.Login != "" {
			a.accounts[strings.ToLower(acc.Key)] = acc
		}
	}
	for i := range items {
		for _, acc := range items[i].Assignees {
			add(acc)
		}
		for _, m := range []map[string]model.FieldValue{items[i].Fields, items[i].ProjectFields} {
			for _, v := range m {
				for _, acc := range v.Users {
					add(acc)
				}
			}
		}
		if r := items[i].Reporter; r != nil {
			add(*r)
		}
	}
}

// known completes an account that carries only a Jira user key (as Key,
// or as Key and Login alike, as the Jira connector files Data Center
// changelog users) with the username another item shows for that key.
func (a *auditor) known(acc *model.Account) *model.Account {
	if acc == nil || acc.Key == "" || (acc.Login != "" && !strings.EqualFold(acc.Login, acc.Key)) {
		return acc
	}
	if k, ok := a.accounts[strings.ToLower(acc.Key)]; ok {
		c := *acc
		c.Login = k.Login
		if k.Email != "" {
			c.Email = k.Email
		}
		return &c
	}
	return acc
}

// endOf is when an item stopped being alive for good: its close time for
// closed items (the last close event, else its last update), else now.
// guessed says the last update stands in for a missing close event.
// Earlier closed stretches (closed, then reopened) are left out by the
// replay, which undoes state events.
func (a *auditor) endOf(it *model.Item, evs []model.Event) (end time.Time, guessed bool) {
	now := a.opts.Now
	if !it.Closed {
		return now, false
	}
	for _, e := range evs {
		if e.Field == "state" && e.To == "closed" {
			end = e.At
		}
	}
	if end.IsZero() {
		end, guessed = it.Updated, true
	}
	if end.IsZero() || end.After(now) {
		return now, guessed
	}
	return end, guessed
}

// timeline reconstructs it's states from begin to its end by undoing its
// events from the newest back, and judges each state.
func (a *auditor) timeline(it *model.Item, evs []model.Event, begin time.Time) timeline {
	tl := timeline{item: it}
	evs = slices.Clone(evs)
	slices.SortStableFunc(evs, func(x, y model.Event) int { return x.At.Compare(y.At) })
	end, guessed := a.endOf(it, evs)
	start := begin
	if !it.Created.IsZero() && it.Created.After(start) {
		start = it.Created
	}
	if !start.Before(end) {
		return tl
	}
	st := cloneItem(it)
	if guessed {
		// Without a close event the item is taken as open until end.
		st.Closed = false
	}
	cur := end
	var spans [][]Interval // newest first; each span's pieces oldest first
	judge := func(from, to time.Time) {
		// A closed stretch (closed, later reopened) is not alive.
		if !st.Closed {
			spans = append(spans, a.judgeSpan(&st, from, to))
		}
	}
	for i := len(evs) - 1; i >= 0; i-- {
		e := evs[i]
		if !e.At.After(start) {
			break
		}
		if e.At.Before(cur) {
			judge(e.At, cur)
			cur = e.At
		}
		e.FromAccount, e.ToAccount = a.known(e.FromAccount), a.known(e.ToAccount)
		undo(&st, e)
	}
	judge(start, cur)
	if guessed && len(spans) > 0 {
		a.closedGuess[it.Source+"\x00"+it.Key] = true
	}
	for i := len(spans) - 1; i >= 0; i-- {
		for _, iv := range spans[i] {
			if n := len(tl.intervals); n > 0 && tl.intervals[n-1].To.Equal(iv.From) && tl.intervals[n-1].sameJudgement(iv) {
				tl.intervals[n-1].To = iv.To
				continue
			}
			tl.intervals = append(tl.intervals, iv)
		}
	}
	tl.intervals = a.grace(it, tl.intervals)
	for i := range tl.intervals {
		tl.intervals[i].span = tl.intervals[i].To.Sub(tl.intervals[i].From)
	}
	return tl
}

// grace drops the missing-owner time of a new item's first GracePeriod:
// nobody is expected to own an item the minute it is filed.
func (a *auditor) grace(it *model.Item, ivs []Interval) []Interval {
	g := a.opts.GracePeriod
	if g <= 0 || it.Created.IsZero() {
		return ivs
	}
	cut := it.Created.Add(g)
	out := ivs[:0]
	for _, iv := range ivs {
		if iv.Rule == RuleMissingOwner && iv.From.Before(cut) {
			if !iv.To.After(cut) {
				continue
			}
			iv.From = cut
		}
		out = append(out, iv)
	}
	return out
}

// judgeSpan judges state st over [from, to), split where a roles_since date
// falls inside it. Pieces come oldest first.
func (a *auditor) judgeSpan(st *model.Item, from, to time.Time) []Interval {
	cl := a.opts.Classifier
	level, _ := cl.Level(st)
	owner := cl.Owner(st)
	team, _ := cl.Team(st)
	if team == "" {
		team = NoTeam
	}
	base := Interval{Level: string(level), Team: team}
	if owner != nil {
		base.Via = owner.Via
		if owner.PersonID != "" {
			base.Owner, base.InRoster = owner.PersonID, true
		} else {
			base.Owner = owner.Account.String()
			if n := owner.Account.Name; n != "" && a.names[base.Owner] == "" {
				a.names[base.Owner] = n
			}
		}
	}
	cuts := []time.Time{from}
	for _, d := range a.roleDates {
		if d.After(from) && d.Before(to) {
			cuts = append(cuts, d)
		}
	}
	cuts = append(cuts, to)
	out := make([]Interval, 0, len(cuts)-1)
	for i := 0; i+1 < len(cuts); i++ {
		iv := base
		iv.From, iv.To = cuts[i], cuts[i+1]
		iv.Rule = a.violation(owner, level, team, cuts[i])
		iv.Compliant = iv.Rule == ""
		out = append(out, iv)
	}
	return out
}

// violation is the rule an item of level, team and owner breaks at t, or
// "": the first breach of rules.JudgeOwnership, the judgement lint makes.
// team is NoTeam for an item without a team.
func (a *auditor) violation(owner *model.Owner, level model.Level, team string, t time.Time) string {
	if team == NoTeam {
		team = ""
	}
	return rules.JudgeOwnership(a.opts.Roster, rules.Holding{Level: level, Team: team, Owner: owner, At: t}).Rule()
}

// cloneItem copies what undo changes, so the caller's item stays intact.
func cloneItem(it *model.Item) model.Item {
	c := *it
	c.Labels = slices.Clone(it.Labels)
	c.Assignees = slices.Clone(it.Assignees)
	c.Fields = maps.Clone(it.Fields)
	c.ProjectFields = maps.Clone(it.ProjectFields)
	return c
}

// undo turns the state after e into the state before it.
func undo(st *model.Item, e model.Event) {
	switch {
	case e.Field == "assignee":
		if e.ToAccount != nil {
			out := st.Assignees[:0]
			for _, a := range st.Assignees {
				if !sameAccount(a, *e.ToAccount) {
					out = append(out, a)
				}
			}
			st.Assignees = out
		}
		if e.FromAccount != nil && !e.FromAccount.IsZero() {
			for _, a := range st.Assignees {
				if sameAccount(a, *e.FromAccount) {
					return
				}
			}
			st.Assignees = append(st.Assignees, *e.FromAccount)
		}
	case e.Field == "state":
		// Before a close the item was open, before a reopen closed.
		switch {
		case strings.EqualFold(e.To, "closed"):
			st.Closed = false
		case strings.EqualFold(e.To, "open"):
			st.Closed = true
		}
	case e.Field == "label":
		undoLabel(st, e.From, e.To)
	case e.Field == "type":
		if !strings.EqualFold(st.Type, e.From) {
			// The hierarchy level belonged to the later type.
			st.HierarchyLevel = nil
		}
		st.Type = e.From
	case e.Field == "parent":
		st.Parent = e.From
	case strings.HasPrefix(e.Field, "field:"):
		st.Fields = setField(st.Fields, strings.TrimPrefix(e.Field, "field:"), e)
	case strings.HasPrefix(e.Field, "project-field:"):
		st.ProjectFields = setField(st.ProjectFields, strings.TrimPrefix(e.Field, "project-field:"), e)
	}
}

// undoLabel reverses a label event: every connector reports one label
// removed (from) or added (to) per event.
func undoLabel(st *model.Item, from, to string) {
	var add, remove []string
	if t := strings.TrimSpace(to); t != "" {
		remove = []string{t}
	}
	if f := strings.TrimSpace(from); f != "" {
		add = []string{f}
	}
	out := st.Labels[:0]
	for _, l := range st.Labels {
		if !hasLabel(remove, l) {
			out = append(out, l)
		}
	}
	for _, l := range add {
		if !hasLabel(out, l) {
			out = append(out, l)
		}
	}
	st.Labels = out
}

func hasLabel(list []string, l string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, l) })
}

func setField(m map[string]model.FieldValue, name string, e model.Event) map[string]model.FieldValue {
	if m == nil {
		m = map[string]model.FieldValue{}
	}
	maps.DeleteFunc(m, func(k string, _ model.FieldValue) bool { return strings.EqualFold(k, name) })
	switch {
	case e.FromAccount != nil && !e.FromAccount.IsZero():
		m[name] = model.FieldValue{Users: []model.Account{*e.FromAccount}}
	case strings.TrimSpace(e.From) != "":
		m[name] = model.FieldValue{Text: e.From}
	}
	return m
}

// sameAccount matches two accounts by Jira user key, login, email or name,
// in that order of preference, case-insensitively. A Data Center changelog
// names users by key while an item's assignee has username (Login) and key,
// so a key also matches the other side's login when one of them has no key
// (users created before Jira 8 have their lower-case username as key).
func sameAccount(a, b model.Account) bool {
	switch {
	case a.Key != "" && b.Key != "":
		return strings.EqualFold(a.Key, b.Key)
	case a.Login != "" && b.Login != "":
		return strings.EqualFold(a.Login, b.Login)
	case a.Key != "" && b.Login != "":
		return strings.EqualFold(a.Key, b.Login)
	case a.Login != "" && b.Key != "":
		return strings.EqualFold(a.Login, b.Key)
	case a.Email != "" && b.Email != "":
		return strings.EqualFold(a.Email, b.Email)
	}
	return a.Name != "" && strings.EqualFold(a.Name, b.Name)
}
