package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/rules"
)

func (a *App) newConfigCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Check the configuration",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "validate",
		Short: "Validate the config and user rules, reporting every problem at once",
		Long: `Load the config file, the POMLINT_* environment and the user rules, and report
every problem found (file:line: key: what is wrong and what was expected), or
"ok". Nothing is fetched. Exits 2 when there is a problem.`,
		Example: `  pomlint config validate --config configs/demo.yaml
  POMLINT_OWNERSHIP_FROM=assignee pomlint config validate`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			l, err := a.loadConfig()
			if err != nil {
				var ce *config.Error
				var le *rules.LoadError
				switch {
				case errors.As(err, &ce):
					for _, p := range ce.Problems {
						fmt.Fprintln(a.IO.Out, p.String())
					}
					fmt.Fprintf(a.IO.Out, "%d problem(s)\n", len(ce.Problems))
					return exitCode(2)
				case errors.As(err, &le):
					fmt.Fprintln(a.IO.Out, le.Error())
					fmt.Fprintln(a.IO.Out, "1 problem(s)")
					return exitCode(2)
				}
				return err
			}
			fmt.Fprintf(a.IO.Out, "ok: %s: %d sources, %d people, %d teams, %d rules (%d user rules), %d exceptions\n",
				a.rel(l.cfg.File), len(l.cfg.Sources), len(l.cfg.Roster.People), len(l.cfg.Roster.Teams),
				len(l.rules), len(l.allRules)-len(rules.Builtin()), len(l.cfg.Exceptions))
			return nil
		},
	})
	return cmd
}
