// Package drift compares two snapshots: which items were added or removed,
// whose owner, owner's role, level or team changed, and which findings are
// new, resolved or changed severity. It renders the comparison as text, JSON
// and Markdown (the sticky PR comment), and finds the items a pull request
// references (Linked).
package drift

import (
	"sort"
	"strings"
	"time"

	"github.com/pomlint/pomlint/internal/model"
)

// SchemaVersion is the version of the JSON drift report.
const SchemaVersion = 1

// Item change statuses.
const (
	StatusAdded   = "added"
	StatusRemoved = "removed"
	StatusChanged = "changed"
)

// Fields an item change names.
const (
	FieldOwner     = "owner"
	FieldOwnerRole = "owner_role"
	FieldLevel     = "level"
	FieldTeam      = "team"
)

// Finding change statuses.
const (
	FindingNew      = "new"
	FindingResolved = "resolved"
	FindingSeverity = "severity"
)

// Side describes one of the two compared runs.
type Side struct {
	// Label says what the side is: a snapshot path, "live", "config B.yaml".
	Label       string               `json:"label"`
	Tool        model.Tool           `json:"tool"`
	GeneratedAt time.Time            `json:"generated_at,omitzero"`
	Complete    bool                 `json:"complete"`
	Sources     []model.SourceStatus `json:"sources"`
	Items       int                  `json:"items"`
	Findings    int                  `json:"findings"`
}

// Change is one attribute of an item that differs between the sides. From
// and To are "" when the attribute is empty (no owner, no team).
type Change struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// ItemDrift is one item that was added, removed or changed. Level, Owner,
// OwnerRole and Team are the item's values on the head side (the base side
// for a removed item).
type ItemDrift struct {
	Status    string   `json:"status"`
	Source    string   `json:"source"`
	Key       string   `json:"key"`
	Title     string   `json:"title,omitempty"`
	URL       string   `json:"url,omitempty"`
	Level     string   `json:"level,omitempty"`
	Owner     string   `json:"owner,omitempty"`
	OwnerRole string   `json:"owner_role,omitempty"`
	Team      string   `json:"team,omitempty"`
	Changes   []Change `json:"changes,omitempty"`
}

// Changed reports whether the item has a change of field f.
func (d *ItemDrift) Changed(f string) bool {
	for _, c := range d.Changes {
		if c.Field == f {
			return true
		}
	}
	return false
}

// FindingDrift is one finding that is new, resolved or changed severity.
// Finding is the head side's finding (the base side's for a resolved one);
// FromSeverity is the base severity of a re-severitied finding.
type FindingDrift struct {
	Status       string         `json:"status"`
	FromSeverity model.Severity `json:"from_severity,omitempty"`
	model.Finding
}

// Summary counts the drift.
type Summary struct {
	ItemsAdded       int            `json:"items_added"`
	ItemsRemoved     int            `json:"items_removed"`
	OwnerChanged     int            `json:"owner_changed"`
	OwnerRoleChanged int            `json:"owner_role_changed"`
	LevelChanged     int            `json:"level_changed"`
	TeamChanged      int            `json:"team_changed"`
	NewFindings      int            `json:"new_findings"`
	NewBySeverity    map[string]int `json:"new_by_severity"`
	Resolved         int            `json:"resolved_findings"`
	Reseveritied     int            `json:"reseveritied_findings"`
}

// Report is the comparison of two snapshots.
type Report struct {
	SchemaVersion int            `json:"schema_version"`
	Tool          model.Tool     `json:"tool"`
	Complete      bool           `json:"complete"`
	Base          Side           `json:"base"`
	Head          Side           `json:"head"`
	Summary       Summary        `json:"summary"`
	Items         []ItemDrift    `json:"items"`
	Findings      []FindingDrift `json:"findings"`
	// Linked lists the item references the comparison was narrowed to
	// (Options.Only); NotFound those of them neither side has.
	Linked   []string `json:"linked,omitempty"`
	NotFound []string `json:"not_found,omitempty"`
	// LinkedFrom says where Linked came from (Options.OnlyFrom).
	LinkedFrom string `json:"linked_from,omitempty"`
}

// Clean reports whether there is nothing to tell: both sides complete, no
// item added, removed or changed, and no finding new, resolved or changed.
func (r *Report) Clean() bool {
	return r.Complete && len(r.Items) == 0 && len(r.Findings) == 0
}

// NewFindings returns the new findings that count (not baselined).
func (r *Report) NewFindings() []model.Finding {
	var out []model.Finding
	for _, f := range r.Findings {
		if f.Status == FindingNew && f.Suppressed == "" {
			out = append(out, f.Finding)
		}
	}
	return out
}

