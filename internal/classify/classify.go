// Package classify decides, for each item, its level (strategic, tactical or
// unknown), its owner (through the ordered ownership sources and the roster)
// and its team.
package classify

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/model"
)

// Classifier resolves level, owner and team. Build it once per run with New;
// it is safe for concurrent use once built.
type Classifier struct {
	roster *model.Roster

	strategicTypes, tacticalTypes   map[string]bool
	strategicLabels, tacticalLabels map[string]bool
	hierarchy                       bool
	projectField                    string
	strategicValues, tacticalValues map[string]bool

	owners []config.OwnershipSource
	teams  []teamMatcher
}

type teamMatcher struct {
	name   string
	labels map[string]bool
	scopes map[model.Tracker]map[model.Scope]map[string]bool
}

// Why records how an item's level and owner were decided, for debug logs.
type Why struct {
	Level string
	Owner string
	Team  string
}

// New builds a classifier from the config and the (possibly import-merged)
// roster.
func New(cfg *config.Config, roster *model.Roster) *Classifier {
	c := &Classifier{
		roster:          roster,
		strategicTypes:  lowerSet(cfg.Classification.Strategic.Types),
		tacticalTypes:   lowerSet(cfg.Classification.Tactical.Types),
		strategicLabels: lowerSet(cfg.Classification.Strategic.Labels),
		tacticalLabels:  lowerSet(cfg.Classification.Tactical.Labels),
		hierarchy:       cfg.Classification.Hierarchy == nil || *cfg.Classification.Hierarchy,
		projectField:    cfg.Classification.ProjectField,
		strategicValues: lowerSet(cfg.Classification.Strategic.ProjectFieldValues),
		tacticalValues:  lowerSet(cfg.Classification.Tactical.ProjectFieldValues),
		owners:          cfg.OwnershipSources(),
	}
	for _, t := range roster.Teams {
		m := teamMatcher{name: t.Name, labels: lowerSet(t.Match.Labels), scopes: map[model.Tracker]map[model.Scope]map[string]bool{}}
		for tr, byScope := range t.Match.Scopes {
			m.scopes[tr] = map[model.Scope]map[string]bool{}
			for s, v := range byScope {
				m.scopes[tr][s] = lowerSet(v)
			}
		}
		c.teams = append(c.teams, m)
	}
	return c
}

func lowerSet(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[strings.ToLower(strings.TrimSpace(s))] = true
	}
	return m
}

// Apply fills Level, Owner and Team of every item in place and returns why
// each was decided (indexed like items) when explain is true.
func (c *Classifier) Apply(items []model.Item, explain bool) []Why {
	var whys []Why
	if explain {
		whys = make([]Why, len(items))
	}
	for i := range items {
		it := &items[i]
		lv, lw := c.Level(it)
		it.Level = lv
		o := c.Owner(it)
		it.Owner = o
		team, tw := c.Team(it)
		it.Team = team
		if explain {
			ow := "no ownership source yielded anyone (tried " + c.ownerSourceList() + ")"
			if o != nil {
				ow = fmt.Sprintf("%s from %s", o.Account.String(), o.Via)
				if o.PersonID != "" {
					ow += " = roster " + o.PersonID
				} else {
					ow += " (not in roster)"
				}
			}
			whys[i] = Why{Level: lw, Owner: ow, Team: tw}
		}
	}
	return whys
}

func (c *Classifier) ownerSourceList() string {
	s := make([]string, len(c.owners))
	for i, o := range c.owners {
		s[i] = o.Raw
	}
	return strings.Join(s, ", ")
}

