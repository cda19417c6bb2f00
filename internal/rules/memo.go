package rules

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	celast "cel.dev/cel-go/common/ast"
)

// A condition is a pure function of the item fields it names. Most user
// rules name a handful of low-cardinality fields (level, type, team, owner
// roles, labels), so their results repeat from item to item: the engine keeps
// them per run, keyed by those fields' values, and evaluates CEL only for a
// combination it has not seen. Conditions that name a high-cardinality field
// (key, title, url, assignees, parent.key) or use `item` as a whole are
// always evaluated.

// memoGetters append one field's value to a memo key.
var memoGetters = map[string]func(v *ItemView, b []byte) []byte{
	"source":          func(v *ItemView, b []byte) []byte { return append(b, v.Source...) },
	"tracker":         func(v *ItemView, b []byte) []byte { return append(b, v.Tracker...) },
	"type":            func(v *ItemView, b []byte) []byte { return append(b, v.Type...) },
	"level":           func(v *ItemView, b []byte) []byte { return append(b, v.Level...) },
	"state":           func(v *ItemView, b []byte) []byte { return append(b, v.State...) },
	"labels":          func(v *ItemView, b []byte) []byte { return appendList(b, v.Labels) },
	"repo":            func(v *ItemView, b []byte) []byte { return append(b, v.Repo...) },
	"project":         func(v *ItemView, b []byte) []byte { return append(b, v.Project...) },
	"components":      func(v *ItemView, b []byte) []byte { return appendList(b, v.Components) },
	"milestone":       func(v *ItemView, b []byte) []byte { return append(b, v.Milestone...) },
	"team":            func(v *ItemView, b []byte) []byte { return append(b, v.Team...) },
	"hierarchy_level": func(v *ItemView, b []byte) []byte { return strconv.AppendInt(b, v.HierarchyLevel, 10) },
	"owner.id":        func(v *ItemView, b []byte) []byte { return append(b, v.Owner.ID...) },
	"owner.login":     func(v *ItemView, b []byte) []byte { return append(b, v.Owner.Login...) },
	"owner.name":      func(v *ItemView, b []byte) []byte { return append(b, v.Owner.Name...) },
	"owner.via":       func(v *ItemView, b []byte) []byte { return append(b, v.Owner.Via...) },
	"owner.roles":     func(v *ItemView, b []byte) []byte { return appendList(b, v.Owner.Roles) },
	"owner.in_roster": func(v *ItemView, b []byte) []byte { return strconv.AppendBool(b, v.Owner.InRoster) },
	"owner.inactive":  func(v *ItemView, b []byte) []byte { return strconv.AppendBool(b, v.Owner.Inactive) },
	"owner.present":   func(v *ItemView, b []byte) []byte { return strconv.AppendBool(b, v.Owner.Present) },
	"parent.level":    func(v *ItemView, b []byte) []byte { return append(b, v.Parent.Level...) },
	"parent.type":     func(v *ItemView, b []byte) []byte { return append(b, v.Parent.Type...) },
}

func appendList(b []byte, l []string) []byte {
	for i, s := range l {
		if i > 0 {
			b = append(b, 1)
		}
		b = append(b, s...)
	}
	return b
}

// classGetters read high-cardinality fields. A condition that only compares
// such a field with string literals (item.parent.key != "") depends on it
// only through which literal it equals, so the key holds that instead.
var classGetters = map[string]func(v *ItemView) string{
	"key":        func(v *ItemView) string { return v.Key },
	"title":      func(v *ItemView) string { return v.Title },
	"url":        func(v *ItemView) string { return v.URL },
	"parent.key": func(v *ItemView) string { return v.Parent.Key },
}

// memoLimit bounds the results kept per rule and run; past it a rule is
// evaluated without keeping more.
const memoLimit = 4096

// memoPlan returns the getters of the fields a checked condition names, or
// nil when its result cannot be keyed by them.
func memoPlan(expr celast.Expr) []func(*ItemView, []byte) []byte {
	u := collectFieldUses(expr)
	if u.items == 0 || u.items != u.selected {
		return nil // `item` used as a whole, or no field at all
	}
	var plan []func(*ItemView, []byte) []byte
	for _, p := range u.leaves() {
		g, ok := u.keyPart(p)
		if !ok {
			return nil
		}
		plan = append(plan, g)
	}
	return plan
}

