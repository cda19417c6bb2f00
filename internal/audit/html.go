package audit

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/pomlint/pomlint/internal/report"
)

// HTML writes one self-contained page: inline CSS and inline SVG charts
// (compliance per team, the monthly trend, time to a correct owner), no
// scripts, no fonts, no external assets, so it renders offline and can be
// mailed or archived. html/template escapes every tracker value.
func HTML(w io.Writer, rep *Report) error {
	p := htmlPage{Report: rep, Worst: leastCompliant(rep.Items)}
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
		med.Sub = fmt.Sprintf("over %d item(s) created in the window", c.ToOwnerSamples)
	case c.Items == 0:
		med.Value, med.Sub = "no items", "nothing was created in the window"
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
		labelW = maxInt(labelW, 16+7*len([]rune(g.Name)))
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
	c := svgChart{Width: left + right + step*maxInt(len(months), 1), Height: top + plotH + 44}
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
	max := 0
	for _, b := range bs {
		max = maxInt(max, b.Items)
	}
	total := 0
	for i, b := range bs {
		total += b.Items
		x := left + i*(barW+gap)
		h := 0
		if max > 0 {
			h = b.Items * plotH / max
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

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func htmlTmpl() *template.Template {
	return template.Must(template.New("audit").Funcs(template.FuncMap{
		"pct":  fmtPct,
		"days": fmtDays,
		"num":  fmtNum,
		"join": strings.Join,
	}).Parse(htmlTemplate))
}

const htmlTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{.Tool.Name}} {{.Tool.Version}}">
<title>Ownership audit {{.Current.From}} – {{.Current.Through}}{{if not .Complete}} (INCOMPLETE){{end}}</title>
<style>
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--card:#fff;--bad:#cf222e;--warn:#bf8700;--ok:#1a7f37;--accent:#0969da;--track:#e6eaef}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#24292f;color:#fff;padding:20px 32px}
header h1{margin:0;font-size:22px;font-weight:600}
header p{margin:4px 0 0;color:#d0d7de;font-size:13px}
header code{background:#32383f;color:#fff}
main{padding:24px 32px;max-width:1280px;margin:0 auto}
h2{font-size:18px;margin:32px 0 12px;font-weight:600}
.banner{border:1px solid var(--bad);background:#ffebe9;border-radius:6px;padding:12px 16px;margin-bottom:20px}
.banner strong{color:var(--bad)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px}
.card .v{font-size:28px;font-weight:600;line-height:1.2}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .s{color:var(--muted);font-size:12px}
.up,.v.ok,td.ok{color:var(--ok)}.down,.v.bad,td.bad{color:var(--bad)}.v.warn,td.warn{color:var(--warn)}
.meter{display:inline-block;width:100%;height:10px;background:var(--track);border-radius:3px;overflow:hidden;vertical-align:middle}
.meter span{display:block;height:100%}.meter .ok{background:var(--ok)}.meter .warn{background:var(--warn)}.meter .bad{background:var(--bad)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:12px}
.chart{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px}
.chart h3{margin:0;font-size:15px}
.chart p{margin:2px 0 8px;color:var(--muted);font-size:12px}
svg text{font:12px -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;fill:var(--fg)}
svg text.axis{fill:var(--muted);font-size:11px}
svg text.value{font-weight:600}
rect.track{fill:var(--track)}rect.ok{fill:var(--ok)}rect.warn{fill:var(--warn)}rect.bad{fill:var(--bad)}
line.grid{stroke:var(--line);stroke-width:1}
line.prev{stroke:var(--fg);stroke-width:2}
line.split{stroke:var(--muted);stroke-width:1;stroke-dasharray:4 3}
path.trend{fill:none;stroke:var(--accent);stroke-width:2.5}
circle.cur{fill:var(--accent)}circle.old{fill:#fff;stroke:var(--accent);stroke-width:2}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--bg);font-weight:600;font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr:last-child td{border-bottom:0}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--bg);padding:1px 4px;border-radius:4px}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.muted{color:var(--muted)}
.two{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:12px}
ul.notes{color:var(--muted);padding-left:20px}
footer{color:var(--muted);font-size:12px;padding:24px 32px;text-align:center}
tr,.chart,.card{break-inside:avoid}
@page{size:A4;margin:12mm}
@media print{
body{background:#fff;font-size:11px}
header{background:#fff;color:var(--fg);padding:0 0 8px;border-bottom:2px solid var(--fg)}
header p{color:var(--fg)}
header code{background:none;color:var(--fg)}
main{padding:0;max-width:none}
h2{margin:18px 0 8px;break-after:avoid}
.charts,.two{grid-template-columns:1fr}
.card,.chart,table{border-color:#999}
th,td{padding:4px 6px}
a{color:var(--fg)}
footer{display:none}
rect,circle,.meter,.meter span{print-color-adjust:exact;-webkit-print-color-adjust:exact}
}
</style>
</head>
<body>
<header>
<h1>Ownership audit {{.Current.From}} – {{.Current.Through}}{{if not .Complete}} — INCOMPLETE{{end}}</h1>
<p>{{num .Current.Days}} days{{with .Previous}} · compared with {{.From}} – {{.Through}}{{end}} · {{.Current.Overall.Items}} items · sources: {{range $i, $s := .Sources}}{{if $i}}, {{end}}<code>{{$s.Name}}</code> ({{$s.Kind}}){{end}}{{with .Grace}} · grace period {{.}}{{end}}{{with .Generated}} · generated {{.}}{{end}}</p>
</header>
<main>
{{if not .Complete}}<div class="banner" role="alert"><strong>INCOMPLETE audit — partial figures.</strong> These sources could not be read completely:
<ul>{{range .Sources}}{{if not .Complete}}<li><code>{{.Name}}</code> ({{.Kind}}): {{.Error}}</li>{{end}}{{end}}</ul></div>{{end}}
<section class="cards">
{{range .Cards}}<div class="card"><div class="v{{with .Class}} {{.}}{{end}}">{{.Value}}</div><div class="k">{{.Key}}</div>{{if .Sub}}<div class="s">{{with .Delta}}<span class="{{$.DeltaClass}}">{{.}}</span> {{end}}{{.Sub}}</div>{{end}}</div>
{{end}}</section>
<h2>Charts</h2>
<section class="charts">
<div class="chart"><h3>Compliance per team</h3><p>Share of each team's item-days owned by the right role.{{if .Previous}} The black tick is the previous period.{{end}}</p>
{{template "svg" .TeamChart}}</div>
<div class="chart"><h3>Trend per month</h3><p>Share of all item-days correctly owned, per calendar month{{if .Previous}}; hollow points are the previous period{{end}}.</p>
{{template "svg" .Trend}}</div>
<div class="chart"><h3>Time from creation to a correct owner</h3><p>Items created in the window, by how long they waited for an owner with the right role.</p>
{{template "svg" .Histogram}}</div>
</section>
<h2>By team</h2>
{{template "groups" .TeamRows}}
<h2>By level</h2>
{{template "groups" .LevelRows}}
<div class="two">
<div><h2>Most frequent rules</h2>
<table><thead><tr><th>rule</th><th class="n">items</th><th class="n">item-days</th><th class="n">share of item-days</th></tr></thead><tbody>
{{range .Current.Overall.Rules}}<tr><td><code>{{.Rule}}</code> {{.Name}}</td><td class="n">{{.Items}}</td><td class="n">{{num .Days}}</td><td class="n">{{pct .Share}}</td></tr>
{{else}}<tr><td colspan="4" class="muted">No rule was broken in the window.</td></tr>{{end}}</tbody></table>{{if .GraceDays}}<p class="muted">Stretches shorter than the {{.Grace}} grace period are left out.</p>{{end}}</div>
<div><h2>Owners holding the most non-compliant items</h2>
<table><thead><tr><th>owner</th><th class="n">items</th><th class="n">item-days</th></tr></thead><tbody>
{{range .Current.Overall.Owners}}<tr><td>{{.Name}}</td><td class="n">{{.Items}}</td><td class="n">{{num .Days}}</td></tr>
{{else}}<tr><td colspan="3" class="muted">No owner held a non-compliant item.</td></tr>{{end}}</tbody></table></div>
</div>
<h2>Item-days per owner</h2>
<p class="muted">Every owner's item-days held in the window and the share of them owned by the right role.{{if .MoreHolders}} The {{len .Holders}} owners holding the most item-days; {{.MoreHolders}} more in the JSON report.{{end}}</p>
<table><thead><tr><th>owner</th><th class="n">items</th><th class="n">item-days held</th><th class="n">compliant</th><th style="width:30%"></th></tr></thead><tbody>
{{range .Holders}}<tr><td>{{.Name}}</td><td class="n">{{.Items}}</td><td class="n">{{num .Days}}</td><td class="n {{.Class}}">{{pct .Compliance}}</td><td><span class="meter"><span class="{{.Class}}" style="width:{{.Width}}%"></span></span></td></tr>
{{else}}<tr><td colspan="5" class="muted">Nobody owned an item in the window.</td></tr>{{end}}</tbody></table>
<h2>Least compliant items</h2>
{{if .Worst}}{{if .More}}<p class="muted">{{len .Worst}} shown, {{.More}} more in the CSV and JSON reports.</p>{{end}}<table><thead><tr><th>item</th><th>team</th><th>level</th><th>owner now</th><th class="n">compliance</th><th>rules</th><th class="n">changes</th></tr></thead><tbody>
{{range .Worst}}<tr><td>{{if .URL}}<a href="{{.URL}}"><code>{{.Key}}</code></a>{{else}}<code>{{.Key}}</code>{{end}} {{.Title}}<br><span class="muted">{{.Source}}</span></td><td>{{.Team}}</td><td>{{.Level}}</td><td>{{or .OwnerName "–"}}</td><td class="n">{{pct .Compliance}}</td><td>{{join .Rules ", "}}</td><td class="n">{{.OwnershipChanges}}</td></tr>
{{end}}</tbody></table>{{else}}<p class="muted">Every item was correctly owned for the whole window.</p>{{end}}
<h2>Sources</h2>
<table><thead><tr><th>source</th><th>kind</th><th class="n">items</th><th>status</th><th>error</th></tr></thead><tbody>
{{range .Sources}}<tr><td><code>{{.Name}}</code></td><td>{{.Kind}}</td><td class="n">{{.Items}}</td><td>{{if .Complete}}complete{{else}}<strong class="down">INCOMPLETE</strong>{{end}}</td><td>{{.Error}}</td></tr>
{{end}}</tbody></table>
<h2>How to read this</h2>
<ul class="notes">{{range .Notes}}<li>{{.}}</li>{{end}}</ul>
</main>
<footer>Generated by pomlint {{.Tool.Version}}. Figures are item-days: one item alive for one day is one item-day.</footer>
</body>
</html>
{{define "groups"}}{{if .}}<table><thead><tr><th>name</th><th class="n">items</th><th class="n">item-days</th><th class="n">compliance</th>{{if (index . 0).Compare}}<th class="n">change</th>{{end}}<th class="n">never correctly owned</th><th class="n">median days to owner</th><th class="n">changes</th><th>top rule</th></tr></thead><tbody>
{{range .}}<tr><td>{{.Name}}</td><td class="n">{{.Items}}</td><td class="n">{{num .ItemDays}}</td><td class="n">{{pct .Compliance}}</td>{{if .Compare}}<td class="n"><span class="{{.DeltaClass}}">{{.Delta}}</span></td>{{end}}<td class="n">{{.NeverCompliant}}</td><td class="n">{{days .MedianDaysToOwner}}</td><td class="n">{{.OwnershipChanges}}</td><td>{{with .Rules}}<code>{{(index . 0).Rule}}</code> {{(index . 0).Name}}{{else}}–{{end}}</td></tr>
{{end}}</tbody></table>{{else}}<p class="muted">No items in the window.</p>{{end}}{{end}}
{{define "svg"}}{{if .Empty}}<p class="muted">{{.Empty}}</p>{{else}}<svg role="img" style="width:100%;max-width:{{.Width}}px;height:auto" viewBox="0 0 {{.Width}} {{.Height}}" xmlns="http://www.w3.org/2000/svg">
{{range .Lines}}<line class="{{.Class}}" x1="{{.X1}}" y1="{{.Y1}}" x2="{{.X2}}" y2="{{.Y2}}"></line>{{end}}
{{range .Rects}}<rect class="{{.Class}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" rx="3">{{with .Title}}<title>{{.}}</title>{{end}}</rect>{{end}}
{{with .Path}}<path class="trend" d="{{.}}"></path>{{end}}
{{range .Dots}}<circle class="{{.Class}}" cx="{{.X}}" cy="{{.Y}}" r="4"><title>{{.Title}}</title></circle>{{end}}
{{range .Texts}}<text{{with .Class}} class="{{.}}"{{end}}{{with .Anchor}} text-anchor="{{.}}"{{end}} x="{{.X}}" y="{{.Y}}">{{.Text}}</text>{{end}}
</svg>{{end}}{{end}}
`
