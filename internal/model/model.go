// Package model holds the one shape every tracker is normalised into: items,
// people, the roster, teams, findings and snapshots. It has no dependencies
// beyond the standard library so that every other package can share it.
package model

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Level says whether an item belongs to the roadmap (strategic), the backlog
// (tactical), or could not be classified.
type Level string

// The three levels an item can have.
const (
	LevelUnknown   Level = "unknown"
	LevelStrategic Level = "strategic"
	LevelTactical  Level = "tactical"
)

// Valid reports whether l is one of the known levels.
func (l Level) Valid() bool {
	return l == LevelUnknown || l == LevelStrategic || l == LevelTactical
}

// Role is a product role a person holds.
type Role string

// The two roles pomlint knows. A person may hold both.
const (
	RoleProductOwner   Role = "product-owner"
	RoleProductManager Role = "product-manager"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleProductOwner || r == RoleProductManager }

// RoleFor is the role that should own an item of level l, or "" when the level
// is unknown.
func RoleFor(l Level) Role {
	switch l {
	case LevelStrategic:
		return RoleProductManager
	case LevelTactical:
		return RoleProductOwner
	}
	return ""
}

// Tracker names the kind of system an account or item lives on.
type Tracker string

// Trackers pomlint reads.
const (
	TrackerGitHub Tracker = "github"
	TrackerJira   Tracker = "jira"
)

// Account is one identity on a tracker, as the tracker reports it. Login is the
// GitHub login, or the Jira Cloud accountId, or the Jira Data Center
// username/key; Email and Name are filled when the tracker shows them.
type Account struct {
	Tracker Tracker `json:"tracker"`
	Login   string  `json:"login,omitempty"`
	Key     string  `json:"key,omitempty"` // Jira Data Center user key, when it differs from the username
	Email   string  `json:"email,omitempty"`
	Name    string  `json:"name,omitempty"`
	// Inactive is true when the tracker says the account is deactivated
	// (Jira's active: false).
	Inactive bool `json:"inactive,omitempty"`
}

// IsZero reports whether the account carries no identity at all.
func (a Account) IsZero() bool { return a.Login == "" && a.Key == "" && a.Email == "" && a.Name == "" }

// String is the account's most specific handle, for messages.
func (a Account) String() string {
	switch {
	case a.Login != "":
		return a.Login
	case a.Email != "":
		return a.Email
	case a.Key != "":
		return a.Key
	}
	return a.Name
}

// FieldValue is the value of a tracker field (a Jira custom field or a GitHub
// Projects v2 field). User-picker fields carry Users; text and single-select
// fields carry Text, which ownership resolution matches against the roster.
type FieldValue struct {
	Text  string    `json:"text,omitempty"`
	Users []Account `json:"users,omitempty"`
}

// IsZero reports whether the field holds nothing.
func (v FieldValue) IsZero() bool { return strings.TrimSpace(v.Text) == "" && len(v.Users) == 0 }

// Item is one work item — a GitHub issue, a Projects v2 item or a Jira issue —
// in the tracker-neutral shape the rules see. Connectors fill the tracker
// facts; classify fills Level, Owner and Team.
type Item struct {
	// Key identifies the item within its source: owner/repo#123, PAY-12, or
	// org/project-N/draft-ID for a Projects v2 draft.
	Key     string  `json:"key"`
	Source  string  `json:"source"`
	Tracker Tracker `json:"tracker"`
	URL     string  `json:"url,omitempty"`
	Title   string  `json:"title"`
	// Type is the tracker's issue type name (GitHub issue type, Jira issuetype).
	Type string `json:"type,omitempty"`
	// HierarchyLevel is Jira's issuetype.hierarchyLevel (-1 sub-task, 0 base,
	// 1 epic, 2+ above); nil when the tracker does not say.
	HierarchyLevel *int `json:"hierarchy_level,omitempty"`
	// State is the tracker's state or status name; Closed is true for GitHub
	// state closed and Jira status category Done.
	State  string `json:"state,omitempty"`
	Closed bool   `json:"closed,omitempty"`

	Labels     []string  `json:"labels,omitempty"`
	Assignees  []Account `json:"assignees,omitempty"`
	Reporter   *Account  `json:"reporter,omitempty"`
	Repo       string    `json:"repo,omitempty"`       // GitHub owner/repo
	Project    string    `json:"project,omitempty"`    // Jira project key
	Components []string  `json:"components,omitempty"` // Jira components
	Milestone  string    `json:"milestone,omitempty"`
	// Parent is the key of the parent item (GitHub sub-issue parent, Jira
	// parent / Epic Link / Parent Link), "" when there is none.
	Parent string `json:"parent,omitempty"`
	// Fields holds tracker fields by display name (Jira custom fields such
	// as "Product Owner").
	Fields map[string]FieldValue `json:"fields,omitempty"`
	// ProjectFields holds GitHub Projects v2 field values by field name.
	ProjectFields map[string]FieldValue `json:"project_fields,omitempty"`

	Created time.Time `json:"created,omitzero"`
	Updated time.Time `json:"updated,omitzero"`

	// Resolution, filled by classify. They are part of a snapshot so that a
	// drift can compare them, and are ignored when a snapshot is re-linted.
	Level Level  `json:"level,omitempty"`
	Owner *Owner `json:"owner,omitempty"`
	Team  string `json:"team,omitempty"`
}

