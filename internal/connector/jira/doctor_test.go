package jira

import "testing"

func TestJQLCaret(t *testing.T) {
	tests := []struct {
		name, jql, msg, want string
	}{
		{"should use Jira's line and character", "project = PAY AND status = Done foo",
			"Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'foo'. (line 1, character 33)",
			"  project = PAY AND status = Done foo\n                                  ^"},
		{"should point into the second line of a multi-line query", "project = PAY\nAND statuz = Done",
			"Error in the JQL Query: whatever. (line 2, character 5)",
			"  AND statuz = Done\n      ^"},
		{"should fall back to a quoted word that occurs once", "project = PAY AND statuz = Done",
			"Field 'statuz' does not exist or you do not have permission to view it.",
			"  project = PAY AND statuz = Done\n                    ^"},
		{"should point nowhere when the quoted word is ambiguous", "labels = x AND labels = x", "Value 'x' is bad.", ""},
		{"should point nowhere without a position", "project = PAY", "The JQL is not allowed.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := JQLCaret(tt.jql, tt.msg); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
