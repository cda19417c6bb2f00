package report

import (
	"strings"
	"testing"
)

func TestTextSummaryTrend(t *testing.T) {
	lastLine := func(s string) string {
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		return lines[len(lines)-1]
	}
	plain, err := New("text", Options{})
	if err != nil {
		t.Fatal(err)
	}
	without := lastLine(render(t, plain, full(t)))
	tests := []struct {
		name  string
		trend *Trend
		want  string // appended to the summary line without a trend
	}{
		{"should say what changed since the snapshot compared with", &Trend{Against: "snapshot prev.json (2026-11-20)", New: 2, Fixed: 1, Unchanged: 7}, " · 2 new, 1 fixed since snapshot prev.json (2026-11-20)"},
		{"should say what changed since the baseline", &Trend{Against: "baseline .pomlint-baseline.json", New: 8, Fixed: 1, Unchanged: 1}, " · 8 new, 1 fixed since baseline .pomlint-baseline.json"},
		{"should say nothing more without a trend", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := New("text", Options{Trend: tt.trend})
			if err != nil {
				t.Fatal(err)
			}
			if got := lastLine(render(t, rep, full(t))); got != without+tt.want {
				t.Errorf("summary =\n%s\nwant\n%s", got, without+tt.want)
			}
		})
	}
}
