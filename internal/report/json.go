package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/pomlint/pomlint/internal/model"
)

// JSONSchemaVersion is the version of the JSON report (see
// configs/schema/report.schema.json).
const JSONSchemaVersion = 1

// JSON writes the machine-readable report, schema_version 1 as
// configs/schema/report.schema.json describes it.
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
	// Shard is written by sharded runs only (lint --shard K/N), for
	// pomlint merge, followed by "items" (see writeItems).
	Shard *model.Shard `json:"shard,omitempty"`
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
	if r.Shard == nil {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return err
	}
	// The shard block is the last key: reopen the object after it.
	head, ok := bytes.CutSuffix(buf.Bytes(), []byte("\n  }\n}\n"))
	if !ok {
		return fmt.Errorf("write shard report: unexpected end of the encoded report")
	}
	if _, err := w.Write(head); err != nil {
		return err
	}
	return writeItems(w, r.ShardItems)
}

// writeItems ends a shard's report with its items, one compact item per
// line: a shard of 100,000 items is read back by pomlint merge about twice
// as fast as indented, and stays diffable line by line.
func writeItems(w io.Writer, items []model.Item) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("\n  },\n  \"items\": [")
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false)
	for i := range items {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		line.Reset()
		if err := enc.Encode(&items[i]); err != nil {
			return err
		}
		bw.Write(bytes.TrimSuffix(line.Bytes(), []byte("\n")))
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
