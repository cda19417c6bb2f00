package model

// RuleDoc is a rule's own documentation. One source feeds `pomlint rules
// explain`, the SARIF rule descriptors and the README table.
type RuleDoc struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Title    string   `json:"title"`
	Severity Severity `json:"severity"` // default severity
	// Summary is one sentence: when the rule fires.
	Summary string `json:"summary"`
	// Why explains the rule, rooted in the PO/PM split.
	Why string `json:"why"`
	// Fix says how to make the finding go away.
	Fix string `json:"fix"`
	// Example shows an item that fires the rule and the message.
	Example string `json:"example"`
	Since   string `json:"since,omitempty"`
	// Custom is true for user rules; File names their rule file.
	Custom bool   `json:"custom,omitempty"`
	File   string `json:"file,omitempty"`
}
