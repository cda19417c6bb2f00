package output

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFile(t *testing.T) {
	t.Run("should write the bytes with the mode asked, and leave no temporary file", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, "sub", "deeper", "report.json")
		if err := WriteFile(p, []byte("{}\n"), ModePrivate); err != nil {
			t.Fatal(err)
		}
		assertFile(t, p, "{}\n", ModePrivate)
		assertNoTemp(t, filepath.Dir(p))
	})
	t.Run("should replace an existing file whole, with the new mode", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, "snap.json")
		if err := os.WriteFile(p, []byte(strings.Repeat("old ", 1000)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(p, []byte("new"), ModePrivate); err != nil {
			t.Fatal(err)
		}
		assertFile(t, p, "new", ModePrivate)
		assertNoTemp(t, dir)
	})
	t.Run("should leave the previous file intact when the write fails", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, "out")
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(p, []byte("x"), ModePrivate); err == nil {
			t.Fatal("want an error writing over a directory")
		}
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			t.Fatalf("the directory was replaced: %v %v", fi, err)
		}
		assertNoTemp(t, dir)
	})
	t.Run("should follow a symlink and keep the link", func(t *testing.T) {
		dir := t.TempDir()
		real := filepath.Join(dir, "real.sarif")
		link := filepath.Join(dir, "link.sarif")
		if err := os.WriteFile(real, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(real, link); err != nil {
			t.Skip("no symlinks here")
		}
		if err := WriteFile(link, []byte("new"), ModePrivate); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("the link was replaced by a file")
		}
		assertFile(t, real, "new", ModePrivate)
	})
	t.Run("should write the starter config shared", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "pomlint.yaml")
		if err := WriteNew(p, []byte("sources: []\n"), ModeShared); err != nil {
			t.Fatal(err)
		}
		assertFile(t, p, "sources: []\n", ModeShared)
	})
	t.Run("should refuse to replace a file with WriteNew", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, "pomlint.yaml")
		if err := os.WriteFile(p, []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		err := WriteNew(p, []byte("theirs"), ModeShared)
		if !errors.Is(err, fs.ErrExist) {
			t.Fatalf("err = %v, want fs.ErrExist", err)
		}
		assertFile(t, p, "mine", 0o644)
		assertNoTemp(t, dir)
	})
	t.Run("should write a device in place", func(t *testing.T) {
		if _, err := os.Stat(os.DevNull); err != nil {
			t.Skip("no null device")
		}
		if err := WriteFile(os.DevNull, []byte("x"), ModePrivate); err != nil {
			t.Fatal(err)
		}
	})
}

func TestWrite(t *testing.T) {
	for _, p := range []string{"", "-", "/dev/stdout"} {
		t.Run("should send "+p+" to the writer", func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, p, []byte("hi"), ModePrivate); err != nil {
				t.Fatal(err)
			}
			if buf.String() != "hi" {
				t.Fatalf("got %q", buf.String())
			}
		})
	}
}

func TestPrepare(t *testing.T) {
	t.Run("should create the parent folders and write nothing", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, "a", "b", "r.sarif")
		if err := Prepare(p); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Dir(p)); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Prepare created the file: %v", err)
		}
		assertNoTemp(t, filepath.Dir(p))
	})
	t.Run("should refuse a directory", func(t *testing.T) {
		if err := Prepare(t.TempDir()); err == nil || !strings.Contains(err.Error(), "is a directory") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("should refuse a folder under a file", func(t *testing.T) {
		dir := t.TempDir()
		f := filepath.Join(dir, "file")
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := Prepare(filepath.Join(f, "r.json")); err == nil {
			t.Fatal("want an error")
		}
	})
	t.Run("should accept stdout", func(t *testing.T) {
		if err := Prepare("-"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAppendSummary(t *testing.T) {
	t.Run("should append with a final newline", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "summary.md")
		if err := AppendSummary(p, "one"); err != nil {
			t.Fatal(err)
		}
		if err := AppendSummary(p, "two\n"); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(p)
		if string(b) != "one\ntwo\n" {
			t.Fatalf("got %q", b)
		}
	})
	t.Run("should do nothing without a path", func(t *testing.T) {
		if err := AppendSummary("", "x"); err != nil {
			t.Fatal(err)
		}
	})
}

func assertFile(t *testing.T, p, want string, mode fs.FileMode) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != want {
		t.Fatalf("%s = %q, want %q", p, b, want)
	}
	fi, _ := os.Stat(p)
	if fi.Mode().Perm() != mode {
		t.Fatalf("%s mode %v, want %v", p, fi.Mode().Perm(), mode)
	}
}

func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Fatalf("temporary file left behind: %s", e.Name())
		}
	}
}
