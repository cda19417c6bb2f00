package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pomlint/pomlint/internal/suggest"
)

// Problem is one thing wrong with the configuration: where (file, line, key
// path) and what was expected.
type Problem struct {
	File string
	Line int
	Key  string
	Msg  string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	}
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error is a configuration that cannot be used. It carries every problem
// found, so `pomlint config validate` can report them all at once.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return "invalid config: " + e.Problems[0].String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "invalid config: %d problems:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// problems collects problems with line numbers looked up by key path.
type problems struct {
	file  string
	lines map[string]int
	list  []Problem
	// kinds give the shape of each kind's block of a source.
	kinds Kinds
}

func (ps *problems) add(key, format string, args ...any) {
	ps.list = append(ps.list, Problem{File: ps.file, Line: ps.lineOf(key), Key: key, Msg: fmt.Sprintf(format, args...)})
}

// lineOf finds the line of key, or of its closest ancestor that has one.
func (ps *problems) lineOf(key string) int {
	for k := key; k != ""; {
		if l, ok := ps.lines[k]; ok {
			return l
		}
		i := strings.LastIndexAny(k, ".[")
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	SortProblems(ps.list)
	return &Error{Problems: ps.list}
}

// SortProblems orders problems by file, line and key, the order a reader
// fixes them in.
func SortProblems(list []Problem) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Key < b.Key
	})
}

func closest(s string, candidates []string) string { return suggest.Closest(s, candidates) }
