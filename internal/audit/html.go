package audit

import (
	_ "embed" // the page template
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/pomlint/pomlint/internal/markdown"
	"github.com/pomlint/pomlint/internal/report"
)

// HTML writes one self-contained page: inline CSS and inline SVG charts
// (compliance per team, the monthly trend, time to a correct owner), no
// scripts, no fonts, no external assets, so it renders offline and can be
// mailed or archived. html/template escapes every tracker value; control
// characters in it show as escapes (visibleReport).
func HTML(w io.Writer, rep *Report) error {
	rep = visibleReport(rep)
	p := htmlPage{Report: rep, Worst: leastCompliant(rep.Items), Style: report.PageStyle(auditStyle)}
	if len(p.Worst) > MarkdownItems {
		p.More = len(p.Worst) - MarkdownItems
		p.Worst = p.Worst[:MarkdownItems]
	}
	if !rep.GeneratedAt.IsZero() {
		p.Generated = rep.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	if rep.Diff != nil {
		p.Delta = fmtDelta(rep.Diff.Overall.Compliance, " pp")
		p.DeltaClass = deltaClass(rep.Diff.Overall.Compliance)
	}
	p.Cards = cards(rep, p.Delta)
	holders := rep.Current.Overall.Holders
	if len(holders) > MarkdownItems {
		p.MoreHolders = len(holders) - MarkdownItems
		holders = holders[:MarkdownItems]
	}
	for _, h := range holders {
		row := holderHTML{HolderCount: h}
		if h.Compliance != nil {
			row.Class, row.Width = complianceClass(*h.Compliance), int(math.Round(*h.Compliance))
		}
		p.Holders = append(p.Holders, row)
	}
	if rep.GraceDays > 0 {
		p.Grace = fmtGrace(graceDuration(rep.GraceDays))
	}
	p.TeamRows = groupRows(rep.Current.Teams, diffByName(rep.Diff, true), rep.Diff != nil)
	p.LevelRows = groupRows(rep.Current.Levels, diffByName(rep.Diff, false), rep.Diff != nil)
	p.TeamChart = teamBars(rep)
	p.Trend = trendChart(rep)
	p.Histogram = histogram(rep.Current.TimeToOwner)
	if err := htmlTmpl().Execute(w, p); err != nil {
		return fmt.Errorf("execute html template: %w", err)
	}
	return nil
}

// card is one figure at the top of the page. Value is never a bare "–":
// a missing figure says why in words.
type card struct {
	Value, Key, Sub, Delta, Class string
}

// cards are the headline figures, each with the previous period's when
// compared.
func cards(rep *Report, delta string) []card {
	c, prev := rep.Current.Overall, rep.Previous
	var out []card
	comp := card{Key: "item-days correctly owned", Value: "no item-days"}
	if c.Compliance != nil {
		comp.Value, comp.Class = fmtPct(c.Compliance), complianceClass(*c.Compliance)
	}
	if prev != nil {
		comp.Sub = "previous period: no item-days"
		if prev.Overall.Compliance != nil {
			comp.Sub = "previous " + fmtPct(prev.Overall.Compliance)
			if c.Compliance != nil {
				comp.Delta = delta
			}
		}
	}
	out = append(out, comp)
	count := func(key string, v int, pv func(Figures) int) card {
		k := card{Key: key, Value: fmt.Sprint(v)}
		if prev != nil {
			k.Sub = fmt.Sprintf("previous %d", pv(prev.Overall))
		}
		return k
	}
	out = append(out, count("items alive", c.Items, func(f Figures) int { return f.Items }))
	never := count("never correctly owned", c.NeverCompliant, func(f Figures) int { return f.NeverCompliant })
	if c.NeverCompliant > 0 {
		never.Class = "down"
	}
	out = append(out, never)
	med := card{Key: "median days to a correct owner", Value: "none yet"}
	switch {
	case c.MedianDaysToOwner != nil:
		med.Value = fmtDays(c.MedianDaysToOwner)
		// The median is over the items created in the window that got a
		// correct owner in it, not over all items created in it.
		med.Sub = fmt.Sprintf("over %s created in the window that got a correct owner", markdown.Plural(c.ToOwnerSamples, "item"))
	case c.Items == 0:
		med.Value, med.Sub = "no items", "no item was alive in the window"
	default:
		med.Sub = "no item created in the window got a correct owner"
	}
	if prev != nil {
		p := "none"
		if prev.Overall.MedianDaysToOwner != nil {
			p = fmtDays(prev.Overall.MedianDaysToOwner)
		}
		med.Sub += "; previous " + p
	}
	out = append(out, med)
	out = append(out, count("ownership changes", c.OwnershipChanges, func(f Figures) int { return f.OwnershipChanges }))
	return out
}

// complianceClass colours a compliance share in percent with the lint
// report's thresholds (report.ShareClass), in this page's class names.
func complianceClass(p float64) string {
	return map[string]string{"ok": "ok", "warning": "warn", "error": "bad"}[report.ShareClass(p/100)]
}

type htmlPage struct {
	Cards []card
	*Report
	Generated           string
	Delta, DeltaClass   string
	TeamRows, LevelRows []groupHTML
	Worst               []ItemReport
	More                int
	TeamChart           svgChart
	Trend               svgChart
	Histogram           svgChart
	Holders             []holderHTML
	MoreHolders         int
	Grace               string
	Style               template.CSS
}

// holderHTML is one row of the per-owner table, with a meter.
type holderHTML struct {
	HolderCount
	Class string
	Width int
}

// groupHTML is one row of the team or level table.
type groupHTML struct {
	Figures
	Compare           bool
	Delta, DeltaClass string
}

func groupRows(gs []Figures, diffs map[string]DiffFigures, compare bool) []groupHTML {
	out := make([]groupHTML, 0, len(gs))
	for _, g := range gs {
		d := diffs[g.Name]
		out = append(out, groupHTML{Figures: g, Compare: compare, Delta: fmtDelta(d.Compliance, " pp"), DeltaClass: deltaClass(d.Compliance)})
	}
	return out
}

// svgChart is a chart laid out in Go: the template only places shapes.
type svgChart struct {
	Width, Height int
	Rects         []svgRect
	Texts         []svgText
	Lines         []svgLine
	Dots          []svgDot
	Path          string
	Empty         string
}

type svgRect struct {
	X, Y, W, H int
	Class      string
	Title      string
}

type svgText struct {
	X, Y   int
	Anchor string
	Class  string
	Text   string
}

type svgLine struct {
	X1, Y1, X2, Y2 int
	Class          string
}

type svgDot struct {
	X, Y  int
	Class string
	Title string
}

func deltaClass(p *float64) string {
	switch {
	case p == nil:
		return ""
	case *p > 0:
		return "up"
	case *p < 0:
		return "down"
	}
	return ""
}

// teamBars draws compliance per team (and overall) as bars of 0–100 %,
// with a tick at the previous period's value.
func teamBars(rep *Report) svgChart {
	const barW, rowH, top = 320, 30, 22
	rows := append([]Figures{rep.Current.Overall}, rep.Current.Teams...)
	// Wide enough for the longest team name: labels are never cut.
	labelW := 100
	for _, g := range rep.Current.Teams {
		labelW = max(labelW, 16+7*len([]rune(g.Name)))
	}
	prev := map[string]*float64{}
	if rep.Previous != nil {
		prev["overall"] = rep.Previous.Overall.Compliance
		for _, t := range rep.Previous.Teams {
			prev[t.Name] = t.Compliance
		}
	}
	c := svgChart{Width: labelW + barW + 110, Height: top + len(rows)*rowH + 30}
	for _, pctv := range []int{0, 50, 100} {
		x := labelW + pctv*barW/100
		c.Lines = append(c.Lines, svgLine{X1: x, Y1: top - 6, X2: x, Y2: top + len(rows)*rowH - 6, Class: "grid"})
		c.Texts = append(c.Texts, svgText{X: x, Y: top - 10, Anchor: "middle", Class: "axis", Text: fmt.Sprintf("%d %%", pctv)})
	}
	for i, g := range rows {
		y := top + i*rowH
		name := g.Name
		if i == 0 {
			name = "all teams"
		}
		c.Texts = append(c.Texts, svgText{X: labelW - 8, Y: y + 13, Anchor: "end", Text: name})
		c.Rects = append(c.Rects, svgRect{X: labelW, Y: y, W: barW, H: 18, Class: "track", Title: fmt.Sprintf("%s: %s item-days", name, fmtNum(g.ItemDays))})
		if g.Compliance != nil {
			w := int(*g.Compliance * barW / 100)
			class := complianceClass(*g.Compliance)
			if w > 0 {
				c.Rects = append(c.Rects, svgRect{X: labelW, Y: y, W: w, H: 18, Class: class,
					Title: fmt.Sprintf("%s: %s of %s item-days correctly owned (%s)", name, fmtNum(g.CompliantDays), fmtNum(g.ItemDays), fmtPct(g.Compliance))})
			}
		}
		label := fmtPct(g.Compliance)
		if p, ok := prev[g.Name]; ok && p != nil {
			x := labelW + int(*p*barW/100)
			c.Lines = append(c.Lines, svgLine{X1: x, Y1: y - 3, X2: x, Y2: y + 21, Class: "prev"})
			if g.Compliance != nil {
				label += " (" + signed(*g.Compliance-*p, 1) + ")"
			}
		}
		c.Texts = append(c.Texts, svgText{X: labelW + barW + 8, Y: y + 13, Class: "value", Text: label})
	}
	ly := top + len(rows)*rowH + 10
	for i, l := range []struct{ class, text string }{{"ok", "≥ 80 %"}, {"warn", "50–80 %"}, {"bad", "< 50 %"}} {
		x := labelW + i*75
		c.Rects = append(c.Rects, svgRect{X: x, Y: ly - 9, W: 10, H: 10, Class: l.class})
		c.Texts = append(c.Texts, svgText{X: x + 14, Y: ly, Text: l.text})
	}
	if rep.Previous != nil {
		c.Lines = append(c.Lines, svgLine{X1: labelW + 235, Y1: ly - 10, X2: labelW + 235, Y2: ly + 2, Class: "prev"})
		c.Texts = append(c.Texts, svgText{X: labelW + 241, Y: ly, Text: "previous period"})
	}
	if len(rep.Current.Teams) == 0 && rep.Current.Overall.Compliance == nil {
		c.Empty = "No item was alive in the window."
	}
	return c
}

// trendChart draws overall compliance per month as a line, the previous
// period's months first, with a rule where the window starts.
func trendChart(rep *Report) svgChart {
	const left, right, top, plotH = 44, 16, 14, 180
	months := rep.Current.Months
	split := 0
	if rep.Previous != nil {
		split = len(rep.Previous.Months)
		months = append(append([]Month(nil), rep.Previous.Months...), rep.Current.Months...)
	}
	step := 70
	if len(months) > 8 {
		step = 560 / len(months)
	}
	c := svgChart{Width: left + right + step*max(len(months), 1), Height: top + plotH + 44}
	for _, v := range []int{0, 25, 50, 75, 100} {
		y := top + plotH - v*plotH/100
		c.Lines = append(c.Lines, svgLine{X1: left, Y1: y, X2: c.Width - right, Y2: y, Class: "grid"})
		c.Texts = append(c.Texts, svgText{X: left - 6, Y: y + 4, Anchor: "end", Class: "axis", Text: fmt.Sprintf("%d %%", v)})
	}
	var path []string
	for i, m := range months {
		x := left + step/2 + i*step
		c.Texts = append(c.Texts, svgText{X: x, Y: top + plotH + 18, Anchor: "middle", Class: "axis", Text: m.Month})
		if m.Compliance == nil {
			continue
		}
		y := top + plotH - int(*m.Compliance*plotH/100)
		cmd := "L"
		if len(path) == 0 {
			cmd = "M"
		}
		path = append(path, fmt.Sprintf("%s%d %d", cmd, x, y))
		class := "cur"
		if i < split {
			class = "old"
		}
		c.Dots = append(c.Dots, svgDot{X: x, Y: y, Class: class, Title: fmt.Sprintf("%s: %s of %s item-days", m.Month, fmtPct(m.Compliance), fmtNum(m.ItemDays))})
		c.Texts = append(c.Texts, svgText{X: x, Y: y - 9, Anchor: "middle", Class: "value", Text: strings.TrimSuffix(fmtPct(m.Compliance), " %")})
	}
	c.Path = strings.Join(path, " ")
	if split > 0 {
		x := left + split*step
		c.Lines = append(c.Lines, svgLine{X1: x, Y1: top - 4, X2: x, Y2: top + plotH, Class: "split"})
		c.Texts = append(c.Texts, svgText{X: x + 4, Y: top + plotH + 36, Class: "axis", Text: "window starts"})
	}
	if len(path) == 0 {
		c.Empty = "No item-days in the window."
	}
	return c
}

// histogram draws the time-to-owner distribution as vertical bars.
func histogram(bs []Bucket) svgChart {
	const left, top, plotH, barW, gap = 30, 18, 160, 62, 14
	c := svgChart{Width: left + len(bs)*(barW+gap) + 10, Height: top + plotH + 40}
	most := 0
	for _, b := range bs {
		most = max(most, b.Items)
	}
	total := 0
	for i, b := range bs {
		total += b.Items
		x := left + i*(barW+gap)
		h := 0
		if most > 0 {
			h = b.Items * plotH / most
		}
		class := "ok"
		if b.Label == "not yet" {
			class = "bad"
		}
		if h > 0 {
			c.Rects = append(c.Rects, svgRect{X: x, Y: top + plotH - h, W: barW, H: h, Class: class, Title: fmt.Sprintf("%s: %d items", b.Label, b.Items)})
		}
		c.Texts = append(c.Texts, svgText{X: x + barW/2, Y: top + plotH - h - 5, Anchor: "middle", Class: "value", Text: fmt.Sprint(b.Items)})
		c.Texts = append(c.Texts, svgText{X: x + barW/2, Y: top + plotH + 18, Anchor: "middle", Class: "axis", Text: b.Label})
	}
	c.Lines = append(c.Lines, svgLine{X1: left - 6, Y1: top + plotH, X2: c.Width - 6, Y2: top + plotH, Class: "grid"})
	if total == 0 {
		c.Empty = "No item was created in the window."
	}
	return c
}

//go:embed assets/audit.html.tmpl
var htmlTemplate string

// auditStyle is the audit page's own CSS beside report.PageStyle: wider
// cards for longer figures, narrower charts so three fit a row.
const auditStyle = ":root{--cards-min:160px;--charts-min:420px}"

func htmlTmpl() *template.Template {
	return report.ParsePage("audit", template.FuncMap{
		"pct":  fmtPct,
		"days": fmtDays,
		"num":  fmtNum,
		"join": strings.Join,
	}, htmlTemplate)
}
