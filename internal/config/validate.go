package config

import (
	"fmt"
	"maps"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
)

var (
	namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	envPattern  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// IsEnvName reports whether s is an environment variable name.
func IsEnvName(s string) bool { return envPattern.MatchString(s) }

// DateLayout is the layout of dates in the config (exceptions, roles_since).
const DateLayout = "2006-01-02"

// OwnershipSource is one parsed entry of ownership.from.
type OwnershipSource struct {
	// Kind is field, label, project-field, assignee or reporter.
	Kind string
	// Arg is the field name or label prefix ("" for assignee/reporter).
	Arg string
	// Raw is the entry as written, used in messages ("field:Product Owner").
	Raw string
}

// ParseOwnershipSource parses "field:NAME", "label:PREFIX",
// "project-field:NAME", "assignee" or "reporter".
func ParseOwnershipSource(s string) (OwnershipSource, error) {
	kind, arg, hasArg := strings.Cut(s, ":")
	kind = strings.TrimSpace(kind)
	arg = strings.TrimSpace(arg)
	switch kind {
	case "assignee", "reporter":
		if hasArg {
			return OwnershipSource{}, fmt.Errorf("%q takes no argument", kind)
		}
		return OwnershipSource{Kind: kind, Raw: s}, nil
	case "field", "label", "project-field":
		if arg == "" {
			return OwnershipSource{}, fmt.Errorf("%q needs a name after the colon, e.g. %q", kind, kind+":"+map[string]string{"field": "Product Owner", "label": "owner/", "project-field": "Owner"}[kind])
		}
		return OwnershipSource{Kind: kind, Arg: arg, Raw: s}, nil
	}
	return OwnershipSource{}, fmt.Errorf("unknown ownership source %q (want field:NAME, label:PREFIX, project-field:NAME, assignee or reporter)", s)
}

// OwnershipSources parses ownership.from; Load has validated it.
func (c *Config) OwnershipSources() []OwnershipSource {
	out := make([]OwnershipSource, 0, len(c.Ownership.From))
	for _, s := range c.Ownership.From {
		if o, err := ParseOwnershipSource(s); err == nil {
			out = append(out, o)
		}
	}
	return out
}

// ParseDate parses a config date (YYYY-MM-DD) as UTC midnight.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	return t, nil
}

var validRoles = []string{"product-owner", "product-manager"}

// ValidRole reports whether r is a roster role: product-owner or
// product-manager.
func ValidRole(r string) bool { return r == validRoles[0] || r == validRoles[1] }

func validate(c *Config, ps *problems) {
	names := validateSources(c, ps)
	validateClassification(&c.Classification, ps)
	for i, f := range c.Ownership.From {
		if _, err := ParseOwnershipSource(f); err != nil {
			ps.add(fmt.Sprintf("ownership.from[%d]", i), "%v", err)
		}
	}
	validateRoster(c.kinds, &c.Roster, ps)
	validateRules(c, ps)
	if _, err := ParseGrace(c.Audit.GracePeriod); err != nil {
		ps.add("audit.grace_period", "%v", err)
	}
	validateExceptions(c.Exceptions, names, ps)
}

// validateSources checks every source and returns the index of each
// valid source name, which exceptions refer to.
func validateSources(c *Config, ps *problems) map[string]int {
	if len(c.Sources) == 0 {
		ps.add("sources", "at least one source is required")
	}
	names := map[string]int{}
	for i, s := range c.Sources {
		key := fmt.Sprintf("sources[%d]", i)
		validateSourceName(s.Name, i, names, key, ps)
		if k, ok := validateSourceKind(c.kinds, &s, key, ps); ok && s.Block != nil {
			k.Validate(c, &s, key+"."+k.Name, ps)
		}
	}
	return names
}

// applyKindDefaults runs each source kind's Defaults on the sources of that
// kind.
func applyKindDefaults(c *Config) {
	for i := range c.Sources {
		s := &c.Sources[i]
		if k, ok := c.kinds.Lookup(s.Kind); ok && k.Defaults != nil && s.Block != nil {
			k.Defaults(s)
		}
	}
}

// validateSourceName checks the name of sources[i] and records it in
// names, reporting a name another source already took.
func validateSourceName(name string, i int, names map[string]int, key string, ps *problems) {
	switch {
	case name == "":
		ps.add(key+".name", "a source needs a name")
	case !namePattern.MatchString(name):
		ps.add(key+".name", "%q is not a valid source name (letters, digits, '.', '_' and '-')", name)
	default:
		if j, dup := names[name]; dup {
			ps.add(key+".name", "duplicate source name %q (also sources[%d])", name, j)
		}
		names[name] = i
	}
}

