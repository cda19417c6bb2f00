package report

import (
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/pomlint/pomlint/internal/model"
)

// htmlTemplate is the page; charts are laid out in Go (see barChart).
const htmlTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{.Tool.Name}} {{.Tool.Version}}">
<title>pomlint report{{if not .Stats.Complete}} (INCOMPLETE){{end}}</title>
<style>
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--card:#fff;--error:#cf222e;--warning:#bf8700;--note:#0969da;--ok:#1a7f37;--track:#e6eaef}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#24292f;color:#fff;padding:20px 32px}
header h1{margin:0;font-size:22px;font-weight:600}
header p{margin:4px 0 0;color:#c9d1d9;font-size:13px}
main{padding:24px 32px;max-width:1280px;margin:0 auto}
h2{font-size:18px;margin:32px 0 12px;font-weight:600}
.banner{border:1px solid var(--error);background:#ffebe9;border-radius:6px;padding:12px 16px;margin-bottom:20px}
.banner strong{color:var(--error)}
.banner ul{margin:6px 0 0;padding-left:20px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px}
.card .v{font-size:28px;font-weight:600;line-height:1.2}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.error .v{color:var(--error)}.card.warning .v{color:var(--warning)}.card.note .v{color:var(--note)}.card.ok .v{color:var(--ok)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:12px}
.chart{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px}
.chart h3{margin:0;font-size:15px}
.chart p{margin:2px 0 8px;color:var(--muted);font-size:12px}
svg text{font:12px -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;fill:var(--fg)}
svg .label{text-anchor:end}
rect.error{fill:var(--error)}rect.warning{fill:var(--warning)}rect.note{fill:var(--note)}rect.ok{fill:var(--ok)}rect.track{fill:var(--track)}rect.none{fill:var(--muted)}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--bg);font-weight:600;font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr:last-child td{border-bottom:0}
tr.baselined td{color:var(--muted)}
.badge{display:inline-block;padding:0 7px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.badge.error{background:var(--error)}.badge.warning{background:var(--warning)}.badge.note{background:var(--note)}.badge.none,.badge.baseline{background:var(--muted)}
.badge.incomplete{background:var(--error)}.badge.complete{background:var(--ok)}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--bg);padding:1px 4px;border-radius:4px}
a{color:var(--note);text-decoration:none}a:hover{text-decoration:underline}
.muted{color:var(--muted)}
footer{color:var(--muted);font-size:12px;padding:24px 32px;text-align:center}
</style>
</head>
<body>
<header>
<h1>pomlint ownership report{{if not .Stats.Complete}} — INCOMPLETE{{end}}</h1>
<p>{{.Tool.Name}} {{.Tool.Version}} · {{len .Sources}} source(s) · {{.Stats.Items}} items{{with .Generated}} · generated {{.}}{{end}}</p>
</header>
<main>
{{if not .Stats.Complete}}<div class="banner" role="alert"><strong>INCOMPLETE run — partial results.</strong> These sources could not be read completely, so the figures below do not cover everything and the run cannot pass:
<ul>{{range .Stats.Incomplete}}<li><code>{{.Name}}</code> ({{.Kind}}): {{.Error}}</li>{{end}}</ul></div>{{end}}
<section class="cards">
<div class="card"><div class="v">{{.Stats.Items}}</div><div class="k">items</div></div>
<div class="card{{if .Stats.Findings}} error{{else}} ok{{end}}"><div class="v">{{.Stats.Findings}}</div><div class="k">findings</div></div>
<div class="card error"><div class="v">{{index .Stats.BySeverity "error"}}</div><div class="k">errors</div></div>
<div class="card warning"><div class="v">{{index .Stats.BySeverity "warning"}}</div><div class="k">warnings</div></div>
<div class="card note"><div class="v">{{index .Stats.BySeverity "note"}}</div><div class="k">notes</div></div>
<div class="card"><div class="v">{{.Stats.Baselined}}</div><div class="k">baselined</div></div>
<div class="card ok"><div class="v">{{.OwnedShare}}</div><div class="k">correctly owned</div></div>
</section>
<h2>Charts</h2>
<section class="charts">
{{range .Charts}}{{$c := .}}<div class="chart"><h3>{{.Title}}</h3><p>{{.Caption}}</p>
{{if .Empty}}<p class="muted">{{.Empty}}</p>{{else}}<svg role="img" aria-label="{{.Title}}" style="width:100%;max-width:{{.Width}}px;height:auto" viewBox="0 0 {{.Width}} {{.Height}}" xmlns="http://www.w3.org/2000/svg">
{{range .Bars}}<text class="label" x="{{$c.LabelX}}" y="{{.TextY}}">{{.Label}}</text>{{range .Segments}}<rect class="{{.Class}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="18" rx="3"><title>{{.Title}}</title></rect>{{end}}<text x="{{.ValueX}}" y="{{.TextY}}">{{.Value}}</text>
{{end}}{{range .Legend}}<rect class="{{.Class}}" x="{{.X}}" y="{{$c.LegendY}}" width="10" height="10" rx="2"></rect><text x="{{.X}}" dx="14" y="{{$c.LegendTextY}}">{{.Label}}</text>{{end}}
</svg>{{end}}</div>
{{end}}</section>
<h2>Sources</h2>
<table><thead><tr><th>source</th><th>kind</th><th class="n">items</th><th>status</th><th>error</th></tr></thead><tbody>
{{range .Sources}}<tr><td><code>{{.Name}}</code></td><td>{{.Kind}}</td><td class="n">{{.Items}}</td><td>{{if .Complete}}<span class="badge complete">complete</span>{{else}}<span class="badge incomplete">INCOMPLETE</span>{{end}}</td><td>{{.Error}}</td></tr>
{{else}}<tr><td colspan="5" class="muted">No sources.</td></tr>{{end}}</tbody></table>
<h2>By team</h2>
<table><thead><tr><th>team</th><th>product owner</th><th>product manager</th><th class="n">items</th><th class="n">errors</th><th class="n">warnings</th><th class="n">notes</th><th class="n">baselined</th><th class="n">correctly owned</th></tr></thead><tbody>
{{range .Stats.Teams}}<tr><td>{{.Team}}</td><td>{{or .ProductOwner "–"}}</td><td>{{or .ProductMgr "–"}}</td><td class="n">{{.Items}}</td><td class="n">{{.Errors}}</td><td class="n">{{.Warnings}}</td><td class="n">{{.Notes}}</td><td class="n">{{.Baselined}}</td><td class="n">{{if .Items}}{{pct .OwnedShare}} ({{.CorrectlyOwned}}/{{.Items}}){{else}}–{{end}}</td></tr>
{{else}}<tr><td colspan="9" class="muted">No teams.</td></tr>{{end}}</tbody></table>
<h2>By rule</h2>
<table><thead><tr><th>rule</th><th>name</th><th>title</th><th>severity</th><th class="n">findings</th><th class="n">baselined</th></tr></thead><tbody>
{{range .Stats.Rules}}<tr><td><code>{{.ID}}</code></td><td>{{.Name}}</td><td>{{.Title}}</td><td><span class="badge {{sev .Severity}}">{{sev .Severity}}</span></td><td class="n">{{.Findings}}</td><td class="n">{{.Baselined}}</td></tr>
{{else}}<tr><td colspan="6" class="muted">No rules.</td></tr>{{end}}</tbody></table>
<h2>Findings</h2>
{{if .HasFindings}}<table><thead><tr><th>item</th><th>team</th><th>rule</th><th>severity</th><th>message</th><th>suggested owner</th></tr></thead><tbody>
{{range .Items}}{{$it := .}}{{range $i, $f := .Findings}}<tr{{if $f.Suppressed}} class="baselined"{{end}}>{{if eq $i 0}}<td rowspan="{{len $it.Findings}}">{{if $it.URL}}<a href="{{$it.URL}}"><code>{{$it.Key}}</code></a>{{else}}<code>{{$it.Key}}</code>{{end}}<br>{{$it.Title}}<br><span class="muted">{{$it.Source}}</span></td>{{end}}<td>{{or $f.Team "–"}}</td><td><code>{{$f.Rule}}</code> {{$f.Name}}</td><td>{{if $f.Suppressed}}<span class="badge baseline">{{$f.Suppressed}}</span>{{else}}<span class="badge {{sev $f.Severity}}">{{sev $f.Severity}}</span>{{end}}</td><td>{{$f.Message}}</td><td>{{or $f.SuggestedOwner "–"}}</td></tr>
{{end}}{{end}}</tbody></table>{{else}}<p class="muted">No findings{{if .Stats.Complete}} — every item is owned by the right role{{end}}.</p>{{end}}
{{if .Stale}}<h2>Stale baseline entries</h2>
<p>These baseline entries no longer match a finding; remove them so the baseline shrinks.</p>
<table><thead><tr><th>fingerprint</th><th>rule</th><th>source</th><th>item</th></tr></thead><tbody>
{{range .Stale}}<tr><td><code>{{.Fingerprint}}</code></td><td><code>{{.Rule}}</code></td><td>{{.Source}}</td><td>{{.Item}}</td></tr>
{{end}}</tbody></table>{{end}}
{{if .Unused}}<h2>Unused exceptions</h2>
<table><thead><tr><th>rule</th><th>item</th><th>reason</th><th>expires</th></tr></thead><tbody>
{{range .Unused}}<tr><td><code>{{.Rule}}</code></td><td>{{.Item}}</td><td>{{.Reason}}</td><td>{{or .Expires "–"}}</td></tr>
{{end}}</tbody></table>{{end}}
</main>
<footer>Generated by <a href="https://github.com/pomlint/pomlint">pomlint</a> {{.Tool.Version}}. Findings are about tracker items; fingerprints are stable across runs.</footer>
</body>
</html>
`

// HTML writes one self-contained HTML page: inline CSS, inline SVG charts, no
// scripts and no external assets, so it can be archived as a CI artifact or
// mailed. html/template escapes every value taken from trackers.
type HTML struct {
	// Now stamps the page; nil writes no time, keeping output byte-identical.
	Now func() time.Time
}

type htmlPage struct {
	Tool        model.Tool
	Generated   string
	Stats       Stats
	Sources     []model.SourceStatus
	OwnedShare  string
	Charts      []barChart
	Items       []htmlItem
	Stale       []model.BaselineEntry
	Unused      []model.UnusedException
	HasFindings bool
}

type htmlItem struct {
	ItemFindings
	Counted int
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
	chartLabelW = 132
	chartBarW   = 200
	chartRowH   = 26
	chartTop    = 8
)

var htmlTmpl = template.Must(template.New("html").Funcs(template.FuncMap{
	"pct": func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
	"sev": func(s model.Severity) string { return s.String() },
}).Parse(htmlTemplate))

// Report writes the HTML report.
func (h *HTML) Report(w io.Writer, r *model.Result) error {
	s := Summarise(r)
	p := htmlPage{Tool: r.Tool, Stats: s, Sources: r.Sources, Stale: r.StaleBaseline, Unused: r.UnusedExceptions}
	if h.Now != nil {
		p.Generated = h.Now().UTC().Format("2006-01-02 15:04 UTC")
	}
	owned, items := 0, 0
	for _, t := range s.Teams {
		owned += t.CorrectlyOwned
		items += t.Items
	}
	p.OwnedShare = "–"
	if items > 0 {
		p.OwnedShare = fmt.Sprintf("%.0f%%", 100*float64(owned)/float64(items))
	}
	for _, g := range GroupByItem(r.Findings) {
		p.Items = append(p.Items, htmlItem{ItemFindings: g, Counted: countedIn(g)})
	}
	p.HasFindings = len(p.Items) > 0
	p.Charts = []barChart{teamChart(s), ruleChart(s), ownedChart(s)}
	if err := htmlTmpl.Execute(w, p); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

func newChart(title, caption string, rows int) barChart {
	h := chartTop + rows*chartRowH + 24
	return barChart{Title: title, Caption: caption, Width: chartLabelW + chartBarW + 70, Height: h, LabelX: chartLabelW - 6, LegendY: h - 14, LegendTextY: h - 5}
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
	c.Legend = []legendEntry{{X: chartLabelW, Class: "error", Label: "error"}, {X: chartLabelW + 60, Class: "warning", Label: "warning"}, {X: chartLabelW + 135, Class: "note", Label: "note"}}
}

func teamChart(s Stats) barChart {
	c := newChart("Findings by team", "Counted findings per team, by severity.", len(s.Teams))
	severityLegend(&c)
	max := 0
	for _, t := range s.Teams {
		if t.Findings() > max {
			max = t.Findings()
		}
	}
	for i, t := range s.Teams {
		b := bar{Label: shorten(t.Team, 19), Y: chartTop + i*chartRowH, Value: fmt.Sprint(t.Findings())}
		b.TextY = b.Y + 14
		x := chartLabelW
		for _, part := range []struct {
			n     int
			class string
		}{{t.Errors, "error"}, {t.Warnings, "warning"}, {t.Notes, "note"}} {
			if w := scale(part.n, max); w > 0 {
				b.Segments = append(b.Segments, segment{X: x, Y: b.Y, W: w, Class: part.class, Title: fmt.Sprintf("%s: %d %s", t.Team, part.n, part.class)})
				x += w
			}
		}
		b.ValueX = x + 6
		c.Bars = append(c.Bars, b)
	}
	if len(s.Teams) == 0 {
		c.Empty = "No teams."
	}
	return c
}

func ruleChart(s Stats) barChart {
	var rules []RuleStats
	for _, rs := range s.Rules {
		if rs.Findings > 0 {
			rules = append(rules, rs)
		}
	}
	c := newChart("Findings by rule", "Counted findings per rule, by severity.", len(rules))
	severityLegend(&c)
	max := 0
	for _, rs := range rules {
		if rs.Findings > max {
			max = rs.Findings
		}
	}
	for i, rs := range rules {
		b := bar{Label: shorten(rs.ID+" "+rs.Name, 17), Y: chartTop + i*chartRowH, Value: fmt.Sprint(rs.Findings)}
		b.TextY = b.Y + 14
		x := chartLabelW
		for _, part := range []struct {
			n     int
			class string
		}{{rs.Errors, "error"}, {rs.Warnings, "warning"}, {rs.Notes, "note"}} {
			if w := scale(part.n, max); w > 0 {
				b.Segments = append(b.Segments, segment{X: x, Y: b.Y, W: w, Class: part.class, Title: fmt.Sprintf("%s %s: %d %s", rs.ID, rs.Name, part.n, part.class)})
				x += w
			}
		}
		b.ValueX = x + 6
		c.Bars = append(c.Bars, b)
	}
	if len(rules) == 0 {
		c.Empty = "No rule fired."
	}
	return c
}

func ownedChart(s Stats) barChart {
	var teams []TeamStats
	for _, t := range s.Teams {
		if t.Items > 0 {
			teams = append(teams, t)
		}
	}
	c := newChart("Correctly owned items", "Share of a team's items with a known level and no ownership finding (OWN001–OWN004, OWN007).", len(teams))
	for i, t := range teams {
		b := bar{Label: shorten(t.Team, 19), Y: chartTop + i*chartRowH, Value: fmt.Sprintf("%.0f%% (%d/%d)", 100*t.OwnedShare(), t.CorrectlyOwned, t.Items)}
		b.TextY = b.Y + 14
		w := t.CorrectlyOwned * chartBarW / t.Items
		b.Segments = []segment{{X: chartLabelW, Y: b.Y, W: chartBarW, Class: "track", Title: fmt.Sprintf("%s: %d items", t.Team, t.Items)}}
		if w > 0 {
			b.Segments = append(b.Segments, segment{X: chartLabelW, Y: b.Y, W: w, Class: "ok", Title: fmt.Sprintf("%s: %d of %d correctly owned", t.Team, t.CorrectlyOwned, t.Items)})
		}
		b.ValueX = chartLabelW + chartBarW + 6
		c.Bars = append(c.Bars, b)
	}
	c.Width += 30
	if len(teams) == 0 {
		c.Empty = "No items."
	}
	return c
}
