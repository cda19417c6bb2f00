// Package markdown makes text pomlint did not write — titles, logins,
// labels, messages — safe inside the Markdown pomlint writes for GitHub
// (PR comments, job summaries, issues) and for files: escaping, links,
// code spans, HTML inside Markdown, truncation and plurals. The lint,
// drift and audit reports all use it, so a fix here reaches all three.
package markdown

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/pomlint/pomlint/internal/safetext"
)

// zwsp is U+200B ZERO WIDTH SPACE, which breaks GitHub's @mention and
// issue-reference autolinking without changing what a reader sees.
const zwsp = "\u200b"

// Escape makes s safe as inline Markdown text in a table cell or a list:
// Markdown punctuation is backslash-escaped, HTML specials become entities
// (so "<script>" shows as text), and line breaks become spaces.
//
// For GitHub (PR comments, job summaries) it also mentions and links
// nobody: GitHub resolves "@name", "#12" and "GH-12" after removing
// backslash escapes (github/markup#1168), so a U+200B zero-width space
// follows "@", and sits between "#" or "GH-" and a digit.
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		// The width comes from the text, not the rune: an invalid byte
		// decodes as U+FFFD (3 bytes long) but is 1 byte wide.
		c, w := utf8.DecodeRuneInString(s[i:])
		rest := s[i+w:]
		switch c {
		case '\r':
		case '\n', '\t':
			b.WriteByte(' ')
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		case '@':
			b.WriteString("@" + zwsp)
		case '#':
			b.WriteString(`\#`)
			if startsWithDigit(rest) {
				b.WriteString(zwsp)
			}
		case '-':
			b.WriteRune(c)
			if i >= 2 && strings.EqualFold(s[i-2:i], "gh") && startsWithDigit(rest) {
				b.WriteString(zwsp)
			}
		case '\\', '`', '*', '_', '[', ']', '|', '~':
			// "[" and "]" so that no link or image can start.
			b.WriteByte('\\')
			b.WriteRune(c)
		default:
			if e := safetext.Escape(c); e != "" {
				// ESC and other controls: visible, as an escaped backslash
				// and the code, never raw (a dry run prints this).
				b.WriteString(`\` + e)
				break
			}
			b.WriteRune(c)
		}
		i += w
	}
	return b.String()
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// Link is [text](url) with text escaped; url is used only when it is an
// absolute http(s) URL, otherwise the escaped text alone is returned.
func Link(text, rawURL string) string {
	safe, ok := LinkURL(rawURL)
	if !ok {
		return Escape(text)
	}
	return "[" + Escape(text) + "](" + safe + ")"
}

// LinkURL returns rawURL ready to stand between the parentheses of a
// Markdown link inside a table cell, and false when it is not an absolute
// http(s) URL (javascript:, data:, relative paths are never linked).
// Parentheses, spaces and angle brackets would end the link early, and "|"
// would end the table cell around it (GitHub splits cells before it reads
// links), so they are percent-encoded, as are backslashes and backticks.
func LinkURL(rawURL string) (string, bool) {
	u, err := url.Parse(rawURL)
	if rawURL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return linkEscaper.Replace(u.String()), true
}

var linkEscaper = strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E", "|", "%7C", "\\", "%5C", "`", "%60")

// CodeSpan makes s safe between the backticks of a `…` span in a table
// cell: backticks and line breaks would end the span, "|" the cell, and
// control characters and workflow-command markers are made visible
// (safetext.Line).
func CodeSpan(s string) string {
	return safetext.Line(codeSpanEscaper.Replace(s))
}

var codeSpanEscaper = strings.NewReplacer("`", "'", "\n", " ", "\r", "", "|", "\\|")

// HTMLText escapes s for HTML inside a Markdown document (<details>,
// <summary>), where Markdown escapes would show literally. GitHub decodes
// entities before it resolves mentions, so "@", "#12" and "GH-12" are
// broken with U+200B as in Escape.
func HTMLText(s string) string {
	return strings.ReplaceAll(HTMLCode(breakRefs(s)), "@", "@"+zwsp)
}

// HTMLCode escapes s for an HTML attribute or a <code> element, where
// GitHub resolves no mention or reference: only HTML specials and line
// breaks. Other control characters and invalid bytes are shown as visible
// escapes (safetext.Visible: a dry run or a Markdown report on stdout
// reaches a terminal or a CI log), and "##[", which the Actions runner
// reads as a command anywhere in a line, keeps its "[" as an entity.
func HTMLCode(s string) string {
	return strings.ReplaceAll(safetext.Visible(htmlEscaper.Replace(s)), "##[", "##&#91;")
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;", "\r", "", "\n", " ")

// breakRefs puts U+200B between "#" or "GH-" and a following digit.
func breakRefs(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if !startsWithDigit(s[i+1:]) {
			continue
		}
		if s[i] == '#' || (s[i] == '-' && i >= 2 && strings.EqualFold(s[i-2:i], "gh")) {
			b.WriteString(zwsp)
		}
	}
	return b.String()
}

// Shorten cuts s to at most n runes, marking the cut with "…".
func Shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// CutBytes cuts s to at most n bytes on a rune boundary, marking the cut
// with "…" (3 bytes); under 4 bytes nothing is left.
func CutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n < 4 {
		return ""
	}
	s = s[:n-3]
	for len(s) > 0 {
		if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size > 1 {
			break
		}
		s = s[:len(s)-1] // part of a rune the cut split
	}
	return s + "…"
}

// Plural is "1 finding" or "3 findings" ("1 entry", "2 entries"), or
// many[0] for an irregular plural ("1 person", "2 people").
func Plural(n int, word string, many ...string) string {
	if n == 1 {
		return "1 " + word
	}
	if len(many) > 0 {
		return fmt.Sprintf("%d %s", n, many[0])
	}
	if strings.HasSuffix(word, "y") && !strings.HasSuffix(word, "ey") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(word, "y"))
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Dash is s, or "–" for an empty s: an empty table cell reads as missing.
func Dash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// OrNone is s, or "(none)" for an empty s.
func OrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// OrUnknown is an error text s, or "unknown error" for an empty s: a
// source that failed without saying why still reads as failed.
func OrUnknown(s string) string {
	if s == "" {
		return "unknown error"
	}
	return s
}
