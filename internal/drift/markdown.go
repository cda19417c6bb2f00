package drift

import (
	"fmt"
	"strings"
	"time"

	"github.com/pomlint/pomlint/internal/markdown"
	"github.com/pomlint/pomlint/internal/report"
)

// markdownReserve is kept free for the closing "left out" note.
const markdownReserve = 600

// Markdown renders the report for a PR comment or a job summary in at most
// limit bytes (0 means report.GitHubBodyLimit; bytes are never fewer than
// characters, so the cap also holds for GitHub's character limit). The
// headline, completeness and counts always come first; then new findings,
// changed severities and ownership changes as tables; then resolved findings
// and added and removed items in collapsible <details>. What does not fit is
// cut row by row, and a closing note says exactly what was left out.
func Markdown(r *Report, limit int) string {
	if limit <= 0 {
		limit = report.GitHubBodyLimit
	}
	budget := limit - markdownReserve
	var b strings.Builder
	head := markdownHead(r)
	if len(head) > budget {
		head = markdown.CutBytes(head, budget)
	}
	b.WriteString(head)
	var cut []string

	// table adds a section of rows, as many as fit; it returns how many
	// rows it left out.
	// table adds a section of n rows, rendering rows lazily and only as
	// many as fit; it returns how many it left out.
	table := func(open, header string, n int, row func(i int) string, close string) int {
		if n == 0 {
			return 0
		}
		const more = "\n_%d more rows not shown._\n"
		fixed := len(open) + len(header) + len(close) + len(more) + 8
		if b.Len()+fixed > budget {
			return n
		}
		var sec strings.Builder
		sec.WriteString(open)
		sec.WriteString(header)
		shown := 0
		for i := range n {
			line := row(i)
			if b.Len()+sec.Len()+len(line)+fixed > budget {
				break
			}
			sec.WriteString(line)
			shown++
		}
		if shown == 0 {
			return n
		}
		if left := n - shown; left > 0 {
			fmt.Fprintf(&sec, more, left)
		}
		sec.WriteString(close)
		b.WriteString(sec.String())
		return n - shown
	}

	var newF, sevF, resF []*FindingDrift
	for i := range r.Findings {
		switch f := &r.Findings[i]; f.Status {
		case FindingNew:
			newF = append(newF, f)
		case FindingSeverity:
			sevF = append(sevF, f)
		case FindingResolved:
			resF = append(resF, f)
		}
	}
	type change struct {
		d *ItemDrift
		c Change
	}
	var changes []change
	var added, removed []*ItemDrift
	for i := range r.Items {
		switch d := &r.Items[i]; d.Status {
		case StatusAdded:
			added = append(added, d)
		case StatusRemoved:
			removed = append(removed, d)
		default:
			for _, c := range d.Changes {
				changes = append(changes, change{d, c})
			}
		}
	}
	newRow := func(i int) string {
		f := newF[i]
		sev := f.Severity.String()
		if !counted(*f) {
			sev += " (" + f.Suppressed + ")"
		}
		return fmt.Sprintf("| %s | %s | %s | %s | %s | %s |\n", markdown.Escape(sev), ruleCell(*f), itemCell(f.Item, f.URL),
			markdown.Escape(markdown.Dash(f.Owner)), markdown.Escape(markdown.Dash(f.Team)), findingMessage(*f))
	}
	sevRow := func(i int) string {
		f := sevF[i]
		return fmt.Sprintf("| %s | %s | %s → %s | %s |\n", ruleCell(*f), itemCell(f.Item, f.URL), f.FromSeverity, f.Severity, findingMessage(*f))
	}
	resRow := func(i int) string {
		f := resF[i]
		return fmt.Sprintf("| %s | %s | %s | %s |\n", ruleCell(*f), itemCell(f.Item, f.URL), f.Severity, findingMessage(*f))
	}
	changeRow := func(i int) string {
		d, c := changes[i].d, changes[i].c
		return fmt.Sprintf("| %s | %s | %s | %s | %s |\n", itemCell(d.Key, d.URL), markdown.Escape(markdown.Shorten(d.Title, 80)),
			fieldName(c.Field), markdown.Escape(markdown.Dash(c.From)), markdown.Escape(markdown.Dash(c.To)))
	}

	if n := table("### New findings\n\n", "| severity | rule | item | owner | team | message |\n|---|---|---|---|---|---|\n", len(newF), newRow, "\n"); n > 0 {
		cut = append(cut, markdown.Plural(n, "new finding"))
	}
	if n := table("### Changed severity\n\n", "| rule | item | severity | message |\n|---|---|---|---|\n", len(sevF), sevRow, "\n"); n > 0 {
		cut = append(cut, markdown.Plural(n, "changed severity"))
	}
	if n := table("### Ownership changes\n\n", "| item | title | changed | from | to |\n|---|---|---|---|---|\n", len(changes), changeRow, "\n"); n > 0 {
		cut = append(cut, markdown.Plural(n, "ownership change"))
	}
	if n := table(details(markdown.Plural(len(resF), "resolved finding")), "| rule | item | severity | message |\n|---|---|---|---|\n", len(resF), resRow, "\n</details>\n\n"); n > 0 {
		cut = append(cut, markdown.Plural(n, "resolved finding"))
	}
	itemHeader := "| item | title | level | owner | team |\n|---|---|---|---|---|\n"
	if n := table(details(markdown.Plural(len(added), "item")+" added"), itemHeader, len(added), func(i int) string { return itemRow(*added[i]) }, "\n</details>\n\n"); n > 0 {
		cut = append(cut, markdown.Plural(n, "added item"))
	}
	if n := table(details(markdown.Plural(len(removed), "item")+" removed"), itemHeader, len(removed), func(i int) string { return itemRow(*removed[i]) }, "\n</details>\n\n"); n > 0 {
		cut = append(cut, markdown.Plural(n, "removed item"))
	}
	if len(cut) > 0 {
		note := fmt.Sprintf("> [!NOTE]\n> **Shortened to stay under %d characters.** Left out: %s. `pomlint drift --format json` has everything.\n",
			limit, strings.Join(cut, "; "))
		b.WriteString(markdown.CutBytes(note, markdownReserve))
	}
	return b.String()
}

