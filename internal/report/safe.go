package report

import (
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/safetext"
)

// terminalSafe returns a copy of r whose tracker-written text (titles,
// keys, logins, team and type names, URLs, messages that quote them, and
// server error text) is safe to print on a terminal or in a CI log: see
// package safetext. r itself is not changed.
func terminalSafe(r *model.Result) *model.Result {
	out := *r
	line := safetext.Line
	out.Sources = make([]model.SourceStatus, len(r.Sources))
	for i, s := range r.Sources {
		s.Name, s.Kind, s.Error = line(s.Name), line(s.Kind), line(s.Error)
		out.Sources[i] = s
	}
	out.Findings = make([]model.Finding, len(r.Findings))
	for i, f := range r.Findings {
		f.Source, f.Item, f.Title, f.URL = line(f.Source), line(f.Item), line(f.Title), line(f.URL)
		f.Owner, f.Team, f.SuggestedOwner, f.Message = line(f.Owner), line(f.Team), line(f.SuggestedOwner), line(f.Message)
		out.Findings[i] = f
	}
	out.Items = make([]model.Item, len(r.Items))
	for i, it := range r.Items {
		it.Source, it.Key, it.Type = line(it.Source), line(it.Key), line(it.Type)
		out.Items[i] = it
	}
	out.UnusedExceptions = make([]model.UnusedException, len(r.UnusedExceptions))
	for i, u := range r.UnusedExceptions {
		u.Message = line(u.Message)
		out.UnusedExceptions[i] = u
	}
	out.StaleBaseline = make([]model.BaselineEntry, len(r.StaleBaseline))
	for i, e := range r.StaleBaseline {
		e.Rule, e.Source, e.Item = line(e.Rule), line(e.Source), line(e.Item)
		out.StaleBaseline[i] = e
	}
	return &out
}
