// Package report renders a lint result in one format per file: text, json,
// sarif, markdown, github, junit, csv, html. Reporters know findings and
// nothing about connectors.
package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pomlint/pomlint/internal/model"
)

// Reporter writes one format.
type Reporter interface {
	Report(w io.Writer, r *model.Result) error
}

// Options are shared by every format.
type Options struct {
	// Color enables ANSI colour in the text format (only on a terminal).
	Color bool
	// Now stamps formats that carry a time; nil means no timestamp is
	// written, which keeps output byte-identical across runs.
	Now func() time.Time
	// Trend, when set, puts new / fixed / unchanged counts and the
	// correctly-owned share then and now in the Markdown and HTML headers,
	// and new / fixed counts at the end of the text summary line.
	Trend *Trend
}

// Formats lists the format names New accepts.
var Formats = []string{"text", "json", "sarif", "markdown", "github", "junit", "csv", "html"}

// New returns the reporter for format.
func New(format string, o Options) (Reporter, error) {
	switch format {
	case "text":
		return &Text{Color: o.Color, Trend: o.Trend}, nil
	case "json":
		return &JSON{}, nil
	case "sarif":
		return &SARIF{}, nil
	case "markdown":
		return &Markdown{Now: o.Now, Trend: o.Trend}, nil
	case "github":
		// The CLI sets SummaryPath from GITHUB_STEP_SUMMARY.
		return &GitHub{Now: o.Now, Trend: o.Trend}, nil
	case "junit":
		return &JUnit{Now: o.Now}, nil
	case "csv":
		return &CSV{}, nil
	case "html":
		return &HTML{Now: o.Now, Trend: o.Trend}, nil
	}
	return nil, fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}
