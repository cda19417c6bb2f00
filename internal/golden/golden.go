// Package golden compares test output with golden files under testdata and
// rewrites them when the test binary runs with -update:
//
//	go test ./internal/report -run TestMarkdown -update
//
// A mismatch fails the test with a line diff of the golden file against the
// output, so a reviewer sees what changed rather than the whole output.
//
// The -update flag is registered by this package: a test package that
// imports it must not define its own.
package golden

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/pomlint/pomlint/internal/output"
)

var update = flag.Bool("update", false, "rewrite golden files instead of comparing with them")

// Update reports whether the test binary runs with -update.
func Update() bool { return *update }

// Assert compares got with the file at path (relative to the test's
// package directory). Under -update it writes got to path instead,
// creating its directory.
func Assert(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		// output.WriteFile creates the directory and writes atomically, so
		// an interrupted -update never leaves half a golden file.
		if err := output.WriteFile(path, got, output.ModeShared); err != nil {
			t.Fatalf("write golden file: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file %s (run go test -run '%s' -update to create it): %v", path, t.Name(), err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test -run '%s' -update to accept it):\n%s", path, t.Name(), Diff(path, "got", want, got))
	}
}

// AssertString is Assert for text.
func AssertString(t testing.TB, path, got string) {
	t.Helper()
	Assert(t, path, []byte(got))
}
