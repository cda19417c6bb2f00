package cli

import "github.com/spf13/cobra"

// newDriftCmd is being built (see the drift issue); until then the command says so
// and exits 2 rather than pretending to work.
func (a *App) newDriftCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "drift",
		Short:  "(not yet implemented)",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return usageError("pomlint drift is not implemented yet")
		},
	}
}
