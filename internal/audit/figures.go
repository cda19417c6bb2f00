package audit

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/pomlint/pomlint/internal/markdown"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/rules"
)

// Run builds every item's timeline from its current state and history and
// sums the figures of the window (and of the previous period when asked).
// Items that were not alive in either period are left out.
func Run(items []model.Item, hist History, opts Options) *Report {
	a := newAuditor(opts)
	a.indexAccounts(items)
	begin := opts.From
	if opts.ComparePrevious {
		begin = PreviousStart(opts.From, opts.To)
	}
	tls := make([]timeline, 0, len(items))
	for i := range items {
		it := &items[i]
		tl := a.timeline(it, hist[HistoryKey(it.Source, it.Key)], begin)
		if len(tl.intervals) > 0 {
			tls = append(tls, tl)
		}
	}
	slices.SortStableFunc(tls, func(x, y timeline) int {
		return cmp.Or(cmp.Compare(x.item.Source, y.item.Source), model.CompareKeys(x.item.Key, y.item.Key))
	})
	rep := &Report{
		SchemaVersion: SchemaVersion,
		Tool:          opts.Tool,
		Complete:      true,
		Sources:       opts.Sources,
		GeneratedAt:   opts.Now.UTC().Truncate(time.Second),
		GraceDays:     days(secs(opts.GracePeriod)),
	}
	for _, s := range opts.Sources {
		if !s.Complete {
			rep.Complete = false
		}
	}
	rep.Current, rep.Items = a.period(opts.From, opts.To, tls)
	if opts.ComparePrevious {
		rep.Previous, _ = a.period(begin, opts.From, tls)
		rep.Diff = diff(rep.Current, rep.Previous)
	}
	rep.Notes = a.notes(rep)
	return rep
}

// PreviousStart is where the period before [from, to) starts: as many
// calendar months earlier when the window is whole months (Q3 is compared
// with Q2, 92 days with 91), else as many days earlier.
func PreviousStart(from, to time.Time) time.Time {
	f, t := from.UTC(), to.UTC()
	if f.Day() == 1 && t.Day() == 1 && isMidnight(f) && isMidnight(t) {
		months := (t.Year()-f.Year())*12 + int(t.Month()) - int(f.Month())
		if months > 0 {
			return f.AddDate(0, -months, 0)
		}
	}
	return from.Add(-to.Sub(from))
}

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// group accumulates one group's figures in seconds.
type group struct {
	name                string
	items, never        int
	alive, compliant    int64
	samples             []int64
	changes             int
	ruleSec, ownerSec   map[string]int64
	ruleItem, ownerItem map[string]map[string]bool
	// heldSec, heldOK and heldItem are every owner's time held, time
	// correctly owned, and items.
	heldSec, heldOK map[string]int64
	heldItem        map[string]map[string]bool
}

func newGroup(name string) *group {
	return &group{name: name, ruleSec: map[string]int64{}, ownerSec: map[string]int64{},
		ruleItem: map[string]map[string]bool{}, ownerItem: map[string]map[string]bool{},
		heldSec: map[string]int64{}, heldOK: map[string]int64{}, heldItem: map[string]map[string]bool{}}
}

type groups map[string]*group

func (gs groups) get(name string) *group {
	g, ok := gs[name]
	if !ok {
		g = newGroup(name)
		gs[name] = g
	}
	return g
}

func secs(d time.Duration) int64 { return int64(d / time.Second) }

// days turns seconds into days, two decimals.
func days(s int64) float64 { return math.Round(float64(s)/86400*100) / 100 }

// pct is part/whole in percent, one decimal; nil without a whole.
func pct(part, whole int64) *float64 {
	if whole <= 0 {
		return nil
	}
	v := math.Round(float64(part)/float64(whole)*1000) / 10
	return &v
}

// clip cuts intervals to [from, to).
func clip(ivs []Interval, from, to time.Time) []Interval {
	var out []Interval
	for _, iv := range ivs {
		if !iv.To.After(from) || !iv.From.Before(to) {
			continue
		}
		if iv.From.Before(from) {
			iv.From = from
		}
		if iv.To.After(to) {
			iv.To = to
		}
		out = append(out, iv)
	}
	return out
}

