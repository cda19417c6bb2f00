package cli

import "github.com/spf13/cobra"

// newCommentCmd is being built (see the comment issue); until then the command says so
// and exits 2 rather than pretending to work.
func (a *App) newCommentCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "comment",
		Short:  "(not yet implemented)",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return usageError("pomlint comment is not implemented yet")
		},
	}
}