// Level classifies an item: its type first, then the tracker's hierarchy
// level, then labels (strategic labels before tactical ones), then the
// project field. The string says which rule decided.
func (c *Classifier) Level(it *model.Item) (model.Level, string) {
	if t := strings.ToLower(it.Type); t != "" {
		if c.strategicTypes[t] {
			return model.LevelStrategic, fmt.Sprintf("type %q is strategic", it.Type)
		}
		if c.tacticalTypes[t] {
			return model.LevelTactical, fmt.Sprintf("type %q is tactical", it.Type)
		}
	}
	if c.hierarchy && it.HierarchyLevel != nil {
		if *it.HierarchyLevel >= 1 {
			return model.LevelStrategic, fmt.Sprintf("hierarchy level %d is epic or above", *it.HierarchyLevel)
		}
		return model.LevelTactical, fmt.Sprintf("hierarchy level %d is below epic", *it.HierarchyLevel)
	}
	for _, l := range it.Labels {
		if c.strategicLabels[strings.ToLower(l)] {
			return model.LevelStrategic, fmt.Sprintf("label %q is strategic", l)
		}
	}
	for _, l := range it.Labels {
		if c.tacticalLabels[strings.ToLower(l)] {
			return model.LevelTactical, fmt.Sprintf("label %q is tactical", l)
		}
	}
	if c.projectField != "" {
		if v, ok := lookupField(it.ProjectFields, c.projectField); ok {
			val := strings.ToLower(strings.TrimSpace(v.Text))
			if c.strategicValues[val] {
				return model.LevelStrategic, fmt.Sprintf("project field %s = %q is strategic", c.projectField, v.Text)
			}
			if c.tacticalValues[val] {
				return model.LevelTactical, fmt.Sprintf("project field %s = %q is tactical", c.projectField, v.Text)
			}
		}
	}
	return model.LevelUnknown, "no type, hierarchy level, label or project field matched the classification"
}

// Owner walks the ownership sources in order; the first that yields anyone
// wins, whether or not that account is in the roster. It returns nil when no
// source yields anyone.
func (c *Classifier) Owner(it *model.Item) *model.Owner {
	for _, src := range c.owners {
		switch src.Kind {
		case "assignee":
			if len(it.Assignees) > 0 {
				return c.ownerFromAccount(it.Assignees[0], src.Raw)
			}
		case "reporter":
			if it.Reporter != nil && !it.Reporter.IsZero() {
				return c.ownerFromAccount(*it.Reporter, src.Raw)
			}
		case "field":
			if v, ok := lookupField(it.Fields, src.Arg); ok {
				if o := c.ownerFromField(it, v, src.Raw); o != nil {
					return o
				}
			}
		case "project-field":
			if v, ok := lookupField(it.ProjectFields, src.Arg); ok {
				if o := c.ownerFromField(it, v, src.Raw); o != nil {
					return o
				}
			}
		case "label":
			prefix := strings.ToLower(src.Arg)
			for _, l := range it.Labels {
				if len(l) > len(prefix) && strings.EqualFold(l[:len(prefix)], prefix) {
					return c.ownerFromText(it, l[len(prefix):], src.Raw)
				}
			}
		}
	}
	return nil
}

func (c *Classifier) ownerFromAccount(a model.Account, via string) *model.Owner {
	o := &model.Owner{Account: a, Via: via}
	if p := c.roster.Lookup(a); p != nil {
		o.PersonID = p.ID
	}
	return o
}

func (c *Classifier) ownerFromField(it *model.Item, v model.FieldValue, via string) *model.Owner {
	if len(v.Users) > 0 {
		return c.ownerFromAccount(v.Users[0], via)
	}
	if strings.TrimSpace(v.Text) != "" {
		return c.ownerFromText(it, v.Text, via)
	}
	return nil
}

// ownerFromText matches free text (a label suffix, a text field) against the
// roster; text that matches nobody becomes an account on the item's tracker,
// so OWN004 can name it.
func (c *Classifier) ownerFromText(it *model.Item, text, via string) *model.Owner {
	text = strings.TrimPrefix(strings.TrimSpace(text), "@")
	if p := c.roster.LookupText(text); p != nil {
		return &model.Owner{Account: model.Account{Tracker: it.Tracker, Login: text}, PersonID: p.ID, Via: via}
	}
	return &model.Owner{Account: model.Account{Tracker: it.Tracker, Login: text}, Via: via}
}

