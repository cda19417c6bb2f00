package report

import (
	"strings"

	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/safetext"
)

// terminalSafe returns a copy of r whose tracker-written text (titles,
// keys, logins, team and type names, URLs, messages that quote them, and
// server error text) is safe to print on a terminal or in a CI log: see
// package safetext. r itself is not changed.
func terminalSafe(r *model.Result) *model.Result { return cleanCopy(r, safetext.Line) }

// visibleCopy returns a copy of r for the HTML and JUnit reports: in
// tracker-written text a line break becomes a space (white space in a page
// anyway, and the Markdown report does the same: markdown.HTMLText) and
// every other control character a visible escape (safetext.Visible). A
// page would hide them, XML 1.0 forbids most C0 controls (encoding/xml
// writes U+FFFD), and on standard output they would reach a CI log. r
// itself is not changed.
func visibleCopy(r *model.Result) *model.Result { return cleanCopy(r, VisibleText) }

// VisibleText is tracker-written text as the HTML reports show it: a line
// break becomes a space and every other control character a visible escape
// (safetext.Visible). The audit's HTML report uses it too.
func VisibleText(s string) string { return safetext.Visible(lineBreaks.Replace(s)) }

var lineBreaks = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ")

// cleanCopy returns a copy of r with clean applied to every string a
// tracker wrote. Keys and sources go through the same function in items and
// findings, so lookups between them still match.
func cleanCopy(r *model.Result, clean func(string) string) *model.Result {
	out := *r
	out.Sources = make([]model.SourceStatus, len(r.Sources))
	for i, s := range r.Sources {
		s.Name, s.Kind, s.Error = clean(s.Name), clean(s.Kind), clean(s.Error)
		out.Sources[i] = s
	}
	out.Findings = make([]model.Finding, len(r.Findings))
	for i, f := range r.Findings {
		f.Source, f.Item, f.Title, f.URL = clean(f.Source), clean(f.Item), clean(f.Title), clean(f.URL)
		f.Owner, f.Team, f.SuggestedOwner, f.Message = clean(f.Owner), clean(f.Team), clean(f.SuggestedOwner), clean(f.Message)
		out.Findings[i] = f
	}
	out.Items = make([]model.Item, len(r.Items))
	for i, it := range r.Items {
		it.Source, it.Key, it.Type = clean(it.Source), clean(it.Key), clean(it.Type)
		it.Title, it.URL, it.Team = clean(it.Title), clean(it.URL), clean(it.Team)
		if it.Owner != nil {
			o := *it.Owner
			o.Account.Login, o.Account.Name = clean(o.Account.Login), clean(o.Account.Name)
			it.Owner = &o
		}
		out.Items[i] = it
	}
	out.UnusedExceptions = make([]model.UnusedException, len(r.UnusedExceptions))
	for i, u := range r.UnusedExceptions {
		u.Message = clean(u.Message)
		out.UnusedExceptions[i] = u
	}
	out.StaleBaseline = make([]model.BaselineEntry, len(r.StaleBaseline))
	for i, e := range r.StaleBaseline {
		e.Rule, e.Source, e.Item = clean(e.Rule), clean(e.Source), clean(e.Item)
		out.StaleBaseline[i] = e
	}
	return &out
}
