package cli

import "github.com/spf13/cobra"

func (a *App) newBaselineCmd() *cobra.Command {
	return &cobra.Command{Use: "baseline", Hidden: true}
}
