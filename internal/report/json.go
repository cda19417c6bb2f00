package report

import (
	"encoding/json"
	"io"

	"github.com/pomlint/pomlint/internal/model"
)

// JSONSchemaVersion is the version of the JSON report (see
// configs/schema/report.schema.json).
const JSONSchemaVersion = 1

// JSON writes the machine-readable report, DESIGN.md's schema_version 1.
type JSON struct{}

type jsonReport struct {
	SchemaVersion    int                     `json:"schema_version"`
	Tool             model.Tool              `json:"tool"`
	Complete         bool                    `json:"complete"`
	Sources          []model.SourceStatus    `json:"sources"`
	Summary          jsonSummary             `json:"summary"`
	Findings         []model.Finding         `json:"findings"`
	UnusedExceptions []model.UnusedException `json:"unused_exceptions"`
	StaleBaseline    []model.BaselineEntry   `json:"stale_baseline"`
	// Shard and Items are written by sharded runs only (lint --shard K/N),
	// for pomlint merge.
	Shard *model.Shard `json:"shard,omitempty"`
	Items []model.Item `json:"items,omitempty"`
}

type jsonSummary struct {
	Items      int            `json:"items"`
	Findings   int            `json:"findings"`
	Baselined  int            `json:"baselined"`
	BySeverity map[string]int `json:"by_severity"`
}

// Report writes r as indented JSON; map keys and findings are in a fixed
// order so the same result gives the same bytes.
func (JSON) Report(w io.Writer, r *model.Result) error {
	counted := len(r.Counted())
	out := jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          r.Tool,
		Complete:      r.Complete(),
		Sources:       nonNil(r.Sources),
		Summary: jsonSummary{
			Items:      r.ItemCount(),
			Findings:   counted,
			Baselined:  len(r.Findings) - counted,
			BySeverity: r.BySeverity(),
		},
		Findings:         nonNil(r.Findings),
		UnusedExceptions: nonNil(r.UnusedExceptions),
		StaleBaseline:    nonNil(r.StaleBaseline),
		Shard:            r.Shard,
	}
	if r.Shard != nil {
		out.Items = nonNil(r.ShardItems)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
