package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pomlint/pomlint/internal/markdown"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/output"
	"github.com/pomlint/pomlint/internal/safetext"
)

// GitHub writes GitHub Actions workflow commands (::error, ::warning,
// ::notice) so that findings show as annotations on the run, and appends the
// Markdown summary to the job summary file.
//
// Reporters do not read the environment: the CLI sets SummaryPath from
// GITHUB_STEP_SUMMARY. Baselined findings get no annotation (they do not
// count); one notice says how many there were.
type GitHub struct {
	// SummaryPath is the job summary file to append the Markdown report to;
	// "" writes no summary.
	SummaryPath string
	// Now and Trend go to the summary's header, as in the Markdown report.
	Now   func() time.Time
	Trend *Trend
}

// SetSummaryPath sets SummaryPath; the CLI calls it with GITHUB_STEP_SUMMARY.
func (g *GitHub) SetSummaryPath(p string) { g.SummaryPath = p }

// Report writes one workflow command per finding to w, then the summary.
func (g *GitHub) Report(w io.Writer, r *model.Result) error {
	var b strings.Builder
	for _, src := range r.Sources {
		if src.Complete {
			continue
		}
		workflowCommand(&b, "error", "pomlint INCOMPLETE run",
			fmt.Sprintf("source %s (%s) could not be read completely: %s. Results are partial and the run fails (exit 3).", src.Name, src.Kind, markdown.OrUnknown(src.Error)))
	}
	baselined := 0
	for _, f := range r.Findings {
		if f.Suppressed != "" {
			baselined++
			continue
		}
		cmd := map[model.Severity]string{model.SeverityError: "error", model.SeverityWarning: "warning"}[f.Severity]
		if cmd == "" {
			cmd = "notice"
		}
		msg := f.Item + ": " + f.Message
		if f.URL != "" {
			msg += " (" + f.URL + ")"
		}
		workflowCommand(&b, cmd, f.Rule+" "+f.Name, msg)
	}
	if baselined > 0 {
		workflowCommand(&b, "notice", "pomlint baseline", fmt.Sprintf("%s accepted by the baseline and not annotated", markdown.Plural(baselined, "finding")))
	}
	for _, e := range r.StaleBaseline {
		workflowCommand(&b, "notice", "pomlint stale baseline entry",
			fmt.Sprintf("baseline entry %s (%s on %s/%s) no longer matches a finding; remove it", e.Fingerprint, e.Rule, e.Source, e.Item))
	}
	for _, e := range r.UnusedExceptions {
		workflowCommand(&b, "notice", "pomlint unused exception", e.Message)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write github annotations: %w", err)
	}
	if g.SummaryPath == "" {
		return nil
	}
	var now time.Time
	if g.Now != nil {
		now = g.Now()
	}
	return output.AppendSummary(g.SummaryPath, markdownReport(r, StepSummaryLimit, now, g.Trend))
}

// workflowCommand writes "::cmd title=T::message" with GitHub's escaping:
// in the message % CR LF; in property values also ":" and ",".
func workflowCommand(b *strings.Builder, cmd, title, msg string) {
	fmt.Fprintf(b, "::%s title=%s::%s\n", cmd, EscapeProperty(title), EscapeData(msg))
}

// EscapeData escapes a workflow command's message (see actions/toolkit
// command.ts escapeData): % CR LF are percent-encoded, which the runner
// decodes into the annotation, and every other control character (ESC, C1)
// and legacy "##[" marker becomes a visible escape (package safetext), so
// the line in the log is safe too.
func EscapeData(s string) string {
	return safetext.Line(dataEscaper.Replace(s))
}

// EscapeProperty escapes a workflow command property value (actions/toolkit
// command.ts escapeProperty), with the same visible escapes as EscapeData.
func EscapeProperty(s string) string {
	return safetext.Line(propertyEscaper.Replace(s))
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)
