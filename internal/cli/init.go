package cli

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/output"
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
  pomlint init --output configs/payments.yaml   # found only with --config
  pomlint init --output -   # print it`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if out == "-" {
				_, err := a.IO.Out.Write(starterConfig)
				return err
			}
			// The starter config holds no issue data: readable by all.
			write := output.WriteNew
			if force {
				write = output.WriteFile
			}
			target := a.path(out)
			before := foundConfig(target)
			err := write(target, starterConfig, output.ModeShared)
			if errors.Is(err, fs.ErrExist) {
				return usageError("%s already exists; pass --force to overwrite it", out)
			}
			if err != nil {
				return usageError("%s", strings.Replace(err.Error(), a.path(out), out, 1))
			}
			validate := "pomlint config validate"
			if out != config.DefaultFile {
				validate += " --config " + out
			}
			fmt.Fprintf(a.IO.Out, "wrote %s; edit it, then run: %s\n", out, validate)
			a.warnShadowing(out, target, before)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", config.DefaultFile, "where to write the config (- for stdout)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	markReadsNoConfig(cmd)
	return cmd
}

// foundConfig is the config discovery finds from the directory of target
// when target has a default name ("" when none, or for another name):
// the one a new config there takes over from.
func foundConfig(target string) string {
	if !slices.Contains(config.DefaultFiles, filepath.Base(target)) {
		return ""
	}
	d, err := config.Discover(filepath.Dir(target))
	if err != nil {
		return ""
	}
	return d.Path
}

// warnShadowing says when the config just written at target takes over
// from before (the config found there until now), or is not found itself
// because the preferred name sits beside it.
func (a *App) warnShadowing(out, target, before string) {
	now := foundConfig(target)
	if now == "" {
		return
	}
	abs, err := filepath.Abs(target)
	if err != nil {
		abs = target
	}
	switch {
	case now != abs:
		a.log.Warn().Msgf("%s is not used without --config: %s is found first (discovery prefers %s); remove one", out, now, config.DefaultFile)
	case before != "" && before != abs:
		a.log.Warn().Msgf("%s shadows %s: pomlint run from here down now uses the new file (the nearest config wins); remove one, or merge them", out, before)
	}
}
