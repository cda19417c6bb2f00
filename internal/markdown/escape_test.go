package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscapeOddText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"should not panic on a lone invalid byte at the end", "a\xff", "a\ufffd"},
		{"should not panic on a lone invalid byte before #", "\xff#1", "\ufffd\\#\u200b1"},
		{"should not panic on a truncated rune", "ok \xe2\x82", "ok \ufffd\ufffd"},
		{"should keep valid text", "fix | the *bug*", `fix \| the \*bug\*`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Escape(tc.in); got != tc.want {
				t.Fatalf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestLinkHostileURL(t *testing.T) {
	for _, tc := range []struct {
		name, url, want string
	}{
		{"should percent-encode a pipe that would end the table cell", "https://x.example/a|b", "[K](https://x.example/a%7Cb)"},
		{"should percent-encode parentheses and spaces", "https://x.example/a (b)", "[K](https://x.example/a%20%28b%29)"},
		{"should percent-encode a pipe in the query", "https://x.example/?q=a|b", "[K](https://x.example/?q=a%7Cb)"},
		{"should not link javascript", "javascript:alert(1)", "K"},
		{"should not link a relative path", "/a|b", "K"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Link("K", tc.url); got != tc.want {
				t.Fatalf("Link(K, %q) = %q, want %q", tc.url, got, tc.want)
			}
		})
	}
}

// FuzzEscape checks that any text, valid UTF-8 or not, escapes
// without a panic into one line of valid UTF-8 that cannot end a table
// cell, open a tag or a link.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "a|b", "<script>", "@alice #12 GH-3", "x\xff", "\xff", "a\r\nb", "[t](u)", "gh-1", "\\|"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Escape(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Escape(%q) = %q: not valid UTF-8", s, got)
		}
		if strings.ContainsAny(got, "\r\n<>") {
			t.Fatalf("Escape(%q) = %q: a line break or a tag survived", s, got)
		}
		if unescaped(got, '|') || unescaped(got, '[') {
			t.Fatalf("Escape(%q) = %q: an unescaped | or [", s, got)
		}
	})
}

// FuzzLink checks that no URL can break out of the link or the
// table cell around it.
func FuzzLink(f *testing.F) {
	for _, s := range []string{"https://github.com/acme/app/issues/1", "https://x.example/a|b", "https://x.example/a (b)", "javascript:alert(1)", "http://x/\xff", "https://x.example/?q=`a`\\"} {
		f.Add("KEY-1", s)
	}
	f.Fuzz(func(t *testing.T, text, rawURL string) {
		got := Link(text, rawURL)
		if strings.ContainsAny(got, "\r\n") {
			t.Fatalf("Link(%q, %q) = %q: a line break", text, rawURL, got)
		}
		u, ok := LinkURL(rawURL)
		if !ok {
			if got != Escape(text) {
				t.Fatalf("Link(%q, %q) = %q: linked a URL LinkURL refuses", text, rawURL, got)
			}
			return
		}
		if strings.ContainsAny(u, "|() <>`\\\r\n") {
			t.Fatalf("LinkURL(%q) = %q: a character that ends the link or the cell", rawURL, u)
		}
		if !strings.HasSuffix(got, "("+u+")") {
			t.Fatalf("Link(%q, %q) = %q, want it to end with (%s)", text, rawURL, got, u)
		}
	})
}

// unescaped reports whether c occurs in s without a backslash before it
// (a backslash itself escaped does not count).
func unescaped(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case c:
			return true
		}
	}
	return false
}

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"should turn html into entities", "<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"},
		{"should keep a pipe from splitting a table cell", "a | b", `a \| b`},
		{"should flatten newlines", "one\r\ntwo", "one two"},
		{"should mention nobody", "ask @alice or @acme/payments-team", "ask @\u200balice or @\u200bacme/payments-team"},
		{"should link no issue", "see #12, acme/app#3 and GH-7; not #x or GH-", "see \\#\u200b12, acme/app\\#\u200b3 and GH-\u200b7; not \\#x or GH-"},
		{"should keep unicode", "日本語 “q”", "日本語 “q”"},
		{"should defuse links", "[x](javascript:1)", `\[x\](javascript:1)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Escape(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestHTMLText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"should escape HTML specials", `<b>"x" & 'y'`, "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;"},
		{"should turn line breaks into spaces", "a\r\nb\nc", "a b c"},
		{"should show ESC and C1 controls", "a\x1b[2J\u009bb\u202e", `a\x1b[2J\u009bb\u202e`},
		{"should show invalid bytes", "a\xff\x9bb", `a\xff\x9bb`},
		{"should break a legacy workflow command", "##[error]x", "##&#91;error]x"},
		{"should mention and link nobody", "@bob #1", "@\u200bbob #\u200b1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := HTMLText(tc.in); got != tc.want {
				t.Fatalf("HTMLText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
