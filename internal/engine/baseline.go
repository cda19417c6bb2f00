package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/pomlint/pomlint/internal/model"
)

// BaselineSchemaVersion is the version of the baseline file format.
const BaselineSchemaVersion = 1

// Baseline is a set of accepted findings. Its file is JSON with one entry per
// finding, sorted by source, item and rule, so that it diffs well and shrinks
// line by line as findings are fixed.
type Baseline struct {
	SchemaVersion int                   `json:"schema_version"`
	Tool          model.Tool            `json:"tool"`
	Entries       []model.BaselineEntry `json:"findings"`
}

func (b *Baseline) index() map[string]bool {
	m := make(map[string]bool, len(b.Entries))
	for _, e := range b.Entries {
		m[e.Fingerprint] = true
	}
	return m
}

// NewBaseline builds a baseline accepting every finding given.
func NewBaseline(tool model.Tool, fs []model.Finding) *Baseline {
	b := &Baseline{SchemaVersion: BaselineSchemaVersion, Tool: tool, Entries: make([]model.BaselineEntry, 0, len(fs))}
	seen := map[string]bool{}
	for _, f := range fs {
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		b.Entries = append(b.Entries, model.BaselineEntry{Fingerprint: f.Fingerprint, Rule: f.Rule, Source: f.Source, Item: f.Item})
	}
	sort.Slice(b.Entries, func(i, j int) bool { return b.Entries[i].Less(b.Entries[j]) })
	return b
}

// Write writes b as indented JSON.
func (b *Baseline) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b)
}

// LoadBaseline reads a baseline file.
func LoadBaseline(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("read baseline %s: %w", path, err)
	}
	var probe struct {
		Items json.RawMessage `json:"items"`
	}
	if json.Unmarshal(data, &probe) == nil && probe.Items != nil {
		return nil, fmt.Errorf("read baseline %s: this is a snapshot, not a baseline (write one with pomlint baseline create)", path)
	}
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected end of JSON input") {
			return nil, fmt.Errorf("read baseline %s: not valid JSON: %v", path, err)
		}
		return nil, fmt.Errorf("read baseline %s: not a baseline file (want an object with schema_version and findings, as pomlint baseline create writes)", path)
	}
	if b.SchemaVersion != BaselineSchemaVersion {
		return nil, fmt.Errorf("read baseline %s: schema_version %d, this pomlint reads %d", path, b.SchemaVersion, BaselineSchemaVersion)
	}
	for i, e := range b.Entries {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("read baseline %s: entry %d has no fingerprint", path, i)
		}
	}
	return &b, nil
}
