package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/safetext"
)

// Text is the human format for terminals and logs: findings grouped by source
// and item, then a summary line with counts per severity and per source.
// Colour is used only when Color is set (the CLI sets it on a terminal).
type Text struct {
	Color bool
	// Trend, when set, ends the summary line with what changed since the
	// baseline or snapshot compared with.
	Trend *Trend
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

func (t *Text) paint(code, s string) string {
	if !t.Color {
		return s
	}
	return code + s + ansiReset
}

func (t *Text) sev(s model.Severity) string {
	name := fmt.Sprintf("%-7s", s.String())
	switch s {
	case model.SeverityError:
		return t.paint(ansiRed+ansiBold, name)
	case model.SeverityWarning:
		return t.paint(ansiYellow, name)
	}
	return t.paint(ansiCyan, name)
}

// Report writes r.
func (t *Text) Report(out io.Writer, r *model.Result) error {
	r = terminalSafe(r) // titles and server errors are written by anyone
	w := bufio.NewWriter(out)
	items := map[string]*model.Item{}
	for i := range r.Items {
		it := &r.Items[i]
		items[it.Source+"\x00"+it.Key] = it
	}
	bySource := map[string][]model.Finding{}
	for _, f := range r.Findings {
		bySource[f.Source] = append(bySource[f.Source], f)
	}
	for _, s := range r.Sources {
		fs := bySource[s.Name]
		status := "complete"
		if !s.Complete {
			status = t.paint(ansiRed+ansiBold, "INCOMPLETE")
		}
		fmt.Fprintf(w, "%s %s · %d items · %d findings · %s\n", t.paint(ansiBold, s.Name), t.paint(ansiDim, "("+s.Kind+")"), s.Items, countCounted(fs), status)
		if !s.Complete {
			fmt.Fprintf(w, "  %s %s\n", t.paint(ansiRed, "error:"), s.Error)
		}
		for i := 0; i < len(fs); {
			j := i
			for j < len(fs) && fs[j].Item == fs[i].Item {
				j++
			}
			f0 := fs[i]
			fmt.Fprintf(w, "\n  %s  %s\n", t.paint(ansiBold, f0.Item), f0.Title)
			var facts []string
			if it := items[f0.Source+"\x00"+f0.Item]; it != nil && it.Type != "" {
				facts = append(facts, it.Type)
			}
			lvl := string(f0.Level)
			if lvl == "" {
				lvl = "unknown"
			}
			facts = append(facts, lvl)
			if f0.Team != "" {
				facts = append(facts, "team "+f0.Team)
			}
			it := items[f0.Source+"\x00"+f0.Item]
			raw, shown := displayOwner(it)
			if f0.Owner != "" {
				facts = append(facts, "owner "+strings.Replace(f0.Owner, raw, shown, 1))
			} else {
				facts = append(facts, "no owner")
			}
			line := strings.Join(facts, " · ")
			if f0.URL != "" {
				line += " · " + f0.URL
			}
			fmt.Fprintf(w, "  %s\n", t.paint(ansiDim, line))
			for _, f := range fs[i:j] {
				msg := f.Message
				if raw != "" {
					// "owner 5c1a… (Sam Porter, jira, …)" reads
					// "owner Sam Porter (jira, …)".
					msg = strings.ReplaceAll(msg, raw+" ("+shown+", ", shown+" (")
					if !strings.Contains(msg, shown) {
						msg = strings.ReplaceAll(msg, raw, shown)
					}
				}
				if f.SuggestedOwner != "" {
					msg += "; suggested owner: " + f.SuggestedOwner
				}
				tag := ""
				if f.Suppressed != "" {
					tag = t.paint(ansiDim, " ["+f.Suppressed+"]")
				}
				fmt.Fprintf(w, "    %s %s %s%s\n", t.sev(f.Severity), t.paint(ansiDim, f.Rule), msg, tag)
			}
			i = j
		}
		fmt.Fprintln(w)
	}
	if len(r.UnusedExceptions) > 0 {
		fmt.Fprintln(w, t.paint(ansiBold, "Unused exceptions"))
		for _, u := range r.UnusedExceptions {
			fmt.Fprintf(w, "  %s %s\n", t.sev(model.SeverityNote), u.Message)
		}
		fmt.Fprintln(w)
	}
	if len(r.StaleBaseline) > 0 {
		fmt.Fprintln(w, t.paint(ansiBold, "Baseline entries that no longer match (remove them)"))
		for _, e := range r.StaleBaseline {
			fmt.Fprintf(w, "  %s %s %s %s\n", t.sev(model.SeverityNote), e.Rule, e.Source, e.Item)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, t.summary(r))
	return w.Flush()
}

// displayOwner returns, for an item whose owner is a Jira account that
// matches no roster person, the raw handle findings name it by (a Cloud
// accountId such as 5b10ac8d82e05b22cc7d4ef5) and the display name Jira
// gives to show instead. It returns "", "" when there is nothing to
// replace.
func displayOwner(it *model.Item) (raw, shown string) {
	if it == nil || it.Owner == nil || it.Owner.PersonID != "" {
		return "", ""
	}
	a := it.Owner.Account
	if a.Tracker != model.TrackerJira || a.Name == "" || a.String() == a.Name {
		return "", ""
	}
	return a.String(), a.Name
}

func countCounted(fs []model.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Suppressed == "" {
			n++
		}
	}
	return n
}

func (t *Text) summary(r *model.Result) string {
	by := r.BySeverity()
	counted := by["error"] + by["warning"] + by["note"]
	var b strings.Builder
	if !r.Complete() {
		var failed []string
		for _, s := range r.Sources {
			if !s.Complete {
				failed = append(failed, s.Name)
			}
		}
		slices.Sort(failed)
		b.WriteString(t.paint(ansiRed+ansiBold, "INCOMPLETE: "+strings.Join(failed, ", ")+" could not be read completely; these results are partial. "))
	}
	fmt.Fprintf(&b, "%d findings (%s, %s, %s) in %d items",
		counted,
		t.paint(ansiRed, fmt.Sprintf("%d error", by["error"])),
		t.paint(ansiYellow, fmt.Sprintf("%d warning", by["warning"])),
		t.paint(ansiCyan, fmt.Sprintf("%d note", by["note"])),
		r.ItemCount())
	if base := len(r.Findings) - counted; base > 0 {
		fmt.Fprintf(&b, ", %d baselined", base)
	}
	if len(r.Sources) > 0 {
		per := map[string]int{}
		for _, f := range r.Findings {
			if f.Suppressed == "" {
				per[f.Source]++
			}
		}
		parts := make([]string, 0, len(r.Sources))
		for _, s := range r.Sources {
			parts = append(parts, fmt.Sprintf("%s %d", s.Name, per[s.Name]))
		}
		b.WriteString(" · by source: " + strings.Join(parts, ", "))
	}
	if t.Trend != nil {
		fmt.Fprintf(&b, " · %d new, %d fixed since %s", t.Trend.New, t.Trend.Fixed, safetext.Line(t.Trend.Against))
	}
	return b.String()
}
