// Package file is the kind: file source: it reads items from a snapshot file
// (what `pomlint snapshot` writes). The bundled demo uses it.
package file

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
)

// Connector reads one snapshot file.
type Connector struct {
	name    string
	path    string
	sources map[string]bool
	notify  func(connector.Notice)

	mu   sync.Mutex
	snap *model.Snapshot // read once, by Fetch or History, whichever runs first
}

// load reads the snapshot the first time and returns it after that.
func (c *Connector) load() (*model.Snapshot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap == nil {
		snap, err := Read(c.path)
		if err != nil {
			return nil, err
		}
		c.snap = snap
	}
	return c.snap, nil
}

// New builds a file connector; it is a connector.Factory.
func New(src config.Source, env connector.Env) (connector.Connector, error) {
	if Block(src) == nil || Block(src).Path == "" {
		return nil, &connector.ConfigError{Err: errors.New("a file source needs file.path")}
	}
	p := Block(src).Path
	if !filepath.IsAbs(p) && env.ConfigDir != "" {
		p = filepath.Join(env.ConfigDir, p)
	}
	c := &Connector{name: src.Name, path: p, notify: env.Notify}
	if len(Block(src).Sources) > 0 {
		c.sources = map[string]bool{}
		for _, s := range Block(src).Sources {
			c.sources[s] = true
		}
	}
	return c, nil
}

// Fetch reads the snapshot and returns its items, re-labelled with this
// source's name and with their previous resolution (level, owner, team)
// cleared, since this run resolves them again. A snapshot is read whole:
// opts.Since narrows nothing, and a notice says so.
func (c *Connector) Fetch(ctx context.Context, opts connector.FetchOptions) ([]model.Item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !opts.Since.IsZero() && c.notify != nil {
		c.notify(connector.Notice{Source: c.name, Level: "warn",
			Message: "--since is ignored: a file source reads its whole snapshot " + c.path})
	}
	snap, err := c.load()
	if err != nil {
		return nil, &connector.ConfigError{Err: err}
	}
	out := make([]model.Item, 0, len(snap.Items))
	for _, it := range snap.Items {
		if c.sources != nil && !c.sources[it.Source] {
			continue
		}
		it.Source = c.name
		it.Level, it.Owner, it.Team = "", nil, ""
		out = append(out, it)
	}
	if c.sources != nil && len(out) == 0 {
		held := map[string]bool{}
		for _, it := range snap.Items {
			held[it.Source] = true
		}
		return nil, &connector.ConfigError{Err: fmt.Errorf("snapshot %s has no items from sources %v (it holds %v)", c.path, slices.Sorted(maps.Keys(c.sources)), slices.Sorted(maps.Keys(held)))}
	}
	// A snapshot of a run that could not read a source completely is
	// partial data, and stays partial when linted again: never a pass.
	var failed []string
	for _, st := range snap.Sources {
		if !st.Complete && (c.sources == nil || c.sources[st.Name]) {
			failed = append(failed, fmt.Sprintf("%s (%s)", st.Name, st.Error))
		}
	}
	if len(failed) > 0 {
		return out, fmt.Errorf("snapshot %s records incomplete source(s): %s", c.path, strings.Join(failed, "; "))
	}
	return out, nil
}

// Read reads and checks a snapshot file: valid JSON, the schema version this
// build reads, and items that carry a key and a known tracker.
func Read(path string) (*model.Snapshot, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("read snapshot %s: %w", path, err)
	}
	return Decode(path, data)
}

