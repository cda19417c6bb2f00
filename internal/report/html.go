package report

import (
	"fmt"
	"html/template"
	"io"
	"maps"
	"net/url"
	"slices"
	"time"

	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/rules"
)

// HTML writes one self-contained HTML page: inline CSS, inline SVG charts,
// one small inline script for the findings filters (the page reads fully
// without it), no external assets, so it can be archived as a CI artifact or
// mailed. It lays out for a 1280 px screen and prints on A4. html/template
// escapes every value taken from trackers, after their line breaks became
// spaces and their other control characters visible escapes.
type HTML struct {
	// Now stamps the page with the run's date; nil writes no time, keeping
	// output byte-identical.
	Now func() time.Time
	// Trend, when set, compares the run with a baseline or a snapshot.
	Trend *Trend
}

type htmlPage struct {
	Tool                  model.Tool
	Generated, Config     string
	Stats                 Stats
	Sources               []model.SourceStatus
	OwnedShare, ThenShare string
	OwnedClass            string
	Trend                 *Trend
	Actors                []htmlActor
	Charts                []barChart
	Rows                  []htmlRow
	TeamNames, RuleNames  []string
	SevNames              []string
	Teams                 []htmlTeam
	Stale                 []model.BaselineEntry
	Unused                []model.UnusedException
	Style                 template.CSS
	Script                template.JS
}

// actorItemsShown is how many of an actor's items the who-must-act table
// lists before folding the rest into a <details>.
const actorItemsShown = 6

// htmlActor is one row of the who-must-act table.
type htmlActor struct {
	Actor
	Shown, More []ActorItem
}

// htmlRow is one finding in the findings table.
type htmlRow struct {
	Finding          model.Finding
	URL              string
	Sev, Team        string
	Owner, Suggested string
	// New marks a finding the earlier run (--compare, --baseline) did
	// not have.
	New bool
}

type htmlTeam struct {
	TeamStats
	PO, PM     string
	ShareClass string
}

// barChart is a horizontal bar chart laid out in Go so the template only
// places rectangles and text.
type barChart struct {
	Title, Caption string
	Width, Height  int
	Bars           []bar
	Legend         []legendEntry
	LabelX         int
	LegendY        int
	LegendTextY    int
	Empty          string
	labelW         int
}

type bar struct {
	Label    string
	Y, TextY int
	Segments []segment
	Value    string
	ValueX   int
}

type segment struct {
	X, Y, W int
	Class   string
	Title   string
}

type legendEntry struct {
	X     int
	Class string
	Label string
}

const (
	chartBarW   = 200
	chartRowH   = 26
	chartTop    = 8
	chartCharW  = 7 // a generous average width of a 12 px sans-serif character
	chartValueW = 90
)

var htmlTmpl = ParsePage("html", template.FuncMap{
	"pct": func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
	"sev": func(s model.Severity) string { return s.String() },
}, lintTemplate)

