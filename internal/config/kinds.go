package config

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/pomlint/pomlint/internal/model"
)

// SourceKind is what the configuration knows of one kind of source: the
// name written as kind:, the type of its block, how to default and validate
// the block, and — for a tracker — the account kind roster
// people use for it and the team-match scopes its items fill.
//
// Load is given the kinds (Kinds); the loader, validate.go, the roster and
// team checks and the plain-http warning name no tracker.
type SourceKind struct {
	Name string
	// NewBlock returns a new, empty block of the kind: a pointer to a
	// struct with yaml tags. Load checks the source's key Name against its
	// shape (unknown keys and wrong types are problems with their line) and
	// decodes the block into it, as Source.Block.
	NewBlock func() any
	// Defaults fills unset keys of the block of s (present) before it is
	// validated; nil for none.
	Defaults func(s *Source)
	// URLs lists the URLs the block of s (present) sends requests to, by
	// key inside the block ("base_url"), for the plain-http warning; nil
	// for none.
	URLs func(s *Source) []KeyValue
	// Validate checks the block of s (present); key is "sources[N].NAME".
	Validate func(c *Config, s *Source, key string, r Reporter)
	// Tracker is the account kind and team-match prefix of the kind's
	// items; "" for a kind that only relays other trackers' items (file).
	Tracker model.Tracker
	// Scopes are the team-match scopes the tracker's items fill
	// (TRACKER_SCOPE keys: jira_projects, github_repos).
	Scopes []model.Scope
	// LintsClosed reports whether the source s (with its block) asks for
	// its closed items to be linted (github state: closed or all); nil for
	// never: closed items are then read as parents only.
	LintsClosed func(s *Source) bool
	// ImportKey is the key of roster.import that maps the tracker's groups
	// to roles (github_teams, jira_groups); "" when the tracker has no roles
	// to import. A source of the kind reads roles when its groups are set.
	ImportKey string
	// ValidateImport checks the groups under roster.import.ImportKey (key
	// is that path); nil accepts any.
	ValidateImport func(groups map[string]string, key string, r Reporter)
	// MatchValue checks one value of a team-match scope (a repository
	// must be owner/name); nil accepts any.
	MatchValue func(s model.Scope, v string) error
}

// LintsClosed names the sources whose closed items are linted (see
// SourceKind.LintsClosed); other closed items are parents only.
func (c *Config) LintsClosed() map[string]bool {
	out := map[string]bool{}
	for i := range c.Sources {
		s := &c.Sources[i]
		if k, ok := c.kinds.Lookup(s.Kind); ok && k.LintsClosed != nil && s.Block != nil && k.LintsClosed(s) {
			out[s.Name] = true
		}
	}
	return out
}

// WantsImport reports whether imp asks sources of kind k for roles.
func (k SourceKind) WantsImport(imp *RosterImport) bool {
	return k.ImportKey != "" && imp != nil && len(imp.Groups(k.ImportKey)) > 0
}

// importKeys are the keys roster.import may have, with their shape.
func (ks Kinds) importKeys() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for _, k := range ks {
		if k.ImportKey != "" {
			out[k.ImportKey] = reflect.TypeOf(map[string]string{})
		}
	}
	return out
}

// Reporter records a configuration problem at a key.
type Reporter interface {
	Add(key, format string, args ...any)
}

// Add records a problem at key; problems is a Reporter.
func (ps *problems) Add(key, format string, args ...any) { ps.add(key, format, args...) }

// KeyValue is a key inside a source's block and its value.
type KeyValue struct{ Key, Value string }

// Kinds are the kinds of source a build knows, in the order messages list
// them. The front end builds the list (one line per tracker) and passes it
// to Load; there is no package-level registry.
type Kinds []SourceKind

// Lookup returns the kind named name.
func (ks Kinds) Lookup(name string) (SourceKind, bool) {
	i := slices.IndexFunc(ks, func(k SourceKind) bool { return k.Name == name })
	if i < 0 {
		return SourceKind{}, false
	}
	return ks[i], true
}

// names lists the kinds as "github, jira or file".
func (ks Kinds) names() string {
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = k.Name
	}
	return orList(names)
}

// AccountKinds are the roster account kinds: every tracker's, then email.
func (ks Kinds) AccountKinds() []model.Tracker {
	var out []model.Tracker
	for _, k := range ks {
		if k.Tracker != "" {
			out = append(out, k.Tracker)
		}
	}
	return append(out, model.AccountEmail)
}

// MatchKeys are the team-match keys: every tracker's TRACKER_SCOPE, then
// labels.
func (ks Kinds) MatchKeys() []string {
	var out []string
	for _, k := range ks {
		for _, s := range k.Scopes {
			out = append(out, model.MatchKey(k.Tracker, s))
		}
	}
	return append(out, MatchLabels)
}

func orList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Model returns the accounts keyed by tracker, as the roster holds them.
func (a Accounts) Model() model.Accounts {
	out := model.Accounts{}
	for k, v := range a {
		if v != "" {
			out[model.Tracker(strings.ToLower(k))] = v
		}
	}
	return out
}

// Model returns the team match keyed by tracker and scope, as the roster
// holds it. Keys that name no scope (validation reports them) are left out.
func (m TeamMatch) Model() model.TeamMatch {
	var out model.TeamMatch
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if k == MatchLabels {
			out.Labels = m[k]
			continue
		}
		if t, s, ok := model.ParseMatchKey(k); ok {
			out.Add(t, s, m[k]...)
		}
	}
	return out
}

// validateAccounts checks a person's accounts: known kinds only, and an
// account belongs to one person (compared case-insensitively). accounts
// maps "kind:account" to the person id that took it.
func validateAccounts(ks Kinds, p *Person, key string, accounts map[string]string, ps *problems) {
	kinds := ks.AccountKinds()
	for _, k := range slices.Sorted(maps.Keys(p.Accounts)) {
		v := p.Accounts[k]
		if !slices.Contains(kinds, model.Tracker(k)) {
			names := make([]string, len(kinds))
			for i, t := range kinds {
				names[i] = string(t)
			}
			ps.add(key+".accounts."+k, "unknown account kind %q (want %s)", k, orList(names))
			continue
		}
		if v == "" {
			continue
		}
		ak := k + ":" + strings.ToLower(v)
		if other, dup := accounts[ak]; dup {
			ps.add(key+".accounts."+k, "%s account %q also belongs to %s", k, v, other)
		}
		accounts[ak] = p.ID
	}
}

// validateTeamMatch checks that a team matches something, with known keys,
// and values each tracker accepts.
func validateTeamMatch(ks Kinds, m TeamMatch, key string, ps *problems) {
	known := ks.MatchKeys()
	n := 0
	for _, k := range slices.Sorted(maps.Keys(m)) {
		n += len(m[k])
		if !slices.Contains(known, k) {
			ps.add(key+"."+k, "unknown team match %q (want %s)", k, orList(known))
			continue
		}
		t, s, ok := model.ParseMatchKey(k)
		if !ok {
			continue
		}
		i := slices.IndexFunc(ks, func(sk SourceKind) bool { return sk.Tracker == t })
		if i < 0 || ks[i].MatchValue == nil {
			continue
		}
		for j, v := range m[k] {
			if err := ks[i].MatchValue(s, v); err != nil {
				ps.add(fmt.Sprintf("%s.%s[%d]", key, k, j), "%v", err)
			}
		}
	}
	if n == 0 {
		ps.add(key, "a team needs at least one match (%s)", orList(known))
	}
}
