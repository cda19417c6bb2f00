package report

import (
	"cmp"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pomlint/pomlint/internal/markdown"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/rules"
)

// GitHubBodyLimit is the largest body GitHub accepts for an issue or pull
// request comment, in characters.
const GitHubBodyLimit = 65536

// StepSummaryLimit is the largest job summary GitHub Actions accepts from one
// step (1 MiB).
const StepSummaryLimit = 1 << 20

// NoTeam is how reports name the group of items that matched no team.
const NoTeam = "(no team)"

// categories maps the rule IDs of r to their categories: the category its
// documentation gives, else the built-in rule's (a result read from JSON
// written before categories existed).
func categories(r *model.Result) map[string]model.Category {
	m := map[string]model.Category{}
	for _, d := range r.Rules {
		m[d.ID] = cmp.Or(d.Category, rules.Category(d.ID))
	}
	for _, f := range r.Findings {
		if _, ok := m[f.Rule]; !ok {
			m[f.Rule] = rules.Category(f.Rule)
		}
	}
	return m
}

// Stats are the figures the human formats (Markdown, HTML, the job summary)
// share, computed once from a result.
type Stats struct {
	Items      int
	Findings   int // counted findings (not baselined)
	Baselined  int
	BySeverity map[string]int
	Complete   bool
	// Incomplete are the sources that could not be read completely.
	Incomplete []model.SourceStatus
	Teams      []TeamStats
	Rules      []RuleStats
}

// TeamStats are one team's figures. Team is NoTeam for items that matched no
// team.
type TeamStats struct {
	Team                     string
	Items                    int
	Errors, Warnings, Notes  int
	Baselined                int
	ProductOwner, ProductMgr string
	// CorrectlyOwned counts items with a known level and no finding of an
	// ownership rule (model.CategoryOwnership: OWN001-OWN004, OWN007),
	// baselined ones included: a baseline accepts a problem, it does not
	// fix it. The level and the ownership rules are rules.JudgeOwnership.
	CorrectlyOwned int
}

// Findings is the team's counted findings.
func (t TeamStats) Findings() int { return t.Errors + t.Warnings + t.Notes }

// OwnedShare is CorrectlyOwned / Items, 0 for a team without items.
func (t TeamStats) OwnedShare() float64 {
	if t.Items == 0 {
		return 0
	}
	return float64(t.CorrectlyOwned) / float64(t.Items)
}

// RuleStats are one rule's figures.
type RuleStats struct {
	ID, Name, Title string
	Severity        model.Severity
	Findings        int // counted
	Baselined       int
	// Counted findings by their own severity, which a severity override
	// may have changed from the rule's default.
	Errors, Warnings, Notes int
}

