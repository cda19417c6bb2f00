package app

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sort"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"golang.org/x/sync/errgroup"

	"github.com/pomlint/pomlint/internal/audit"
	"github.com/pomlint/pomlint/internal/classify"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/shard"
)

// shardFile is what merge reads from a JSON report or a snapshot: both carry
// sources, items and the shard block.
type shardFile struct {
	Sources []model.SourceStatus `json:"sources"`
	Items   []model.Item         `json:"items"`
	Shard   *model.Shard         `json:"shard"`
}

// ReadShards decodes the files a sharded run wrote (JSON reports or
// snapshots), concurrently, one per core at a time. Every read has
// returned when it returns.
func (a *App) ReadShards(files []string) ([]shard.Part, error) {
	parts := make([]shard.Part, len(files))
	errs := make([]error, len(files))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range files {
		g.Go(func() error {
			parts[i], errs[i] = a.readShard(f)
			return nil
		})
	}
	_ = g.Wait() // every file's error is in errs
	if err := errors.Join(errs...); err != nil {
		return nil, usageError("merge: %v", err)
	}
	return parts, nil
}

func (a *App) readShard(f string) (shard.Part, error) {
	fh, err := os.Open(a.Path(f))
	if err != nil {
		return shard.Part{}, fmt.Errorf("read shard: %w", err)
	}
	defer fh.Close()
	sf, err := decodeShardFile(fh)
	if err != nil {
		return shard.Part{}, fmt.Errorf("read shard %s: not a pomlint JSON report or snapshot: %w", f, err)
	}
	return shard.Part{File: f, Shard: sf.Shard, Sources: sf.Sources, Items: sf.Items}, nil
}

// CheckShards makes sure the parts are one complete run made with l's
// configuration: a mismatch is a usage error, a missing part exit 3.
func CheckShards(l *Loaded, parts []shard.Part) error {
	if err := shard.Check(parts, ConfigFingerprint(l)); err != nil {
		var me *shard.MismatchError
		if errors.As(err, &me) {
			return usageError("merge: %v", err)
		}
		return incomplete(fmt.Errorf("merge: %w", err))
	}
	return nil
}

// Merged is the shards' items and sources put together and classified, as
// Collect would have returned them unsharded.
type Merged struct {
	*Collected
	Classifier *classify.Classifier
}

// CombineShards puts the shards' items, sources and roster imports
// together and classifies the items again with the whole roster.
func CombineShards(l *Loaded, parts []shard.Part) *Merged {
	items, sources, ms := shard.Combine(parts)
	for i := range items {
		items[i].Level, items[i].Owner, items[i].Team = "", nil, ""
	}
	c := &Collected{Items: items, Sources: sources}
	c.Roster = classify.MergeMemberships(l.Roster(), ms)
	cl := classify.New(l.Config, c.Roster)
	classifyParallel(cl, c.Roster, c.Items)
	return &Merged{Collected: c, Classifier: cl}
}

// classifyParallel classifies items in one chunk per core: a Classifier is
// safe for concurrent use once built, and the roster's account index is
// built before the chunks start.
func classifyParallel(cl *classify.Classifier, r *model.Roster, items []model.Item) {
	r.Lookup(model.Account{})
	n := runtime.GOMAXPROCS(0)
	size := (len(items) + n - 1) / n
	var g errgroup.Group
	for start := 0; start < len(items); start += size {
		chunk := items[start:min(start+size, len(items))]
		g.Go(func() error {
			cl.Apply(chunk, false)
			return nil
		})
	}
	_ = g.Wait()
}

// MergeHistory is the union of the audit shards' history: an item's
// history comes from the shard whose copy of the item was kept, the first
// by shard index (parts are sorted). It also returns the file sources with
// no history in any shard.
func MergeHistory(parts []shard.Part) (audit.History, []string) {
	hist := audit.History{}
	taken := map[string]bool{}
	var noHistory []string
	for _, p := range parts {
		here := map[string]bool{}
		for _, h := range p.Shard.History {
			for _, ev := range h.Events {
				k := audit.HistoryKey(h.Source, ev.Item)
				if taken[k] {
					continue
				}
				here[k] = true
				hist[k] = append(hist[k], ev)
			}
		}
		for k := range here {
			taken[k] = true
		}
		for _, n := range p.Shard.NoHistory {
			if !slices.Contains(noHistory, n) {
				noHistory = append(noHistory, n)
			}
		}
	}
	sort.Strings(noHistory)
	return hist, noHistory
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
		// The token is valid only until the next read: keep its text.
		key := name.String()
		switch key {
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
			return nil, fmt.Errorf("%s: %w", key, err)
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
	// The counts size the slice only: a corrupt file may say anything, so
	// negative counts are ignored and the total is capped (append grows
	// past it when a file really holds more).
	const maxPrealloc = 1 << 20
	n := 0
	for _, s := range sf.Sources {
		if s.Items > 0 {
			n = min(n+s.Items, maxPrealloc)
		}
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
