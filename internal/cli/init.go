package cli

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/config"
)

//go:embed starter.yaml
var starterConfig []byte

func (a *App) newInitCmd() *cobra.Command {
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter config",
		Long: `Write a commented starter config to .pomlint.yaml (or --output), the name
pomlint finds without --config. It lists one GitHub and one Jira source, the
default classification and ownership order, a small roster and an exception,
each explained; edit it, then run pomlint config validate.`,
		Example: `  pomlint init
  pomlint init --output configs/pomlint.yaml
  pomlint init --output -   # print it`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if out == "-" {
				_, err := a.IO.Out.Write(starterConfig)
				return err
			}
			p := a.path(out)
			flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			f, err := os.OpenFile(p, flag, 0o644)
			if errors.Is(err, fs.ErrExist) {
				return usageError("%s already exists; pass --force to overwrite it", out)
			}
			if err != nil {
				return usageError("write %s: %v", out, err)
			}
			if _, err := f.Write(starterConfig); err != nil {
				f.Close()
				return fmt.Errorf("write %s: %w", out, err)
			}
			if err := f.Close(); err != nil {
				return fmt.Errorf("write %s: %w", out, err)
			}
			validate := "pomlint config validate"
			if out != config.DefaultFile {
				validate += " --config " + out
			}
			fmt.Fprintf(a.IO.Out, "wrote %s; edit it, then run: %s\n", out, validate)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", config.DefaultFile, "where to write the config (- for stdout)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	markReadsNoConfig(cmd)
	return cmd
}