// period sums the figures of [from, to), cut at now, and returns the items'
// reports.
func (a *auditor) period(from, to time.Time, tls []timeline) (*Period, []ItemReport) {
	p := &Period{
		From:    from.UTC().Format(time.DateOnly),
		Through: to.Add(-time.Nanosecond).UTC().Format(time.DateOnly),
		Days:    days(secs(to.Sub(from))),
		from:    from, to: to,
	}
	end := to
	if a.opts.Now.Before(end) {
		end = a.opts.Now
	}
	overall, teams, levels := newGroup("overall"), groups{}, groups{}
	var items []ItemReport
	var toOwner []int64
	notYet := 0
	for _, tl := range tls {
		it := tl.item
		ivs := clip(tl.intervals, from, end)
		if len(ivs) == 0 {
			continue
		}
		key := it.Source + "\x00" + it.Key
		last := ivs[len(ivs)-1]
		ir := ItemReport{Source: it.Source, Key: it.Key, Title: it.Title, URL: it.URL,
			Team: last.Team, Level: last.Level, Owner: last.Owner, OwnerName: a.name(last.Owner), Intervals: ivs}
		if !it.Created.IsZero() {
			ir.Created = it.Created.UTC().Format(time.RFC3339)
		}
		var alive, ok int64
		broken := map[string]bool{}
		for k, iv := range ivs {
			d := secs(iv.To.Sub(iv.From))
			alive += d
			if iv.Compliant {
				ok += d
			} else {
				broken[iv.Rule] = true
			}
			if k > 0 && iv.Owner != ivs[k-1].Owner {
				ir.OwnershipChanges++
			}
			for _, g := range []*group{overall, teams.get(iv.Team), levels.get(iv.Level)} {
				g.addInterval(iv, d, key, a.opts.GracePeriod)
			}
		}
		ir.ItemDays, ir.CompliantDays, ir.Compliance = days(alive), days(ok), pct(ok, alive)
		ir.Rules = slices.Sorted(maps.Keys(broken))
		sample, createdIn := timeToOwner(tl, from, to, end)
		switch {
		case sample >= 0:
			v := math.Round(float64(sample)/86400*10) / 10
			ir.DaysToOwner = &v
			toOwner = append(toOwner, sample)
		case createdIn:
			notYet++
		}
		for _, g := range []*group{overall, teams.get(last.Team), levels.get(last.Level)} {
			g.items++
			if ok == 0 {
				g.never++
			}
			if sample >= 0 {
				g.samples = append(g.samples, sample)
			}
			g.changes += ir.OwnershipChanges
		}
		items = append(items, ir)
	}
	p.Overall = overall.figures(a.name)
	for _, name := range sortedNames(teams, NoTeam) {
		p.Teams = append(p.Teams, teams[name].figures(a.name))
	}
	for _, name := range levelOrder(levels) {
		p.Levels = append(p.Levels, levels[name].figures(a.name))
	}
	p.Months = a.months(from, end, tls)
	p.TimeToOwner = buckets(toOwner, notYet)
	return p, items
}

// addInterval counts d seconds of interval iv of item key in g.
func (g *group) addInterval(iv Interval, d int64, key string, grace time.Duration) {
	g.alive += d
	if iv.Owner != "" {
		g.heldSec[iv.Owner] += d
		addTo(g.heldItem, iv.Owner, key)
		if iv.Compliant {
			g.heldOK[iv.Owner] += d
		}
	}
	if iv.Compliant {
		g.compliant += d
		return
	}
	// A stretch shorter than the grace period is noise, not a habit: it
	// counts against compliance, not in the rules.
	if iv.span >= grace {
		g.ruleSec[iv.Rule] += d
		addTo(g.ruleItem, iv.Rule, key)
	}
	if iv.Owner != "" {
		g.ownerSec[iv.Owner] += d
		addTo(g.ownerItem, iv.Owner, key)
	}
}

// timeToOwner is the seconds from an item's creation to its first correct
// owner, -1 when it got none before end; createdIn says whether it was
// created in [from, to) at all (only such items are sampled).
func timeToOwner(tl timeline, from, to, end time.Time) (sample int64, createdIn bool) {
	created := tl.item.Created
	if created.IsZero() || created.Before(from) || !created.Before(to) {
		return -1, false
	}
	for _, iv := range tl.intervals {
		if iv.Compliant {
			if iv.From.Before(end) {
				return secs(iv.From.Sub(created)), true
			}
			break
		}
	}
	return -1, true
}

func addTo(m map[string]map[string]bool, k, item string) {
	s, ok := m[k]
	if !ok {
		s = map[string]bool{}
		m[k] = s
	}
	s[item] = true
}

