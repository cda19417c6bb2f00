package cli

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/rules"
)

func (a *App) newRulesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List and explain the rules",
		Example: `  pomlint rules list
  pomlint rules explain OWN001`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List built-in rules (and the config's user rules, with their effective severity)",
		Long: `List every rule with its default severity. With a config (--config, or
the .pomlint.yaml or pomlint.yaml discovery finds), user rules are listed too, and the severity
column shows the config's overrides and disabled rules.`,
		Example: `  pomlint rules list
  pomlint rules list --config configs/demo.yaml`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return a.runRulesList() },
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "explain ID",
		Short: "Explain one rule: when it fires, why, how to fix, an example",
		Example: `  pomlint rules explain OWN006
  pomlint rules explain ACME001 --config configs/demo.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error { return a.runRulesExplain(args[0]) },
	})
	return cmd
}

// ruleSet returns the rules to describe: built-ins, plus the config's user
// rules when a config is given or found. A broken config is an error only
// when it was asked for explicitly.
func (a *App) ruleSet() ([]rules.Rule, *loaded, error) {
	l, err := a.loadConfig()
	if err != nil {
		var ce *config.Error
		if a.configFile != "" || !errors.As(err, &ce) || !strings.HasPrefix(ce.Error(), "invalid config: no config file") {
			if a.configFile != "" {
				return nil, nil, err
			}
			a.log.Warn().Msg("ignoring the config found here, which has problems (pomlint config validate shows them); listing built-in rules only")
		}
		return rules.Builtin(), nil, nil
	}
	return l.AllRules, l, nil
}

func (a *App) runRulesList() error {
	rs, l, err := a.ruleSet()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSEVERITY\tTITLE")
	active := map[string]bool{}
	if l != nil {
		for _, r := range l.Rules {
			active[r.Doc().ID] = true
		}
	}
	for _, d := range rules.Docs(rs) {
		sev := d.Severity.String()
		if l != nil {
			if s, ok := l.Severity[d.ID]; ok && s != d.Severity {
				sev = fmt.Sprintf("%s (default %s)", s, d.Severity)
			}
			if !active[d.ID] {
				sev = "disabled"
			}
		}
		title := d.Title
		if d.Custom {
			title += " [user rule]"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.ID, d.Name, sev, title)
	}
	return tw.Flush()
}

func (a *App) runRulesExplain(id string) error {
	rs, _, err := a.ruleSet()
	if err != nil {
		return err
	}
	id = strings.ToUpper(strings.TrimSpace(id))
	var ids []string
	for _, d := range rules.Docs(rs) {
		ids = append(ids, d.ID)
		if d.ID == id || strings.EqualFold(d.Name, id) {
			fmt.Fprint(a.IO.Out, Explain(d))
			return nil
		}
	}
	return usageError("unknown rule %q (rules: %s)", id, strings.Join(ids, ", "))
}

// Explain renders a rule's documentation as plain text; the same fields feed
// SARIF help and the README table.
func Explain(d model.RuleDoc) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s — %s\n", d.ID, d.Name, d.Title)
	fmt.Fprintf(&b, "default severity: %s\n", d.Severity)
	if d.Custom {
		fmt.Fprintf(&b, "user rule from %s\n", d.File)
	}
	section := func(title, body string) {
		if strings.TrimSpace(body) == "" {
			return
		}
		fmt.Fprintf(&b, "\n%s\n  %s\n", title, wrap(body, 76, "  "))
	}
	section("When it fires", d.Summary)
	section("Why", d.Why)
	section("How to fix", d.Fix)
	section("Example", d.Example)
	return b.String()
}

func wrap(s string, width int, indent string) string {
	words := strings.Fields(s)
	var b strings.Builder
	n := 0
	for i, w := range words {
		if i > 0 {
			if n+1+len(w) > width {
				b.WriteString("\n" + indent)
				n = 0
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
