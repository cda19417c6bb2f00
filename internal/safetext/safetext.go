// Package safetext makes text that pomlint did not write — titles, labels,
// logins, display names, server error bodies — safe to print on a terminal
// and in a CI log.
//
// Anyone who can file an issue writes such text. Printed raw, an ESC
// sequence can clear the screen or rewrite earlier lines, a CR can hide
// what came before it, and in GitHub Actions a line starting with
// "::add-mask::" or "::error::" is a workflow command, as is "##[error]"
// anywhere in a line (the runner's legacy parser). So control characters
// become visible escapes (\n, \r, \t, \x1b, \u009b), and workflow-command
// markers are broken with a backslash ("\::error::", "##\[error]").
package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s as one line: every control character, line breaks
// included, is shown as an escape.
func Line(s string) string { return clean(s, false) }

// Text is Line that keeps line feeds and tabs, for messages pomlint writes
// over several lines (a config error listing its problems); every line is
// still guarded against workflow commands.
func Text(s string) string { return clean(s, true) }

func clean(s string, keepLines bool) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	lineStart := true
	for i := 0; i < len(s); {
		c, w := utf8.DecodeRuneInString(s[i:])
		if keepLines && (c == '\n' || c == '\t') {
			b.WriteRune(c)
		} else {
			w = writeGuarded(&b, s, i, c, w, lineStart)
		}
		raw := Escape(c) == "" || (keepLines && (c == '\n' || c == '\t'))
		switch {
		case keepLines && c == '\n':
			lineStart = true
		case raw && unicode.IsSpace(c):
			// The runner trims leading white space (any Unicode space)
			// before it looks for "::".
		default:
			lineStart = false
		}
		i += w
	}
	return b.String()
}

// isPlain reports whether s needs no change: printable ASCII with no
// workflow-command marker, the common case.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return !strings.Contains(s, "::") && !strings.Contains(s, "##[")
}

// Escape returns the visible escape of a character that must not be
// printed raw — C0 and C1 controls, DEL, and the Unicode format characters
// that reorder or break lines (bidirectional overrides, U+2028, U+2029) —
// and "" for any other rune.
func Escape(c rune) string {
	switch c {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	}
	switch {
	case c < 0x20 || c == 0x7f:
		return fmt.Sprintf(`\x%02x`, c)
	case c >= 0x80 && c <= 0x9f,
		c >= 0x202a && c <= 0x202e,            // bidirectional embeddings and overrides
		c >= 0x2066 && c <= 0x2069,            // bidirectional isolates
		c == 0x200e, c == 0x200f, c == 0x061c, // directional marks
		c == 0x2028, c == 0x2029: // line and paragraph separators
		return fmt.Sprintf(`\u%04x`, c)
	}
	return ""
}

// JSON makes one JSON-encoded log line safe to print: JSON encoders escape
// C0 controls but not C1 controls, bidirectional overrides or "##[", so
// those become \u escapes, which decode back to the same text.
func JSON(line []byte) []byte {
	s := string(line)
	plain := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			plain = false
			break
		}
	}
	if plain && !strings.Contains(s, "##[") {
		return line
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		c, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case c >= 0x80 && Escape(c) != "":
			fmt.Fprintf(&b, `\u%04x`, c)
		case strings.HasPrefix(s[i:], "##["):
			b.WriteString(`##\u005b`)
			w = 3
		default:
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return []byte(b.String())
}

// Visible shows every control character of s as an escape, as Line does,
// invalid bytes included, but leaves workflow-command markers alone. It is
// for documents whose own syntax shows text (HTML, JUnit XML): there an
// escape must read as what the tracker holds, and "::" cannot start a line
// once line breaks are escapes; their writers guard "##[" with an entity
// where it matters (standard output).
func Visible(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		c, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && w == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case Escape(c) != "":
			b.WriteString(Escape(c))
		default:
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return b.String()
}

// CSV makes a CSV document (RFC 4180, as encoding/csv writes it) safe to
// print: inside fields, control characters and line breaks become escapes
// and workflow-command markers are broken as in Line, while the line
// breaks that end records stay. A file keeps its quoted line breaks; only
// a CSV report on standard output, read by a terminal or a CI log, needs
// this.
func CSV(data []byte) []byte {
	s := string(data)
	if csvPlain(s) {
		return data
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	w := csvWriter{b: &b, lineStart: true}
	for i := 0; i < len(s); {
		i += w.write(s, i)
	}
	return []byte(b.String())
}

// csvPlain reports whether the CSV document s needs no change.
func csvPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n' && c != '\r') || c >= 0x7f {
			return false
		}
	}
	return !strings.Contains(s, "::") && !strings.Contains(s, "##[") && !rawBreak(s)
}

// csvWriter writes a CSV document as CSV shows it, one rune at a time,
// knowing whether it is inside a quoted field and at the start of a line.
type csvWriter struct {
	b                   *strings.Builder
	inQuotes, lineStart bool
}

// write writes the rune at s[i] and returns how many bytes it consumed.
func (cw *csvWriter) write(s string, i int) int {
	c, w := utf8.DecodeRuneInString(s[i:])
	recordEnd := !cw.inQuotes && (c == '\n' || (c == '\r' && strings.HasPrefix(s[i+w:], "\n")))
	switch {
	case recordEnd:
		cw.b.WriteRune(c)
		cw.lineStart = c == '\n' || cw.lineStart
		return w
	case c == '"':
		cw.inQuotes = !cw.inQuotes
		cw.b.WriteRune(c)
	default:
		w = writeGuarded(cw.b, s, i, c, w, cw.lineStart)
		if Escape(c) == "" && unicode.IsSpace(c) {
			// The runner trims leading white space before it looks for "::".
			return w
		}
	}
	cw.lineStart = false
	return w
}

// writeGuarded writes the rune c of width w at s[i] as Line shows it: an
// invalid byte or a control character as an escape, a workflow-command
// marker broken. It returns how many bytes of s it consumed.
func writeGuarded(b *strings.Builder, s string, i int, c rune, w int, lineStart bool) int {
	switch {
	case c == utf8.RuneError && w == 1:
		fmt.Fprintf(b, `\x%02x`, s[i])
	case Escape(c) != "":
		b.WriteString(Escape(c))
	case lineStart && strings.HasPrefix(s[i:], "::"):
		b.WriteString(`\:`)
	case strings.HasPrefix(s[i:], "##["):
		b.WriteString(`##\[`)
		return 3
	default:
		b.WriteString(s[i : i+w])
	}
	return w
}

// rawBreak reports whether s holds a line break that does not end a
// record: one inside a quoted field, or a CR without its LF.
func rawBreak(s string) bool {
	inQuotes := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQuotes = !inQuotes
		case '\n':
			if inQuotes {
				return true
			}
		case '\r':
			if inQuotes || !strings.HasPrefix(s[i+1:], "\n") {
				return true
			}
		}
	}
	return false
}
