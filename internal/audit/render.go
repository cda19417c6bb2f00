package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Formats lists the audit report formats, in the order help shows them.
func Formats() []string { return []string{"markdown", "html", "csv", "json"} }

// Render writes rep in format (one of Formats).
func Render(w io.Writer, format string, rep *Report) error {
	var err error
	switch format {
	case "markdown", "md":
		err = Markdown(w, rep)
	case "html":
		err = HTML(w, rep)
	case "csv":
		err = CSV(w, rep)
	case "json":
		err = JSON(w, rep)
	default:
		return fmt.Errorf("unknown audit format %q (want %s)", format, strings.Join(Formats(), ", "))
	}
	if err != nil {
		return fmt.Errorf("write %s audit report: %w", format, err)
	}
	return nil
}

// KnownFormat reports whether format is an audit format.
func KnownFormat(format string) bool {
	for _, f := range Formats() {
		if f == format {
			return true
		}
	}
	return format == "md"
}

// JSON writes the report as indented JSON (schema_version 1).
func JSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// fmtPct is "56.4 %" or "–".
func fmtPct(p *float64) string {
	if p == nil {
		return "–"
	}
	return strconv.FormatFloat(*p, 'f', 1, 64) + " %"
}

// fmtDays is a day count with one decimal, or "–".
func fmtDays(p *float64) string {
	if p == nil {
		return "–"
	}
	return strconv.FormatFloat(*p, 'f', 1, 64)
}

// fmtNum is a plain number with at most two decimals.
func fmtNum(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// signed formats a delta with an explicit sign ("+1.2", "−2.3", "±0").
func signed(v float64, decimals int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	switch {
	case v > 0:
		return "+" + s
	case v < 0:
		return "−" + s
	}
	return "±" + s
}

func fmtDelta(p *float64, unit string) string {
	if p == nil {
		return "–"
	}
	return signed(*p, 1) + unit
}

func fmtIntDelta(v int) string { return signed(float64(v), 0) }

// csvNum is a CSV cell: empty for nil.
func csvNum(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}
