package model

// RuleDoc is a rule's own documentation. One source feeds `pomlint rules
// explain`, the SARIF rule descriptors and the README table.
type RuleDoc struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Title    string   `json:"title"`
	Severity Severity `json:"severity"` // default severity
	// Category says what the rule judges; reports and the audit group rules
	// by it instead of listing rule IDs.
	Category Category `json:"category,omitempty"`
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

// Category is what a rule judges.
type Category string

// The rule categories. An item is correctly owned when no ownership rule
// fires on it and its level is known (no classification rule fires).
const (
	// CategoryOwnership rules say the owner is missing, unknown, inactive
	// or holds the wrong role or team.
	CategoryOwnership Category = "ownership"
	// CategoryClassification rules say the item's level is unknown.
	CategoryClassification Category = "classification"
	// CategoryStructure rules judge the item's place in the hierarchy.
	CategoryStructure Category = "structure"
	// CategoryHygiene rules judge the configuration around the item
	// (exceptions), not the item.
	CategoryHygiene Category = "hygiene"
)
