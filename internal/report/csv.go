package report

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/pomlint/pomlint/internal/markdown"
	"github.com/pomlint/pomlint/internal/model"
)

// CSVHeader is the fixed first row of the CSV report.
var CSVHeader = []string{"source", "item", "rule", "name", "severity", "level", "owner", "team", "suggested_owner", "title", "url", "message", "fingerprint", "suppressed"}

// IncompleteRule is the rule column of the row the CSV report adds for each
// source that could not be read completely.
const IncompleteRule = "INCOMPLETE"

// CSV writes one RFC 4180 row per finding (baselined ones too, with
// suppressed=baseline), CRLF line ends. Each source that could not be read
// completely adds a row with rule INCOMPLETE and the error as its message, so
// a spreadsheet of a partial run says it is partial.
//
// Cells that a spreadsheet would run as a formula (starting with = + - @ tab
// or CR) get a leading apostrophe: titles come from anyone who can file an
// issue.
type CSV struct{}

// Report writes the CSV report.
func (CSV) Report(w io.Writer, r *model.Result) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	rows := [][]string{CSVHeader}
	for _, src := range r.Sources {
		if !src.Complete {
			rows = append(rows, []string{src.Name, "", IncompleteRule, "incomplete-source", "error", "", "", "", "", "", "",
				fmt.Sprintf("INCOMPLETE run: source %s (%s) could not be read completely: %s", src.Name, src.Kind, markdown.OrUnknown(src.Error)), "", ""})
		}
	}
	for _, f := range r.Findings {
		rows = append(rows, []string{f.Source, f.Item, f.Rule, f.Name, f.Severity.String(), string(f.Level), f.Owner, f.Team,
			f.SuggestedOwner, f.Title, f.URL, f.Message, f.Fingerprint, f.Suppressed})
	}
	for _, row := range rows {
		for i, c := range row {
			row[i] = defuseFormula(c)
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write csv report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	return nil
}

func defuseFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
