package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Severity is how much a finding matters. The zero value is SeverityNone,
// which only --fail-on never uses.
type Severity int

// Severities from least to most serious.
const (
	SeverityNone Severity = iota
	SeverityNote
	SeverityWarning
	SeverityError
)

var severityNames = [...]string{"none", "note", "warning", "error"}

// String is the lower-case name used in config and output.
func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity parses "error", "warning" or "note".
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return SeverityError, nil
	case "warning":
		return SeverityWarning, nil
	case "note":
		return SeverityNote, nil
	}
	return SeverityNone, fmt.Errorf("unknown severity %q (want error, warning or note)", s)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Finding is one rule violated by one item.
type Finding struct {
	Rule     string   `json:"rule"`
	Name     string   `json:"name"`
	Severity Severity `json:"severity"`
	Source   string   `json:"source"`
	Item     string   `json:"item"`
	URL      string   `json:"url"`
	Title    string   `json:"title"`
	Level    Level    `json:"level"`
	// Owner is the owner's roster id, or the raw account handle when the
	// owner is not in the roster; "" when there is no owner.
	Owner          string `json:"owner"`
	Team           string `json:"team"`
	SuggestedOwner string `json:"suggested_owner"`
	Message        string `json:"message"`
	Fingerprint    string `json:"fingerprint"`
	// Suppression says why a finding does not count: "" (it counts),
	// "baseline". Exceptions remove findings instead.
	Suppressed string `json:"suppressed,omitempty"`
}

// Fingerprint is the stable identity of a finding: rule, source and item key,
// nothing that changes when a title or owner is edited.
func Fingerprint(rule, source, item string) string {
	h := sha256.Sum256([]byte(rule + "\x00" + source + "\x00" + item))
	return hex.EncodeToString(h[:12])
}

// Identity is f's fingerprint; for a finding without one (read from an
// older snapshot or report) it derives it from rule, source and item.
func (f *Finding) Identity() string {
	if f.Fingerprint != "" {
		return f.Fingerprint
	}
	return Fingerprint(f.Rule, f.Source, f.Item)
}

// Less orders findings by source, item key (naturally: PAY-2 before PAY-10),
// rule, and message as a final tie-break so that several findings of one rule
// stay stable.
func (f *Finding) Less(g *Finding) bool {
	if f.Source != g.Source {
		return f.Source < g.Source
	}
	if c := CompareKeys(f.Item, g.Item); c != 0 {
		return c < 0
	}
	if f.Rule != g.Rule {
		return f.Rule < g.Rule
	}
	return f.Message < g.Message
}
