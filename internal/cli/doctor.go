package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/app"
	"github.com/pomlint/pomlint/internal/markdown"
	"github.com/pomlint/pomlint/internal/safetext"
)

// defaultDoctorTimeout bounds one doctor request: doctor gives up quickly
// rather than wait on a server that does not answer.
const defaultDoctorTimeout = 10 * time.Second

type doctorOptions struct {
	sources []string
	format  string
	timeout time.Duration
}

func (a *App) newDoctorCmd() *cobra.Command {
	o := &doctorOptions{}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check every source: connectivity, credentials, deployment, permissions, fields, JQL",
		Long: `Check, source by source, that pomlint can read what the config asks for,
without running a lint:

  connectivity   the API answers (DNS, refused connections, TLS, timeouts name
                 the config key to check: github.base_url, jira.url)
  credentials    who the token belongs to (GitHub GET /user, or GET /app for
                 GitHub App auth; Jira GET /rest/api/2/myself)
  deployment     Jira Cloud or Data Center, read with the credentials and
                 compared with what the config implies (deployment, else
                 an *.atlassian.net URL or an account email in email_env's
                 variable means Cloud)
  permissions    each repository, organisation, roster-import team or group,
                 Projects v2 board and JQL project is readable
  fields         every custom field and project field the config names exists
                 (with the closest names when one does not)
  jql            Jira parses the JQL; an error is shown under the JQL as
                 written, with a caret at the position

Every failed check says the next step. Requests are not retried and time out
quickly (--timeout): a source that cannot be reached fails at once.

Exit codes: 0 every check passed; 2 the config is invalid or a check found a
setting to fix in it (a field name, the deployment, the JQL, a missing token
variable); 3 a source cannot be used (unreachable, rejected credentials, a
missing permission). 3 wins over 2.`,
		Example: `  pomlint doctor
  pomlint doctor --source jira
  pomlint doctor --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runDoctor(cmd.Context(), o) },
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&o.sources, "source", nil, "check only this configured source (repeatable; default all sources)")
	fl.StringVarP(&o.format, "format", "f", "text", "output format: text or json")
	fl.DurationVar(&o.timeout, "timeout", defaultDoctorTimeout, "timeout of one HTTP request")
	return cmd
}

// doctorReport is what pomlint doctor prints.
type doctorReport = app.DoctorReport

func (a *App) runDoctor(ctx context.Context, o *doctorOptions) error {
	format := strings.ToLower(o.format)
	if format != "text" && format != "json" {
		return usageError("--format %q: want text or json", o.format)
	}
	if o.timeout <= 0 {
		return usageError("--timeout %v: want more than 0", o.timeout)
	}
	l, err := a.loadConfig()
	if err != nil {
		return err
	}
	rep, code, err := a.core().Doctor(ctx, l, app.DoctorOptions{Sources: o.sources, Timeout: o.timeout})
	if err != nil {
		return err
	}
	if format == "json" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return fmt.Errorf("encode doctor report: %w", err)
		}
		if _, err := fmt.Fprintf(a.IO.Out, "%s\n", stdoutSafe("-", "json", b)); err != nil {
			return fmt.Errorf("write doctor report: %w", err)
		}
	} else if err := writeDoctorText(a.IO.Out, rep); err != nil {
		return fmt.Errorf("write doctor report: %w", err)
	}
	return exitCode(code)
}

// writeDoctorText prints one block per source: a ✓ or ✗ line per check,
// the detail's further lines indented under it, and the next step.
func writeDoctorText(w io.Writer, rep *doctorReport) error {
	var b strings.Builder
	bad := 0
	for i, s := range rep.Sources {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s (%s)\n", safetext.Line(s.Name), safetext.Line(s.Kind))
		for _, c := range s.Checks {
			mark := "✓"
			if !c.OK {
				mark = "✗"
			}
			// Details carry what servers say (error bodies, names): every
			// line is made safe for a terminal and a CI log.
			first, rest, _ := strings.Cut(c.Detail, "\n")
			fmt.Fprintf(&b, "  %s %s", mark, safetext.Line(c.Name))
			if first != "" {
				fmt.Fprintf(&b, ": %s", safetext.Line(first))
			}
			b.WriteString("\n")
			if rest != "" {
				for _, line := range strings.Split(rest, "\n") {
					fmt.Fprintf(&b, "      %s\n", safetext.Line(line))
				}
			}
			if !c.OK && c.Next != "" {
				fmt.Fprintf(&b, "    → %s\n", safetext.Line(c.Next))
			}
		}
		if !s.OK {
			bad++
		}
	}
	switch {
	case len(rep.Sources) == 0:
		b.WriteString("no sources to check\n")
	case bad == 0:
		fmt.Fprintf(&b, "\n%s: every check passed\n", markdown.Plural(len(rep.Sources), "source"))
	default:
		fmt.Fprintf(&b, "\n%s: %d with problems\n", markdown.Plural(len(rep.Sources), "source"), bad)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
