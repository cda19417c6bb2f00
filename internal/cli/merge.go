package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/audit"
	"github.com/pomlint/pomlint/internal/classify"
	"github.com/pomlint/pomlint/internal/engine"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/output"
	"github.com/pomlint/pomlint/internal/report"
	"github.com/pomlint/pomlint/internal/shard"
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

// shardFile is what merge reads from a JSON report or a snapshot: both carry
// sources, items and the shard block.
type shardFile struct {
	Sources []model.SourceStatus `json:"sources"`
	Items   []model.Item         `json:"items"`
	Shard   *model.Shard         `json:"shard"`
}

func (a *App) runMerge(cmd *cobra.Command, o *mergeOptions, files []string) error {
	failOn, err := parseFailOn(o.failOn)
	if err != nil {
		return err
	}
	def, known := "text", knownReport
	if o.audit {
		def, known = "markdown", knownAuditFormat
	}
	targets, err := parseFormats(o.formats, o.output, def, known, a.path)
	if err != nil {
		return err
	}
	if err := a.prepareOutputs(targets); err != nil {
		return err
	}
	if o.snapshot != "" {
		if err := a.prepareOutput("--snapshot", o.snapshot); err != nil {
			return err
		}
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
	parts, err := a.readShards(files)
	if err != nil {
		return err
	}
	if err := shard.Check(parts, configFingerprint(l)); err != nil {
		var me *shard.MismatchError
		if errors.As(err, &me) {
			return usageError("merge: %v", err)
		}
		return &exitError{code: model.ExitIncomplete, err: fmt.Errorf("merge: %w", err)}
	}
	if o.audit {
		return a.mergeAudit(l, o, parts, targets)
	}
	c := a.combineShards(l, parts)
	ctx := cmd.Context()
	res, err := a.lintItems(ctx, l, c.collected, baseline)
	if err != nil {
		return err
	}
	a.log.Info().Int("shards", len(parts)).Int("items", len(c.items)).Int("findings", len(res.Findings)).Msg("shards merged")
	var trend *report.Trend
	if baseline != nil {
		trend = report.TrendFromBaseline(o.baseline, res)
	}
	if err := a.writeReports(res, targets, trend); err != nil {
		return err
	}
	if o.snapshot != "" {
		data, err := encodeSnapshot(a.snapshotOf(res, c.items))
		if err != nil {
			return err
		}
		if err := output.Write(a.IO.Out, a.outPath(o.snapshot), stdoutSafe(o.snapshot, "snapshot", data), output.ModePrivate); err != nil {
			return fmt.Errorf("write snapshot: %w", err)
		}
	}
	return exitCode(res.ExitCode(failOn))
}

// readShards decodes the files concurrently, one per core at a time.
func (a *App) readShards(files []string) ([]shard.Part, error) {
	parts := make([]shard.Part, len(files))
	errs := make([]error, len(files))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			fh, err := os.Open(a.path(f))
			if err != nil {
				errs[i] = fmt.Errorf("read shard: %w", err)
				return
			}
			defer fh.Close()
			sf, err := decodeShardFile(fh)
			if err != nil {
				errs[i] = fmt.Errorf("read shard %s: not a pomlint JSON report or snapshot: %w", f, err)
				return
			}
			parts[i] = shard.Part{File: f, Shard: sf.Shard, Sources: sf.Sources, Items: sf.Items}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, usageError("merge: %v", err)
	}
	return parts, nil
}

// mergedRun is the shards' items and sources put together and classified,
// as collect would have returned them unsharded.
type mergedRun struct {
	*collected
	classifier *classify.Classifier
}

func (a *App) combineShards(l *loaded, parts []shard.Part) mergedRun {
	items, sources, ms := shard.Combine(parts)
	for i := range items {
		items[i].Level, items[i].Owner, items[i].Team = "", nil, ""
	}
	c := &collected{items: items, sources: sources}
	c.roster = classify.MergeMemberships(rosterFromConfig(l.cfg), ms)
	cl := classify.New(l.cfg, c.roster)
	classifyParallel(cl, c.roster, c.items)
	return mergedRun{collected: c, classifier: cl}
}

// classifyParallel classifies items in one chunk per core: a Classifier is
// safe for concurrent use once built, and the roster's account index is
// built before the chunks start.
func classifyParallel(cl *classify.Classifier, r *model.Roster, items []model.Item) {
	r.Lookup(model.Account{})
	n := runtime.GOMAXPROCS(0)
	size := (len(items) + n - 1) / n
	var wg sync.WaitGroup
	for start := 0; start < len(items); start += size {
		chunk := items[start:min(start+size, len(items))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl.Apply(chunk, false)
		}()
	}
	wg.Wait()
}

// decodeShardFile reads the sources, shard block and items of a JSON report
// or snapshot, skipping the rest. Items are decoded one by one into a slice
// sized from the source counts when they come first (a report), instead of
// growing and copying one large array.
//
// It decodes with github.com/go-json-experiment/json, the mirror of
// encoding/json/v2 (experimental in Go 1.25 and 1.26, standard from 1.27):
// about 1.5 times faster than encoding/json on items, which is most of a
// merge's time. The files are the ones pomlint writes with encoding/json
// (valid UTF-8, exact field names), which both read alike.
func decodeShardFile(r io.Reader) (*shardFile, error) {
	dec := jsontext.NewDecoder(bufio.NewReaderSize(r, 1<<20))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	sf := &shardFile{}
	for dec.PeekKind() == '"' {
		name, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		switch key := name.String(); key {
		case "sources":
			err = jsonv2.UnmarshalDecode(dec, &sf.Sources)
		case "shard":
			err = jsonv2.UnmarshalDecode(dec, &sf.Shard)
		case "items":
			err = decodeItems(dec, sf)
		default:
			err = dec.SkipValue()
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name.String(), err)
		}
	}
	return sf, expectDelim(dec, '}')
}

func expectDelim(dec *jsontext.Decoder, want jsontext.Kind) error {
	t, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if t.Kind() != want {
		return fmt.Errorf("want %v, got %v", want, t.Kind())
	}
	return nil
}

func decodeItems(dec *jsontext.Decoder, sf *shardFile) error {
	if err := expectDelim(dec, '['); err != nil {
		return err
	}
	n := 0
	for _, s := range sf.Sources {
		n += s.Items
	}
	sf.Items = make([]model.Item, 0, n+n/8)
	for dec.PeekKind() == '{' {
		sf.Items = append(sf.Items, model.Item{})
		if err := jsonv2.UnmarshalDecode(dec, &sf.Items[len(sf.Items)-1]); err != nil {
			return err
		}
	}
	return expectDelim(dec, ']')
}
