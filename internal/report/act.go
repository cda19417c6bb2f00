package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/pomlint/pomlint/internal/model"
)

// People names the people a result mentions by display name: a roster
// person's name, else the name the tracker shows for the account (Jira
// displayName), else the handle itself.
type People struct {
	roster *model.Roster
	// byItem holds each in-scope item's owner account, by source and key.
	byItem map[string]*model.Owner
}

// NewPeople indexes r's items for owner names.
func NewPeople(r *model.Result) *People {
	p := &People{roster: r.Roster, byItem: make(map[string]*model.Owner, len(r.Items))}
	for i := range r.Items {
		if o := r.Items[i].Owner; o != nil {
			p.byItem[r.Items[i].Source+"\x00"+r.Items[i].Key] = o
		}
	}
	return p
}

// Name is the display name of roster id or handle id ("" stays "").
func (p *People) Name(id string) string {
	if id == "" {
		return ""
	}
	if per := p.roster.Person(id); per != nil && per.Name != "" {
		return per.Name
	}
	return id
}

// Owner is the display name of f's owner, "" when the item has none.
func (p *People) Owner(f *model.Finding) string {
	if f.Owner == "" {
		return ""
	}
	if per := p.roster.Person(f.Owner); per != nil {
		return p.Name(f.Owner)
	}
	if o := p.byItem[f.Source+"\x00"+f.Item]; o != nil && o.Account.Name != "" && !strings.EqualFold(o.Account.Name, f.Owner) {
		return o.Account.Name
	}
	return f.Owner
}

// Actor is one person (or nobody) who must act on counted findings: the
// owner of the items, or for unowned items the suggested owner.
type Actor struct {
	// Name is the display name; ID the roster id or handle ("" for the
	// group of unowned items nobody is suggested for).
	Name, ID string
	// Errors, Warnings and Notes count the counted findings.
	Errors, Warnings, Notes int
	// Items are the items, worst first, each with its findings.
	Items []ActorItem
}

// ActorItem is one item an actor must act on.
type ActorItem struct {
	Source, Key, URL, Title string
	// Suggested says the actor is the suggested owner of an unowned item,
	// not its owner.
	Suggested bool
	Worst     model.Severity
	Rules     []string
}

// Findings is the actor's counted findings.
func (a Actor) Findings() int { return a.Errors + a.Warnings + a.Notes }

// Nobody names the group of unowned items with no suggested owner.
const Nobody = "nobody (no owner, no suggestion)"

// WhoMustAct groups the counted (not baselined) findings by the person who
// must act: the owner, or the suggested owner of an unowned item. Actors
// come most errors first, then most warnings, notes, and by name; the
// unowned group with no suggestion comes last.
func WhoMustAct(r *model.Result, people *People) []Actor {
	idx := map[string]int{}
	var out []Actor
	itemIdx := map[string]int{} // actor + item → index in Items
	// An unowned item goes to the first suggestion any of its findings
	// makes, so that all its findings land with one person.
	suggestion := map[string]string{}
	for i := range r.Findings {
		f := &r.Findings[i]
		k := f.Source + "\x00" + f.Item
		if f.Suppressed == "" && f.Owner == "" && f.SuggestedOwner != "" && suggestion[k] == "" {
			suggestion[k] = f.SuggestedOwner
		}
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Suppressed != "" {
			continue
		}
		id, suggested := f.Owner, false
		if id == "" {
			id = suggestion[f.Source+"\x00"+f.Item]
			suggested = id != ""
		}
		k, ok := idx[id]
		if !ok {
			name := Nobody
			if id != "" {
				name = people.Owner(f)
				if suggested {
					name = people.Name(id)
				}
			}
			k = len(out)
			idx[id] = k
			out = append(out, Actor{Name: name, ID: id})
		}
		a := &out[k]
		switch f.Severity {
		case model.SeverityError:
			a.Errors++
		case model.SeverityWarning:
			a.Warnings++
		default:
			a.Notes++
		}
		ik := id + "\x00" + f.Source + "\x00" + f.Item
		j, ok := itemIdx[ik]
		if !ok {
			j = len(a.Items)
			itemIdx[ik] = j
			a.Items = append(a.Items, ActorItem{Source: f.Source, Key: f.Item, URL: f.URL, Title: f.Title, Suggested: suggested})
		}
		it := &a.Items[j]
		if f.Severity > it.Worst {
			it.Worst = f.Severity
		}
		it.Rules = append(it.Rules, f.Rule)
	}
	for i := range out {
		slices.SortStableFunc(out[i].Items, func(x, y ActorItem) int { return cmp.Compare(y.Worst, x.Worst) })
	}
	slices.SortStableFunc(out, func(x, y Actor) int {
		// Unknown people (no roster id) last.
		return cmp.Or(cmp.Compare(boolRank(x.ID == ""), boolRank(y.ID == "")),
			cmp.Compare(y.Errors, x.Errors), cmp.Compare(y.Warnings, x.Warnings), cmp.Compare(y.Notes, x.Notes),
			cmp.Compare(x.Name, y.Name))
	})
	return out
}

