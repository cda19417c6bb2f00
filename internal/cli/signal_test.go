//go:build unix

package cli

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// sigtermOnFetch sends this process SIGTERM on the first request, as a CI
// runner cancelling the job would, then holds the request until the run's
// context ends.
type sigtermOnFetch struct{ once sync.Once }

func (s *sigtermOnFetch) RoundTrip(r *http.Request) (*http.Response, error) {
	s.once.Do(func() { _ = syscall.Kill(os.Getpid(), syscall.SIGTERM) })
	select {
	case <-r.Context().Done():
		return nil, r.Context().Err()
	case <-time.After(20 * time.Second): // a safety net, never reached when it works
		return nil, context.DeadlineExceeded
	}
}

func TestSIGTERM(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		args       []string
	}{
		{"should stop a snapshot with exit 3 and leave the old snapshot intact", "snap.json", []string{"snapshot", "--output", "snap.json"}},
		{"should stop a lint with exit 3 and leave the old reports intact", "r.sarif", []string{"lint", "--format", "sarif=r.sarif", "--format", "json=r.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "pomlint.yaml", liveConfig)
			write(t, dir, tc.file, "previous run\n")
			var out, errb syncBuffer
			a := &App{
				IO:        IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb},
				Now:       func() time.Time { return testNow },
				Getenv:    func(k string) string { return map[string]string{"GITHUB_TOKEN": "t"}[k] },
				WorkDir:   dir,
				Transport: &sigtermOnFetch{},
			}
			code := a.RunWithSignals(context.Background(), append(tc.args, "--no-cache", "--retries", "0"))
			if code != 3 {
				t.Fatalf("exit %d, want 3\n%s", code, errb.String())
			}
			if !strings.Contains(errb.String(), "interrupted (terminated signal received)") {
				t.Fatalf("stderr does not say the run was stopped by SIGTERM:\n%s", errb.String())
			}
			b, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil || string(b) != "previous run\n" {
				t.Fatalf("%s = %q (%v), want the previous content", tc.file, b, err)
			}
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if strings.Contains(e.Name(), ".tmp-") || e.Name() == "r.json" {
					t.Fatalf("a file was written after SIGTERM: %s", e.Name())
				}
			}
		})
	}
}