func lookupField(m map[string]model.FieldValue, name string) (model.FieldValue, bool) {
	if v, ok := m[name]; ok && !v.IsZero() {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, name) && !v.IsZero() {
			return v, true
		}
	}
	return model.FieldValue{}, false
}

// Team finds the item's team. The most specific match wins: a component,
// then a label, then a project, then a repo (each on the item's tracker);
// within one kind, the team listed first in the roster.
func (c *Classifier) Team(it *model.Item) (string, string) {
	if name, why, ok := c.teamByScope(it, model.ScopeComponents); ok {
		return name, why
	}
	for _, l := range it.Labels {
		for _, t := range c.teams {
			if t.labels[strings.ToLower(l)] {
				return t.name, fmt.Sprintf("label %q", l)
			}
		}
	}
	for _, s := range []model.Scope{model.ScopeProjects, model.ScopeRepos} {
		if name, why, ok := c.teamByScope(it, s); ok {
			return name, why
		}
	}
	return "", "no team matched"
}

// teamByScope finds the first team that lists one of the item's values of
// scope s on the item's tracker (on any tracker when the item names none).
func (c *Classifier) teamByScope(it *model.Item, s model.Scope) (string, string, bool) {
	for _, v := range it.ScopeValues(s) {
		for _, t := range c.teams {
			if tr, ok := t.matches(it.Tracker, s, strings.ToLower(v)); ok {
				return t.name, model.DescribeScope(tr, s, v), true
			}
		}
	}
	return "", "", false
}

// matches reports whether the team lists v under scope s of tracker tr, and
// on which tracker; an empty tr tries every tracker, by name.
func (t *teamMatcher) matches(tr model.Tracker, s model.Scope, v string) (model.Tracker, bool) {
	if tr != "" {
		return tr, t.scopes[tr][s][v]
	}
	for _, k := range slices.Sorted(maps.Keys(t.scopes)) {
		if t.scopes[k][s][v] {
			return k, true
		}
	}
	return "", false
}

// MergeMemberships adds the roles that tracker groups grant (roster.import) to
// the roster. An account that matches a roster person gains the role; an
// account that matches nobody becomes a person of its own, with the login as
// id, so imported roles work without listing everyone by hand.
func MergeMemberships(r *model.Roster, ms []model.Membership) *model.Roster {
	if len(ms) == 0 {
		return r
	}
	people := append([]model.Person(nil), r.People...)
	for i := range people {
		people[i].Roles = append([]model.Role(nil), people[i].Roles...)
	}
	out := model.NewRoster(people, r.Teams)
	sorted := append([]model.Membership(nil), ms...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Account.Login != sorted[j].Account.Login {
			return sorted[i].Account.Login < sorted[j].Account.Login
		}
		return sorted[i].Role < sorted[j].Role
	})
	var added []model.Person
	for _, m := range sorted {
		if p := out.Lookup(m.Account); p != nil {
			if !p.HasRole(m.Role) {
				p.Roles = append(p.Roles, m.Role)
			}
			continue
		}
		found := false
		for i := range added {
			if added[i].ID == string(m.Account.Tracker)+":"+m.Account.Login {
				if !added[i].HasRole(m.Role) {
					added[i].Roles = append(added[i].Roles, m.Role)
				}
				found = true
			}
		}
		if found {
			continue
		}
		p := model.Person{ID: string(m.Account.Tracker) + ":" + m.Account.Login, Name: m.Account.Name, Roles: []model.Role{m.Role}}
		p.Accounts = model.Accounts{model.AccountEmail: m.Account.Email}
		if m.Account.Tracker != "" {
			p.Accounts[m.Account.Tracker] = m.Account.Login
		}
		added = append(added, p)
	}
	return model.NewRoster(append(people, added...), r.Teams)
}
