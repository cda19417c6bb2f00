package cli

import (
	"bytes"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/engine"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/output"
)

func (a *App) newBaselineCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "baseline",
		Short: "Accept today's findings so an existing backlog can adopt pomlint",
		Example: `  pomlint baseline create --output .pomlint-baseline.json
  pomlint lint --baseline .pomlint-baseline.json`,
		Long: `A baseline is a file of accepted findings (by fingerprint). With
lint --baseline FILE, findings in it are reported as baselined and do not count
toward the exit code, new findings still fail the run, and entries that no
longer match anything are listed so the file can shrink.

The file is JSON, one entry per finding sorted by source, item and rule, so it
diffs well in review.`,
	}
	var ff fetchFlags
	var outFile string
	create := &cobra.Command{
		Use:   "create",
		Short: "Lint and write every current finding to a baseline file",
		Long: `Fetch and lint like pomlint lint, then write every finding to --output
(overwriting it; - writes to stdout). A run that could not read a source
completely writes nothing and exits 3: a baseline of partial data would
accept findings nobody saw.`,
		Example: `  pomlint baseline create --output .pomlint-baseline.json
  pomlint lint --baseline .pomlint-baseline.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runBaselineCreate(cmd, &ff, outFile) },
	}
	ff.registerWithoutSince(create) // a baseline of some items would fail on the others later
	create.Flags().StringVarP(&outFile, "output", "o", "", "baseline file to write")
	cmd.AddCommand(create)
	return cmd
}

// runBaselineCreate is pomlint baseline create: lint, then write every
// finding to outFile; nothing from incomplete data.
func (a *App) runBaselineCreate(cmd *cobra.Command, ff *fetchFlags, outFile string) error {
	if outFile == "" {
		return usageError("--output is required (- writes the baseline to stdout)")
	}
	if err := a.prepareOutput("--output", outFile); err != nil {
		return err
	}
	l, err := a.loadConfig()
	if err != nil {
		return err
	}
	core := a.core()
	c, err := core.Collect(cmd.Context(), l, ff.FetchOptions)
	if err != nil {
		return err
	}
	res, err := core.Lint(cmd.Context(), l, c, nil)
	if err != nil {
		return err
	}
	if !res.Complete() {
		// A baseline of partial data would accept findings nobody saw
		// and miss others: refuse it.
		for _, s := range res.Sources {
			if !s.Complete {
				a.log.Error().Str("source", s.Name).Msg("incomplete: " + s.Error)
			}
		}
		return &exitError{Code: model.ExitIncomplete, Err: fmt.Errorf("not writing a baseline from incomplete data")}
	}
	b := engine.NewBaseline(a.Tool(), res.Findings)
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		return err
	}
	if err := output.Write(a.IO.Out, a.outPath(outFile), buf.Bytes(), output.ModePrivate); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	if output.IsStdout(outFile) {
		return nil
	}
	fmt.Fprintf(a.IO.Out, "wrote %s: %d findings accepted\n", outFile, len(b.Entries))
	return nil
}
