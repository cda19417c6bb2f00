package rules

import (
	"strconv"
	"strings"
	"time"

	"github.com/pomlint/pomlint/internal/model"
)

// The IDs of the rules the ownership judgement decides. Reports and the
// audit name rules by category (model.RuleDoc.Category), not by these.
const (
	IDStrategicOwnedByNonPM = "OWN001"
	IDTacticalOwnedByNonPO  = "OWN002"
	IDMissingOwner          = "OWN003"
	IDOwnerNotInRoster      = "OWN004"
	IDUnclassifiedItem      = "OWN005"
	IDOrphanBacklogItem     = "OWN006"
	IDOwnerOutsideTeam      = "OWN007"
	IDExpiredException      = "OWN008"
)

// Holding is what the ownership judgement looks at: one item's level, team
// and owner at one moment.
type Holding struct {
	Level model.Level
	// Team is the item's team, "" when it matched none.
	Team string
	// Owner is the resolved owner, nil when nobody owns the item.
	Owner *model.Owner
	// At is the moment judged: the owner holds the roles the roster dates
	// for At (Person.RolesAt). The zero time judges today's roles
	// (Person.Roles), as lint does.
	At time.Time
}

// Judgement is the verdict on one Holding.
type Judgement struct {
	breaches [2]string // at most two rules fire together, see JudgeOwnership
	n        int
	// Person is the roster person owning the item, nil when the owner is
	// not in the roster or nobody owns it.
	Person *model.Person
	// Want is the team's product owner (tactical) or product manager
	// (strategic) when the owner holds the right role but is not them
	// (OWN007).
	Want string
}

// OK reports whether the item is correctly owned: it breaks no rule.
func (j Judgement) OK() bool { return j.n == 0 }

// Rule is the first rule broken in precedence order, "" when correctly
// owned. The audit files each stretch of an item's life under it.
func (j Judgement) Rule() string {
	if j.n == 0 {
		return ""
	}
	return j.breaches[0]
}

// Breaches are every rule broken, in precedence order. Lint reports each.
func (j Judgement) Breaches() []string { return j.breaches[:j.n:j.n] }

// Breaks reports whether the judgement breaks rule id.
func (j Judgement) Breaks(id string) bool {
	for _, b := range j.breaches[:j.n] {
		if b == id {
			return true
		}
	}
	return false
}

func (j *Judgement) add(id string) {
	j.breaches[j.n] = id
	j.n++
}

// JudgeOwnership is pomlint's one definition of "correctly owned": the
// built-in ownership rules (OWN001–OWN004, OWN007) and the classification
// rule (OWN005) check it for lint, the audit judges every stretch of an
// item's history with it, and the reports count an item as correctly
// owned when none of those rules fired on it.
//
// Precedence, the order of Breaches:
//
//  1. OWN003: nobody owns the item;
//  2. OWN004: the owner matches no roster person (an owner whose roster
//     id the roster does not know included), or the tracker reports the
//     owner's account inactive (a roster person included);
//  3. OWN005: the level is neither strategic nor tactical;
//  4. OWN001 / OWN002: a roster owner without the role the level needs
//     (product manager for strategic, product owner for tactical);
//  5. OWN007: the right role, but the item's team has another product
//     owner or manager.
//
// At most two fire together: OWN003 or OWN004 with OWN005, or an inactive
// roster owner's OWN004 with one of OWN001, OWN002, OWN007.
func JudgeOwnership(roster *model.Roster, h Holding) Judgement {
	var j Judgement
	o := h.Owner
	if o != nil && o.PersonID != "" {
		j.Person = roster.Person(o.PersonID)
	}
	switch {
	case o == nil:
		j.add(IDMissingOwner)
	case j.Person == nil || o.Account.Inactive:
		j.add(IDOwnerNotInRoster)
	}
	need := model.RoleFor(h.Level)
	if need == "" {
		j.add(IDUnclassifiedItem)
		return j
	}
	p := j.Person
	if p == nil {
		return j
	}
	if !holds(p, need, h.At) {
		if need == model.RoleProductManager {
			j.add(IDStrategicOwnedByNonPM)
		} else {
			j.add(IDTacticalOwnedByNonPO)
		}
		return j
	}
	if h.Team == "" {
		return j
	}
	if t := roster.Team(h.Team); t != nil {
		want := t.ProductOwner
		if need == model.RoleProductManager {
			want = t.ProductManager
		}
		if want != "" && want != p.ID {
			j.Want = want
			j.add(IDOwnerOutsideTeam)
		}
	}
	return j
}

// holds reports whether p holds role at t (today's roles at the zero time).
func holds(p *model.Person, role model.Role, t time.Time) bool {
	if t.IsZero() {
		return p.HasRole(role)
	}
	for _, r := range p.RolesAt(t) {
		if r == role {
			return true
		}
	}
	return false
}

// judge is JudgeOwnership of it today. Several rules ask for the same
// item's judgement in turn, so the last answer is kept.
func judge(c *Context, it *model.Item) *Judgement {
	if c.judgedFor != it {
		c.judgedFor = it
		c.judged = JudgeOwnership(c.Roster, Holding{Level: it.Level, Team: it.Team, Owner: it.Owner})
	}
	return &c.judged
}

// BuiltinDoc returns the documentation of the built-in rule id.
func BuiltinDoc(id string) (model.RuleDoc, bool) {
	for _, r := range Builtin() {
		if d := r.Doc(); d.ID == id {
			return d, true
		}
	}
	return model.RuleDoc{}, false
}

// Category is the category of the built-in rule id, "" for any other rule.
func Category(id string) model.Category {
	d, _ := BuiltinDoc(id)
	return d.Category
}

// IDsIn returns the IDs of the built-in rules of category c, sorted.
func IDsIn(c model.Category) []string {
	var ids []string
	for _, d := range Docs(Builtin()) {
		if d.Category == c {
			ids = append(ids, d.ID)
		}
	}
	return ids
}

// IDRanges writes sorted rule IDs with runs of consecutive numbers as
// ranges: "OWN001–OWN004, OWN007".
func IDRanges(ids []string) string {
	num := func(id string) (string, int, bool) {
		i := strings.IndexFunc(id, func(r rune) bool { return r >= '0' && r <= '9' })
		if i < 0 {
			return id, 0, false
		}
		n, err := strconv.Atoi(id[i:])
		return id[:i], n, err == nil
	}
	var parts []string
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) {
			p, n, ok := num(ids[j])
			q, m, ok2 := num(ids[j+1])
			if !ok || !ok2 || p != q || m != n+1 {
				break
			}
			j++
		}
		switch {
		case j == i:
			parts = append(parts, ids[i])
		case j == i+1:
			parts = append(parts, ids[i], ids[j])
		default:
			parts = append(parts, ids[i]+"–"+ids[j])
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