// ExitCode is 3 when a side is incomplete, else 1 when a new counted finding
// is at or above failOn, else 0. Findings that already existed on the base
// side never fail a drift.
func (r *Report) ExitCode(failOn model.Severity) int {
	if !r.Complete {
		return model.ExitIncomplete
	}
	if failOn == model.SeverityNone {
		return model.ExitOK
	}
	for _, f := range r.NewFindings() {
		if f.Severity >= failOn {
			return model.ExitFindings
		}
	}
	return model.ExitOK
}

// Options tune a comparison.
type Options struct {
	// Tool names the program writing the report.
	Tool model.Tool
	// BaseLabel and HeadLabel describe the sides ("base.json", "live").
	BaseLabel, HeadLabel string
	// Only, when not nil, narrows the comparison to these item keys
	// (GitHub keys compare case-insensitively, as GitHub does) and their
	// findings.
	Only []string
	// OnlyFrom says where Only came from, for the report: "this pull
	// request references" (the default) or "given with --item".
	OnlyFrom string
}

// Diff compares base with head. Items are matched by source and key,
// findings by fingerprint. The result is in a fixed order: items by source
// and key, findings by source, item, rule.
func Diff(base, head *model.Snapshot, o Options) *Report {
	keep := onlyFilter(o.Only)
	bItems, bFind := narrow(base, keep)
	hItems, hFind := narrow(head, keep)

	r := &Report{
		SchemaVersion: SchemaVersion,
		Tool:          o.Tool,
		Base:          side(base, o.BaseLabel, len(bItems), len(bFind)),
		Head:          side(head, o.HeadLabel, len(hItems), len(hFind)),
		Summary:       Summary{NewBySeverity: map[string]int{"error": 0, "warning": 0, "note": 0}},
	}
	r.Complete = r.Base.Complete && r.Head.Complete
	r.diffItems(bItems, hItems, newRoleCache(base), newRoleCache(head))
	r.diffFindings(bFind, hFind)
	if o.Only != nil {
		r.linkedNotFound(o, bItems, hItems)
	}
	return r
}

// onlyFilter returns the item filter for Options.Only: nil keeps every
// item.
func onlyFilter(only []string) func(key string) bool {
	if only == nil {
		return nil
	}
	want := map[string]bool{}
	for _, k := range only {
		want[normKey(k)] = true
	}
	return func(key string) bool { return want[normKey(key)] }
}

// itemPair is one item on either side of a comparison; a nil side means the
// item was added or removed.
type itemPair struct{ b, h *model.Item }

// pairItems matches the base and head items by source and key, in the order
// they first appear (base first).
func pairItems(bItems, hItems []*model.Item) []itemPair {
	type itemKey struct{ source, key string }
	pairs := make([]itemPair, 0, max(len(bItems), len(hItems)))
	byKey := make(map[itemKey]int, max(len(bItems), len(hItems)))
	slot := func(it *model.Item) *itemPair {
		k := itemKey{it.Source, it.Key}
		i, ok := byKey[k]
		if !ok {
			i = len(pairs)
			byKey[k] = i
			pairs = append(pairs, itemPair{})
		}
		return &pairs[i]
	}
	for _, it := range bItems {
		slot(it).b = it
	}
	for _, it := range hItems {
		slot(it).h = it
	}
	return pairs
}

// diffItems fills r.Items with the items added, removed or changed between
// the sides, counting them in r.Summary, sorted by source and key.
func (r *Report) diffItems(bItems, hItems []*model.Item, baseRoles, headRoles *roleCache) {
	for _, p := range pairItems(bItems, hItems) {
		switch {
		case p.b == nil:
			r.Items = append(r.Items, itemDrift(StatusAdded, p.h, headRoles))
			r.Summary.ItemsAdded++
		case p.h == nil:
			r.Items = append(r.Items, itemDrift(StatusRemoved, p.b, baseRoles))
			r.Summary.ItemsRemoved++
		default:
			if changes := r.itemChanges(p, baseRoles, headRoles); len(changes) > 0 {
				d := itemDrift(StatusChanged, p.h, headRoles)
				d.Changes = changes
				r.Items = append(r.Items, d)
			}
		}
	}
	sortStable(r.Items, func(a, b *ItemDrift) bool {
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return model.CompareKeys(a.Key, b.Key) < 0
	})
}

