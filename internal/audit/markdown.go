package audit

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/pomlint/pomlint/internal/markdown"
)

// MarkdownItems bounds the "least compliant items" table; CSV and JSON list
// every item.
const MarkdownItems = 25

// Markdown writes the audit as GitHub-flavoured Markdown, for a wiki page
// or an issue.
func Markdown(w io.Writer, rep *Report) error {
	var b bytes.Buffer
	cur, prev := rep.Current, rep.Previous
	fmt.Fprintf(&b, "# Ownership audit %s – %s\n\n", cur.From, cur.Through)
	fmt.Fprintf(&b, "%s days · %d items · %s %s", fmtNum(cur.Days), cur.Overall.Items, rep.Tool.Name, rep.Tool.Version)
	if rep.GraceDays > 0 {
		fmt.Fprintf(&b, " · grace period %s", fmtGrace(graceDuration(rep.GraceDays)))
	}
	if !rep.GeneratedAt.IsZero() {
		fmt.Fprintf(&b, " · generated %s", rep.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	b.WriteString("\n\n")
	if !rep.Complete {
		b.WriteString("> [!CAUTION]\n> **INCOMPLETE audit — partial figures.** These sources could not be read completely:\n")
		for _, s := range rep.Sources {
			if !s.Complete {
				fmt.Fprintf(&b, "> - `%s` (%s): %s\n", markdown.CodeSpan(s.Name), cell(s.Kind), cell(s.Error))
			}
		}
		b.WriteString("\n")
	}

	b.WriteString("## Summary\n\n")
	if prev != nil {
		fmt.Fprintf(&b, "| | %s – %s | previous: %s – %s | change |\n|---|---:|---:|---:|\n", cur.From, cur.Through, prev.From, prev.Through)
	} else {
		fmt.Fprintf(&b, "| | %s – %s |\n|---|---:|\n", cur.From, cur.Through)
	}
	c, p := cur.Overall, Figures{}
	var d DiffFigures
	if prev != nil {
		p, d = prev.Overall, rep.Diff.Overall
	}
	row := func(label, cv, pv, dv string) {
		if prev != nil {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", label, cv, pv, dv)
		} else {
			fmt.Fprintf(&b, "| %s | %s |\n", label, cv)
		}
	}
	row("Compliance (share of item-days correctly owned)", "**"+fmtPct(c.Compliance)+"**", fmtPct(p.Compliance), fmtDelta(d.Compliance, " pp"))
	row("Items alive", fmt.Sprint(c.Items), fmt.Sprint(p.Items), fmtIntDelta(d.Items))
	row("Items never correctly owned", fmt.Sprint(c.NeverCompliant), fmt.Sprint(p.NeverCompliant), fmtIntDelta(d.NeverCompliant))
	row("Median days from creation to a correct owner", medianCell(c), medianCell(p), fmtDelta(d.MedianDaysToOwner, ""))
	row("Ownership changes", fmt.Sprint(c.OwnershipChanges), fmt.Sprint(p.OwnershipChanges), fmtIntDelta(d.OwnershipChanges))

	b.WriteString("\n## By team\n\n")
	groupTable(&b, cur.Teams, diffByName(rep.Diff, true), prev != nil)
	b.WriteString("\n## By level\n\n")
	groupTable(&b, cur.Levels, diffByName(rep.Diff, false), prev != nil)

	b.WriteString("\n## Trend per month\n\n| Month | Item-days | Compliance |\n|---|---:|---:|\n")
	months := cur.Months
	if prev != nil {
		months = append(append([]Month(nil), prev.Months...), cur.Months...)
	}
	for _, m := range months {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", m.Month, fmtNum(m.ItemDays), fmtPct(m.Compliance))
	}

	b.WriteString("\n## Time from creation to a correct owner\n\nItems created in the window, by how long they waited for an owner with the right role.\n\n| Waited | Items |\n|---|---:|\n")
	for _, bk := range cur.TimeToOwner {
		fmt.Fprintf(&b, "| %s | %d |\n", bk.Label, bk.Items)
	}

	b.WriteString("\n## Most frequent rules\n\n")
	if len(c.Rules) == 0 {
		b.WriteString("No rule was broken in the window.\n")
	} else {
		b.WriteString("| Rule | Items | Item-days | Share of item-days |\n|---|---:|---:|---:|\n")
		for _, r := range c.Rules {
			fmt.Fprintf(&b, "| `%s` %s | %d | %s | %s |\n", r.Rule, r.Name, r.Items, fmtNum(r.Days), fmtPct(r.Share))
		}
	}
	if rep.GraceDays > 0 {
		fmt.Fprintf(&b, "\nStretches shorter than the %s grace period are left out of this table.\n", fmtGrace(graceDuration(rep.GraceDays)))
	}

	b.WriteString("\n## Owners holding the most non-compliant items\n\n")
	if len(c.Owners) == 0 {
		b.WriteString("No owner held a non-compliant item.\n")
	} else {
		b.WriteString("| Owner | Items | Item-days |\n|---|---:|---:|\n")
		for _, o := range c.Owners {
			fmt.Fprintf(&b, "| %s | %d | %s |\n", cell(o.Name), o.Items, fmtNum(o.Days))
		}
	}

	b.WriteString("\n## Item-days per owner\n\nEvery owner's item-days held in the window and the share of them owned by the right role.\n\n")
	if len(c.Holders) == 0 {
		b.WriteString("Nobody owned an item in the window.\n")
	} else {
		holders := c.Holders
		if len(holders) > MarkdownItems {
			fmt.Fprintf(&b, "The %d owners holding the most item-days of %d; the JSON report lists every owner.\n\n", MarkdownItems, len(holders))
			holders = holders[:MarkdownItems]
		}
		b.WriteString("| Owner | Items | Item-days held | Compliant |\n|---|---:|---:|---:|\n")
		for _, h := range holders {
			fmt.Fprintf(&b, "| %s | %d | %s | %s |\n", cell(h.Name), h.Items, fmtNum(h.Days), fmtPct(h.Compliance))
		}
	}

	worst := leastCompliant(rep.Items)
	fmt.Fprintf(&b, "\n## Least compliant items\n\n")
	if len(worst) == 0 {
		b.WriteString("Every item was correctly owned for the whole window.\n")
	} else {
		if len(worst) > MarkdownItems {
			fmt.Fprintf(&b, "The %d least compliant of %d items below 100 %%; the CSV and JSON reports list every item.\n\n", MarkdownItems, len(worst))
			worst = worst[:MarkdownItems]
		}
		b.WriteString("| Item | Team | Level | Owner now | Compliance | Rules | Changes |\n|---|---|---|---|---:|---|---:|\n")
		for _, it := range worst {
			key := "`" + markdown.CodeSpan(it.Key) + "`"
			if u, ok := markdown.LinkURL(it.URL); ok {
				key = "[" + key + "](" + u + ")"
			}
			fmt.Fprintf(&b, "| %s %s | %s | %s | %s | %s | %s | %d |\n", key, cell(it.Title), cell(it.Team), it.Level, cell(markdown.Dash(it.OwnerName)),
				fmtPct(it.Compliance), strings.Join(it.Rules, ", "), it.OwnershipChanges)
		}
	}

	b.WriteString("\n## How to read this\n\n")
	for _, n := range rep.Notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func medianCell(f Figures) string {
	if f.MedianDaysToOwner == nil {
		return "–"
	}
	unit := "items"
	if f.ToOwnerSamples == 1 {
		unit = "item"
	}
	return fmt.Sprintf("%s (%d %s)", fmtDays(f.MedianDaysToOwner), f.ToOwnerSamples, unit)
}

func diffByName(d *Diff, teams bool) map[string]DiffFigures {
	out := map[string]DiffFigures{}
	if d == nil {
		return out
	}
	list := d.Levels
	if teams {
		list = d.Teams
	}
	for _, x := range list {
		out[x.Name] = x
	}
	return out
}

func groupTable(b *bytes.Buffer, gs []Figures, diffs map[string]DiffFigures, compare bool) {
	if len(gs) == 0 {
		b.WriteString("No items in the window.\n")
		return
	}
	if compare {
		b.WriteString("| Name | Items | Item-days | Compliance | Change | Never correctly owned | Median days to owner | Changes | Top rule |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	} else {
		b.WriteString("| Name | Items | Item-days | Compliance | Never correctly owned | Median days to owner | Changes | Top rule |\n|---|---:|---:|---:|---:|---:|---:|---|\n")
	}
	for _, g := range gs {
		top := "–"
		if len(g.Rules) > 0 {
			top = "`" + g.Rules[0].Rule + "` " + g.Rules[0].Name
		}
		change := ""
		if compare {
			change = " " + fmtDelta(diffs[g.Name].Compliance, " pp") + " |"
		}
		fmt.Fprintf(b, "| %s | %d | %s | %s |%s %d | %s | %d | %s |\n", cell(g.Name), g.Items, fmtNum(g.ItemDays), fmtPct(g.Compliance), change,
			g.NeverCompliant, fmtDays(g.MedianDaysToOwner), g.OwnershipChanges, top)
	}
}

// leastCompliant are the items below 100 %, least compliant first.
func leastCompliant(items []ItemReport) []ItemReport {
	var out []ItemReport
	for _, it := range items {
		if it.Compliance == nil || *it.Compliance < 100 {
			out = append(out, it)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Compliance, out[j].Compliance
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case *a != *b:
			return *a < *b
		}
		return out[i].ItemDays > out[j].ItemDays
	})
	return out
}

// cell makes text pomlint did not write safe inside a Markdown table cell.
func cell(s string) string { return markdown.Escape(strings.TrimSpace(s)) }