// Decode parses snapshot bytes; name is used in messages.
func Decode(name string, data []byte) (*model.Snapshot, error) {
	var head struct {
		SchemaVersion *int `json:"schema_version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("read snapshot %s: not valid JSON: %s", name, jsonErrorAt(data, model.SnapshotSchemaVersion, err))
	}
	if head.SchemaVersion == nil {
		return nil, fmt.Errorf("read snapshot %s: no schema_version; is this a pomlint snapshot?", name)
	}
	version := *head.SchemaVersion
	if version < model.OldestSnapshotSchemaVersion || version > model.SnapshotSchemaVersion {
		return nil, fmt.Errorf("read snapshot %s: schema_version %d, this pomlint reads %s", name, version, readableVersions())
	}
	var snap model.Snapshot
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&snap); err != nil {
		return nil, fmt.Errorf("read snapshot %s: %s", name, jsonErrorAt(data, version, err))
	}
	seen := map[string]int{}
	for i, it := range snap.Items {
		switch {
		case it.Key == "":
			return nil, fmt.Errorf("read snapshot %s: items[%d] has no key", name, i)
		case !trackerPattern.MatchString(string(it.Tracker)):
			return nil, fmt.Errorf("read snapshot %s: item %s: tracker %q is not a tracker name (lower-case letters, digits and '-', like github or jira)", name, it.Key, it.Tracker)
		case it.Level != "" && !it.Level.Valid():
			return nil, fmt.Errorf("read snapshot %s: item %s: level %q is not strategic, tactical or unknown", name, it.Key, it.Level)
		}
		k := it.Source + "\x00" + it.Key
		if j, dup := seen[k]; dup {
			return nil, fmt.Errorf("read snapshot %s: item %s of source %q appears twice (items[%d] and items[%d])", name, it.Key, it.Source, j, i)
		}
		seen[k] = i
	}
	// Completeness is recorded per source: without a status, items could
	// not say whether their run saw everything, and a partial run would
	// read as complete. Such a snapshot is refused, never a pass.
	if len(snap.Sources) == 0 {
		return nil, fmt.Errorf("read snapshot %s: no sources: a snapshot records each source's completeness, so without it a partial run would read as complete", name)
	}
	status := map[string]bool{}
	for i, st := range snap.Sources {
		if st.Name == "" {
			return nil, fmt.Errorf("read snapshot %s: sources[%d] has no name", name, i)
		}
		status[st.Name] = true
	}
	for _, it := range snap.Items {
		if !status[it.Source] {
			return nil, fmt.Errorf("read snapshot %s: item %s is of source %q, which has no entry in sources (so nothing says whether it was read completely)", name, it.Key, it.Source)
		}
	}
	if version == 1 {
		upgradeV1(&snap)
	}
	return &snap, nil
}

// trackerPattern is what a tracker name looks like: the kinds register
// trackers, so a snapshot may hold items of any of them.
var trackerPattern = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// readableVersions names the schema versions Decode reads: "1 and 2".
func readableVersions() string {
	var vs []string
	for v := model.OldestSnapshotSchemaVersion; v <= model.SnapshotSchemaVersion; v++ {
		vs = append(vs, strconv.Itoa(v))
	}
	if len(vs) == 1 {
		return vs[0]
	}
	return strings.Join(vs[:len(vs)-1], ", ") + " and " + vs[len(vs)-1]
}

// jsonErrorAt turns a decoding error into "line L, column C: what".
func jsonErrorAt(data []byte, version int, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
		return fmt.Sprintf("%s: field %s: expected %s, got JSON %s", position(data, off), te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	}
	var pe *time.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%q is not a time: times are RFC 3339, like 2026-01-31T09:00:00Z", strings.Trim(pe.Value, `"`))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Sprintf("unknown field %s: a snapshot of schema_version %d has no such field (see configs/schema/snapshot.schema.json)", name, version)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.HasPrefix(err.Error(), "unexpected end of JSON input") || err.Error() == "unexpected EOF" {
		return "the file ends early (truncated JSON)"
	}
	if off >= 0 {
		return fmt.Sprintf("%s: %v", position(data, off), err)
	}
	return err.Error()
}

func position(data []byte, off int64) string {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("line %d, column %d", line, col)
}

// jsonKind names a Go kind the way a JSON reader thinks of it.
func jsonKind(k string) string {
	switch k {
	case "slice", "array":
		return "a list"
	case "map", "struct":
		return "an object"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "int", "int64", "int32", "float64":
		return "a number"
	}
	return k
}