// itemChanges lists how an item on both sides changed (owner, or else the
// owner's role; level; team), counting each change in r.Summary.
func (r *Report) itemChanges(p itemPair, baseRoles, headRoles *roleCache) []Change {
	var changes []Change
	bo, ho := ownerName(p.b.Owner), ownerName(p.h.Owner)
	if !sameOwner(p.b.Owner, p.h.Owner) {
		changes = append(changes, Change{Field: FieldOwner, From: bo, To: ho})
		r.Summary.OwnerChanged++
	} else if br, hr := baseRoles.of(p.b.Owner), headRoles.of(p.h.Owner); br != hr {
		changes = append(changes, Change{Field: FieldOwnerRole, From: br, To: hr})
		r.Summary.OwnerRoleChanged++
	}
	if bl, hl := string(p.b.Level), string(p.h.Level); bl != hl {
		changes = append(changes, Change{Field: FieldLevel, From: bl, To: hl})
		r.Summary.LevelChanged++
	}
	if p.b.Team != p.h.Team {
		changes = append(changes, Change{Field: FieldTeam, From: p.b.Team, To: p.h.Team})
		r.Summary.TeamChanged++
	}
	return changes
}

// diffFindings fills r.Findings with the new findings, the ones whose
// severity changed and the resolved ones, counting them in r.Summary.
// A first pass sorts the findings into the three groups so the result is
// allocated once.
func (r *Report) diffFindings(bFind, hFind []*model.Finding) {
	bf := make(map[string]*model.Finding, len(bFind))
	for _, f := range bFind {
		bf[f.Identity()] = f
	}
	hf := make(map[string]bool, len(hFind))
	var added, resev, resolved []*model.Finding
	for _, f := range hFind {
		fp := f.Identity()
		hf[fp] = true
		old, ok := bf[fp]
		switch {
		case !ok:
			added = append(added, f)
		case old.Severity != f.Severity:
			resev = append(resev, f)
		}
	}
	for _, f := range bFind {
		if !hf[f.Identity()] {
			resolved = append(resolved, f)
		}
	}
	r.Findings = make([]FindingDrift, 0, len(added)+len(resev)+len(resolved))
	for _, f := range added {
		r.Findings = append(r.Findings, FindingDrift{Status: FindingNew, Finding: *f})
		if f.Suppressed == "" {
			r.Summary.NewFindings++
			r.Summary.NewBySeverity[f.Severity.String()]++
		}
	}
	for _, f := range resev {
		r.Findings = append(r.Findings, FindingDrift{Status: FindingSeverity, FromSeverity: bf[f.Identity()].Severity, Finding: *f})
		r.Summary.Reseveritied++
	}
	for _, f := range resolved {
		r.Findings = append(r.Findings, FindingDrift{Status: FindingResolved, Finding: *f})
		r.Summary.Resolved++
	}
	if len(r.Findings) == 0 {
		r.Findings = nil
	}
	sortStable(r.Findings, func(a, b *FindingDrift) bool {
		if a.Status != b.Status {
			return statusRank[a.Status] < statusRank[b.Status]
		}
		return a.Finding.Less(&b.Finding)
	})
}

// linkedNotFound records the keys the comparison was narrowed to (o.Only),
// where they came from, and which of them neither side holds.
func (r *Report) linkedNotFound(o Options, bItems, hItems []*model.Item) {
	seen := map[string]bool{}
	for _, it := range bItems {
		seen[normKey(it.Key)] = true
	}
	for _, it := range hItems {
		seen[normKey(it.Key)] = true
	}
	r.Linked = append([]string{}, o.Only...)
	r.LinkedFrom = o.OnlyFrom
	if r.LinkedFrom == "" {
		r.LinkedFrom = "this pull request references"
	}
	sort.Slice(r.Linked, func(i, j int) bool { return model.CompareKeys(r.Linked[i], r.Linked[j]) < 0 })
	for _, k := range r.Linked {
		if !seen[normKey(k)] {
			r.NotFound = append(r.NotFound, k)
		}
	}
}

// sortStable sorts s stably by less. The inputs are usually sorted already
// (snapshots keep the engine's order), so it checks first; otherwise it
// sorts indices rather than moving the large structs around.
func sortStable[T any](s []T, less func(a, b *T) bool) {
	sorted := true
	for i := 1; i < len(s) && sorted; i++ {
		sorted = !less(&s[i], &s[i-1])
	}
	if sorted {
		return
	}
	idx := make([]int, len(s))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return less(&s[idx[i]], &s[idx[j]]) })
	out := make([]T, len(s))
	for i, k := range idx {
		out[i] = s[k]
	}
	copy(s, out)
}

