package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows fetch progress on stderr when it is a terminal, one bar for
// all sources; elsewhere (CI logs, pipes) it is silent.
type progress struct {
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	state map[string][3]int // done, total, unit index
	units []string
}

func newProgress(w io.Writer, enabled bool) *progress {
	p := &progress{state: map[string][3]int{}}
	if enabled {
		p.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetDescription("fetching"),
		)
	}
	return p
}

// Progress implements connector.Progress.
func (p *progress) Progress(source, unit string, done, total int) {
	if p == nil || p.bar == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	ui := -1
	for i, u := range p.units {
		if u == unit {
			ui = i
		}
	}
	if ui < 0 {
		p.units = append(p.units, unit)
		ui = len(p.units) - 1
	}
	p.state[source+"\x00"+unit] = [3]int{done, total, ui}
	keys := make([]string, 0, len(p.state))
	for k := range p.state {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		s := p.state[k]
		src, u, _ := strings.Cut(k, "\x00")
		if s[1] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d/%d %s", src, s[0], s[1], u))
		} else {
			parts = append(parts, fmt.Sprintf("%s %d %s", src, s[0], u))
		}
	}
	p.bar.Describe("fetching: " + strings.Join(parts, ", "))
	_ = p.bar.Add(0)
}

// Close removes the bar.
func (p *progress) Close() {
	if p != nil && p.bar != nil {
		_ = p.bar.Finish()
	}
}
