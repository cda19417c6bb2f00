package cli

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/fake"
	"github.com/pomlint/pomlint/internal/golden"
)

// syncBuffer is a bytes.Buffer safe for the concurrent log writes of
// collect's per-source goroutines (runCLI's plain buffers race under -race).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runPomlint runs pomlint in dir with race-safe streams, a fake clock and an
// optional transport.
func runPomlint(t testing.TB, dir string, env map[string]string, transport http.RoundTripper, args ...string) runResult {
	t.Helper()
	var out, errb syncBuffer
	a := &App{
		IO:        IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb},
		Now:       func() time.Time { return testNow },
		Getenv:    func(k string) string { return env[k] },
		Version:   "0.1.0-test",
		WorkDir:   dir,
		Transport: transport,
		Clock:     fake.NewClock(testNow),
	}
	code := a.Run(context.Background(), args)
	return runResult{out: out.String(), err: errb.String(), code: code}
}

// goldenDrift compares got with testdata/drift/name, rewriting it under
// -update.
func goldenDrift(t *testing.T, name, got string) {
	t.Helper()
	golden.AssertString(t, filepath.Join("testdata", "drift", name), got)
}