// Report writes the HTML report.
func (h *HTML) Report(w io.Writer, r *model.Result) error {
	r = visibleCopy(r) // html/template leaves control characters raw
	s := Summarise(r)
	people := NewPeople(r)
	p := htmlPage{Tool: r.Tool, Stats: s, Sources: r.Sources, Stale: r.StaleBaseline, Unused: r.UnusedExceptions,
		Config: r.Config.File, Trend: h.Trend, Style: PageStyle(""), Script: template.JS(lintScript)}
	if h.Now != nil {
		p.Generated = h.Now().UTC().Format("2006-01-02 15:04 UTC")
	}
	p.OwnedShare, p.OwnedClass = "–", ""
	if share, _, items := s.OwnedShare(); items > 0 {
		p.OwnedShare, p.OwnedClass = fmt.Sprintf("%.0f%%", 100*share), ShareClass(share)
	}
	p.ThenShare = "–"
	if h.Trend != nil && h.Trend.Then != nil {
		p.ThenShare = fmt.Sprintf("%.0f%%", 100**h.Trend.Then)
	}
	for _, a := range WhoMustAct(r, people) {
		ha := htmlActor{Actor: a, Shown: a.Items}
		if len(a.Items) > actorItemsShown {
			ha.Shown, ha.More = a.Items[:actorItemsShown-1], a.Items[actorItemsShown-1:]
		}
		p.Actors = append(p.Actors, ha)
	}
	teams, rules, sevs := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, f := range BySeverity(r.Findings) {
		row := htmlRow{Finding: f, URL: safeURL(f.URL), Sev: f.Severity.String(), Team: f.Team,
			Owner: people.Owner(&f), Suggested: people.Name(f.SuggestedOwner), New: h.Trend.IsNew(f)}
		if f.Suppressed != "" {
			row.Sev = f.Suppressed
		}
		if row.Team == "" {
			row.Team = NoTeam
		}
		teams[row.Team], rules[f.Rule], sevs[row.Sev] = true, true, true
		p.Rows = append(p.Rows, row)
	}
	for _, t := range s.Teams {
		if teams[t.Team] {
			p.TeamNames = append(p.TeamNames, t.Team)
		}
		ht := htmlTeam{TeamStats: t, PO: people.Name(t.ProductOwner), PM: people.Name(t.ProductMgr)}
		if t.Items > 0 {
			ht.ShareClass = ShareClass(t.OwnedShare())
		}
		p.Teams = append(p.Teams, ht)
	}
	p.RuleNames = slices.Sorted(maps.Keys(rules))
	for _, sv := range []string{"error", "warning", "note", "baseline"} {
		if sevs[sv] {
			p.SevNames = append(p.SevNames, sv)
		}
	}
	p.Charts = []barChart{ownedChart(s), teamChart(s), ruleChart(s)}
	if err := htmlTmpl.Execute(w, p); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

// safeURL keeps only http(s) URLs for links (html/template would defuse
// others as #ZgotmplZ, which is a broken link, not a safe one).
func safeURL(raw string) string {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return raw
}

// newChart sizes a chart so that its longest label fits: labels are never
// cut.
func newChart(title, caption string, labels []string, valueW int) barChart {
	longest := 0
	for _, l := range labels {
		if n := len([]rune(l)); n > longest {
			longest = n
		}
	}
	labelW := 16 + longest*chartCharW
	if labelW < 80 {
		labelW = 80
	}
	h := chartTop + len(labels)*chartRowH + 24
	return barChart{Title: title, Caption: caption, Width: labelW + chartBarW + valueW, Height: h, LabelX: labelW - 6,
		LegendY: h - 14, LegendTextY: h - 5, labelW: labelW}
}

func scale(v, max int) int {
	if max == 0 || v == 0 {
		return 0
	}
	w := v * chartBarW / max
	if w < 2 {
		w = 2
	}
	return w
}

func severityLegend(c *barChart) {
	c.Legend = []legendEntry{{X: c.labelW, Class: "error", Label: "error"}, {X: c.labelW + 60, Class: "warning", Label: "warning"}, {X: c.labelW + 135, Class: "note", Label: "note"}}
}

// severityBar is one stacked bar of errors, warnings and notes.
func severityBar(c *barChart, i int, label, what string, errs, warns, notes, max int) bar {
	b := bar{Label: label, Y: chartTop + i*chartRowH, Value: fmt.Sprint(errs + warns + notes)}
	b.TextY = b.Y + 14
	x := c.labelW
	for _, part := range []struct {
		n     int
		class string
	}{{errs, "error"}, {warns, "warning"}, {notes, "note"}} {
		if w := scale(part.n, max); w > 0 {
			b.Segments = append(b.Segments, segment{X: x, Y: b.Y, W: w, Class: part.class, Title: fmt.Sprintf("%s: %d %s", what, part.n, part.class)})
			x += w
		}
	}
	b.ValueX = x + 6
	return b
}

func teamChart(s Stats) barChart {
	labels := make([]string, len(s.Teams))
	max := 0
	for i, t := range s.Teams {
		labels[i] = t.Team
		if t.Findings() > max {
			max = t.Findings()
		}
	}
	c := newChart("Findings by team", "Counted findings per team, by severity.", labels, 50)
	severityLegend(&c)
	for i, t := range s.Teams {
		c.Bars = append(c.Bars, severityBar(&c, i, t.Team, t.Team, t.Errors, t.Warnings, t.Notes, max))
	}
	if len(s.Teams) == 0 {
		c.Empty = "No teams."
	}
	return c
}

func ruleChart(s Stats) barChart {
	var rules []RuleStats
	var labels []string
	max := 0
	for _, rs := range s.Rules {
		if rs.Findings > 0 {
			rules = append(rules, rs)
			labels = append(labels, rs.ID+" "+rs.Name)
			if rs.Findings > max {
				max = rs.Findings
			}
		}
	}
	c := newChart("Findings by rule", "Counted findings per rule, by severity.", labels, 50)
	severityLegend(&c)
	for i, rs := range rules {
		c.Bars = append(c.Bars, severityBar(&c, i, labels[i], rs.ID+" "+rs.Name, rs.Errors, rs.Warnings, rs.Notes, max))
	}
	if len(rules) == 0 {
		c.Empty = "No rule fired."
	}
	return c
}

// ownedChart colours each team's share by how good it is (ShareClass): a low
// share is never green.
func ownedChart(s Stats) barChart {
	var teams []TeamStats
	var labels []string
	for _, t := range s.Teams {
		if t.Items > 0 {
			teams = append(teams, t)
			labels = append(labels, t.Team)
		}
	}
	c := newChart("Correctly owned items", "Share of a team's items with a known level and no ownership finding ("+rules.IDRanges(rules.IDsIn(model.CategoryOwnership))+").", labels, chartValueW)
	for i, t := range teams {
		b := bar{Label: t.Team, Y: chartTop + i*chartRowH, Value: fmt.Sprintf("%.0f%% (%d/%d)", 100*t.OwnedShare(), t.CorrectlyOwned, t.Items)}
		b.TextY = b.Y + 14
		w := t.CorrectlyOwned * chartBarW / t.Items
		b.Segments = []segment{{X: c.labelW, Y: b.Y, W: chartBarW, Class: "track", Title: fmt.Sprintf("%s: %d items", t.Team, t.Items)}}
		if w > 0 {
			b.Segments = append(b.Segments, segment{X: c.labelW, Y: b.Y, W: w, Class: ShareClass(t.OwnedShare()), Title: fmt.Sprintf("%s: %d of %d correctly owned", t.Team, t.CorrectlyOwned, t.Items)})
		}
		b.ValueX = c.labelW + chartBarW + 6
		c.Bars = append(c.Bars, b)
	}
	c.Legend = []legendEntry{{X: c.labelW, Class: "ok", Label: "≥ 80 %"}, {X: c.labelW + 70, Class: "warning", Label: "50–80 %"}, {X: c.labelW + 145, Class: "error", Label: "< 50 %"}}
	if len(teams) == 0 {
		c.Empty = "No items."
	}
	return c
}
