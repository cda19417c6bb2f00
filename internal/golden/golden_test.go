package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name, want, got, diff string
	}{
		{name: "should print nothing for equal text", want: "a\nb\n", got: "a\nb\n"},
		{name: "should show a changed line with its context",
			want: "1\n2\n3\n4\n5\n6\n7\n8\n9\n", got: "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
			diff: "--- want\n+++ got\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"},
		{name: "should show an added line at the end",
			want: "a\n", got: "a\nb\n",
			diff: "--- want\n+++ got\n@@ -1,1 +1,2 @@\n a\n+b\n"},
		{name: "should show a missing final newline",
			want: "a\n", got: "a",
			diff: "--- want\n+++ got\n@@ -1,1 +1,1 @@\n-a\n+a\n\\ No newline at end of file\n"},
		{name: "should split changes far apart into two hunks",
			want: "x\n1\n2\n3\n4\n5\n6\n7\n8\ny\n", got: "X\n1\n2\n3\n4\n5\n6\n7\n8\nY\n",
			diff: "--- want\n+++ got\n@@ -1,4 +1,4 @@\n-x\n+X\n 1\n 2\n 3\n@@ -7,4 +7,4 @@\n 6\n 7\n 8\n-y\n+Y\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Diff("want", "got", []byte(tc.want), []byte(tc.got)); got != tc.diff {
				t.Errorf("Diff =\n%s\nwant\n%s", got, tc.diff)
			}
		})
	}
}

func TestDiffCutsLongOutput(t *testing.T) {
	want := strings.Repeat("a\n", 1000)
	got := strings.Repeat("b\n", 1000)
	d := Diff("want", "got", []byte(want), []byte(got))
	if n := strings.Count(d, "\n"); n > maxLines+5 || !strings.Contains(d, "diff cut") {
		t.Errorf("should cut a long diff at %d lines, got %d lines", maxLines, n)
	}
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(f string, a ...any) { r.failed = f }
func (r *recorder) Fatalf(f string, a ...any) { r.failed = f }
func (r *recorder) Name() string              { return "TestX" }

func TestAssert(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.golden")
	if err := os.WriteFile(p, []byte("one\ntwo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("should pass on equal output", func(t *testing.T) {
		r := &recorder{TB: t}
		Assert(r, p, []byte("one\ntwo\n"))
		if r.failed != "" {
			t.Errorf("failed: %s", r.failed)
		}
	})
	t.Run("should fail on different output", func(t *testing.T) {
		r := &recorder{TB: t}
		Assert(r, p, []byte("one\n2\n"))
		if r.failed == "" {
			t.Error("did not fail")
		}
	})
	t.Run("should fail on a missing golden file", func(t *testing.T) {
		r := &recorder{TB: t}
		Assert(r, filepath.Join(t.TempDir(), "missing"), nil)
		if r.failed == "" {
			t.Error("did not fail")
		}
	})
}
