package drift

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

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
		head = cutBytes(head, budget)
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
		return fmt.Sprintf("| %s | %s | %s | %s | %s | %s |\n", report.MarkdownEscape(sev), ruleCell(*f), itemCell(f.Item, f.URL),
			report.MarkdownEscape(dash(f.Owner)), report.MarkdownEscape(dash(f.Team)), findingMessage(*f))
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
		return fmt.Sprintf("| %s | %s | %s | %s | %s |\n", itemCell(d.Key, d.URL), report.MarkdownEscape(shorten(d.Title, 80)),
			fieldName(c.Field), report.MarkdownEscape(dash(c.From)), report.MarkdownEscape(dash(c.To)))
	}

	if n := table("### New findings\n\n", "| severity | rule | item | owner | team | message |\n|---|---|---|---|---|---|\n", len(newF), newRow, "\n"); n > 0 {
		cut = append(cut, report.Plural(n, "new finding"))
	}
	if n := table("### Changed severity\n\n", "| rule | item | severity | message |\n|---|---|---|---|\n", len(sevF), sevRow, "\n"); n > 0 {
		cut = append(cut, report.Plural(n, "changed severity"))
	}
	if n := table("### Ownership changes\n\n", "| item | title | changed | from | to |\n|---|---|---|---|---|\n", len(changes), changeRow, "\n"); n > 0 {
		cut = append(cut, report.Plural(n, "ownership change"))
	}
	if n := table(details(report.Plural(len(resF), "resolved finding")), "| rule | item | severity | message |\n|---|---|---|---|\n", len(resF), resRow, "\n</details>\n\n"); n > 0 {
		cut = append(cut, report.Plural(n, "resolved finding"))
	}
	itemHeader := "| item | title | level | owner | team |\n|---|---|---|---|---|\n"
	if n := table(details(report.Plural(len(added), "item")+" added"), itemHeader, len(added), func(i int) string { return itemRow(*added[i]) }, "\n</details>\n\n"); n > 0 {
		cut = append(cut, report.Plural(n, "added item"))
	}
	if n := table(details(report.Plural(len(removed), "item")+" removed"), itemHeader, len(removed), func(i int) string { return itemRow(*removed[i]) }, "\n</details>\n\n"); n > 0 {
		cut = append(cut, report.Plural(n, "removed item"))
	}
	if len(cut) > 0 {
		note := fmt.Sprintf("> [!NOTE]\n> **Shortened to stay under %d characters.** Left out: %s. `pomlint drift --format json` has everything.\n",
			limit, strings.Join(cut, "; "))
		b.WriteString(cutBytes(note, markdownReserve))
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
		fmt.Fprintf(&b, " in the %s %s", report.Plural(len(r.Linked), "item"), r.LinkedFrom)
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
	fmt.Fprintf(&b, "## %s pomlint drift: %s, %d resolved, %s\n\n", status, report.Plural(s.NewFindings, "new finding"), s.Resolved, report.Plural(changes, "item change"))
	fmt.Fprintf(&b, "Comparing %s → %s.", sideMarkdown(r.Base), sideMarkdown(r.Head))
	if r.Linked != nil {
		fmt.Fprintf(&b, " Narrowed to the %s %s", report.Plural(len(r.Linked), "item"), r.LinkedFrom)
		if len(r.NotFound) > 0 {
			nf := make([]string, len(r.NotFound))
			for i, k := range r.NotFound {
				nf[i] = report.MarkdownEscape(k)
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
					fmt.Fprintf(&b, "> - %s: `%s` (%s): %s\n", report.MarkdownEscape(sd.Label), codeSpan(src.Name), report.MarkdownEscape(src.Kind), report.MarkdownEscape(shorten(orUnknown(src.Error), 400)))
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
	s := "`" + codeSpan(orUnknownLabel(sd.Label)) + "`"
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
	return fmt.Sprintf("| %s | %s | %s | %s | %s |\n", itemCell(d.Key, d.URL), report.MarkdownEscape(shorten(d.Title, 80)),
		report.MarkdownEscape(dash(d.Level)), report.MarkdownEscape(ownerText(d.Owner, d.OwnerRole)), report.MarkdownEscape(dash(d.Team)))
}

func ruleCell(f FindingDrift) string {
	return report.MarkdownEscape(f.Rule) + " " + report.MarkdownEscape(f.Name)
}

func itemCell(key, url string) string { return report.MarkdownLink(key, url) }

func findingMessage(f FindingDrift) string {
	msg := report.MarkdownEscape(shorten(oneLine(f.Message), 300))
	if f.SuggestedOwner != "" {
		if !strings.HasSuffix(msg, ".") {
			msg += "."
		}
		msg += " Suggested owner: " + report.MarkdownEscape(f.SuggestedOwner) + "."
	}
	return msg
}

func dash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// codeSpan keeps s inside a `…` span.
func codeSpan(s string) string {
	return strings.NewReplacer("`", "'", "\n", " ", "\r", "", "|", "\\|").Replace(s)
}

// shorten cuts s to at most n runes, marking the cut with "…".
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// cutBytes cuts s to at most n bytes on a rune boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n < 4 {
		return ""
	}
	s = s[:n-3]
	for len(s) > 0 {
		if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size > 1 {
			break
		}
		s = s[:len(s)-1] // part of a rune the cut split
	}
	return s + "…"
}