// Summarise computes the shared figures. Teams come in roster order, then any
// team only findings name, then NoTeam; rules in r.Rules order (sorted by ID),
// then any rule only findings name.
func Summarise(r *model.Result) Stats {
	s := Stats{Items: r.ItemCount(), BySeverity: r.BySeverity(), Complete: r.Complete()}
	if s.Items == 0 {
		s.Items = len(r.Items)
	}
	for _, src := range r.Sources {
		if !src.Complete {
			s.Incomplete = append(s.Incomplete, src)
		}
	}
	teamIdx := map[string]int{}
	addTeam := func(name string) *TeamStats {
		if name == "" {
			name = NoTeam
		}
		if i, ok := teamIdx[name]; ok {
			return &s.Teams[i]
		}
		teamIdx[name] = len(s.Teams)
		s.Teams = append(s.Teams, TeamStats{Team: name})
		return &s.Teams[len(s.Teams)-1]
	}
	if r.Roster != nil {
		for _, t := range r.Roster.Teams {
			ts := addTeam(t.Name)
			ts.ProductOwner, ts.ProductMgr = t.ProductOwner, t.ProductManager
		}
	}
	ruleIdx := map[string]int{}
	addRule := func(id, name string, sev model.Severity) *RuleStats {
		if i, ok := ruleIdx[id]; ok {
			return &s.Rules[i]
		}
		ruleIdx[id] = len(s.Rules)
		s.Rules = append(s.Rules, RuleStats{ID: id, Name: name, Severity: sev})
		return &s.Rules[len(s.Rules)-1]
	}
	for _, d := range r.Rules {
		rs := addRule(d.ID, d.Name, d.Severity)
		rs.Title = d.Title
	}
	badOwner := map[string]bool{} // source + "\x00" + item
	category := categories(r)
	for _, f := range r.Findings {
		rs := addRule(f.Rule, f.Name, f.Severity)
		ts := addTeam(f.Team)
		if category[f.Rule] == model.CategoryOwnership {
			badOwner[f.Source+"\x00"+f.Item] = true
		}
		if f.Suppressed != "" {
			s.Baselined++
			rs.Baselined++
			ts.Baselined++
			continue
		}
		s.Findings++
		rs.Findings++
		switch f.Severity {
		case model.SeverityError:
			ts.Errors++
			rs.Errors++
		case model.SeverityWarning:
			ts.Warnings++
			rs.Warnings++
		default:
			ts.Notes++
			rs.Notes++
		}
	}
	// Sources may hand over closed items that were read only as parents and
	// not linted; count them only when a source's linted count says so.
	perSource := map[string]int{}
	for i := range r.Items {
		perSource[r.Items[i].Source]++
	}
	lintedAll := map[string]bool{}
	for _, src := range r.Sources {
		lintedAll[src.Name] = src.Items == perSource[src.Name]
	}
	for i := range r.Items {
		it := &r.Items[i]
		if it.Closed && !lintedAll[it.Source] {
			continue
		}
		ts := addTeam(it.Team)
		ts.Items++
		if it.Level != "" && it.Level != model.LevelUnknown && !badOwner[it.Source+"\x00"+it.Key] {
			ts.CorrectlyOwned++
		}
	}
	// Keep NoTeam last whatever order findings named it in.
	if i, ok := teamIdx[NoTeam]; ok && i != len(s.Teams)-1 {
		nt := s.Teams[i]
		s.Teams = append(append(s.Teams[:i:i], s.Teams[i+1:]...), nt)
	}
	return s
}

// ItemFindings are the findings of one item, for reports that group by item.
type ItemFindings struct {
	Source, Key, URL, Title string
	Team                    string
	Findings                []model.Finding
}

// GroupByItem groups findings (already sorted by source, item, rule) by item,
// keeping their order.
func GroupByItem(findings []model.Finding) []ItemFindings {
	var out []ItemFindings
	for _, f := range findings {
		if n := len(out); n > 0 && out[n-1].Source == f.Source && out[n-1].Key == f.Item {
			out[n-1].Findings = append(out[n-1].Findings, f)
			continue
		}
		out = append(out, ItemFindings{Source: f.Source, Key: f.Item, URL: f.URL, Title: f.Title, Team: f.Team, Findings: []model.Finding{f}})
	}
	return out
}

// Markdown is the Markdown report for job summaries, PR comments and issues.
// Limit caps the size in bytes (0 means GitHubBodyLimit); bytes are never
// fewer than characters, so the cap also holds for GitHub's character limit.
type Markdown struct {
	Limit int
	// Now stamps the header with the run's date; nil writes no time.
	Now func() time.Time
	// Trend, when set, compares the run with a baseline or a snapshot.
	Trend *Trend
}

