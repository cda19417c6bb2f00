package config

import (
	"fmt"
	"os"
	"path/filepath"
)

// DefaultFile is the config name pomlint init writes, the GitHub Action
// passes and the docs use.
const DefaultFile = ".pomlint.yaml"

// DefaultFiles are the names discovery looks for in each directory, the
// preferred first (as golangci-lint finds .golangci.yml).
var DefaultFiles = []string{DefaultFile, "pomlint.yaml"}

// Discovery is where the config was found.
type Discovery struct {
	// Path is the config file to load.
	Path string
	// Shadowed is another default name in the same directory that was not
	// used (both .pomlint.yaml and pomlint.yaml exist); empty otherwise.
	Shadowed string
	// Searched lists the directories looked in, nearest first.
	Searched []string
}

// Find returns file when it is set, else the config Discover finds from
// dir.
func Find(file, dir string) (string, error) {
	if file != "" {
		return file, nil
	}
	d, err := Discover(dir)
	if err != nil {
		return "", err
	}
	return d.Path, nil
}

// Discover looks for DefaultFiles in dir, then in each parent directory up
// to the repository root (the first directory holding .git, a directory or
// a worktree's file). Outside a repository only dir itself is searched, so
// a stray file in a home or system directory is never picked up. The first
// directory holding a default name wins; in it .pomlint.yaml wins over
// pomlint.yaml and the other is reported in Shadowed.
func Discover(dir string) (Discovery, error) {
	var d Discovery
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = filepath.Clean(dir)
	}
	root := repoRoot(abs)
	for cur := abs; ; {
		d.Searched = append(d.Searched, cur)
		for _, name := range DefaultFiles {
			p := filepath.Join(cur, name)
			if st, err := os.Stat(p); err != nil || st.IsDir() {
				continue
			}
			if d.Path == "" {
				d.Path = p
			} else if d.Shadowed == "" {
				d.Shadowed = p
			}
		}
		if d.Path != "" {
			return d, nil
		}
		parent := filepath.Dir(cur)
		if root == "" || cur == root || parent == cur {
			break
		}
		cur = parent
	}
	where := fmt.Sprintf("looked in %s", abs)
	if len(d.Searched) > 1 {
		where = fmt.Sprintf("looked in %s and its parents up to the repository root %s", abs, d.Searched[len(d.Searched)-1])
	}
	return d, &Error{Problems: []Problem{{Msg: fmt.Sprintf("no config file: pass --config FILE, or create %s (pomlint init writes a starter); %s", DefaultFile, where)}}}
}

// repoRoot returns the nearest directory at or above dir that holds .git,
// or "" when dir is not inside a repository.
func repoRoot(dir string) string {
	for cur := dir; ; {
		if _, err := os.Stat(filepath.Join(cur, ".git")); err == nil {
			return cur
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return ""
		}
		cur = parent
	}
}
