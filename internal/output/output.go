// Package output is the one way pomlint writes what it produces: reports,
// snapshots, baselines, audit and drift outputs, the starter config, and
// the GitHub Actions job summary.
//
// A file is written atomically: the bytes go to a temporary file in the
// same directory, which is synced and then renamed over the target, so a
// crash, a full disk or a kill (SIGTERM from a cancelled CI job) leaves the
// previous file intact and never a half-written one. Targets that are not
// regular files (/dev/null, a named pipe) are written in place.
//
// File modes: everything that holds issue data (reports of every format,
// snapshots, baselines, drift and audit outputs) is written ModePrivate
// (0600), like the HTTP cache, because titles, owners and links of private
// issues are in it; the starter config holds none and is written
// ModeShared (0644).
package output

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// File modes of what pomlint writes (see the package documentation).
const (
	ModePrivate fs.FileMode = 0o600
	ModeShared  fs.FileMode = 0o644
)

// IsStdout reports whether path names standard output: "", "-" and
// /dev/stdout all do.
func IsStdout(path string) bool {
	return path == "" || path == "-" || path == "/dev/stdout"
}

// Prepare checks, before any slow work, that path can be written: it
// creates the parent folders (0755), refuses a directory, and proves the
// folder is writable by creating and removing a temporary file there, so a
// run does not fetch for minutes and then fail to save its report.
func Prepare(path string) error {
	if IsStdout(path) {
		return nil
	}
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("prepare output %s: is a directory", path)
		}
		if !fi.Mode().IsRegular() {
			return nil // a device or a pipe: written in place
		}
	}
	dir := filepath.Dir(target(path))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("prepare output %s: %w", path, plain(err))
	}
	f, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return fmt.Errorf("prepare output %s: folder not writable: %w", path, plain(err))
	}
	name := f.Name()
	_ = f.Close()
	_ = os.Remove(name)
	return nil
}

// WriteFile writes data to path atomically with mode perm (ModePrivate or
// ModeShared). The parent folder is created when missing. A symlink is
// followed, so the file it points to is replaced and the link kept.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	return write(path, data, perm, true)
}

// WriteNew is WriteFile that refuses to replace an existing file: the
// error then wraps fs.ErrExist.
func WriteNew(path string, data []byte, perm fs.FileMode) error {
	return write(path, data, perm, false)
}

func write(path string, data []byte, perm fs.FileMode, replace bool) error {
	path = target(path)
	if fi, err := os.Stat(path); err == nil {
		if !replace {
			return fmt.Errorf("write %s: %w", path, fs.ErrExist)
		}
		if fi.IsDir() {
			return fmt.Errorf("write %s: is a directory", path)
		}
		if !fi.Mode().IsRegular() {
			return writeInPlace(path, data)
		}
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, plain(err))
	}
	f, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return fmt.Errorf("write %s: %w", path, plain(err))
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, plain(err))
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, plain(err))
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: sync: %w", path, plain(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, plain(err))
	}
	if err := beforeRename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if replace {
		err = os.Rename(tmp, path)
	} else {
		// A hard link fails when the target exists, unlike a rename.
		err = os.Link(tmp, path)
		switch {
		case err == nil:
			_ = os.Remove(tmp)
		case !errors.Is(err, fs.ErrExist):
			// No hard links on this file system: check, then rename
			// (a file created in between would be replaced).
			if _, statErr := os.Lstat(path); statErr == nil {
				err = fs.ErrExist
			} else {
				err = os.Rename(tmp, path)
			}
		}
	}
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("write %s: %w", path, fs.ErrExist)
		}
		return fmt.Errorf("write %s: %w", path, plain(err))
	}
	ok = true
	syncDir(dir)
	return nil
}

// beforeRename runs between the complete temporary file and the rename:
// tests make it fail, or look at both files, to prove the write is atomic.
var beforeRename = func(tmp, path string) error { return nil }

// writeInPlace writes to a device or a pipe, which cannot be renamed over.
func writeInPlace(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, plain(err))
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return fmt.Errorf("write %s: %w", path, plain(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, plain(err))
	}
	return nil
}

// syncDir makes the rename durable; not every platform can sync a folder,
// and the file itself is already synced, so a failure is ignored.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// target follows a symlink to the file it names, so a rename replaces
// that file and not the link.
func target(path string) string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return real
	}
	return path
}

// tempPattern names temporary files after their target, hidden, so a
// leftover one (a power cut between write and rename) says what it was.
func tempPattern(path string) string {
	return "." + filepath.Base(path) + ".tmp-*"
}

// plain drops the *fs.PathError wrapper: messages already name the path.
func plain(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// Write sends data to w when path names standard output, else writes the
// file atomically with perm.
func Write(w io.Writer, path string, data []byte, perm fs.FileMode) error {
	if IsStdout(path) {
		if _, err := w.Write(data); err != nil {
			return fmt.Errorf("write standard output: %w", err)
		}
		return nil
	}
	return WriteFile(path, data, perm)
}

// AppendSummary appends md and a final newline to the GitHub Actions job
// summary file (the path in $GITHUB_STEP_SUMMARY); an empty path does
// nothing. The runner owns that file and reads it after the step, so it is
// appended to, not replaced, and keeps the runner's mode.
func AppendSummary(path, md string) error {
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, ModeShared)
	if err != nil {
		return fmt.Errorf("open job summary %s: %w", path, plain(err))
	}
	if len(md) == 0 || md[len(md)-1] != '\n' {
		md += "\n"
	}
	if _, err := io.WriteString(f, md); err != nil {
		_ = f.Close()
		return fmt.Errorf("append job summary %s: %w", path, plain(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("append job summary %s: %w", path, plain(err))
	}
	return nil
}