// fieldUses is what a condition does with `item`.
type fieldUses struct {
	// items counts the mentions of `item`, selected those that are the
	// operand of a field selection: when they differ, `item` is used as
	// a whole.
	items, selected int
	// nodes are the IDs of the select nodes naming each field path.
	nodes map[string][]int64
	// compared are the select nodes compared (== or !=) with a string
	// literal, and literals the literals each path is compared with.
	compared map[int64]bool
	literals map[string][]string
}

// collectFieldUses walks expr and records its uses of `item`.
func collectFieldUses(expr celast.Expr) *fieldUses {
	u := &fieldUses{nodes: map[string][]int64{}, compared: map[int64]bool{}, literals: map[string][]string{}}
	celast.PreOrderVisit(expr, celast.NewExprVisitor(func(e celast.Expr) {
		switch e.Kind() {
		case celast.IdentKind:
			if e.AsIdent() == "item" {
				u.items++
			}
		case celast.SelectKind:
			u.noteSelect(e)
		case celast.CallKind:
			u.noteComparison(e.AsCall())
		}
	}))
	return u
}

// noteSelect records a field selection on `item` (item.owner.roles).
func (u *fieldUses) noteSelect(e celast.Expr) {
	p, ok := itemPath(e)
	if !ok {
		return
	}
	u.nodes[p] = append(u.nodes[p], e.ID())
	if e.AsSelect().Operand().Kind() == celast.IdentKind {
		u.selected++
	}
}

// noteComparison records the item fields that c compares for equality
// with a string literal (item.level == "epic", "bug" != item.type).
func (u *fieldUses) noteComparison(c celast.CallExpr) {
	if (c.FunctionName() != "_==_" && c.FunctionName() != "_!=_") || len(c.Args()) != 2 {
		return
	}
	for i, arg := range c.Args() {
		other := c.Args()[1-i]
		if arg.Kind() != celast.SelectKind || other.Kind() != celast.LiteralKind {
			continue
		}
		lit, ok := other.AsLiteral().Value().(string)
		p, isPath := itemPath(arg)
		if ok && isPath {
			u.compared[arg.ID()] = true
			u.literals[p] = append(u.literals[p], lit)
		}
	}
}

// leaves are the field paths no other named path extends (item.owner.roles
// but not item.owner), sorted: the fields a memo key is made of.
func (u *fieldUses) leaves() []string {
	var leaves []string
	for p := range u.nodes {
		leaf := true
		for q := range u.nodes {
			if q != p && strings.HasPrefix(q, p+".") {
				leaf = false
			}
		}
		if leaf {
			leaves = append(leaves, p)
		}
	}
	sort.Strings(leaves)
	return leaves
}

// keyPart returns the getter that appends field p's part of a memo key. A
// low-cardinality field appends its value. A high-cardinality one (a
// classGetters field such as title) may only be compared with literals:
// it appends which literal it equals, or "-" for none. It fails for any
// other field or use.
func (u *fieldUses) keyPart(p string) (func(*ItemView, []byte) []byte, bool) {
	if g, ok := memoGetters[p]; ok {
		return g, true
	}
	get, ok := classGetters[p]
	if !ok {
		return nil, false
	}
	for _, id := range u.nodes[p] {
		if !u.compared[id] {
			return nil, false // used other than in a comparison with a literal
		}
	}
	lits := u.literals[p]
	return func(v *ItemView, b []byte) []byte {
		if i := slices.Index(lits, get(v)); i >= 0 {
			return strconv.AppendInt(b, int64(i), 10)
		}
		return append(b, '-')
	}, true
}

// itemPath is "owner.roles" for the select chain item.owner.roles.
func itemPath(e celast.Expr) (string, bool) {
	var parts []string
	for e.Kind() == celast.SelectKind {
		s := e.AsSelect()
		if s.IsTestOnly() {
			return "", false
		}
		parts = append(parts, s.FieldName())
		e = s.Operand()
	}
	if e.Kind() != celast.IdentKind || e.AsIdent() != "item" {
		return "", false
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "."), true
}

// memoKey builds the key of v for plan into buf.
func memoKey(buf []byte, plan []func(*ItemView, []byte) []byte, v *ItemView) []byte {
	buf = buf[:0]
	for _, g := range plan {
		buf = g(v, buf)
		buf = append(buf, 0)
	}
	return buf
}