// HasLabel reports whether the item carries label l (case-insensitive, as both
// trackers treat labels).
func (it *Item) HasLabel(l string) bool {
	for _, x := range it.Labels {
		if strings.EqualFold(x, l) {
			return true
		}
	}
	return false
}

// Owner is the resolved owner of an item: the account an ownership source
// yielded, the roster person it matched (nil when none), and which source
// yielded it (e.g. "field:Product Owner", "assignee").
type Owner struct {
	Account  Account `json:"account"`
	PersonID string  `json:"person,omitempty"`
	Via      string  `json:"via"`
}

// Person is one roster entry.
type Person struct {
	ID       string   `json:"id"`
	Name     string   `json:"name,omitempty"`
	Roles    []Role   `json:"roles,omitempty"`
	Accounts Accounts `json:"accounts"`
	// RolesSince optionally dates role changes, for history-based audits.
	RolesSince []DatedRoles `json:"roles_since,omitempty"`
}

// DatedRoles says which roles a person held from a date on.
type DatedRoles struct {
	Since time.Time `json:"since"`
	Roles []Role    `json:"roles"`
}

// HasRole reports whether p holds role r.
func (p *Person) HasRole(r Role) bool {
	for _, x := range p.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// RolesAt returns the roles p held at t: the latest RolesSince entry at or
// before t, or the current roles when none applies.
func (p *Person) RolesAt(t time.Time) []Role {
	var best *DatedRoles
	for i := range p.RolesSince {
		d := &p.RolesSince[i]
		if !d.Since.After(t) && (best == nil || d.Since.After(best.Since)) {
			best = d
		}
	}
	if best == nil {
		return p.Roles
	}
	return best.Roles
}

// Accounts are a person's handles, keyed by tracker ("github": a login,
// "jira": a Cloud accountId or a Data Center username or key, …), plus the
// email address under AccountEmail, which matches on every tracker. An empty
// handle is the same as none.
type Accounts map[Tracker]string

// AccountEmail keys a person's email address in Accounts.
const AccountEmail Tracker = "email"

// Kinds lists the account kinds a holds, in their stable order: trackers by
// name, then email.
func (a Accounts) Kinds() []Tracker {
	out := make([]Tracker, 0, len(a))
	for k, v := range a {
		if v != "" {
			out = append(out, k)
		}
	}
	SortAccountKinds(out)
	return out
}

// SortAccountKinds sorts account kinds in the order snapshots, messages and
// lookups use: trackers by name, then email.
func SortAccountKinds(kinds []Tracker) {
	slices.SortFunc(kinds, func(x, y Tracker) int {
		if (x == AccountEmail) != (y == AccountEmail) {
			if x == AccountEmail {
				return 1
			}
			return -1
		}
		return strings.Compare(string(x), string(y))
	})
}

// MarshalJSON writes the handles in Kinds order, leaving out empty ones, so
// that a snapshot is byte-stable.
func (a Accounts) MarshalJSON() ([]byte, error) {
	kinds := a.Kinds()
	keys := make([]string, len(kinds))
	for i, k := range kinds {
		keys[i] = string(k)
	}
	return marshalOrdered(keys, func(k string) any { return a[Tracker(k)] })
}

// marshalOrdered writes a JSON object with keys in the given order (Go's
// maps would sort them, and a struct cannot have keys chosen at run time).
func marshalOrdered(keys []string, value func(string) any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		vb, err := json.Marshal(value(k))
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Team is a group with one product owner and one product manager, matched to
// items by tracker scopes (a Jira project or component, a GitHub repo) or
// by label.
type Team struct {
	Name           string    `json:"name"`
	ProductOwner   string    `json:"product_owner,omitempty"`
	ProductManager string    `json:"product_manager,omitempty"`
	Match          TeamMatch `json:"match"`
}

// Membership is a role a tracker grants a person, from a roster import
// (a GitHub team or a Jira group).
type Membership struct {
	Account Account `json:"account"`
	Role    Role    `json:"role"`
	// Origin names the team or group, for messages: "github team acme/product-owners".
	Origin string `json:"origin"`
}