func sortedNames(gs groups, last string) []string {
	names := make([]string, 0, len(gs))
	for n := range gs {
		if gs[n].alive > 0 || gs[n].items > 0 {
			names = append(names, n)
		}
	}
	slices.SortFunc(names, func(x, y string) int {
		return cmp.Or(compareLast(x, y, last), cmp.Compare(x, y))
	})
	return names
}

func levelOrder(gs groups) []string {
	var out []string
	for _, l := range []model.Level{model.LevelStrategic, model.LevelTactical, model.LevelUnknown} {
		if g, ok := gs[string(l)]; ok && (g.alive > 0 || g.items > 0) {
			out = append(out, string(l))
		}
	}
	return out
}

// name is the display name of a roster id or handle ("" stays "").
func (a *auditor) name(id string) string {
	if n := a.names[id]; n != "" {
		return n
	}
	return id
}

func (g *group) figures(name func(string) string) Figures {
	f := Figures{
		Name:             g.name,
		Items:            g.items,
		ItemDays:         days(g.alive),
		CompliantDays:    days(g.compliant),
		Compliance:       pct(g.compliant, g.alive),
		NeverCompliant:   g.never,
		ToOwnerSamples:   len(g.samples),
		OwnershipChanges: g.changes,
		Rules:            []RuleCount{},
		Owners:           []OwnerCount{},
		Holders:          []HolderCount{},
	}
	if m, ok := median(g.samples); ok {
		v := math.Round(m/86400*10) / 10
		f.MedianDaysToOwner = &v
	}
	for r, s := range g.ruleSec {
		f.Rules = append(f.Rules, RuleCount{Rule: r, Name: RuleName(r), Items: len(g.ruleItem[r]), Days: days(s), Share: pct(s, g.alive)})
	}
	slices.SortFunc(f.Rules, func(x, y RuleCount) int {
		return cmp.Or(cmp.Compare(y.Days, x.Days), cmp.Compare(y.Items, x.Items), cmp.Compare(x.Rule, y.Rule))
	})
	for o, s := range g.ownerSec {
		f.Owners = append(f.Owners, OwnerCount{Owner: o, Name: name(o), Items: len(g.ownerItem[o]), Days: days(s)})
	}
	slices.SortFunc(f.Owners, func(x, y OwnerCount) int {
		return cmp.Or(cmp.Compare(y.Items, x.Items), cmp.Compare(y.Days, x.Days), cmp.Compare(x.Owner, y.Owner))
	})
	if len(f.Owners) > TopOwners {
		f.Owners = f.Owners[:TopOwners]
	}
	for o, s := range g.heldSec {
		f.Holders = append(f.Holders, HolderCount{Owner: o, Name: name(o), Items: len(g.heldItem[o]), Days: days(s),
			CompliantDays: days(g.heldOK[o]), Compliance: pct(g.heldOK[o], s)})
	}
	slices.SortFunc(f.Holders, func(x, y HolderCount) int {
		return cmp.Or(cmp.Compare(y.Days, x.Days), cmp.Compare(x.Owner, y.Owner))
	})
	return f
}

func median(s []int64) (float64, bool) {
	if len(s) == 0 {
		return 0, false
	}
	c := slices.Sorted(slices.Values(s))
	n := len(c)
	if n%2 == 1 {
		return float64(c[n/2]), true
	}
	return (float64(c[n/2-1]) + float64(c[n/2])) / 2, true
}

// months is overall compliance per calendar month (UTC) of [from, end).
func (a *auditor) months(from, end time.Time, tls []timeline) []Month {
	out := []Month{}
	f := from.UTC()
	for ms := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, time.UTC); ms.Before(end); ms = ms.AddDate(0, 1, 0) {
		lo, hi := ms, ms.AddDate(0, 1, 0)
		if lo.Before(from) {
			lo = from
		}
		if hi.After(end) {
			hi = end
		}
		var alive, ok int64
		for _, tl := range tls {
			for _, iv := range clip(tl.intervals, lo, hi) {
				d := secs(iv.To.Sub(iv.From))
				alive += d
				if iv.Compliant {
					ok += d
				}
			}
		}
		out = append(out, Month{Month: ms.Format("2006-01"), ItemDays: days(alive), Compliance: pct(ok, alive)})
	}
	return out
}

// buckets sorts the time-to-owner samples (in seconds) into buckets by
// upper bound in days, exclusive, plus notYet items not owned yet.
func buckets(samples []int64, notYet int) []Bucket {
	edges := []struct {
		label string
		max   float64
	}{{"< 1 day", 1}, {"1–7 days", 7}, {"7–30 days", 30}, {"30–90 days", 90}, {"90+ days", math.Inf(1)}}
	out := make([]Bucket, 0, len(edges)+1)
	for _, e := range edges {
		out = append(out, Bucket{Label: e.label})
	}
	for _, s := range samples {
		d := float64(s) / 86400
		for i, e := range edges {
			if d < e.max {
				out[i].Items++
				break
			}
		}
	}
	return append(out, Bucket{Label: "not yet", Items: notYet})
}

