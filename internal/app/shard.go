package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/shard"
)

// ShardRun is the state of one sharded Collect: the connectors of the
// selected sources, wrapped so that each reads only the units this shard
// was assigned. Planning waits until every connector is built (seal), then
// lists every source's units once, concurrently.
type ShardRun struct {
	spec    shard.Spec
	opts    connector.FetchOptions
	srcs    []config.Source
	conns   []connector.Connector // nil where the connector could not be built
	sealed  chan struct{}
	seal    func()
	aborted atomic.Bool
	once    sync.Once

	plan  []model.ShardUnit
	units [][]connector.Unit // per source: the units assigned here
	whole []bool             // per source: read whole, and by this shard
	perr  []error            // per source: planning failed

	mu      sync.Mutex
	imports map[string][]model.Membership
}

// newShardRun returns nil when the run is not sharded.
func newShardRun(ff FetchOptions, srcs []config.Source, opts connector.FetchOptions) (*ShardRun, error) {
	if ff.Shard == "" {
		return nil, nil
	}
	spec, err := shard.ParseSpec(ff.Shard)
	if err != nil {
		return nil, usageError("--shard %v", err)
	}
	s := &ShardRun{spec: spec, opts: opts, srcs: srcs, conns: make([]connector.Connector, len(srcs)),
		sealed: make(chan struct{}), imports: map[string][]model.Membership{}}
	s.seal = sync.OnceFunc(func() { close(s.sealed) })
	return s, nil
}

// wrap registers source i's connector and returns the connector collect
// should use. On a nil ShardRun it returns conn.
func (s *ShardRun) wrap(i int, conn connector.Connector) connector.Connector {
	if s == nil {
		return conn
	}
	s.conns[i] = conn
	w := shardConn{s: s, i: i, inner: conn}
	if _, ok := conn.(connector.HistoryFetcher); ok {
		return shardHistoryConn{w}
	}
	return w
}

// done releases the planning; collect calls it once every connector is
// built (or on the way out).
func (s *ShardRun) done() {
	if s != nil {
		s.seal()
	}
}

// abort releases the connectors waiting for the plan without planning,
// when collect returns before building them all (a config error); after a
// normal done it changes nothing.
func (s *ShardRun) abort() {
	if s != nil {
		s.aborted.Store(true)
		s.seal()
	}
}

// errNoPlan is what waiting connectors get when the run was abandoned.
var errNoPlan = errors.New("sharded run abandoned before planning")

