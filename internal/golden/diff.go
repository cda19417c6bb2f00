package golden

import (
	"bytes"
	"fmt"
	"strings"
)

// context is how many unchanged lines a hunk shows around a change.
const context = 3

// maxCells bounds the line-matching table (lines of want times lines of got
// left after the common head and tail are cut off); beyond it the middle is
// shown as removed and added whole.
const maxCells = 4 << 20

// maxLines bounds the diff printed.
const maxLines = 200

// Diff is a unified diff of want (named wantName) against got (gotName),
// "" when they are equal. Lines are compared exactly; a difference in the
// final newline shows as "\ No newline at end of file".
func Diff(wantName, gotName string, want, got []byte) string {
	if bytes.Equal(want, got) {
		return ""
	}
	a, b := lines(want), lines(got)
	ops := diffLines(a, b)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", wantName, gotName)
	printed := 0
	for _, h := range hunks(ops) {
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n", h.aStart+1, h.aLen, h.bStart+1, h.bLen)
		for _, op := range ops[h.from:h.to] {
			if printed == maxLines {
				out.WriteString("… (diff cut)\n")
				return out.String()
			}
			out.WriteString(op.String())
			printed++
		}
	}
	return out.String()
}

// line is one line with its newline, if it had one.
type line string

func lines(s []byte) []line {
	var out []line
	for len(s) > 0 {
		i := bytes.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, line(s))
			break
		}
		out = append(out, line(s[:i+1]))
		s = s[i+1:]
	}
	return out
}

type op struct {
	kind byte // ' ', '-', '+'
	text line
	a, b int // line numbers (0-based) in want and got
}

func (o op) String() string {
	s := string(o.kind) + string(o.text)
	if !strings.HasSuffix(s, "\n") {
		s += "\n\\ No newline at end of file\n"
	}
	return s
}

// diffLines matches the lines of a and b by longest common subsequence
// after cutting off their common head and tail.
func diffLines(a, b []line) []op {
	var ops []op
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		ops = append(ops, op{' ', a[head], head, head})
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	ma, mb := a[head:len(a)-tail], b[head:len(b)-tail]
	ops = append(ops, middle(ma, mb, head)...)
	for i := 0; i < tail; i++ {
		ai, bi := len(a)-tail+i, len(b)-tail+i
		ops = append(ops, op{' ', a[ai], ai, bi})
	}
	return ops
}

func middle(a, b []line, off int) []op {
	var ops []op
	if len(a)*len(b) > maxCells {
		for i, l := range a {
			ops = append(ops, op{'-', l, off + i, off})
		}
		for j, l := range b {
			ops = append(ops, op{'+', l, off + len(a), off + j})
		}
		return ops
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	w := len(b) + 1
	lcs := make([]int32, (len(a)+1)*w)
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			ops = append(ops, op{' ', a[i], off + i, off + j})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[(i+1)*w+j] >= lcs[i*w+j+1]):
			ops = append(ops, op{'-', a[i], off + i, off + j})
			i++
		default:
			ops = append(ops, op{'+', b[j], off + i, off + j})
			j++
		}
	}
	return ops
}

type hunk struct {
	from, to     int // ops[from:to]
	aStart, aLen int
	bStart, bLen int
}

// hunks groups the changed ops with up to context unchanged lines around
// them; changes fewer than 2*context+1 unchanged lines apart share a hunk.
func hunks(ops []op) []hunk {
	var hs []hunk
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		end := i // after the hunk's last change
		for k := i; k < len(ops); k++ {
			if ops[k].kind != ' ' {
				end = k + 1
			} else if k-end >= 2*context {
				break
			}
		}
		from, to := max(i-context, 0), min(end+context, len(ops))
		hs = append(hs, span(ops, from, to))
		i = to
	}
	return hs
}

// span counts the lines of ops[from:to] on each side.
func span(ops []op, from, to int) hunk {
	h := hunk{from: from, to: to, aStart: ops[from].a, bStart: ops[from].b}
	for _, o := range ops[from:to] {
		if o.kind != '+' {
			h.aLen++
		}
		if o.kind != '-' {
			h.bLen++
		}
	}
	return h
}