// Report writes the Markdown report.
func (m *Markdown) Report(w io.Writer, r *model.Result) error {
	limit := m.Limit
	if limit <= 0 {
		limit = GitHubBodyLimit
	}
	var now time.Time
	if m.Now != nil {
		now = m.Now()
	}
	if _, err := io.WriteString(w, markdownReport(r, limit, now, m.Trend)); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

// StatusMark is the headline emoji: ⛔ incomplete, ❌ errors, ⚠️ other
// findings, ✅ clean.
func StatusMark(complete bool, errors, findings int) string {
	switch {
	case !complete:
		return "⛔"
	case errors > 0:
		return "❌"
	case findings > 0:
		return "⚠️"
	}
	return "✅"
}

// MarkdownHeading is the report's headline: "## pomlint: N findings in M
// items", with the INCOMPLETE warning (each failed source and its error) right
// under it when a source could not be read completely.
func MarkdownHeading(r *model.Result, s Stats) string {
	var b strings.Builder
	status := StatusMark(s.Complete, s.BySeverity["error"], s.Findings)
	fmt.Fprintf(&b, "## %s pomlint: %s in %s\n\n", status, markdown.Plural(s.Findings, "finding"), markdown.Plural(s.Items, "item"))
	if !s.Complete {
		b.WriteString("> [!CAUTION]\n> **INCOMPLETE run (partial results)**: ")
		b.WriteString(markdown.Plural(len(s.Incomplete), "source"))
		b.WriteString(" could not be read completely, so these results do not cover everything and the run cannot pass.\n")
		for _, src := range s.Incomplete {
			fmt.Fprintf(&b, "> - `%s` (%s): %s\n", markdown.CodeSpan(src.Name), markdown.Escape(src.Kind), markdown.Escape(markdown.Shorten(markdown.OrUnknown(src.Error), 500)))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "| errors | warnings | notes | baselined | items | sources |\n|---:|---:|---:|---:|---:|---|\n| %d | %d | %d | %d | %d | %s |\n\n",
		s.BySeverity["error"], s.BySeverity["warning"], s.BySeverity["note"], s.Baselined, s.Items, sourceList(r.Sources))
	return b.String()
}

func sourceList(sources []model.SourceStatus) string {
	if len(sources) == 0 {
		return "none"
	}
	parts := make([]string, len(sources))
	for i, src := range sources {
		mark := "complete"
		if !src.Complete {
			mark = "**INCOMPLETE**"
		}
		parts[i] = fmt.Sprintf("%s (%d, %s)", markdown.Escape(src.Name), src.Items, mark)
	}
	return strings.Join(parts, ", ")
}

// markdownTeamTable is the per-team table: items, findings by severity,
// baselined, and the share of correctly owned items, naming product owners
// and managers with name. It lists at most maxRows teams (0 means all) and
// says how many it left out.
func markdownTeamTable(s Stats, maxRows int, name func(string) string) string {
	var b strings.Builder
	b.WriteString("| team | PO | PM | items | errors | warnings | notes | baselined | correctly owned |\n|---|---|---|---:|---:|---:|---:|---:|---:|\n")
	rows := s.Teams
	if maxRows > 0 && len(rows) > maxRows {
		rows = rows[:maxRows]
	}
	for _, t := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %d | %d | %d | %d | %s |\n", markdown.Escape(t.Team), markdown.Escape(markdown.Dash(name(t.ProductOwner))), markdown.Escape(markdown.Dash(name(t.ProductMgr))),
			t.Items, t.Errors, t.Warnings, t.Notes, t.Baselined, ownedShare(t))
	}
	if n := len(s.Teams) - len(rows); n > 0 {
		fmt.Fprintf(&b, "\n_%s not shown._\n", markdown.Plural(n, "more team"))
	}
	return b.String()
}

func ownedShare(t TeamStats) string {
	if t.Items == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%% (%d/%d)", 100*t.OwnedShare(), t.CorrectlyOwned, t.Items)
}

// MarkdownRuleTable is the per-rule table of rules with findings (counted or
// baselined).
func MarkdownRuleTable(s Stats) string {
	var b strings.Builder
	b.WriteString("| rule | name | severity | findings | baselined |\n|---|---|---|---:|---:|\n")
	n := 0
	for _, rs := range s.Rules {
		if rs.Findings == 0 && rs.Baselined == 0 {
			continue
		}
		n++
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %d |\n", markdown.Escape(rs.ID), markdown.Escape(rs.Name), rs.Severity, rs.Findings, rs.Baselined)
	}
	if n == 0 {
		return "No rule fired.\n"
	}
	return b.String()
}