// planned waits for the plan.
func (s *ShardRun) planned(ctx context.Context) error {
	select {
	case <-s.sealed:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.once.Do(func() {
		if !s.aborted.Load() {
			s.makePlan(ctx)
		}
	})
	if s.plan == nil && s.aborted.Load() {
		return errNoPlan
	}
	return nil
}

func (s *ShardRun) makePlan(ctx context.Context) {
	n := len(s.srcs)
	lists := make([][]connector.Unit, n)
	split := make([]bool, n)
	s.perr = make([]error, n)
	var g errgroup.Group
	for i, c := range s.conns {
		p, ok := c.(connector.Partitioner)
		if !ok {
			continue
		}
		g.Go(func() error {
			us, err := p.Units(ctx, s.opts)
			lists[i], split[i], s.perr[i] = us, us != nil, err
			return nil
		})
	}
	_ = g.Wait() // a source's planning error is kept in perr
	for i, src := range s.srcs {
		if !split[i] {
			s.plan = append(s.plan, model.ShardUnit{Source: src.Name, Size: -1})
			continue
		}
		for _, u := range lists[i] {
			s.plan = append(s.plan, model.ShardUnit{Source: src.Name, Unit: u.Name, Size: u.Size})
		}
	}
	shard.Assign(s.plan, s.spec.Count)
	s.units = make([][]connector.Unit, n)
	s.whole = make([]bool, n)
	pos := map[string]int{}
	for i, src := range s.srcs {
		pos[src.Name] = i
	}
	for _, u := range s.plan {
		if u.Shard != s.spec.Index {
			continue
		}
		i := pos[u.Source]
		if u.Unit == "" {
			s.whole[i] = true
		} else {
			s.units[i] = append(s.units[i], connector.Unit{Name: u.Unit, Size: u.Size})
		}
	}
}

// Info is what the shard records in its output.
func (s *ShardRun) Info(l *Loaded, ff FetchOptions) *model.Shard {
	out := &model.Shard{Index: s.spec.Index, Count: s.spec.Count, Config: ConfigFingerprint(l), Since: ff.Since,
		Plan: s.plan, Units: []model.ShardUnit{}}
	for _, src := range s.srcs {
		out.Sources = append(out.Sources, src.Name)
	}
	for _, u := range s.plan {
		if u.Shard == s.spec.Index {
			out.Units = append(out.Units, u)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, src := range s.srcs {
		if ms, ok := s.imports[src.Name]; ok {
			out.Imports = append(out.Imports, model.ShardImport{Source: src.Name, Memberships: nonNilSlice(ms)})
		}
	}
	return out
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// importer reports whether source i's roster import is this shard's: source
// i goes to shard i mod N + 1, so each import is read once over the matrix.
func (s *ShardRun) importer(i int) bool { return i%s.spec.Count+1 == s.spec.Index }

// shardConn reads the part of one source assigned to this shard.
type shardConn struct {
	s     *ShardRun
	i     int
	inner connector.Connector
}

func (c shardConn) Fetch(ctx context.Context, opts connector.FetchOptions) ([]model.Item, error) {
	if err := c.s.planned(ctx); err != nil {
		return nil, err
	}
	if err := c.s.perr[c.i]; err != nil {
		return nil, err
	}
	if c.s.whole[c.i] {
		return c.inner.Fetch(ctx, opts)
	}
	if us := c.s.units[c.i]; len(us) > 0 {
		return c.inner.(connector.Partitioner).FetchUnits(ctx, opts, us)
	}
	return nil, nil
}

func (c shardConn) ImportRoster(ctx context.Context, imp config.RosterImport) ([]model.Membership, error) {
	ri, ok := c.inner.(connector.RosterImporter)
	if !ok || !c.s.importer(c.i) {
		return nil, nil
	}
	ms, err := ri.ImportRoster(ctx, imp)
	if err == nil {
		c.s.mu.Lock()
		c.s.imports[c.s.srcs[c.i].Name] = ms
		c.s.mu.Unlock()
	}
	return ms, err
}

// shardHistoryConn is a shardConn whose source can read history.
type shardHistoryConn struct{ shardConn }

func (c shardHistoryConn) History(ctx context.Context, items []model.Item, from, to time.Time) (map[string][]model.Event, error) {
	return c.inner.(connector.HistoryFetcher).History(ctx, items, from, to)
}

// ConfigFingerprint identifies what decides a run's findings: the loaded
// configuration (after POMLINT_* overrides; not where it lives), the rules
// with the severities they run at, and the content of the user rule files.
// Shards merged together must share it.
func ConfigFingerprint(l *Loaded) string {
	cfg := *l.Config
	cfg.File, cfg.Dir, cfg.Lines = "", "", nil
	docs := l.RuleDocs()
	h := sha256.New()
	enc := json.NewEncoder(h)
	_ = enc.Encode(cfg)
	_ = enc.Encode(docs)
	var files []string
	for _, p := range l.Config.Rules.Paths {
		_ = filepath.WalkDir(l.Config.Path(p), func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, path)
			}
			return nil
		})
	}
	sort.Strings(files)
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil {
			h.Write(b)
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// MarkShard records, on a sharded run's result, which part was read and
// every item read (closed parents included), without the shard's own
// resolution: the merge classifies them again with the whole roster.
func MarkShard(res *model.Result, l *Loaded, c *Collected, ff FetchOptions) {
	if c.Shard == nil {
		return
	}
	res.Shard = c.Shard.Info(l, ff)
	res.ShardItems = make([]model.Item, len(c.Items))
	for i, it := range c.Items {
		it.Level, it.Owner, it.Team = "", nil, ""
		res.ShardItems[i] = it
	}
}