func diff(cur, prev *Period) *Diff {
	d := &Diff{Overall: diffFigures(cur.Overall, prev.Overall)}
	d.Teams = diffGroups(cur.Teams, prev.Teams, NoTeam)
	d.Levels = diffGroups(cur.Levels, prev.Levels, "")
	return d
}

func diffGroups(cur, prev []Figures, last string) []DiffFigures {
	byName := map[string][2]*Figures{}
	var names []string
	for i := range cur {
		v := byName[cur[i].Name]
		v[0] = &cur[i]
		byName[cur[i].Name] = v
		names = append(names, cur[i].Name)
	}
	for i := range prev {
		v, seen := byName[prev[i].Name]
		v[1] = &prev[i]
		byName[prev[i].Name] = v
		if !seen {
			names = append(names, prev[i].Name)
		}
	}
	order := map[string]int{string(model.LevelStrategic): 0, string(model.LevelTactical): 1, string(model.LevelUnknown): 2}
	slices.SortStableFunc(names, func(x, y string) int {
		if last == "" {
			return cmp.Compare(order[x], order[y])
		}
		return cmp.Or(compareLast(x, y, last), cmp.Compare(x, y))
	})
	out := make([]DiffFigures, 0, len(names))
	for _, n := range names {
		v := byName[n]
		c, p := Figures{Name: n}, Figures{Name: n}
		if v[0] != nil {
			c = *v[0]
		}
		if v[1] != nil {
			p = *v[1]
		}
		out = append(out, diffFigures(c, p))
	}
	return out
}

func diffFigures(c, p Figures) DiffFigures {
	d := DiffFigures{Name: c.Name, Items: c.Items - p.Items, NeverCompliant: c.NeverCompliant - p.NeverCompliant,
		OwnershipChanges: c.OwnershipChanges - p.OwnershipChanges}
	if c.Compliance != nil && p.Compliance != nil {
		v := math.Round((*c.Compliance-*p.Compliance)*10) / 10
		d.Compliance = &v
	}
	if c.MedianDaysToOwner != nil && p.MedianDaysToOwner != nil {
		v := math.Round((*c.MedianDaysToOwner-*p.MedianDaysToOwner)*10) / 10
		d.MedianDaysToOwner = &v
	}
	return d
}

// notes states the audit's limitations in words.
func (a *auditor) notes(rep *Report) []string {
	var dated []string
	if a.opts.Roster != nil {
		for _, p := range a.opts.Roster.People {
			if len(p.RolesSince) > 0 {
				dated = append(dated, p.ID)
			}
		}
	}
	slices.Sort(dated)
	roster := "Owners are judged against today's roster: everyone's current roles count for the whole period, so someone who changed role during it is judged by the role they hold now."
	if len(dated) > 0 {
		roster = fmt.Sprintf("Owners are judged against today's roster, except that roles_since dates the role changes of %s; everyone else's current roles count for the whole period.", strings.Join(dated, ", "))
	}
	notes := []string{
		roster,
		"An item-day is compliant when the item's level is known and its owner is a roster person holding the role that level needs (product manager for strategic, product owner for tactical) and, when the item has a team, is that team's product manager or product owner (" + judgedRules + ", as lint counts \"correctly owned\"). OWN006 (orphan) is not judged.",
		"Item-days count for the team and level each interval had; item counts (items, never correctly owned, time to owner, changes) count for the team and level the item had at the end of its time in the period.",
		"Items are those the sources return today: GitHub sources also read the issues closed since the period began, but items deleted since, and closed Jira issues the source's JQL excludes (statusCategory != Done), are missing from the figures.",
	}
	if len(dated) > 0 {
		var idle []string
		for _, p := range a.opts.Roster.People {
			if len(p.RolesSince) == 1 && sameRoles(p.RolesSince[0].Roles, p.Roles) {
				idle = append(idle, p.ID)
			}
		}
		slices.Sort(idle)
		if len(idle) > 0 {
			notes = append(notes, fmt.Sprintf("roles_since of %s has one entry, equal to the current roles, so it changes nothing: before its date the current roles count too. To date a role change, the earliest entry must state the roles held before.", strings.Join(idle, ", ")))
		}
	}
	if g := a.opts.GracePeriod; g > 0 {
		notes = append(notes, fmt.Sprintf("Grace period %s (audit.grace_period): an item's first %s without an owner are not counted in any figure, and a rule broken for less than %s is left out of the most frequent rules (it still counts against compliance).",
			fmtGrace(g), fmtGrace(g), fmtGrace(g)))
	}
	if n := len(a.closedGuess); n > 0 {
		notes = append(notes, fmt.Sprintf("No close event in the history of %s; the last update stands in for the close time.", markdown.Plural(n, "closed item")))
	}
	notes = append(notes, a.constantNotes(rep)...)
	if a.opts.Now.Before(a.opts.To) {
		notes = append(notes, fmt.Sprintf("The window ends after this run; figures run to %s.", a.opts.Now.UTC().Format(time.RFC3339)))
	}
	if !rep.Complete {
		var bad []string
		for _, s := range rep.Sources {
			if !s.Complete {
				bad = append(bad, s.Name)
			}
		}
		notes = append(notes, incompleteNote(bad))
	}
	return notes
}

