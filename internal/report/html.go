package report

import (
	"fmt"
	"html/template"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/rules"
)

// htmlStyle is shared by the screen and print layouts; charts are laid out
// in Go (see barChart).
const htmlStyle = `:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--card:#fff;--error:#cf222e;--warning:#9a6700;--note:#0969da;--ok:#1a7f37;--track:#e6eaef}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#24292f;color:#fff;padding:20px 32px}
header h1{margin:0;font-size:22px;font-weight:600}
header p{margin:4px 0 0;color:#d0d7de;font-size:13px}
header code{background:#32383f;color:#fff}
header .trend{color:#fff;font-size:14px}
main{padding:24px 32px;max-width:1280px;margin:0 auto}
h2{font-size:18px;margin:32px 0 12px;font-weight:600}
.banner{border:1px solid var(--error);background:#ffebe9;border-radius:6px;padding:12px 16px;margin-bottom:20px}
.banner strong{color:var(--error)}
.banner ul{margin:6px 0 0;padding-left:20px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px}
.card .v{font-size:28px;font-weight:600;line-height:1.2}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .s{color:var(--muted);font-size:12px}
.card.error .v,.error-text{color:var(--error)}.card.warning .v,.warning-text{color:var(--warning)}.card.note .v{color:var(--note)}.card.ok .v,.ok-text{color:var(--ok)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:12px}
.chart{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px;break-inside:avoid}
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
tr{break-inside:avoid}
.badge{display:inline-block;padding:0 7px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.badge.error{background:var(--error)}.badge.warning{background:var(--warning)}.badge.note{background:var(--note)}.badge.none,.badge.baseline{background:var(--muted)}
.badge.incomplete{background:var(--error)}.badge.complete{background:var(--ok)}.badge.new{background:#8250df}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--bg);padding:1px 4px;border-radius:4px}
a{color:var(--note);text-decoration:none}a:hover{text-decoration:underline}
.muted{color:var(--muted)}
details summary{cursor:pointer;color:var(--note)}
details ul{margin:6px 0 0;padding-left:18px}
ul.acts{list-style:none;margin:0;padding:0}ul.acts li{margin:0 0 2px}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:6px;vertical-align:middle}
.dot.error{background:var(--error)}.dot.warning{background:var(--warning)}.dot.note{background:var(--note)}
@media print{.dot{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
.filters{display:flex;flex-wrap:wrap;gap:16px;align-items:center;margin:0 0 10px;font-size:13px}
.filters select{font:inherit;padding:2px 4px}
.filters[hidden]{display:none}
footer{color:var(--muted);font-size:12px;padding:24px 32px;text-align:center}
@page{size:A4;margin:12mm}
@media print{
body{background:#fff;font-size:11px}
header{background:#fff;color:var(--fg);padding:0 0 8px;border-bottom:2px solid var(--fg)}
header p,header .trend{color:var(--fg)}
header code{background:none;color:var(--fg)}
main{padding:0;max-width:none}
h2{margin:18px 0 8px;break-after:avoid}
.filters,footer{display:none}
.charts{grid-template-columns:1fr}
.card,.chart,table{border-color:#999}
th,td{padding:4px 6px}
a{color:var(--fg)}
.badge{border:1px solid #000;print-color-adjust:exact;-webkit-print-color-adjust:exact}
rect,.card{print-color-adjust:exact;-webkit-print-color-adjust:exact}
}`

// htmlScript is the only script: it shows the filter bar and hides the
// findings rows a filter excludes, and opens every <details> for printing.
// Without it the page shows every row and nothing is lost.
const htmlScript = `(function(){
var f=document.getElementById("filters"),rows=document.querySelectorAll("#findings tbody tr[data-sev]"),out=document.getElementById("shown");
if(f&&rows.length){f.hidden=false;
var apply=function(){var want={};f.querySelectorAll("select").forEach(function(s){want[s.name]=s.value});var n=0;
rows.forEach(function(r){var ok=Object.keys(want).every(function(k){return !want[k]||r.dataset[k]===want[k]});r.hidden=!ok;if(ok)n++});
out.textContent=n+" of "+rows.length+" shown"};
f.addEventListener("change",apply);apply()}
window.addEventListener("beforeprint",function(){document.querySelectorAll("details").forEach(function(d){d.open=true})});
})();`

