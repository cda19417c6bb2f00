package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

func TestProgressBarNeverSharesALine(t *testing.T) {
	t.Run("should clear the bar's line before a log line", func(t *testing.T) {
		var errOut bytes.Buffer
		term := newSharedLine(&errOut)
		p := newProgress(term.Bar(), true)
		p.Progress("jira", "items", 50, 200)
		if !strings.Contains(errOut.String(), "fetching: jira 50/200 items") {
			t.Fatalf("the bar was not drawn: %q", errOut.String())
		}
		log := zerolog.New(zerolog.ConsoleWriter{Out: term, NoColor: true, PartsExclude: []string{zerolog.TimestampFieldName}})
		log.Warn().Str("source", "jira").Msg("rate limited")
		p.Close()
		out := errOut.String()
		i := strings.Index(out, "WRN rate limited")
		if i < 0 {
			t.Fatalf("no log line in %q", out)
		}
		if !strings.HasSuffix(out[:i], clearLine) {
			t.Errorf("the log line shares the bar's line (not cleared first): %q", out)
		}
	})
	t.Run("should clear the bar before a report on stdout of the same terminal", func(t *testing.T) {
		var errOut, out bytes.Buffer
		term := newSharedLine(&errOut)
		p := newProgress(term.Bar(), true)
		p.Progress("gh", "issues", 3, 0)
		if _, err := term.Beside(&out).Write([]byte("report\n")); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(errOut.String(), clearLine) {
			t.Errorf("stderr does not end with a cleared line before stdout was written: %q", errOut.String())
		}
		p.Close()
	})
	t.Run("should not clear anything when no bar is drawn", func(t *testing.T) {
		var errOut bytes.Buffer
		term := newSharedLine(&errOut)
		if _, err := term.Write([]byte("INF hello\n")); err != nil {
			t.Fatal(err)
		}
		if errOut.String() != "INF hello\n" {
			t.Errorf("got %q", errOut.String())
		}
	})
}