// incompleteNote says that the sources named bad were not read completely.
func incompleteNote(bad []string) string {
	return fmt.Sprintf("INCOMPLETE: %s (%s) could not be read completely; these figures are partial.",
		markdown.Plural(len(bad), "source"), strings.Join(bad, ", "))
}

// sameRoles reports whether two role lists hold the same roles.
func sameRoles(x, y []model.Role) bool {
	has := func(list []model.Role, r model.Role) bool {
		for _, v := range list {
			if v == r {
				return true
			}
		}
		return false
	}
	for _, r := range x {
		if !has(y, r) {
			return false
		}
	}
	for _, r := range y {
		if !has(x, r) {
			return false
		}
	}
	return true
}

// constantNotes names the ownership that has no history and was taken as
// constant over the period: on GitHub sources, Projects v2 fields (the REST
// issue events do not record their changes) and drafts (which have no
// events at all). The run stays complete; the note says what was assumed.
func (a *auditor) constantNotes(rep *Report) []string {
	kind := map[string]string{}
	for _, s := range a.opts.Sources {
		kind[s.Name] = s.Kind
	}
	vias := map[string]map[string]bool{} // via → sources
	drafts := map[string]int{}
	for _, it := range rep.Items {
		if kind[it.Source] != string(model.TrackerGitHub) {
			continue
		}
		if !strings.Contains(it.Key, "#") {
			drafts[it.Source]++
		}
		for _, iv := range it.Intervals {
			if strings.HasPrefix(strings.ToLower(iv.Via), "project-field:") {
				if vias[iv.Via] == nil {
					vias[iv.Via] = map[string]bool{}
				}
				vias[iv.Via][it.Source] = true
			}
		}
	}
	var out []string
	for _, via := range slices.Sorted(maps.Keys(vias)) {
		srcs := slices.Sorted(maps.Keys(vias[via]))
		out = append(out, fmt.Sprintf("Ownership from %s has no history on %s (%s): GitHub records no Projects v2 field changes in issue events, so each item's current value is assumed for the whole period.",
			via, markdown.Plural(len(srcs), "source"), strings.Join(srcs, ", ")))
	}
	for _, src := range slices.Sorted(maps.Keys(drafts)) {
		out = append(out, fmt.Sprintf("No history for %s on source %s: the current state (owner, level, team) is assumed for the whole period.", markdown.Plural(drafts[src], "Projects v2 draft"), src))
	}
	return out
}

// compareLast orders last after every other name.
func compareLast(x, y, last string) int {
	switch {
	case x == y || (x != last && y != last):
		return 0
	case x == last:
		return 1
	}
	return -1
}

// fmtGrace is a grace period in days when it is whole days ("7 days"),
// else as a duration.
func fmtGrace(d time.Duration) string {
	if d%Day == 0 {
		if d == Day {
			return "1 day"
		}
		return fmt.Sprintf("%d days", d/Day)
	}
	return d.String()
}

// graceDuration turns GraceDays back into a duration, to the second.
func graceDuration(d float64) time.Duration {
	return time.Duration(math.Round(d*86400)) * time.Second
}

// judgedRules names the rules of the ownership judgement for the notes:
// "OWN001–OWN005, OWN007".
var judgedRules = rules.IDRanges(slices.Sorted(slices.Values(append(rules.IDsIn(model.CategoryOwnership), rules.IDsIn(model.CategoryClassification)...))))