const htmlTemplate = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{.Tool.Name}} {{.Tool.Version}}">
<title>pomlint report{{with .Generated}} {{.}}{{end}}{{if not .Stats.Complete}} (INCOMPLETE){{end}}</title>
<style>
{{.Style}}
</style>
</head>
<body>
<header>
<h1>pomlint ownership report{{if not .Stats.Complete}} — INCOMPLETE{{end}}</h1>
<p>{{with .Generated}}Run {{.}} · {{end}}{{with .Config}}config <code>{{.}}</code> · {{end}}sources: {{range $i, $s := .Sources}}{{if $i}}, {{end}}<code>{{$s.Name}}</code> ({{$s.Kind}}, {{$s.Items}} items{{if not $s.Complete}}, INCOMPLETE{{end}}){{else}}none{{end}} · {{.Tool.Name}} {{.Tool.Version}}</p>
{{with .Trend}}<p class="trend">Compared with {{.Against}}: <strong>{{.New}} new</strong> · {{.Fixed}} fixed · {{.Unchanged}} unchanged · correctly owned {{$.ThenShare}} then, {{$.OwnedShare}} now</p>{{end}}
</header>
<main>
{{if not .Stats.Complete}}<div class="banner" role="alert"><strong>INCOMPLETE run — partial results.</strong> These sources could not be read completely, so the figures below do not cover everything and the run cannot pass:
<ul>{{range .Stats.Incomplete}}<li><code>{{.Name}}</code> ({{.Kind}}): {{.Error}}</li>{{end}}</ul></div>{{end}}
<section class="cards">
<div class="card"><div class="v">{{.Stats.Items}}</div><div class="k">items</div></div>
<div class="card{{if .Stats.Findings}} error{{else}} ok{{end}}"><div class="v">{{.Stats.Findings}}</div><div class="k">findings</div>{{with .Trend}}<div class="s">{{.New}} new · {{.Fixed}} fixed</div>{{end}}</div>
<div class="card error"><div class="v">{{index .Stats.BySeverity "error"}}</div><div class="k">errors</div></div>
<div class="card warning"><div class="v">{{index .Stats.BySeverity "warning"}}</div><div class="k">warnings</div></div>
<div class="card note"><div class="v">{{index .Stats.BySeverity "note"}}</div><div class="k">notes</div></div>
<div class="card"><div class="v">{{.Stats.Baselined}}</div><div class="k">baselined</div></div>
<div class="card {{.OwnedClass}}"><div class="v">{{.OwnedShare}}</div><div class="k">correctly owned</div>{{if .Trend}}<div class="s">{{.ThenShare}} then</div>{{end}}</div>
</section>
<h2 id="act">Who must act</h2>
{{if .Actors}}<p class="muted">Counted findings by the person who must act: the item's owner, or the suggested owner of an unowned item. Most errors first.</p>
<table><thead><tr><th>who</th><th class="n">errors</th><th class="n">warnings</th><th class="n">notes</th><th>items</th></tr></thead><tbody>
{{range .Actors}}<tr><td>{{if .ID}}<strong>{{.Name}}</strong>{{else}}<span class="muted">{{.Name}}</span>{{end}}</td><td class="n{{if .Errors}} error-text{{end}}">{{.Errors}}</td><td class="n{{if .Warnings}} warning-text{{end}}">{{.Warnings}}</td><td class="n">{{.Notes}}</td><td><ul class="acts">{{range .Shown}}{{template "act" .}}{{end}}</ul>{{with .More}}<details><summary>{{len .}} more</summary><ul class="acts">{{range .}}{{template "act" .}}{{end}}</ul></details>{{end}}</td></tr>
{{end}}</tbody></table>{{else}}<p class="muted">Nobody: no counted finding.</p>{{end}}
<h2>Charts</h2>
<section class="charts">
{{range .Charts}}{{$c := .}}<div class="chart"><h3>{{.Title}}</h3><p>{{.Caption}}</p>
{{if .Empty}}<p class="muted">{{.Empty}}</p>{{else}}<svg role="img" aria-label="{{.Title}}" style="width:100%;max-width:{{.Width}}px;height:auto" viewBox="0 0 {{.Width}} {{.Height}}" xmlns="http://www.w3.org/2000/svg">
{{range .Bars}}<text class="label" x="{{$c.LabelX}}" y="{{.TextY}}">{{.Label}}</text>{{range .Segments}}<rect class="{{.Class}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="18" rx="3"><title>{{.Title}}</title></rect>{{end}}<text x="{{.ValueX}}" y="{{.TextY}}">{{.Value}}</text>
{{end}}{{range .Legend}}<rect class="{{.Class}}" x="{{.X}}" y="{{$c.LegendY}}" width="10" height="10" rx="2"></rect><text x="{{.X}}" dx="14" y="{{$c.LegendTextY}}">{{.Label}}</text>{{end}}
</svg>{{end}}</div>
{{end}}</section>
<h2>Findings</h2>
{{if .Rows}}<form class="filters" id="filters" hidden><label>team <select name="team"><option value="">all</option>{{range .TeamNames}}<option>{{.}}</option>{{end}}</select></label> <label>rule <select name="rule"><option value="">all</option>{{range .RuleNames}}<option>{{.}}</option>{{end}}</select></label> <label>severity <select name="sev"><option value="">all</option>{{range .SevNames}}<option>{{.}}</option>{{end}}</select></label> <span id="shown" class="muted"></span></form>
<table id="findings"><thead><tr><th>severity</th><th>item</th><th>owner</th><th>team</th><th>rule</th><th>message</th><th>suggested owner</th></tr></thead><tbody>
{{range .Rows}}{{$f := .Finding}}<tr data-team="{{.Team}}" data-rule="{{$f.Rule}}" data-sev="{{.Sev}}"{{if $f.Suppressed}} class="baselined"{{end}}><td><span class="badge {{.Sev}}">{{.Sev}}</span>{{if .New}} <span class="badge new">new</span>{{end}}</td><td>{{if .URL}}<a href="{{.URL}}"><code>{{$f.Item}}</code></a>{{else}}<code>{{$f.Item}}</code>{{end}}<br>{{$f.Title}}<br><span class="muted">{{$f.Source}}</span></td><td>{{or .Owner "–"}}</td><td>{{.Team}}</td><td><code>{{$f.Rule}}</code> {{$f.Name}}</td><td>{{$f.Message}}</td><td>{{or .Suggested "–"}}</td></tr>
{{end}}</tbody></table>{{else}}<p class="muted">No findings{{if .Stats.Complete}} — every item is owned by the right role{{end}}.</p>{{end}}
<h2>By team</h2>
<table><thead><tr><th>team</th><th>product owner</th><th>product manager</th><th class="n">items</th><th class="n">errors</th><th class="n">warnings</th><th class="n">notes</th><th class="n">baselined</th><th class="n">correctly owned</th></tr></thead><tbody>
{{range .Teams}}<tr><td>{{.Team}}</td><td>{{or .PO "–"}}</td><td>{{or .PM "–"}}</td><td class="n">{{.Items}}</td><td class="n">{{.Errors}}</td><td class="n">{{.Warnings}}</td><td class="n">{{.Notes}}</td><td class="n">{{.Baselined}}</td><td class="n">{{if .Items}}<span class="{{.ShareClass}}-text">{{pct .OwnedShare}}</span> ({{.CorrectlyOwned}}/{{.Items}}){{else}}–{{end}}</td></tr>
{{else}}<tr><td colspan="9" class="muted">No teams.</td></tr>{{end}}</tbody></table>
<h2>By rule</h2>
<table><thead><tr><th>rule</th><th>name</th><th>title</th><th>severity</th><th class="n">findings</th><th class="n">baselined</th></tr></thead><tbody>
{{range .Stats.Rules}}<tr><td><code>{{.ID}}</code></td><td>{{.Name}}</td><td>{{.Title}}</td><td><span class="badge {{sev .Severity}}">{{sev .Severity}}</span></td><td class="n">{{.Findings}}</td><td class="n">{{.Baselined}}</td></tr>
{{else}}<tr><td colspan="6" class="muted">No rules.</td></tr>{{end}}</tbody></table>
<h2>Sources</h2>
<table><thead><tr><th>source</th><th>kind</th><th class="n">items</th><th>status</th><th>error</th></tr></thead><tbody>
{{range .Sources}}<tr><td><code>{{.Name}}</code></td><td>{{.Kind}}</td><td class="n">{{.Items}}</td><td>{{if .Complete}}<span class="badge complete">complete</span>{{else}}<span class="badge incomplete">INCOMPLETE</span>{{end}}</td><td>{{.Error}}</td></tr>
{{else}}<tr><td colspan="5" class="muted">No sources.</td></tr>{{end}}</tbody></table>
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
<script>
{{.Script}}
</script>
</body>
</html>
{{define "act"}}<li><span class="dot {{sev .Worst}}" title="{{sev .Worst}}"></span>{{if .URL}}<a href="{{.URL}}"><code>{{.Key}}</code></a>{{else}}<code>{{.Key}}</code>{{end}} {{.Title}} <span class="muted">{{range $i, $r := .Rules}}{{if $i}}, {{end}}{{$r}}{{end}}{{if .Suggested}} · unowned, suggested{{end}}</span></li>
{{end}}`

// HTML writes one self-contained HTML page: inline CSS, inline SVG charts,
// one small inline script for the findings filters (the page reads fully
// without it), no external assets, so it can be archived as a CI artifact or
// mailed. It lays out for a 1280 px screen and prints on A4. html/template
// escapes every value taken from trackers.
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

var htmlTmpl = template.Must(template.New("html").Funcs(template.FuncMap{
	"pct": func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
	"sev": func(s model.Severity) string { return s.String() },
}).Parse(htmlTemplate))

// Report writes the HTML report.
func (h *HTML) Report(w io.Writer, r *model.Result) error {
	s := Summarise(r)
	people := NewPeople(r)
	p := htmlPage{Tool: r.Tool, Stats: s, Sources: r.Sources, Stale: r.StaleBaseline, Unused: r.UnusedExceptions,
		Config: r.Config.File, Trend: h.Trend, Style: template.CSS(htmlStyle), Script: template.JS(htmlScript)}
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
	for r := range rules {
		p.RuleNames = append(p.RuleNames, r)
	}
	sort.Strings(p.RuleNames)
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
	c := newChart("Correctly owned items", "Share of a team's items with a known level and no ownership finding ("+idRanges(rules.IDsIn(model.CategoryOwnership))+").", labels, chartValueW)
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

// idRanges writes sorted rule IDs with runs of consecutive numbers as
// ranges: "OWN001–OWN004, OWN007".
func idRanges(ids []string) string {
	num := func(id string) (string, int, bool) {
		i := strings.IndexFunc(id, func(r rune) bool { return r >= '0' && r <= '9' })
		if i < 0 {
			return id, 0, false
		}
		n, err := strconv.Atoi(id[i:])
		return id[:i], n, err == nil
	}
	var parts []string
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) {
			p, n, ok := num(ids[j])
			q, m, ok2 := num(ids[j+1])
			if !ok || !ok2 || p != q || m != n+1 {
				break
			}
			j++
		}
		switch {
		case j == i:
			parts = append(parts, ids[i])
		case j == i+1:
			parts = append(parts, ids[i], ids[j])
		default:
			parts = append(parts, ids[i]+"–"+ids[j])
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
