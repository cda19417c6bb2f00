package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/app"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/output"
)

type snapshotOptions struct {
	fetch  fetchFlags
	output string
}

func (a *App) newSnapshotCmd() *cobra.Command {
	o := &snapshotOptions{}
	cmd := &cobra.Command{
		Use:   "snapshot",
		Short: "Fetch every source and write what the run saw as a snapshot file",
		Long: `Fetch items from the configured sources, classify them, lint them, and write
everything the run saw — items with their level, owner and team, the roster,
the findings, each source's completeness, the tool version and the time — as
a versioned JSON snapshot (schema_version 2; version 1 files are still read).

A snapshot is what 'pomlint drift' compares, and a kind: file source reads it
back, so a nightly snapshot can be re-linted or compared offline.

Exit codes: 0 written; 2 usage or config error; 3 a source could not be read
completely. The snapshot is still written then, with that source marked
complete: false, so nothing downstream mistakes it for a full picture.`,
		Example: `  # nightly: keep the snapshot as a CI artifact
  pomlint snapshot --output pomlint-snapshot.json

  # the bundled demo, no network
  pomlint snapshot --config configs/demo.yaml --output demo-snapshot.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runSnapshot(cmd, o) },
	}
	o.fetch.register(cmd)
	o.fetch.registerShard(cmd)
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "write the snapshot here (required; - for stdout)")
	return cmd
}

func (a *App) runSnapshot(cmd *cobra.Command, o *snapshotOptions) error {
	if o.output == "" {
		return usageError("snapshot: --output is required (a file path, or - for stdout)")
	}
	if err := a.prepareOutput("--output", o.output); err != nil {
		return err
	}
	l, err := a.loadConfig()
	if err != nil {
		return err
	}
	snap, err := a.core().Snapshot(cmd.Context(), l, o.fetch.FetchOptions, nil)
	if err != nil {
		return err
	}
	data, err := app.EncodeSnapshot(snap)
	if err != nil {
		return err
	}
	if err := output.Write(a.IO.Out, a.outPath(o.output), stdoutSafe(o.output, "snapshot", data), output.ModePrivate); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	if !output.IsStdout(o.output) {
		a.log.Info().Str("path", o.output).Int("items", len(snap.Items)).Int("findings", len(snap.Findings)).Msg("snapshot written")
	}
	if !app.SnapshotComplete(snap) {
		for _, s := range snap.Sources {
			if !s.Complete {
				a.log.Error().Str("source", s.Name).Msg("incomplete (snapshot written, marked incomplete): " + s.Error)
			}
		}
		return exitCode(model.ExitIncomplete)
	}
	return nil
}
