package safetext

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"should keep plain text", "Checkout: retry | fix", "Checkout: retry | fix"},
		{"should keep non-ASCII letters", "Zahlung prüfen 支付", "Zahlung prüfen 支付"},
		{"should show line breaks", "a\r\nb", `a\r\nb`},
		{"should show ESC so the screen is not cleared", "\x1b[2J\x1b[Hgotcha", `\x1b[2J\x1b[Hgotcha`},
		{"should show C1 controls", "a\u009b31mb\u0085", `a\u009b31mb\u0085`},
		{"should show bidirectional overrides", "abc\u202egnp.exe", `abc\u202egnp.exe`},
		{"should show invalid bytes", "a\xffb", `a\xffb`},
		{"should break a workflow command at the start", "::add-mask::secret", `\::add-mask::secret`},
		{"should break a workflow command after spaces", "  ::error::boom", `  \::error::boom`},
		{"should break a legacy command anywhere", "see ##[error]boom", `see ##\[error]boom`},
		{"should break a workflow command after Unicode spaces", "\u00a0\u3000::error::boom", "\u00a0\u3000\\::error::boom"},
		{"should keep :: in the middle", "a::b", "a::b"},
		{"should break a command after an escaped line break", "x\n::error::y", `x\n::error::y`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Line(tc.in); got != tc.want {
				t.Fatalf("Line(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"should keep line feeds and tabs", "invalid config: 2 problems:\n  a\n\tb", "invalid config: 2 problems:\n  a\n\tb"},
		{"should break a command on any line", "server said:\n::add-mask::x\n  ::error::y", "server said:\n\\::add-mask::x\n  \\::error::y"},
		{"should show CR and ESC", "a\rb\x1bc", `a\rb\x1bc`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Text(tc.in); got != tc.want {
				t.Fatalf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	t.Run("should escape C1, bidi and ##[ and decode back to the same text", func(t *testing.T) {
		in := "title \u009b2J \u202e ##[error]x ünïcode"
		line, _ := json.Marshal(map[string]string{"title": in})
		got := JSON(line)
		if strings.Contains(string(got), "##[") || strings.ContainsRune(string(got), 0x9b) || strings.ContainsRune(string(got), 0x202e) {
			t.Fatalf("JSON left a marker: %s", got)
		}
		var back map[string]string
		if err := json.Unmarshal(got, &back); err != nil || back["title"] != in {
			t.Fatalf("decoded %q (%v), want %q", back["title"], err, in)
		}
	})
}

// FuzzLine checks that no text survives Line with a control character, a
// line break or a workflow command.
func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "plain", "::error::x", " \t::add-mask::x", "a\nb", "\x1b]0;title\x07", "\xff\xfe", "##[set-output name=x]y", "\u0085\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Line(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Line(%q) = %q: invalid UTF-8", s, got)
		}
		for _, c := range got {
			if Escape(c) != "" {
				t.Fatalf("Line(%q) = %q: raw %U", s, got, c)
			}
		}
		if strings.HasPrefix(strings.TrimLeftFunc(got, unicode.IsSpace), "::") || strings.Contains(got, "##[") {
			t.Fatalf("Line(%q) = %q: a workflow command survived", s, got)
		}
		if got2 := Text(s); strings.ContainsAny(got2, "\r\x1b") {
			t.Fatalf("Text(%q) = %q: a raw CR or ESC", s, got2)
		}
	})
}

func TestVisible(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"should keep plain text", "Checkout ::error:: ##[x]", "Checkout ::error:: ##[x]"},
		{"should keep non-ASCII letters", "Zahlung prüfen 支付", "Zahlung prüfen 支付"},
		{"should show line breaks and tabs", "a\r\n\tb", `a\r\n\tb`},
		{"should show ESC, C1 and bidi controls", "\x1b[2J\u009b\u202e", `\x1b[2J\u009b\u202e`},
		{"should show invalid bytes", "a\xffb", `a\xffb`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Visible(tc.in); got != tc.want {
				t.Fatalf("Visible(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestCSV(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"should keep a plain document", "a,b\r\nc,\"d,e\"\r\n", "a,b\r\nc,\"d,e\"\r\n"},
		{"should show a line break inside a quoted field", "a,\"x\r\n::error::y\"\r\n", "a,\"x\\r\\n::error::y\"\r\n"},
		{"should show ESC and C1 in an unquoted field", "a,\x1b[2J\u009b\r\n", "a,\\x1b[2J\\u009b\r\n"},
		{"should show a CR without its LF", "a\rb\r\n", "a\\rb\r\n"},
		{"should break a workflow command starting a record", "::add-mask::x,y\r\n  ::error::z\n", "\\::add-mask::x,y\r\n  \\::error::z\n"},
		{"should break a legacy command anywhere", "a,b ##[error]c\r\n", "a,b ##\\[error]c\r\n"},
		{"should keep doubled quotes", "\"say \"\"hi\"\"\n\",b\r\n", "\"say \"\"hi\"\"\\n\",b\r\n"},
		{"should show invalid bytes", "a\xff,b\r\n", "a\\xff,b\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(CSV([]byte(tc.in))); got != tc.want {
				t.Fatalf("CSV(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzCSV checks that a CSV document keeps no raw control character but
// the line breaks that end its records, and no workflow command.
func FuzzCSV(f *testing.F) {
	for _, s := range []string{"", "a,b\r\n", "\"x\ny\",z\r\n", "::error::x\r\n", "a\rb", "\x1b\u009b\"\"\"", "##[x]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := string(CSV([]byte(s)))
		for _, c := range got {
			if c != '\n' && c != '\r' && Escape(c) != "" {
				t.Fatalf("CSV(%q) = %q: raw %U", s, got, c)
			}
		}
		if strings.Contains(got, "##[") {
			t.Fatalf("CSV(%q) = %q: a legacy command survived", s, got)
		}
		for _, line := range strings.Split(got, "\n") {
			if strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") {
				t.Fatalf("CSV(%q) = %q: a workflow command survived", s, got)
			}
			if strings.Contains(strings.TrimSuffix(line, "\r"), "\r") {
				t.Fatalf("CSV(%q) = %q: a CR inside a line", s, got)
			}
		}
	})
}
