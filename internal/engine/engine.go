// Package engine runs the rules over classified items and passes the raw
// findings through one post-processing pipeline: exceptions, severity
// overrides, baseline, ordering. The same input always gives the same output.
package engine

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/rules"
)

// Options configure one run.
type Options struct {
	// Rules are the active rules (disabled ones already left out).
	Rules []rules.Rule
	// Severity overrides default severities by rule ID.
	Severity map[string]model.Severity
	// Exceptions suppress single findings until they expire.
	Exceptions []rules.Exception
	// Baseline marks accepted findings; nil means no baseline.
	Baseline *Baseline
	Roster   *model.Roster
	Now      time.Time
	// LintClosed says whether closed items of a source are linted; closed
	// items are otherwise out of scope (but still serve as parents).
	LintClosed func(source string) bool
	// Partial says the items are not everything the config covers (some
	// sources were left out with --source, or could not be read): an
	// exception for an item that is not there is then not reported as
	// unused, since its item may simply not have been read.
	Partial bool
}

// Output is what a run found.
type Output struct {
	Findings         []model.Finding
	UnusedExceptions []model.UnusedException
	StaleBaseline    []model.BaselineEntry
	// Linted is the number of items the rules looked at.
	Linted int
}

// Run checks every in-scope item with every rule, then applies the pipeline.
// It stops with ctx.Err() when ctx is cancelled and with the rule's error when
// a rule fails (a user rule that cannot be evaluated is never skipped).
func Run(ctx context.Context, items []model.Item, o Options) (*Output, error) {
	idx := newIndex(items)
	rc := &rules.Context{
		Roster:     o.Roster,
		Parent:     idx.parent,
		Exceptions: o.Exceptions,
		Now:        o.Now,
		Ctx:        ctx,
	}
	st := &state{opts: &o}
	emit := func(f model.Finding) { st.findings = append(st.findings, f) }
	for i := range items {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		it := &items[i]
		if it.Closed && (o.LintClosed == nil || !o.LintClosed(it.Source)) {
			continue
		}
		st.linted++
		for _, r := range o.Rules {
			if err := r.Check(rc, it, emit); err != nil {
				return nil, err
			}
		}
	}
	if o.Partial && len(o.Exceptions) > 0 {
		st.present = make(map[string]bool, len(items))
		for i := range items {
			st.present[items[i].Key] = true
		}
	}
	for _, step := range Pipeline {
		if err := step.Apply(st); err != nil {
			return nil, fmt.Errorf("%s: %w", step.Name, err)
		}
	}
	return &Output{Findings: st.findings, UnusedExceptions: st.unused, StaleBaseline: st.stale, Linted: st.linted}, nil
}

// state is what the pipeline steps work on.
type state struct {
	opts     *Options
	findings []model.Finding
	unused   []model.UnusedException
	stale    []model.BaselineEntry
	linted   int
	present  map[string]bool // item keys read, closed ones included
}

// Step is one post-rule processing stage.
type Step struct {
	Name  string
	Apply func(*state) error
}

// Pipeline is the fixed order of post-rule steps: exceptions see default
// severities and rule IDs; severity overrides come before the baseline so a
// baselined finding keeps its configured severity; sorting is last.
var Pipeline = []Step{
	{"apply exceptions", applyExceptions},
	{"apply severity overrides", applySeverities},
	{"apply baseline", applyBaseline},
	{"sort findings", sortFindings},
}

// applyExceptions drops findings an unexpired exception covers. An expired
// exception no longer suppresses (OWN008 reports it). Exceptions that cover
// nothing are reported as unused, so stale ones get cleaned up.
func applyExceptions(st *state) error {
	exc := st.opts.Exceptions
	if len(exc) == 0 {
		return nil
	}
	used := make([]bool, len(exc))
	kept := st.findings[:0]
	for _, f := range st.findings {
		suppressed := false
		for i := range exc {
			e := &exc[i]
			if !e.Matches(f.Rule, f.Source, f.Item) {
				continue
			}
			used[i] = true
			if !e.Expired(st.opts.Now) {
				suppressed = true
			}
		}
		if !suppressed {
			kept = append(kept, f)
		}
	}
	st.findings = kept
	for i, e := range exc {
		if used[i] || (st.opts.Partial && !st.present[e.Item]) {
			continue
		}
		u := model.UnusedException{Rule: e.Rule, Item: e.Item, Source: e.Source, Reason: e.Reason,
			Message: fmt.Sprintf("exceptions[%d] (%s on %s) matches no finding; remove it", e.Index, e.Rule, e.Item)}
		if !e.Expires.IsZero() {
			u.Expires = e.Expires.Format("2006-01-02")
		}
		st.unused = append(st.unused, u)
	}
	return nil
}

func applySeverities(st *state) error {
	if len(st.opts.Severity) == 0 {
		return nil
	}
	for i := range st.findings {
		if s, ok := st.opts.Severity[st.findings[i].Rule]; ok {
			st.findings[i].Severity = s
		}
	}
	return nil
}

func applyBaseline(st *state) error {
	b := st.opts.Baseline
	if b == nil {
		return nil
	}
	matched := make(map[string]bool, len(b.Entries))
	known := b.index()
	for i := range st.findings {
		f := &st.findings[i]
		if known[f.Fingerprint] {
			f.Suppressed = "baseline"
			matched[f.Fingerprint] = true
		}
	}
	for _, e := range b.Entries {
		if !matched[e.Fingerprint] {
			st.stale = append(st.stale, e)
		}
	}
	return nil
}

func sortFindings(st *state) error {
	sort.SliceStable(st.findings, func(i, j int) bool { return st.findings[i].Less(&st.findings[j]) })
	sort.SliceStable(st.stale, func(i, j int) bool { return st.stale[i].Less(st.stale[j]) })
	return nil
}

// index finds parents by key, preferring the child's own source. Keys are
// unique within a source and almost always across sources, so one map holds
// the first item per key and a second, usually empty, holds the others.
type index struct {
	byKey  map[string]*model.Item
	others map[string][]*model.Item
}

func newIndex(items []model.Item) *index {
	x := &index{byKey: make(map[string]*model.Item, len(items))}
	for i := range items {
		it := &items[i]
		if _, ok := x.byKey[it.Key]; !ok {
			x.byKey[it.Key] = it
			continue
		}
		if x.others == nil {
			x.others = map[string][]*model.Item{}
		}
		x.others[it.Key] = append(x.others[it.Key], it)
	}
	return x
}

func (x *index) parent(it *model.Item) *model.Item {
	if it.Parent == "" {
		return nil
	}
	p := x.byKey[it.Parent]
	if p == nil || p.Source == it.Source {
		return p
	}
	for _, o := range x.others[it.Parent] {
		if o.Source == it.Source {
			return o
		}
	}
	return p
}
