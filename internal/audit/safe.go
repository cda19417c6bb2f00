package audit

import (
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/report"
)

// visibleReport returns a copy of rep for the HTML report, with every string
// a tracker or the config wrote (titles, keys, logins, names, URLs, source
// errors, notes that quote them) shown as the lint HTML report shows it:
// report.VisibleText. A page would hide control characters, and on standard
// output they would reach a CI log. rep itself is not changed.
func visibleReport(rep *Report) *Report {
	clean := report.VisibleText
	out := *rep
	out.Sources = mapEach(rep.Sources, func(s model.SourceStatus) model.SourceStatus {
		s.Name, s.Kind, s.Error = clean(s.Name), clean(s.Kind), clean(s.Error)
		return s
	})
	out.Current, out.Previous = visiblePeriod(rep.Current), visiblePeriod(rep.Previous)
	if rep.Diff != nil {
		d := *rep.Diff
		name := func(f DiffFigures) DiffFigures { f.Name = clean(f.Name); return f }
		d.Overall = name(d.Overall)
		d.Teams, d.Levels = mapEach(d.Teams, name), mapEach(d.Levels, name)
		out.Diff = &d
	}
	out.Items = mapEach(rep.Items, visibleItem)
	out.Notes = mapEach(rep.Notes, clean)
	return &out
}

func visiblePeriod(p *Period) *Period {
	if p == nil {
		return nil
	}
	out := *p
	out.Overall = visibleFigures(p.Overall)
	out.Teams, out.Levels = mapEach(p.Teams, visibleFigures), mapEach(p.Levels, visibleFigures)
	return &out
}

func visibleFigures(f Figures) Figures {
	clean := report.VisibleText
	f.Name = clean(f.Name)
	f.Rules = mapEach(f.Rules, func(r RuleCount) RuleCount { r.Rule, r.Name = clean(r.Rule), clean(r.Name); return r })
	f.Owners = mapEach(f.Owners, func(o OwnerCount) OwnerCount { o.Owner, o.Name = clean(o.Owner), clean(o.Name); return o })
	f.Holders = mapEach(f.Holders, func(h HolderCount) HolderCount { h.Owner, h.Name = clean(h.Owner), clean(h.Name); return h })
	return f
}

func visibleItem(it ItemReport) ItemReport {
	clean := report.VisibleText
	it.Source, it.Key, it.Title, it.URL = clean(it.Source), clean(it.Key), clean(it.Title), clean(it.URL)
	it.Team, it.Level, it.Owner, it.OwnerName = clean(it.Team), clean(it.Level), clean(it.Owner), clean(it.OwnerName)
	it.Rules = mapEach(it.Rules, clean)
	it.Intervals = mapEach(it.Intervals, func(iv Interval) Interval {
		iv.Owner, iv.Via, iv.Team, iv.Level, iv.Rule = clean(iv.Owner), clean(iv.Via), clean(iv.Team), clean(iv.Level), clean(iv.Rule)
		return iv
	})
	return it
}

// mapEach returns a new slice of f applied to every element of s (nil for
// nil, so that JSON and templates see the same emptiness).
func mapEach[T any](s []T, f func(T) T) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}