// validateSourceKind checks that a source has a known kind, the block of
// that kind and no block of another kind, and returns the kind.
func validateSourceKind(ks Kinds, s *Source, key string, ps *problems) (SourceKind, bool) {
	kind, ok := ks.Lookup(s.Kind)
	switch {
	case s.Kind == "":
		ps.add(key+".kind", "a source needs a kind: %s", ks.names())
	case !ok:
		ps.add(key+".kind", "unknown kind %q (want %s)", s.Kind, ks.names())
	case s.Block == nil:
		ps.add(key, "a %s source needs a %q block", s.Kind, s.Kind)
	}
	if ok {
		for _, other := range ks {
			if other.Name != s.Kind && slices.Contains(s.others, other.Name) {
				ps.add(key+"."+other.Name, "a %q block does not belong in a %s source", other.Name, s.Kind)
			}
		}
	}
	return kind, ok
}

// validateRules checks the rules section: known severities and readable
// rule files. Rule IDs are checked later by CheckRuleIDs, once the user
// rules are loaded.
func validateRules(c *Config, ps *problems) {
	for k, sev := range c.Rules.Severity {
		if sev != "error" && sev != "warning" && sev != "note" {
			ps.add("rules.severity."+k, "unknown severity %q (want error, warning or note)", sev)
		}
	}
	for i, p := range c.Rules.Paths {
		if _, err := os.Stat(c.Path(p)); err != nil {
			ps.add(fmt.Sprintf("rules.paths[%d]", i), "cannot read %s: %v", p, UnwrapPathError(err))
		}
	}
}

// validateExceptions checks that every exception names a rule, an item and
// a reason, has a valid expiry date and names a source that exists.
func validateExceptions(exceptions []Exception, sources map[string]int, ps *problems) {
	for i, e := range exceptions {
		key := fmt.Sprintf("exceptions[%d]", i)
		if e.Rule == "" {
			ps.add(key+".rule", "an exception needs the rule it excepts")
		}
		if e.Item == "" {
			ps.add(key+".item", "an exception needs the item key it applies to (e.g. PAY-42 or acme/payments#12)")
		}
		if strings.TrimSpace(e.Reason) == "" {
			ps.add(key+".reason", "an exception needs a reason, so the next reader knows why it exists")
		}
		if e.Expires != "" {
			if _, err := ParseDate(e.Expires); err != nil {
				ps.add(key+".expires", "%v", err)
			}
		}
		if e.Source != "" {
			if _, ok := sources[e.Source]; !ok {
				ps.add(key+".source", "unknown source %q", e.Source)
			}
		}
	}
}

// UnwrapPathError is err without the operation and path of an
// *os.PathError ("no such file or directory"), for messages that name the
// path already.
func UnwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// CheckURL reports at key when s is not an http(s) URL.
func CheckURL(s, key string, r Reporter) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		r.Add(key, "%q is not an http(s) URL", s)
	}
}

func validateClassification(c *Classification, ps *problems) {
	seen := map[string]string{}
	for _, lv := range []struct {
		name string
		m    LevelMatch
	}{{"strategic", c.Strategic}, {"tactical", c.Tactical}} {
		for i, t := range lv.m.Types {
			k := strings.ToLower(t)
			if other, ok := seen["type:"+k]; ok && other != lv.name {
				ps.add(fmt.Sprintf("classification.%s.types[%d]", lv.name, i), "type %q is also listed as %s", t, other)
			}
			seen["type:"+k] = lv.name
		}
		for i, l := range lv.m.Labels {
			k := strings.ToLower(l)
			if other, ok := seen["label:"+k]; ok && other != lv.name {
				ps.add(fmt.Sprintf("classification.%s.labels[%d]", lv.name, i), "label %q is also listed as %s", l, other)
			}
			seen["label:"+k] = lv.name
		}
		if len(lv.m.ProjectFieldValues) > 0 && c.ProjectField == "" {
			ps.add("classification."+lv.name+".project_field_values", "project_field_values need classification.project_field (the field's name)")
		}
	}
}

func validateRoster(ks Kinds, r *Roster, ps *problems) {
	ids := validatePeople(ks, r.People, ps)
	validateTeams(ks, r, ids, ps)
	if r.Import != nil {
		validateRosterImport(ks, r.Import, ps)
	}
}