// markdownItemDetails is one collapsible <details> block for an item and its
// findings.
func markdownItemDetails(it ItemFindings, people *People) string {
	var b strings.Builder
	counted := 0
	for _, f := range it.Findings {
		if f.Suppressed == "" {
			counted++
		}
	}
	b.WriteString("<details><summary>")
	if u, err := url.Parse(it.URL); err == nil && (u.Scheme == "https" || u.Scheme == "http") {
		fmt.Fprintf(&b, `<a href="%s"><code>%s</code></a>`, markdown.HTMLCode(u.String()), markdown.HTMLCode(it.Key))
	} else {
		fmt.Fprintf(&b, "<code>%s</code>", markdown.HTMLCode(it.Key))
	}
	fmt.Fprintf(&b, " %s — ", markdown.HTMLText(markdown.Shorten(it.Title, 120)))
	if people != nil {
		owner := "no owner"
		if o := people.Owner(&it.Findings[0]); o != "" {
			owner = "owner " + o
		}
		fmt.Fprintf(&b, "%s — ", markdown.HTMLText(owner))
	}
	b.WriteString(markdown.Plural(counted, "finding"))
	if n := len(it.Findings) - counted; n > 0 {
		fmt.Fprintf(&b, ", %d baselined", n)
	}
	b.WriteString("</summary>\n\n")
	for _, f := range it.Findings {
		fmt.Fprintf(&b, "- **%s** %s (%s", markdown.Escape(f.Rule), markdown.Escape(f.Name), f.Severity)
		if f.Suppressed != "" {
			fmt.Fprintf(&b, ", %s", markdown.Escape(f.Suppressed))
		}
		msg := strings.TrimSpace(markdown.Shorten(f.Message, 400))
		fmt.Fprintf(&b, "): %s", markdown.Escape(msg))
		if f.SuggestedOwner != "" {
			if !strings.HasSuffix(msg, ".") {
				b.WriteString(".")
			}
			suggested := f.SuggestedOwner
			if people != nil {
				suggested = people.Name(suggested)
			}
			fmt.Fprintf(&b, " Suggested owner: %s.", markdown.Escape(suggested))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n</details>\n")
	return b.String()
}

// MarkdownLimited renders the whole Markdown report in at most limit bytes.
// The headline, completeness and totals always come first; then the
// who-must-act, team and rule tables, stale baseline entries and unused
// exceptions (short and actionable), then the findings table (severity,
// item, owner, team, rule; at most half of the room left), then one
// <details> per item with findings (counted items first). When something
// does not fit, it stops adding and ends with a note saying exactly how many
// items, findings and entries were left out.
func MarkdownLimited(r *model.Result, limit int) string {
	return markdownReport(r, limit, time.Time{}, nil)
}

// markdownRun is the line under the headline: when the run was (now, when
// set), which config it read, and the trend against an earlier run.
func markdownRun(r *model.Result, s Stats, now time.Time, trend *Trend) string {
	var parts []string
	if !now.IsZero() {
		parts = append(parts, "Run "+now.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if r.Config.File != "" {
		parts = append(parts, "config `"+markdown.CodeSpan(r.Config.File)+"`")
	}
	var b strings.Builder
	if len(parts) > 0 {
		b.WriteString(strings.Join(parts, " · ") + "\n\n")
	}
	if trend != nil {
		b.WriteString("**Trend** " + markdown.Escape(TrendLine(trend, s)) + ".\n\n")
	}
	return b.String()
}

// markdownActors is the "Who must act" table: one row per actor, at most
// maxRows (0 means all), each with links to at most 8 of their items.
func markdownActors(actors []Actor, maxRows int) string {
	var b strings.Builder
	b.WriteString("### Who must act\n\nCounted findings by the person who must act: the item's owner, or the suggested owner (*) of an unowned item.\n\n| who | errors | warnings | notes | items |\n|---|---:|---:|---:|---|\n")
	rows := actors
	if maxRows > 0 && len(rows) > maxRows {
		rows = rows[:maxRows]
	}
	for _, a := range rows {
		name := "**" + markdown.Escape(a.Name) + "**"
		if a.ID == "" {
			name = "_" + markdown.Escape(a.Name) + "_"
		}
		links := make([]string, 0, 8)
		for i, it := range a.Items {
			if i == 8 {
				links = append(links, fmt.Sprintf("+%d more", len(a.Items)-8))
				break
			}
			l := markdown.Link(it.Key, it.URL)
			if it.Suggested {
				l += "\\*"
			}
			links = append(links, l+" "+markdown.Escape(strings.Join(it.Rules, ", ")))
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %s |\n", name, a.Errors, a.Warnings, a.Notes, strings.Join(links, "; "))
	}
	if n := len(actors) - len(rows); n > 0 {
		fmt.Fprintf(&b, "\n_%s not shown._\n", markdown.Plural(n, "more person"))
	}
	b.WriteString("\n")
	return b.String()
}

// markdownFindings is the compact findings table, findings in the order
// given (BySeverity): severity ("baseline" for a baselined one, "new" when
// the earlier run did not have it), item link and title, owner by display
// name (or the suggested owner of an unowned item), team and rule. It lists
// as many findings as fit in room bytes, each row rendered once, says how
// many it left out, and returns how many it shows ("", 0 when not one
// fits).
func markdownFindings(findings []model.Finding, room int, people *People, trend *Trend) (string, int) {
	var b strings.Builder
	b.WriteString("### Findings\n\n| severity | item | owner | team | rule |\n|---|---|---|---|---|\n")
	notShown := func(n int) string {
		if n == 0 {
			return "\n"
		}
		return fmt.Sprintf("\n_%s not shown._\n\n", markdown.Plural(n, "more finding"))
	}
	reserve := len(notShown(len(findings))) // the longest note
	shown := 0
	for i := range findings {
		row := markdownFindingRow(&findings[i], people, trend)
		end := reserve
		if i == len(findings)-1 {
			end = len(notShown(0))
		}
		if b.Len()+len(row)+end > room {
			break
		}
		b.WriteString(row)
		shown++
	}
	if shown == 0 {
		return "", 0
	}
	b.WriteString(notShown(len(findings) - shown))
	return b.String(), shown
}

func markdownFindingRow(f *model.Finding, people *People, trend *Trend) string {
	sev := f.Severity.String()
	if f.Suppressed != "" {
		sev = markdown.Escape(f.Suppressed)
	}
	if trend.IsNew(*f) {
		sev += " · **new**"
	}
	item := markdown.Link(f.Item, f.URL)
	if t := strings.TrimSpace(f.Title); t != "" {
		item += " " + markdown.Escape(markdown.Shorten(t, 60))
	}
	owner := markdown.Escape(people.Owner(f))
	if owner == "" {
		owner = "–"
		if f.SuggestedOwner != "" {
			owner += " (suggested: " + markdown.Escape(people.Name(f.SuggestedOwner)) + ")"
		}
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s %s |\n", sev, item, owner, markdown.Escape(cmp.Or(f.Team, NoTeam)), markdown.Escape(f.Rule), markdown.Escape(f.Name))
}

func markdownReport(r *model.Result, limit int, now time.Time, trend *Trend) string {
	s := Summarise(r)
	const reserve = 600 // for the closing "left out" note
	d := &markdownDoc{budget: limit - reserve}
	d.b.WriteString(markdownHead(r, s, now, trend, d.budget))
	people := NewPeople(r)

	if actors := WhoMustAct(r, people); len(actors) > 0 {
		d.addShrinking(len(actors), func(rows int) string { return markdownActors(actors, rows) },
			"person", "the who-must-act table")
	}
	if len(s.Teams) > 0 {
		d.addShrinking(len(s.Teams), func(rows int) string {
			return "### By team\n\n" + markdownTeamTable(s, rows, people.Name) + "\n"
		}, "team", "the team table")
	}
	d.addOrCut("### By rule\n\n"+MarkdownRuleTable(s)+"\n", "the rule table")
	if n := len(r.StaleBaseline); n > 0 {
		d.addOrCut(markdownStale(r.StaleBaseline), markdown.Plural(n, "stale baseline entry"))
	}
	if n := len(r.UnusedExceptions); n > 0 {
		d.addOrCut(markdownUnused(r.UnusedExceptions), markdown.Plural(n, "unused exception"))
	}
	// The findings table gets at most half of what is left, so that the
	// item details (messages, suggested owners) keep the other half; its
	// cut is noted after theirs.
	tableCut := d.addFindingsTable(r.Findings, people, trend)
	d.addItemDetails(r.Findings, people)
	if tableCut != "" {
		d.cut = append(d.cut, tableCut)
	}
	if len(d.cut) > 0 {
		note := fmt.Sprintf("> [!NOTE]\n> **Shortened to stay under %d characters.** Left out: %s. The SARIF, HTML, CSV or JSON report has everything.\n",
			limit, strings.Join(d.cut, "; "))
		d.b.WriteString(markdown.CutBytes(note, reserve))
	}
	return d.b.String()
}

// markdownDoc is a Markdown report being written within a budget of bytes,
// with the list of what was left out to stay under it.
type markdownDoc struct {
	b      strings.Builder
	budget int
	cut    []string
}

// markdownHead is the heading with the run line right under the headline,
// cut to budget.
func markdownHead(r *model.Result, s Stats, now time.Time, trend *Trend, budget int) string {
	head := MarkdownHeading(r, s)
	if run := markdownRun(r, s, now, trend); run != "" {
		i := strings.Index(head, "\n\n") + 2
		head = head[:i] + run + head[i:]
	}
	if len(head) > budget {
		// Only a huge number of failed sources gets here; keep the verdict.
		head = markdown.CutBytes(head, budget)
	}
	return head
}

func (d *markdownDoc) fits(block string) bool { return d.b.Len()+len(block) <= d.budget }

// addOrCut writes block if it fits, else notes what as left out.
func (d *markdownDoc) addOrCut(block, what string) {
	if d.fits(block) {
		d.b.WriteString(block)
		return
	}
	d.cut = append(d.cut, what)
}

// addShrinking writes the table render draws (all n rows for 0), halving
// its rows until it fits; it notes the rows left out (counted in unit) or
// the whole table.
func (d *markdownDoc) addShrinking(n int, render func(rows int) string, unit, table string) {
	rows := n
	block := render(0)
	for !d.fits(block) && rows > 1 {
		rows /= 2
		block = render(rows)
	}
	if !d.fits(block) {
		d.cut = append(d.cut, table)
		return
	}
	d.b.WriteString(block)
	if rows < n {
		d.cut = append(d.cut, markdown.Plural(n-rows, unit)+" from "+table)
	}
}

// addFindingsTable writes as much of the findings table as half the room
// left allows and returns the note of what it left out, if anything.
func (d *markdownDoc) addFindingsTable(findings []model.Finding, people *People, trend *Trend) string {
	n := len(findings)
	if n == 0 {
		return ""
	}
	block, shown := markdownFindings(BySeverity(findings), (d.budget-d.b.Len())/2, people, trend)
	d.b.WriteString(block)
	switch {
	case shown == 0:
		return "the findings table"
	case shown < n:
		return markdown.Plural(n-shown, "finding") + " from the findings table"
	}
	return ""
}

// addItemDetails writes the details of as many items as fit, items by
// their most serious counted finding (errors first), baselined-only items
// after them, and notes the rest.
func (d *markdownDoc) addItemDetails(findings []model.Finding, people *People) {
	groups := GroupByItem(findings)
	slices.SortStableFunc(groups, func(x, y ItemFindings) int { return cmp.Compare(worstCounted(y), worstCounted(x)) })
	if len(groups) == 0 {
		return
	}
	var sec strings.Builder
	sec.WriteString("### Findings by item\n\n")
	shown := 0
	for _, g := range groups {
		block := markdownItemDetails(g, people)
		if d.b.Len()+sec.Len()+len(block)+1 > d.budget {
			break
		}
		sec.WriteString(block)
		shown++
	}
	if shown > 0 {
		sec.WriteString("\n")
		d.b.WriteString(sec.String())
	}
	if left := groups[shown:]; len(left) > 0 {
		counted, baselined := 0, 0
		for _, g := range left {
			c := countedIn(g)
			counted += c
			baselined += len(g.Findings) - c
		}
		d.cut = append(d.cut, fmt.Sprintf("details of %s (%s, %d baselined)", markdown.Plural(len(left), "item"), markdown.Plural(counted, "finding"), baselined))
	}
}

func countedIn(g ItemFindings) int {
	n := 0
	for _, f := range g.Findings {
		if f.Suppressed == "" {
			n++
		}
	}
	return n
}

func markdownStale(entries []model.BaselineEntry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Stale baseline entries\n\nNo finding matches %s any more; remove them so the baseline shrinks:\n\n| fingerprint | rule | source | item |\n|---|---|---|---|\n", markdown.Plural(len(entries), "entry"))
	for _, e := range entries {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", markdown.CodeSpan(e.Fingerprint), markdown.Escape(e.Rule), markdown.Escape(e.Source), markdown.Escape(e.Item))
	}
	b.WriteString("\n")
	return b.String()
}

func markdownUnused(ex []model.UnusedException) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Unused exceptions\n\n| rule | item | reason | expires |\n|---|---|---|---|\n")
	for _, e := range ex {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", markdown.Escape(e.Rule), markdown.Escape(e.Item), markdown.Escape(e.Reason), markdown.Escape(markdown.Dash(e.Expires)))
	}
	b.WriteString("\n")
	return b.String()
}
