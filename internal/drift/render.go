package drift

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pomlint/pomlint/internal/markdown"
)

// Formats are the drift report formats.
var Formats = []string{"text", "json", "markdown"}

// Write renders r in format (one of Formats) to w. Markdown is capped at
// limit bytes (0 means GitHub's comment limit).
func Write(w io.Writer, r *Report, format string, limit int) error {
	var s string
	switch format {
	case "text":
		s = Text(r)
	case "json":
		b, err := JSON(r)
		if err != nil {
			return err
		}
		s = string(b)
	case "markdown":
		s = Markdown(r, limit)
	default:
		return fmt.Errorf("unknown drift format %q (want %s)", format, strings.Join(Formats, ", "))
	}
	if _, err := io.WriteString(w, s); err != nil {
		return fmt.Errorf("write %s drift report: %w", format, err)
	}
	return nil
}

// JSON is the machine-readable report (schema_version 1), indented, with a
// final newline; the same report gives byte-identical output.
func JSON(r *Report) ([]byte, error) {
	out := *r
	if out.Items == nil {
		out.Items = []ItemDrift{}
	}
	if out.Findings == nil {
		out.Findings = []FindingDrift{}
	}
	b, err := json.MarshalIndent(&out, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode drift report: %w", err)
	}
	return append(b, '\n'), nil
}

// Text is the report for a terminal or a CI log.
func Text(r *Report) string {
	var b strings.Builder
	s := r.Summary
	fmt.Fprintf(&b, "pomlint drift: %s → %s\n", sideText(r.Base), sideText(r.Head))
	if !r.Complete {
		b.WriteString("INCOMPLETE: a side could not be read completely; this comparison does not cover everything and cannot pass.\n")
		for _, sd := range []Side{r.Base, r.Head} {
			for _, src := range sd.Sources {
				if !src.Complete {
					fmt.Fprintf(&b, "  %s source %s (%s): %s\n", sd.Label, src.Name, src.Kind, markdown.OrUnknown(src.Error))
				}
			}
		}
	}
	if r.Linked != nil {
		fmt.Fprintf(&b, "Narrowed to the %s %s", markdown.Plural(len(r.Linked), "item"), r.LinkedFrom)
		if len(r.NotFound) > 0 {
			fmt.Fprintf(&b, " (not in the data: %s)", strings.Join(r.NotFound, ", "))
		}
		b.WriteString(".\n")
	}
	fmt.Fprintf(&b, "%s (%d error, %d warning, %d note), %d resolved, %d changed severity\n",
		markdown.Plural(s.NewFindings, "new finding"), s.NewBySeverity["error"], s.NewBySeverity["warning"], s.NewBySeverity["note"], s.Resolved, s.Reseveritied)
	fmt.Fprintf(&b, "items: %d added, %d removed; changed: %d owner, %d owner's role, %d level, %d team\n",
		s.ItemsAdded, s.ItemsRemoved, s.OwnerChanged, s.OwnerRoleChanged, s.LevelChanged, s.TeamChanged)
	if r.Clean() {
		b.WriteString("\nNo ownership drift.\n")
		return b.String()
	}
	for _, sec := range []struct {
		title, status string
	}{{"New findings", FindingNew}, {"Changed severity", FindingSeverity}, {"Resolved findings", FindingResolved}} {
		first := true
		for _, f := range r.Findings {
			if f.Status != sec.status {
				continue
			}
			if first {
				fmt.Fprintf(&b, "\n%s\n", sec.title)
				first = false
			}
			sev := f.Severity.String()
			if f.Status == FindingSeverity {
				sev = f.FromSeverity.String() + "→" + sev
			}
			fmt.Fprintf(&b, "  %-15s %s %s (%s): %s", sev, f.Rule, f.Item, f.Source, oneLine(f.Message))
			if f.Suppressed != "" {
				fmt.Fprintf(&b, " [%s]", f.Suppressed)
			}
			b.WriteString("\n")
		}
	}
	if len(r.Items) > 0 {
		b.WriteString("\nItems\n")
		for _, d := range r.Items {
			fmt.Fprintf(&b, "  %-8s %s (%s) %s\n", d.Status, d.Key, d.Source, oneLine(d.Title))
			switch d.Status {
			case StatusAdded, StatusRemoved:
				fmt.Fprintf(&b, "           level %s, owner %s, team %s\n", markdown.OrNone(d.Level), ownerText(d.Owner, d.OwnerRole), markdown.OrNone(d.Team))
			default:
				for _, c := range d.Changes {
					fmt.Fprintf(&b, "           %s: %s → %s\n", fieldName(c.Field), markdown.OrNone(c.From), markdown.OrNone(c.To))
				}
			}
		}
	}
	return b.String()
}

func sideText(sd Side) string {
	s := sd.Label
	if s == "" {
		s = "?"
	}
	if !sd.GeneratedAt.IsZero() {
		s += " (" + sd.GeneratedAt.UTC().Format(time.RFC3339) + ")"
	}
	return s
}

func fieldName(f string) string {
	if f == FieldOwnerRole {
		return "owner's role"
	}
	return f
}

func ownerText(owner, role string) string {
	if owner == "" {
		return "(none)"
	}
	if role == "" {
		return owner
	}
	return owner + " (" + role + ")"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// counted reports whether a finding drift counts (is not baselined).
func counted(f FindingDrift) bool { return f.Suppressed == "" }
