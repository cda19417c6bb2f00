package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/markdown"
	"github.com/pomlint/pomlint/internal/rules"
)

func (a *App) newConfigCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "config",
		Short:   "Check the configuration",
		Example: "  pomlint config validate\n  pomlint config validate --config configs/demo.yaml",
	}
	var online bool
	validate := &cobra.Command{
		Use:   "validate",
		Short: "Validate the config and user rules, reporting every problem at once",
		Long: `Load the config file, the POMLINT_* environment and the user rules, and report
every problem found (file:line: key: what is wrong and what was expected), or
"ok". Nothing is fetched. Exits 2 when there is a problem.

--online then runs pomlint doctor: every source is reached and checked
(credentials, deployment, permissions, field names, the JQL); see pomlint
doctor --help for its exit codes.`,
		Example: `  pomlint config validate --config configs/demo.yaml
  POMLINT_OWNERSHIP_FROM=assignee pomlint config validate
  pomlint config validate --online`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runConfigValidate(cmd, online) },
	}
	validate.Flags().BoolVar(&online, "online", false, "also reach every source and check it, as pomlint doctor does")
	cmd.AddCommand(validate)
	return cmd
}

// runConfigValidate is pomlint config validate: every problem of the
// config and the user rules, or a one-line summary; with online, doctor.
func (a *App) runConfigValidate(cmd *cobra.Command, online bool) error {
	l, err := a.loadConfig()
	if err != nil {
		var ce *config.Error
		var les rules.LoadErrors
		var le *rules.LoadError
		switch {
		case errors.As(err, &les):
			for _, e := range les {
				fmt.Fprintln(a.IO.Out, e.Error())
			}
			fmt.Fprintln(a.IO.Out, markdown.Plural(len(les), "problem"))
			return exitCode(2)
		case errors.As(err, &ce):
			for _, p := range ce.Problems {
				fmt.Fprintln(a.IO.Out, p.String())
			}
			fmt.Fprintln(a.IO.Out, markdown.Plural(len(ce.Problems), "problem"))
			return exitCode(2)
		case errors.As(err, &le):
			fmt.Fprintln(a.IO.Out, le.Error())
			fmt.Fprintln(a.IO.Out, markdown.Plural(1, "problem"))
			return exitCode(2)
		}
		return err
	}
	fmt.Fprintf(a.IO.Out, "ok: %s: %s, %s, %s, %s (%s), %s\n",
		a.rel(l.Config.File), markdown.Plural(len(l.Config.Sources), "source"), markdown.Plural(len(l.Config.Roster.People), "person", "people"),
		markdown.Plural(len(l.Config.Roster.Teams), "team"), markdown.Plural(len(l.Rules), "active rule"),
		markdown.Plural(len(l.AllRules)-len(rules.Builtin()), "user rule"), markdown.Plural(len(l.Config.Exceptions), "exception"))
	if online {
		fmt.Fprintln(a.IO.Out)
		return a.runDoctor(cmd.Context(), &doctorOptions{format: "text", timeout: defaultDoctorTimeout})
	}
	return nil
}
