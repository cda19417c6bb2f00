package cli

import "github.com/spf13/cobra"

// newSnapshotCmd is being built (see the snapshot issue); until then the command says so
// and exits 2 rather than pretending to work.
func (a *App) newSnapshotCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "snapshot",
		Short:  "(not yet implemented)",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return usageError("pomlint snapshot is not implemented yet")
		},
	}
}
