package model

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Scope names what of an item a team matcher compares: the project, the
// component or the repository the item belongs to on its tracker. A tracker
// fills the scopes it has (Item.Project, Item.Components, Item.Repo) and
// names them in its team match keys (jira_projects, github_repos).
type Scope string

// The scopes, from the most specific to the least. Labels sit between
// components and projects in that order; they match on any tracker.
const (
	ScopeComponents Scope = "components"
	ScopeProjects   Scope = "projects"
	ScopeRepos      Scope = "repos"
)

// Scopes lists the scopes in the order team matching tries them.
var Scopes = []Scope{ScopeComponents, ScopeProjects, ScopeRepos}

// ScopeValues returns the item's values for scope s.
func (it *Item) ScopeValues(s Scope) []string {
	switch s {
	case ScopeComponents:
		return it.Components
	case ScopeProjects:
		if it.Project != "" {
			return []string{it.Project}
		}
	case ScopeRepos:
		if it.Repo != "" {
			return []string{it.Repo}
		}
	}
	return nil
}

// DescribeScope names one matched value for a message: `component "API"`,
// "jira project PAY", "repo acme/payments".
func DescribeScope(t Tracker, s Scope, v string) string {
	switch s {
	case ScopeComponents:
		return fmt.Sprintf("component %q", v)
	case ScopeProjects:
		return fmt.Sprintf("%s project %s", t, v)
	case ScopeRepos:
		return "repo " + v
	}
	return fmt.Sprintf("%s %s %s", t, s, v)
}

// MatchKey is the config and snapshot key of a tracker's scope:
// "jira_projects", "github_repos".
func MatchKey(t Tracker, s Scope) string { return string(t) + "_" + string(s) }

// ParseMatchKey splits a match key into tracker and scope; ok is false for a
// key that names no known scope.
func ParseMatchKey(k string) (Tracker, Scope, bool) {
	i := strings.LastIndexByte(k, '_')
	if i <= 0 {
		return "", "", false
	}
	s := Scope(k[i+1:])
	if !slices.Contains(Scopes, s) {
		return "", "", false
	}
	return Tracker(k[:i]), s, true
}

// TeamMatch lists what ties an item to a team: values per tracker and scope,
// and labels, which match on every tracker. In JSON (and in the config) the
// scopes are flat keys TRACKER_SCOPE: {"jira_projects": ["PAY"],
// "github_repos": ["acme/payments"], "labels": ["team/payments"]}.
type TeamMatch struct {
	Scopes map[Tracker]map[Scope][]string
	Labels []string
}

// Add appends values to the tracker's scope.
func (m *TeamMatch) Add(t Tracker, s Scope, values ...string) {
	if len(values) == 0 {
		return
	}
	if m.Scopes == nil {
		m.Scopes = map[Tracker]map[Scope][]string{}
	}
	if m.Scopes[t] == nil {
		m.Scopes[t] = map[Scope][]string{}
	}
	m.Scopes[t][s] = append(m.Scopes[t][s], values...)
}

// IsZero reports whether the team matches nothing.
func (m TeamMatch) IsZero() bool {
	for _, byScope := range m.Scopes {
		for _, v := range byScope {
			if len(v) > 0 {
				return false
			}
		}
	}
	return len(m.Labels) == 0
}

// MarshalJSON writes the flat keys, sorted, then labels.
func (m TeamMatch) MarshalJSON() ([]byte, error) {
	flat := map[string][]string{}
	for t, byScope := range m.Scopes {
		for s, v := range byScope {
			if len(v) > 0 {
				flat[MatchKey(t, s)] = v
			}
		}
	}
	keys := make([]string, 0, len(flat)+1)
	for k := range flat {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(m.Labels) > 0 {
		flat["labels"] = m.Labels
		keys = append(keys, "labels")
	}
	return marshalOrdered(keys, func(k string) any { return flat[k] })
}

// UnmarshalJSON reads the flat keys; a key that names no scope is an error.
func (m *TeamMatch) UnmarshalJSON(data []byte) error {
	var flat map[string][]string
	if err := json.Unmarshal(data, &flat); err != nil {
		return err
	}
	*m = TeamMatch{}
	for k, v := range flat {
		if k == "labels" {
			m.Labels = v
			continue
		}
		t, s, ok := ParseMatchKey(k)
		if !ok {
			return fmt.Errorf("unknown team match key %q (want TRACKER_components, TRACKER_projects, TRACKER_repos or labels)", k)
		}
		m.Add(t, s, v...)
	}
	return nil
}
