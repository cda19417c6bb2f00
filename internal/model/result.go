package model

// Result is the outcome of one lint run: what every reporter renders and what
// decides the exit code.
type Result struct {
	Tool     Tool           `json:"tool"`
	Sources  []SourceStatus `json:"sources"`
	Items    []Item         `json:"-"`
	Roster   *Roster        `json:"-"`
	Findings []Finding      `json:"findings"`
	// Rules documents every rule that was active in the run (built-in and
	// user rules), sorted by ID.
	Rules []RuleDoc `json:"-"`
	// UnusedExceptions are configured exceptions that matched no finding.
	UnusedExceptions []UnusedException `json:"unused_exceptions,omitempty"`
	// StaleBaseline are baseline entries that no longer match a finding, so
	// the baseline file can shrink.
	StaleBaseline []BaselineEntry `json:"stale_baseline,omitempty"`
	// Config is where the configuration came from, for reports that point
	// at configuration lines (SARIF).
	Config ConfigOrigin `json:"-"`
	// Shard is set in a sharded run (--shard K/N): which part was read.
	// ShardItems are then every item the shard read, closed parents
	// included, for pomlint merge; the JSON report carries both.
	Shard      *Shard `json:"-"`
	ShardItems []Item `json:"-"`
}

// ConfigOrigin locates configuration entries in the config file.
type ConfigOrigin struct {
	// File is the config file path as given by the user ("" when none).
	File string
	// Lines maps "source:NAME", "person:ID", "team:NAME", "exception:N",
	// "rule:ID" to 1-based line numbers in File.
	Lines map[string]int
}

// Line returns the config line for key, or 0.
func (c ConfigOrigin) Line(key string) int { return c.Lines[key] }

// UnusedException is an exception that suppressed nothing.
type UnusedException struct {
	Rule    string `json:"rule"`
	Item    string `json:"item"`
	Source  string `json:"source,omitempty"`
	Reason  string `json:"reason"`
	Expires string `json:"expires,omitempty"`
	Message string `json:"message"`
}

// BaselineEntry is one accepted finding in a baseline file.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	Source      string `json:"source"`
	Item        string `json:"item"`
}

// Less orders baseline entries like findings: by source, item key
// (naturally), rule, then fingerprint.
func (e BaselineEntry) Less(o BaselineEntry) bool {
	if e.Source != o.Source {
		return e.Source < o.Source
	}
	if c := CompareKeys(e.Item, o.Item); c != 0 {
		return c < 0
	}
	if e.Rule != o.Rule {
		return e.Rule < o.Rule
	}
	return e.Fingerprint < o.Fingerprint
}

// Complete reports whether every source was read completely.
func (r *Result) Complete() bool {
	for _, s := range r.Sources {
		if !s.Complete {
			return false
		}
	}
	return true
}

// ItemCount is the number of items linted across sources.
func (r *Result) ItemCount() int {
	n := 0
	for _, s := range r.Sources {
		n += s.Items
	}
	return n
}

// Counted returns the findings that count toward the exit code: all but
// suppressed (baselined) ones.
func (r *Result) Counted() []Finding {
	out := make([]Finding, 0, len(r.Findings))
	for _, f := range r.Findings {
		if f.Suppressed == "" {
			out = append(out, f)
		}
	}
	return out
}

// BySeverity counts the findings that count, per severity name.
func (r *Result) BySeverity() map[string]int {
	m := map[string]int{"error": 0, "warning": 0, "note": 0}
	for _, f := range r.Findings {
		if f.Suppressed == "" {
			m[f.Severity.String()]++
		}
	}
	return m
}

// Exit codes, as docs/commands.md documents them.
const (
	ExitOK         = 0
	ExitFindings   = 1
	ExitUsage      = 2
	ExitIncomplete = 3
)

// ExitCode is 3 when a source was incomplete, else 1 when a counted finding is
// at or above failOn, else 0. failOn SeverityNone means never fail on
// findings.
func (r *Result) ExitCode(failOn Severity) int {
	if !r.Complete() {
		return ExitIncomplete
	}
	if failOn == SeverityNone {
		return ExitOK
	}
	for _, f := range r.Findings {
		if f.Suppressed == "" && f.Severity >= failOn {
			return ExitFindings
		}
	}
	return ExitOK
}
