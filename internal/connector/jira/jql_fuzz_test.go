package jira

import (
	"strings"
	"testing"
)

// FuzzJQL checks that no JQL panics the clause handling, that splitting off
// ORDER BY and joining again keeps every character, and that project keys found
// are non-empty (white space may change).
func FuzzJQL(f *testing.F) {
	f.Add(`project in (PAY, CHK) AND statusCategory != Done ORDER BY key`)
	f.Add(`summary ~ "order by" OR project = X`)
	f.Add(`project = 'A' and (labels = "x\"y") order by created DESC, key`)
	f.Add(`ORDER BY`)
	f.Add("project in (\xff, \"\") AND \"unterminated")
	f.Fuzz(func(t *testing.T, jql string) {
		body, order := splitOrderBy(jql)
		if order != "" && !strings.HasPrefix(strings.ToLower(order), "order") {
			t.Fatalf("splitOrderBy(%q) order = %q", jql, order)
		}
		if got, want := strings.Join(strings.Fields(joinJQL(body, order)), ""), strings.Join(strings.Fields(jql), ""); got != want {
			t.Fatalf("joinJQL(splitOrderBy(%q)) = %q", jql, joinJQL(body, order))
		}
		for _, p := range jqlProjects(body) {
			if strings.TrimSpace(p) == "" {
				t.Fatalf("jqlProjects(%q) gave an empty key", body)
			}
		}
		_ = andJQL(body, "updated >= -1d")
	})
}
