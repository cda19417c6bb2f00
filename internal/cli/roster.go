package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/app"
	"github.com/pomlint/pomlint/internal/model"
)

type rosterSuggestOptions struct {
	fetch fetchFlags
}

func (a *App) newRosterCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "roster",
		Short:   "Help build the roster from the trackers",
		Example: "  pomlint roster suggest > people.yaml",
	}
	o := &rosterSuggestOptions{}
	suggest := &cobra.Command{
		Use:   "suggest",
		Short: "Print the owner accounts that match no roster person, as a roster.people stanza to paste",
		Long: `Read the sources, resolve every item's owner as lint does, and print each owner
account that matches no roster person as a roster.people entry ready to paste
into the config: an id derived from the display name (or login), the name and
email the tracker gives, the account (GitHub login, Jira accountId on Cloud or
username on Data Center) and roles: [] to fill in. A comment above each entry
says how many items (by level) the account owns; accounts with the same email
on GitHub and Jira become one person.

Comments at the end name each team's likely product owner and product manager:
whoever owns most of its tactical and of its strategic items, with the
configured one beside it; items no team matches are grouped by Jira project
or GitHub repository.

The output is YAML: paste the entries under roster.people, fill in roles, and
run pomlint config validate. Nothing is written.

Exit codes: 0 done; 2 usage or config error; 3 a source could not be read
completely (the suggestion would miss accounts).`,
		Example: `  pomlint roster suggest
  pomlint roster suggest --source jira > people.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runRosterSuggest(cmd, o) },
	}
	o.fetch.register(suggest)
	cmd.AddCommand(suggest)
	return cmd
}

func (a *App) runRosterSuggest(cmd *cobra.Command, o *rosterSuggestOptions) error {
	l, err := a.loadConfig()
	if err != nil {
		return err
	}
	c, err := a.core().Collect(cmd.Context(), l, o.fetch.FetchOptions)
	if err != nil {
		return err
	}
	out, err := app.RosterSuggestion(l.Config, c.Items, c.Roster)
	if err != nil {
		return err
	}
	if _, err := a.IO.Out.Write(out); err != nil {
		return fmt.Errorf("write roster suggestion: %w", err)
	}
	if c.Incomplete() {
		return &exitError{Code: model.ExitIncomplete, Err: fmt.Errorf("a source was not read completely: the suggestion may miss accounts")}
	}
	return nil
}