// BySeverity returns findings ordered by severity first (counted findings
// error → note, then baselined ones), keeping the source, item, rule order
// within a severity.
func BySeverity(findings []model.Finding) []model.Finding {
	out := slices.Clone(findings)
	rank := func(f model.Finding) int {
		if f.Suppressed != "" {
			return -1
		}
		return int(f.Severity)
	}
	slices.SortStableFunc(out, func(x, y model.Finding) int { return cmp.Compare(rank(y), rank(x)) })
	return out
}

// worstCounted is the most serious counted severity of an item's findings,
// SeverityNone when all are baselined.
func worstCounted(g ItemFindings) model.Severity {
	w := model.SeverityNone
	for _, f := range g.Findings {
		if f.Suppressed == "" && f.Severity > w {
			w = f.Severity
		}
	}
	return w
}

// OwnedShare is the share of items correctly owned over every team, and
// whether there were items at all.
func (s Stats) OwnedShare() (share float64, owned, items int) {
	for _, t := range s.Teams {
		owned += t.CorrectlyOwned
		items += t.Items
	}
	if items == 0 {
		return 0, 0, 0
	}
	return float64(owned) / float64(items), owned, items
}

// ShareClass is how good a correctly-owned share is, for colours: "ok" from
// 80 %, "warning" from 50 %, else "error".
func ShareClass(share float64) string {
	switch {
	case share >= 0.8:
		return "ok"
	case share >= 0.5:
		return "warning"
	}
	return "error"
}

// Trend compares a run with an earlier one: a baseline file or a snapshot.
type Trend struct {
	// Against says what the run is compared with, for the header:
	// "baseline .pomlint-baseline.json" or "snapshot prev.json (2026-11-20)".
	Against string
	// New are findings the earlier run did not have, Fixed findings it had
	// that are gone, Unchanged findings in both.
	New, Fixed, Unchanged int
	// Then is the earlier run's correctly-owned share; nil when the earlier
	// run holds no items (a baseline lists findings only).
	Then *float64
	// isNew holds the fingerprints of the new findings, for marking them.
	isNew map[string]bool
}

// IsNew reports whether f is new since the earlier run.
func (t *Trend) IsNew(f model.Finding) bool { return t != nil && t.isNew[f.Identity()] }

// TrendFromBaseline compares r with the baseline it was run with: counted
// findings are new, baselined ones unchanged, stale entries fixed. A
// baseline holds no items, so the share then is unknown.
func TrendFromBaseline(name string, r *model.Result) *Trend {
	t := &Trend{Against: "baseline " + name, Fixed: len(r.StaleBaseline), isNew: map[string]bool{}}
	for _, f := range r.Findings {
		if f.Suppressed != "" {
			t.Unchanged++
		} else {
			t.New++
			t.isNew[f.Identity()] = true
		}
	}
	return t
}

// TrendFromSnapshot compares r with an earlier snapshot by fingerprint,
// and computes the snapshot's correctly-owned share the way r's is.
func TrendFromSnapshot(name string, prev *model.Snapshot, r *model.Result) *Trend {
	t := &Trend{Against: "snapshot " + name, isNew: map[string]bool{}}
	if !prev.GeneratedAt.IsZero() {
		t.Against += " (" + prev.GeneratedAt.UTC().Format("2006-01-02") + ")"
	}
	before := map[string]bool{}
	for _, f := range prev.Findings {
		before[f.Identity()] = true
	}
	now := map[string]bool{}
	for _, f := range r.Findings {
		fp := f.Identity()
		now[fp] = true
		if before[fp] {
			t.Unchanged++
		} else {
			t.New++
			t.isNew[fp] = true
		}
	}
	for fp := range before {
		if !now[fp] {
			t.Fixed++
		}
	}
	old := Summarise(&model.Result{Sources: prev.Sources, Items: prev.Items, Roster: prev.Roster, Findings: prev.Findings})
	if share, _, items := old.OwnedShare(); items > 0 {
		t.Then = &share
	}
	return t
}

// TrendLine is the trend in words: "vs snapshot a.json: 3 new, 2 fixed,
// 10 unchanged; correctly owned 70% → 77%".
func TrendLine(t *Trend, s Stats) string {
	share, _, items := s.OwnedShare()
	nowText := "–"
	if items > 0 {
		nowText = fmt.Sprintf("%.0f%%", 100*share)
	}
	thenText := "– (a baseline holds no items)"
	if t.Then != nil {
		thenText = fmt.Sprintf("%.0f%%", 100**t.Then)
	}
	return fmt.Sprintf("vs %s: %d new, %d fixed, %d unchanged; correctly owned %s then, %s now",
		t.Against, t.New, t.Fixed, t.Unchanged, thenText, nowText)
}

// boolRank is 1 for true, 0 for false, to sort by a condition.
func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
