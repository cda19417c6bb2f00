package cli

import "github.com/spf13/cobra"

// newAuditCmd is being built (see the audit issue); until then the command says so
// and exits 2 rather than pretending to work.
func (a *App) newAuditCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "audit",
		Short:  "(not yet implemented)",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			return usageError("pomlint audit is not implemented yet")
		},
	}
}