var statusRank = map[string]int{FindingNew: 0, FindingSeverity: 1, FindingResolved: 2}

// normKey folds GitHub keys (owner/repo#N) to lower case, since GitHub
// treats owners and repositories case-insensitively; Jira keys are upper
// case already.
func normKey(k string) string {
	if strings.Contains(k, "#") || strings.Contains(k, "/") {
		return strings.ToLower(k)
	}
	return strings.ToUpper(k)
}

func narrow(s *model.Snapshot, keep func(string) bool) ([]*model.Item, []*model.Finding) {
	if s == nil {
		return nil, nil
	}
	var items []*model.Item
	for i := range s.Items {
		if keep == nil || keep(s.Items[i].Key) {
			items = append(items, &s.Items[i])
		}
	}
	var fs []*model.Finding
	for i := range s.Findings {
		if keep == nil || keep(s.Findings[i].Item) {
			fs = append(fs, &s.Findings[i])
		}
	}
	return items, fs
}

func side(s *model.Snapshot, label string, items, findings int) Side {
	sd := Side{Label: label, Complete: true, Items: items, Findings: findings}
	if s == nil {
		return sd
	}
	sd.Tool, sd.GeneratedAt = s.Tool, s.GeneratedAt
	sd.Sources = append([]model.SourceStatus{}, s.Sources...)
	for _, src := range s.Sources {
		if !src.Complete {
			sd.Complete = false
		}
	}
	return sd
}

func itemDrift(status string, it *model.Item, roles *roleCache) ItemDrift {
	return ItemDrift{
		Status: status, Source: it.Source, Key: it.Key, Title: it.Title, URL: it.URL,
		Level: string(it.Level), Owner: ownerName(it.Owner), OwnerRole: roles.of(it.Owner), Team: it.Team,
	}
}

// roleCache remembers each person's role string in one snapshot's roster.
type roleCache struct {
	roster *model.Roster
	byID   map[string]string
}

func newRoleCache(s *model.Snapshot) *roleCache {
	c := &roleCache{byID: map[string]string{}}
	if s != nil {
		c.roster = s.Roster
	}
	return c
}

func (c *roleCache) of(o *model.Owner) string {
	if o == nil {
		return ""
	}
	if r, ok := c.byID[o.PersonID]; ok {
		return r
	}
	r := ownerRole(c.roster, o)
	c.byID[o.PersonID] = r
	return r
}

// ownerName is the owner's roster id, or the account handle when the owner
// is not in the roster, or "" when there is no owner.
func ownerName(o *model.Owner) string {
	switch {
	case o == nil:
		return ""
	case o.PersonID != "":
		return o.PersonID
	}
	return o.Account.String()
}

// sameOwner reports whether two owners are the same: the same roster
// person, or the same tracker account (a roster edit that adds, removes or
// renames the person behind an account is a role change, not a new owner).
func sameOwner(b, h *model.Owner) bool {
	switch {
	case b == nil || h == nil:
		return b == h
	case b.PersonID != "" && b.PersonID == h.PersonID:
		return true
	}
	return sameAccount(b.Account, h.Account)
}

// sameAccount reports whether a and b are one tracker account: same tracker
// and the same login (case-insensitive) or user key; without either, the
// same email, else the same display name.
func sameAccount(a, b model.Account) bool {
	if a.Tracker != b.Tracker {
		return false
	}
	switch {
	case a.Login != "" && b.Login != "":
		return strings.EqualFold(a.Login, b.Login)
	case a.Key != "" && b.Key != "":
		return a.Key == b.Key
	case a.Login != "" || b.Login != "" || a.Key != "" || b.Key != "":
		return false
	case a.Email != "" && b.Email != "":
		return strings.EqualFold(a.Email, b.Email)
	}
	return a.Name != "" && a.Name == b.Name
}

// Owner role values besides the role names.
const (
	RoleNotInRoster = "not in roster"
	RoleNone        = "no role"
)

// ownerRole is the owner's roles in roster ("product-owner",
// "product-manager+product-owner"), RoleNotInRoster, RoleNone, or "" when
// there is no owner.
func ownerRole(r *model.Roster, o *model.Owner) string {
	if o == nil {
		return ""
	}
	p := r.Person(o.PersonID)
	if p == nil {
		return RoleNotInRoster
	}
	if len(p.Roles) == 0 {
		return RoleNone
	}
	roles := make([]string, len(p.Roles))
	for i, x := range p.Roles {
		roles[i] = string(x)
	}
	sort.Strings(roles)
	return strings.Join(roles, "+")
}
