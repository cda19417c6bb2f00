// Package config loads, decodes and validates pomlint's configuration: a YAML
// file and the POMLINT_* environment variables over it, into typed
// structs. Unknown keys are errors.
package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration.
type Config struct {
	Sources        []Source       `yaml:"sources"`
	Classification Classification `yaml:"classification"`
	Ownership      Ownership      `yaml:"ownership"`
	Roster         Roster         `yaml:"roster"`
	Rules          Rules          `yaml:"rules"`
	Exceptions     []Exception    `yaml:"exceptions"`
	Audit          Audit          `yaml:"audit,omitempty"`

	// File is the path the config was read from ("" when none); Dir is its
	// directory, against which relative paths in the config resolve.
	File string `yaml:"-"`
	Dir  string `yaml:"-"`
	// Lines maps entry keys ("source:NAME", "person:ID", "team:NAME",
	// "exception:N", "rule:ID") to their line in File.
	Lines map[string]int `yaml:"-"`
	// env holds the POMLINT_* variables that set keys (name → value), so
	// that problems found after Load name the variable, not the file.
	env map[string]string
	// kinds are the kinds of source Load was given.
	kinds Kinds
}

// Kinds returns the kinds of source the config was loaded with.
func (c *Config) Kinds() Kinds { return c.kinds }

// Source is one configured connection: its name, its kind, and the block
// of that kind (github:, jira:, file:), which the kind owns: Load decodes
// it into the type the kind's NewBlock returns, and the connector reads it
// back (github.Block(src)).
type Source struct {
	Name string `yaml:"name"`
	Kind string `yaml:"kind"`
	// Block is the source's block of its kind (nil when it has none).
	Block any `yaml:"-"`
	// others names the blocks of other kinds the source carries (a
	// problem Load reports).
	others []string
}

// BlockOf returns the block of s as a *T (nil when s has no block of that
// type); a connector package wraps it as its Block(src).
func BlockOf[T any](s Source) *T {
	b, _ := s.Block.(*T)
	return b
}

// MarshalYAML writes the source as it is configured: name, kind and the
// block under its kind's key.
func (s Source) MarshalYAML() (any, error) {
	out := map[string]any{"name": s.Name, "kind": s.Kind}
	if s.Block != nil {
		out[s.Kind] = s.Block
	}
	return out, nil
}

// Classification decides item levels. First match wins: types, then the
// tracker hierarchy level, then labels, then the project field.
type Classification struct {
	Strategic LevelMatch `yaml:"strategic"`
	Tactical  LevelMatch `yaml:"tactical"`
	// Hierarchy uses Jira's hierarchyLevel when the type is not listed
	// (>= 1 strategic, <= 0 tactical). Default true.
	Hierarchy *bool `yaml:"hierarchy,omitempty"`
	// ProjectField names a Projects v2 (or Jira) field whose value is
	// matched against LevelMatch.ProjectFieldValues.
	ProjectField string `yaml:"project_field,omitempty"`
}

// LevelMatch lists what puts an item on one level.
type LevelMatch struct {
	Types              []string `yaml:"types,omitempty"`
	Labels             []string `yaml:"labels,omitempty"`
	ProjectFieldValues []string `yaml:"project_field_values,omitempty"`
}

// Ownership lists the ownership sources in order; the first that yields a
// person wins. Each is one of "field:NAME", "label:PREFIX",
// "project-field:NAME", "assignee", "reporter".
type Ownership struct {
	From []string `yaml:"from"`
}

// Roster declares people and teams.
type Roster struct {
	People []Person      `yaml:"people"`
	Teams  []Team        `yaml:"teams,omitempty"`
	Import *RosterImport `yaml:"import,omitempty"`
}

// Person is one roster entry.
type Person struct {
	ID         string       `yaml:"id"`
	Name       string       `yaml:"name,omitempty"`
	Roles      []string     `yaml:"roles"`
	Accounts   Accounts     `yaml:"accounts"`
	RolesSince []RolesSince `yaml:"roles_since,omitempty"`
}

// RolesSince dates a change of roles (for audits).
type RolesSince struct {
	Since string   `yaml:"since"`
	Roles []string `yaml:"roles"`
}

// Accounts are a person's handles keyed by account kind: a tracker's name
// (github: a login, jira: an accountId or username) or email. The kinds a
// config may use are the registered trackers' (see Kinds).
type Accounts map[string]string

// Team is a group with one PO and one PM.
type Team struct {
	Name           string    `yaml:"name"`
	ProductOwner   string    `yaml:"product_owner"`
	ProductManager string    `yaml:"product_manager"`
	Match          TeamMatch `yaml:"match"`
}

// TeamMatch ties items to a team: TRACKER_SCOPE keys (jira_projects,
// jira_components, github_repos: the scopes each tracker registers) and
// labels, which match on every tracker.
type TeamMatch map[string][]string

// MatchLabels is the TeamMatch key of labels.
const MatchLabels = "labels"

// RosterImport maps tracker groups to roles, by each kind's import key
// (SourceKind.ImportKey): roster.import.github_teams maps "org/team-slug"
// to a role, roster.import.jira_groups a Jira group name.
type RosterImport map[string]map[string]string

// Groups returns the groups under key (nil when none).
func (imp RosterImport) Groups(key string) map[string]string { return imp[key] }

// Rules configures the rule set.
type Rules struct {
	// Paths are files or directories of user rules (YAML with CEL).
	Paths []string `yaml:"paths,omitempty"`
	// Severity overrides a rule's default severity: {OWN006: note}.
	Severity map[string]string `yaml:"severity,omitempty"`
	Disable  []string          `yaml:"disable,omitempty"`
}

// Exception accepts one finding for a reason until an expiry date.
type Exception struct {
	Rule string `yaml:"rule"`
	Item string `yaml:"item"`
	// Source optionally narrows the exception to one source.
	Source string `yaml:"source,omitempty"`
	Reason string `yaml:"reason"`
	// Expires is a date, YYYY-MM-DD; the exception stops applying after it.
	Expires string `yaml:"expires,omitempty"`
}

// Audit configures pomlint audit.
type Audit struct {
	// GracePeriod is how long a new item may go without an owner before
	// the audit counts it ("7d", "48h", "2w"; default 0, no grace). Rule
	// stretches shorter than it are left out of the most frequent rules.
	GracePeriod string `yaml:"grace_period,omitempty"`
}

// Grace is GracePeriod as a duration (0 when unset or invalid; validation
// reports an invalid one).
func (a Audit) Grace() time.Duration {
	d, _ := ParseGrace(a.GracePeriod)
	return d
}

// ParseGrace reads a grace period: a number of days ("7d"), weeks ("2w"),
// or a Go duration ("36h"); "" and "0" are no grace.
func ParseGrace(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return 0, nil
	}
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	if u, ok := unit[s[len(s)-1]]; ok {
		n, err := strconv.Atoi(s[:len(s)-1])
		if err == nil && n >= 0 {
			return time.Duration(n) * u, nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return d, nil
	}
	return 0, fmt.Errorf("%q is not a grace period (want days like 7d, weeks like 2w, or hours like 36h)", s)
}
