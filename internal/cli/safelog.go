package cli

import (
	"bytes"
	"io"

	"github.com/rs/zerolog"

	"github.com/pomlint/pomlint/internal/output"
	"github.com/pomlint/pomlint/internal/safetext"
)

// Log lines and error messages carry text pomlint did not write (item keys,
// titles, logins, server error bodies): they go through package safetext so
// that it cannot drive the terminal or the CI runner.

// safeConsole sanitises every string of a console log event before it is
// formatted, so the default colours stay.
func safeConsole(w zerolog.ConsoleWriter) zerolog.ConsoleWriter {
	w.FormatPrepare = func(ev map[string]any) error {
		for k, v := range ev {
			ev[k] = safeValue(v)
		}
		return nil
	}
	return w
}

func safeValue(v any) any {
	switch x := v.(type) {
	case string:
		return safetext.Line(x)
	case []any:
		for i := range x {
			x[i] = safeValue(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = safeValue(x[k])
		}
	}
	return v
}

// safeJSON escapes what JSON encoders leave raw (C1 controls, bidirectional
// overrides, "##[") in each JSON log line; zerolog writes one event per
// Write.
type safeJSON struct{ w io.Writer }

func (s safeJSON) Write(p []byte) (int, error) {
	if _, err := s.w.Write(safetext.JSON(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// stdoutSafe makes a report that goes to standard output — a CI log —
// safe there too. JSON reports (json, sarif, a snapshot) stay lossless: see
// safetext.JSON. HTML and JUnit XML already show control characters as
// escapes; there "##[" gets its "[" as a character reference, which reads
// back the same. CSV fields get visible escapes for line breaks and
// controls (safetext.CSV). Files are written byte for byte as rendered.
func stdoutSafe(path, format string, data []byte) []byte {
	if !output.IsStdout(path) {
		return data
	}
	switch format {
	case "json", "sarif", "snapshot":
		return safetext.JSON(data)
	case "html", "junit":
		return bytes.ReplaceAll(data, []byte("##["), []byte("##&#91;"))
	case "csv":
		return safetext.CSV(data)
	}
	return data
}
