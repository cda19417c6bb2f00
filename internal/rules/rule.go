// Package rules holds pomlint's built-in rules, one file per rule with its own
// documentation, and the loader for user rules written in CEL.
//
// A rule looks at one item — already classified, with its owner and team
// resolved — and emits findings. Rules know the model and nothing about
// trackers.
package rules

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"cel.dev/cel-go/interpreter"

	"github.com/pomlint/pomlint/internal/model"
)

// Rule is one check.
type Rule interface {
	// Doc is the rule's documentation and default severity.
	Doc() model.RuleDoc
	// Check inspects one item and calls emit for each violation. An error
	// means the rule itself failed (a user rule that cannot be evaluated);
	// the run stops rather than skip the rule silently.
	Check(c *Context, it *model.Item, emit func(model.Finding)) error
}

// Context is what rules may consult besides the item.
type Context struct {
	Roster *model.Roster
	// Parent returns the parent of it among all items read (closed ones
	// included), or nil when it has none or the parent was not read.
	Parent func(it *model.Item) *model.Item
	// Exceptions are the configured exceptions, for OWN008.
	Exceptions []Exception
	// Now is the run's time, for expiry checks.
	Now time.Time
	// Ctx is the run's context: a user rule's evaluation stops when it
	// ends (nil means never).
	Ctx context.Context

	// The variables of the item user rules were last evaluated on, so that
	// several user rules share one build per item. A Context is used by one
	// goroutine at a time.
	ownerFor, parentFor *model.Item
	ownerOf             *model.Person
	parentOf            *model.Item

	// The ownership judgement of the item the built-in rules last judged.
	judgedFor *model.Item
	judged    Judgement

	memo    map[*customRule]map[string]bool
	memoBuf []byte

	viewFor *model.Item
	view    *ItemView
	act     interpreter.Activation
}

// Exception is a parsed config exception.
type Exception struct {
	Index   int // position in the config, for messages and line lookups
	Rule    string
	Item    string
	Source  string // "" = any source
	Reason  string
	Expires time.Time // zero = never
}

// Matches reports whether the exception applies to rule on item of source.
func (e *Exception) Matches(rule, source, item string) bool {
	return e.Rule == rule && e.Item == item && (e.Source == "" || e.Source == source)
}

// Expired reports whether the exception's expiry date has passed at now. An
// exception is valid through the whole of its expiry day (UTC).
func (e *Exception) Expired(now time.Time) bool {
	return !e.Expires.IsZero() && now.UTC().After(e.Expires.Add(24*time.Hour-time.Nanosecond))
}

// Builtin returns the built-in rules, sorted by ID. Each call returns fresh
// values.
func Builtin() []Rule {
	return []Rule{
		strategicOwnedByNonPM{},
		tacticalOwnedByNonPO{},
		missingOwner{},
		ownerNotInRoster{},
		unclassifiedItem{},
		orphanBacklogItem{},
		ownerOutsideTeam{},
		expiredException{},
	}
}

// Docs returns the documentation of rs, sorted by ID.
func Docs(rs []Rule) []model.RuleDoc {
	out := make([]model.RuleDoc, len(rs))
	for i, r := range rs {
		out[i] = r.Doc()
	}
	slices.SortFunc(out, func(x, y model.RuleDoc) int { return cmp.Compare(x.ID, y.ID) })
	return out
}

// NewFinding starts a finding of rule doc on item it with the rule's default
// severity, the item's facts and the stable fingerprint.
func NewFinding(doc model.RuleDoc, it *model.Item, msg string) model.Finding {
	f := model.Finding{
		Rule:        doc.ID,
		Name:        doc.Name,
		Severity:    doc.Severity,
		Source:      it.Source,
		Item:        it.Key,
		URL:         it.URL,
		Title:       it.Title,
		Level:       it.Level,
		Team:        it.Team,
		Message:     msg,
		Fingerprint: model.Fingerprint(doc.ID, it.Source, it.Key),
	}
	if it.Owner != nil {
		f.Owner = it.Owner.PersonID
		if f.Owner == "" {
			f.Owner = it.Owner.Account.String()
		}
	}
	return f
}

// suggestOwner fills the suggested owner from the item's team: its product manager
// for strategic items, its product owner for tactical ones.
func suggestOwner(c *Context, it *model.Item, f *model.Finding) {
	t := c.Roster.Team(it.Team)
	if t == nil {
		return
	}
	switch it.Level {
	case model.LevelStrategic:
		f.SuggestedOwner = t.ProductManager
	case model.LevelTactical:
		f.SuggestedOwner = t.ProductOwner
	}
	if f.SuggestedOwner != "" && f.SuggestedOwner == f.Owner {
		f.SuggestedOwner = ""
	}
}

// owner returns the roster person owning it, or nil. Several rules ask for
// the same item's owner in turn, so the last answer is kept.
func owner(c *Context, it *model.Item) *model.Person {
	if it.Owner == nil || it.Owner.PersonID == "" {
		return nil
	}
	if c.ownerFor == it {
		return c.ownerOf
	}
	c.ownerFor, c.ownerOf = it, c.Roster.Person(it.Owner.PersonID)
	return c.ownerOf
}

// parent is c.Parent(it), keeping the last answer for the same reason.
func parent(c *Context, it *model.Item) *model.Item {
	if c.Parent == nil {
		return nil
	}
	if c.parentFor == it {
		return c.parentOf
	}
	c.parentFor, c.parentOf = it, c.Parent(it)
	return c.parentOf
}

func rolesOf(p *model.Person) string {
	if len(p.Roles) == 0 {
		return "no role"
	}
	s := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

func via(it *model.Item) string {
	if it.Owner == nil {
		return ""
	}
	return fmt.Sprintf(", via %s", it.Owner.Via)
}
