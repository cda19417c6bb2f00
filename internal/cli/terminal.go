package cli

import (
	"bytes"
	"io"
	"sync"
)

// clearLine returns the cursor to the start of the line and erases it.
const clearLine = "\r\x1b[2K"

// sharedLine serialises the progress bar's, the logger's and the reports'
// writes to one terminal, so that a log line or a report never lands on the
// line the bar is drawn on: before anything else is written, the bar's line
// is cleared; the bar redraws itself below on its next tick.
type sharedLine struct {
	mu       sync.Mutex
	err      io.Writer // where the bar and the logs go (stderr)
	barShown bool      // the bar's text is on the current line of err
}

func newSharedLine(err io.Writer) *sharedLine { return &sharedLine{err: err} }

// Write writes a log line to stderr, below the bar.
func (s *sharedLine) Write(p []byte) (int, error) {
	return s.writeTo(s.err, p)
}

// Bar is the writer the progress bar draws with.
func (s *sharedLine) Bar() io.Writer { return barWriter{s} }

// Beside returns a writer for another stream on the same terminal (stdout):
// it clears the bar's line on stderr before writing.
func (s *sharedLine) Beside(w io.Writer) io.Writer { return besideWriter{s, w} }

func (s *sharedLine) writeTo(w io.Writer, p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.barShown {
		if _, err := io.WriteString(s.err, clearLine); err != nil {
			return 0, err
		}
		s.barShown = false
	}
	return w.Write(p)
}

type barWriter struct{ s *sharedLine }

func (b barWriter) Write(p []byte) (int, error) {
	b.s.mu.Lock()
	defer b.s.mu.Unlock()
	n, err := b.s.err.Write(p)
	// The bar draws "\r<text>" and never ends a line; when it clears itself
	// for good it writes blanks and "\r", which are harmless to clear again.
	if len(bytes.TrimSpace(bytes.ReplaceAll(p, []byte("\r"), nil))) > 0 {
		b.s.barShown = !bytes.HasSuffix(p, []byte("\n"))
	}
	return n, err
}

type besideWriter struct {
	s *sharedLine
	w io.Writer
}

func (b besideWriter) Write(p []byte) (int, error) { return b.s.writeTo(b.w, p) }
