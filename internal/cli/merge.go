package cli

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/app"
	"github.com/pomlint/pomlint/internal/audit"
	"github.com/pomlint/pomlint/internal/engine"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/output"
	"github.com/pomlint/pomlint/internal/report"
)

type mergeOptions struct {
	formats  []string
	output   string
	failOn   string
	baseline string
	snapshot string
	// audit merges sharded audits (audit --shard K/N) over this window.
	audit    bool
	from, to string
	compare  bool
}

func (a *App) newMergeCmd() *cobra.Command {
	o := &mergeOptions{}
	cmd := &cobra.Command{
		Use:   "merge FILE...",
		Short: "Merge the outputs of a sharded run (lint --shard K/N) into one report",
		Long: `Read the JSON reports (or snapshots) that the N jobs of a sharded run wrote
with --shard K/N, check that they are one complete run, and write the report
an unsharded run would have written: the items of every shard are classified
and linted again together, so a parent read by another shard counts, and the
findings, summary, SARIF and every other format are byte for byte the
unsharded ones.

The merge refuses (exit 2) shards made with another configuration, rule set,
--source or --since than each other or than the config it is given, and
exits 3 naming the shards that are missing, or the units no shard read.
An item read by two shards is kept once.

Formats: ` + strings.Join(report.Formats, ", ") + `. --snapshot PATH also writes the
merged snapshot (what pomlint snapshot writes), for pomlint drift.

Exit codes: as lint: 0, 1 findings at or above --fail-on, 2 usage or config
error, 3 a shard or a source was not read completely.`,
		Example: `  # the merge job of a CI matrix of 7 lint jobs
  pomlint merge --format sarif=pomlint.sarif --format html=pomlint.html --format github \
    --snapshot pomlint-snapshot.json shards/*.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return a.runMerge(cmd, o, args) },
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&o.formats, "format", "f", nil, "report format, or FMT=PATH (repeatable; default text)")
	fl.StringVarP(&o.output, "output", "o", "", "write the report given without =PATH to this file instead of stdout (- is stdout)")
	fl.StringVar(&o.failOn, "fail-on", "error", "exit 1 when a finding is at or above: error, warning, note or never")
	fl.StringVar(&o.baseline, "baseline", "", "baseline file: findings in it are reported as baselined and do not fail the run")
	fl.StringVar(&o.snapshot, "snapshot", "", "also write the merged snapshot here")
	fl.BoolVar(&o.audit, "audit", false, "merge the files of a sharded audit (audit --shard K/N) into audit reports ("+strings.Join(audit.Formats(), ", ")+")")
	fl.StringVar(&o.from, "from", "", "with --audit: the --from the shards were given")
	fl.StringVar(&o.to, "to", "", "with --audit: the --to the shards were given")
	fl.BoolVar(&o.compare, "compare-previous", false, "with --audit: as the shards were given")
	return cmd
}

func (a *App) runMerge(cmd *cobra.Command, o *mergeOptions, files []string) error {
	failOn, err := parseFailOn(o.failOn)
	if err != nil {
		return err
	}
	targets, err := a.mergeTargets(o)
	if err != nil {
		return err
	}
	var baseline *engine.Baseline
	if o.baseline != "" {
		if baseline, err = engine.LoadBaseline(a.path(o.baseline)); err != nil {
			return usageError("%v", err)
		}
	}
	l, err := a.loadConfig()
	if err != nil {
		return err
	}
	// A merge holds every item of the run at once and then exits: collect
	// garbage less often (peak heap about 2.5× the live items instead of
	// 2×) to spend the CPU on decoding and the rules.
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	core := a.core()
	parts, err := core.ReadShards(files)
	if err != nil {
		return err
	}
	if err := app.CheckShards(l, parts); err != nil {
		return err
	}
	if o.audit {
		return a.mergeAudit(l, o, parts, targets)
	}
	c := app.CombineShards(l, parts)
	res, err := core.Lint(cmd.Context(), l, c.Collected, baseline)
	if err != nil {
		return err
	}
	a.log.Info().Int("shards", len(parts)).Int("items", len(c.Items)).Int("findings", len(res.Findings)).Msg("shards merged")
	var trend *report.Trend
	if baseline != nil {
		trend = report.TrendFromBaseline(o.baseline, res)
	}
	if err := a.writeReports(res, targets, trend); err != nil {
		return err
	}
	if err := a.writeMergedSnapshot(o.snapshot, core.SnapshotOf(res, c.Items)); err != nil {
		return err
	}
	return exitCode(res.ExitCode(failOn))
}

// mergeTargets reads merge's --format and --output (audit formats with
// --audit) and checks every path, --snapshot's too, before anything is read.
func (a *App) mergeTargets(o *mergeOptions) ([]reportTarget, error) {
	def, known := "text", knownReport
	if o.audit {
		def, known = "markdown", knownAuditFormat
	}
	targets, err := parseFormats(o.formats, o.output, def, known, a.path)
	if err != nil {
		return nil, err
	}
	if err := a.prepareOutputs(targets); err != nil {
		return nil, err
	}
	if o.snapshot != "" {
		if err := a.prepareOutput("--snapshot", o.snapshot); err != nil {
			return nil, err
		}
	}
	return targets, nil
}

// writeMergedSnapshot writes the merged snapshot to path, when given.
func (a *App) writeMergedSnapshot(path string, snap *model.Snapshot) error {
	if path == "" {
		return nil
	}
	data, err := app.EncodeSnapshot(snap)
	if err != nil {
		return err
	}
	if err := output.Write(a.IO.Out, a.outPath(path), stdoutSafe(path, "snapshot", data), output.ModePrivate); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}