// MarkdownAllClear is the short body that replaces a PR comment once the
// drift is clean.
func MarkdownAllClear(r *Report) string {
	var b strings.Builder
	b.WriteString("## ✅ pomlint drift: all clear\n\n")
	b.WriteString("No new findings and no ownership changes")
	if r.Linked != nil {
		fmt.Fprintf(&b, " in the %s %s", markdown.Plural(len(r.Linked), "item"), r.LinkedFrom)
	}
	fmt.Fprintf(&b, " (%s → %s).\n", sideMarkdown(r.Base), sideMarkdown(r.Head))
	return b.String()
}

func markdownHead(r *Report) string {
	var b strings.Builder
	s := r.Summary
	status := report.StatusMark(r.Complete, s.NewBySeverity["error"], s.NewFindings)
	changes := s.ItemsAdded + s.ItemsRemoved
	for _, d := range r.Items {
		if d.Status == StatusChanged {
			changes++
		}
	}
	fmt.Fprintf(&b, "## %s pomlint drift: %s, %d resolved, %s\n\n", status, markdown.Plural(s.NewFindings, "new finding"), s.Resolved, markdown.Plural(changes, "item change"))
	fmt.Fprintf(&b, "Comparing %s → %s.", sideMarkdown(r.Base), sideMarkdown(r.Head))
	if r.Linked != nil {
		fmt.Fprintf(&b, " Narrowed to the %s %s", markdown.Plural(len(r.Linked), "item"), r.LinkedFrom)
		if len(r.NotFound) > 0 {
			nf := make([]string, len(r.NotFound))
			for i, k := range r.NotFound {
				nf[i] = markdown.Escape(k)
			}
			fmt.Fprintf(&b, " (not in the data: %s)", strings.Join(nf, ", "))
		}
		b.WriteString(".")
	}
	b.WriteString("\n\n")
	if !r.Complete {
		b.WriteString("> [!CAUTION]\n> **INCOMPLETE (partial results)**: a side could not be read completely, so this comparison does not cover everything and cannot pass.\n")
		for _, sd := range []Side{r.Base, r.Head} {
			for _, src := range sd.Sources {
				if !src.Complete {
					fmt.Fprintf(&b, "> - %s: `%s` (%s): %s\n", markdown.Escape(sd.Label), markdown.CodeSpan(src.Name), markdown.Escape(src.Kind), markdown.Escape(markdown.Shorten(markdown.OrUnknown(src.Error), 400)))
				}
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "| new findings | resolved | changed severity | items added | items removed | owner changed | owner's role changed | level changed | team changed |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n| %d (%d error, %d warning, %d note) | %d | %d | %d | %d | %d | %d | %d | %d |\n\n",
		s.NewFindings, s.NewBySeverity["error"], s.NewBySeverity["warning"], s.NewBySeverity["note"], s.Resolved, s.Reseveritied,
		s.ItemsAdded, s.ItemsRemoved, s.OwnerChanged, s.OwnerRoleChanged, s.LevelChanged, s.TeamChanged)
	return b.String()
}

func sideMarkdown(sd Side) string {
	s := "`" + markdown.CodeSpan(orUnknownLabel(sd.Label)) + "`"
	if !sd.GeneratedAt.IsZero() {
		s += " (" + sd.GeneratedAt.UTC().Format(time.RFC3339) + ")"
	}
	return s
}

func orUnknownLabel(s string) string {
	if s == "" {
		return "?"
	}
	return s
}

func details(summary string) string {
	return "<details><summary>" + summary + "</summary>\n\n"
}

func itemRow(d ItemDrift) string {
	return fmt.Sprintf("| %s | %s | %s | %s | %s |\n", itemCell(d.Key, d.URL), markdown.Escape(markdown.Shorten(d.Title, 80)),
		markdown.Escape(markdown.Dash(d.Level)), markdown.Escape(ownerText(d.Owner, d.OwnerRole)), markdown.Escape(markdown.Dash(d.Team)))
}

func ruleCell(f FindingDrift) string {
	return markdown.Escape(f.Rule) + " " + markdown.Escape(f.Name)
}

func itemCell(key, url string) string { return markdown.Link(key, url) }

func findingMessage(f FindingDrift) string {
	msg := markdown.Escape(markdown.Shorten(oneLine(f.Message), 300))
	if f.SuggestedOwner != "" {
		if !strings.HasSuffix(msg, ".") {
			msg += "."
		}
		msg += " Suggested owner: " + markdown.Escape(f.SuggestedOwner) + "."
	}
	return msg
}