// validatePeople checks the roster's people and returns the index of each
// person id, which teams refer to. An account may belong to one person
// only, compared case-insensitively.
func validatePeople(ks Kinds, people []Person, ps *problems) map[string]int {
	ids := map[string]int{}
	accounts := map[string]string{} // "kind:account" → person id
	for i, p := range people {
		key := fmt.Sprintf("roster.people[%d]", i)
		if p.ID == "" {
			ps.add(key+".id", "a person needs an id")
		} else if j, dup := ids[p.ID]; dup {
			ps.add(key+".id", "duplicate person id %q (also roster.people[%d])", p.ID, j)
		} else {
			ids[p.ID] = i
		}
		validateRoles(p.Roles, key, ps)
		validateAccounts(ks, &p, key, accounts, ps)
		for j, rs := range p.RolesSince {
			k := fmt.Sprintf("%s.roles_since[%d]", key, j)
			if _, err := ParseDate(rs.Since); err != nil {
				ps.add(k+".since", "%v", err)
			}
			validateRoles(rs.Roles, k, ps)
		}
	}
	return ids
}

// validateRoles reports the roles under key (key.roles[n]) that are not
// product-owner or product-manager.
func validateRoles(roles []string, key string, ps *problems) {
	for n, role := range roles {
		if !ValidRole(role) {
			ps.add(fmt.Sprintf("%s.roles[%d]", key, n), "unknown role %q (want product-owner or product-manager)", role)
		}
	}
}

// validateTeams checks the roster's teams: a unique name, product owner and
// manager who are roster people holding that role (ids indexes r.People),
// and at least one match.
func validateTeams(ks Kinds, r *Roster, ids map[string]int, ps *problems) {
	teams := map[string]bool{}
	for i, t := range r.Teams {
		key := fmt.Sprintf("roster.teams[%d]", i)
		if t.Name == "" {
			ps.add(key+".name", "a team needs a name")
		} else if teams[t.Name] {
			ps.add(key+".name", "duplicate team name %q", t.Name)
		}
		teams[t.Name] = true
		validateTeamPerson(r, ids, t.ProductOwner, key+".product_owner", "product_owner", "product-owner", ps)
		validateTeamPerson(r, ids, t.ProductManager, key+".product_manager", "product_manager", "product-manager", ps)
		validateTeamMatch(ks, t.Match, key+".match", ps)
	}
}

// validateTeamPerson checks that id, given as a team's field (at key), is a
// roster person who holds role; an unknown id gets the closest known one
// as a suggestion.
func validateTeamPerson(r *Roster, ids map[string]int, id, key, field, role string, ps *problems) {
	if id == "" {
		return
	}
	j, ok := ids[id]
	if !ok {
		msg := fmt.Sprintf("unknown person %q", id)
		if c := closest(id, slices.Collect(maps.Keys(ids))); c != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", c)
		}
		ps.add(key, "%s; %s must be the id of a roster person", msg, field)
		return
	}
	if !slices.Contains(r.People[j].Roles, role) {
		ps.add(key, "%q does not hold the %s role in the roster", id, role)
	}
}

// validateRosterImport checks roster.import through each kind that reads
// roles from its tracker.
func validateRosterImport(ks Kinds, imp *RosterImport, ps *problems) {
	for _, k := range ks {
		if k.ImportKey != "" && k.ValidateImport != nil {
			k.ValidateImport(imp.Groups(k.ImportKey), "roster.import."+k.ImportKey, ps)
		}
	}
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// CheckRuleIDs reports config entries naming rules that do not exist. known
// says whether an ID names a built-in or user rule; internal/app (load.go)
// calls this once user rules are loaded.
func (c *Config) CheckRuleIDs(known func(string) bool, all []string) []Problem {
	ps := &problems{file: c.File, lines: c.Lines}
	unknown := func(key, id string) {
		msg := fmt.Sprintf("unknown rule %q", id)
		if cl := closest(id, all); cl != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", cl)
		}
		ps.add(key, "%s; `pomlint rules list` shows the rules", msg)
	}
	for _, k := range sortedKeys(c.Rules.Severity) {
		if !known(strings.ToUpper(k)) {
			unknown("rules.severity."+k, k)
		}
	}
	for i, id := range c.Rules.Disable {
		if !known(strings.ToUpper(id)) {
			unknown(fmt.Sprintf("rules.disable[%d]", i), id)
		}
	}
	for i, e := range c.Exceptions {
		if e.Rule != "" && !known(strings.ToUpper(e.Rule)) {
			unknown(fmt.Sprintf("exceptions[%d].rule", i), e.Rule)
		}
	}
	attributeToEnv(ps.list, c.env)
	return ps.list
}
