package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/fake"
)

// TestDoctorShowsServerTextSafely: an error body the server writes is shown
// with its control characters as escapes and workflow-command markers
// broken, in text and in JSON, never as a line the CI runner would obey.
func TestDoctorShowsServerTextSafely(t *testing.T) {
	hostile := "bad JQL\n::error::pwned\x1b[2J ##[warning]x"
	jira := fake.NewJira(fake.JiraDemoData(), fake.JiraDataCenter, fake.WithJiraFaults(fake.JiraFaults{JQLErrors: []string{hostile}}))
	defer jira.Close()
	dir := t.TempDir()
	write(t, dir, "pomlint.yaml", `sources:
  - name: jira
    kind: jira
    jira: {url: "`+jira.URL+`", deployment: datacenter, jql: "project = PAY"}
classification:
  strategic: {types: [Epic]}
  tactical: {types: [Story]}
`)
	env := map[string]string{"JIRA_API_TOKEN": fake.JiraToken}
	for _, format := range []string{"text", "json"} {
		t.Run("should escape the server's error text in "+format, func(t *testing.T) {
			r := runPomlint(t, dir, env, nil, "doctor", "--format", format)
			if r.code == 0 {
				t.Fatalf("exit 0, want a failed jql check\n%s", r.out)
			}
			if !strings.Contains(r.out, "pwned") {
				t.Fatalf("the server's text is not shown at all:\n%s", r.out)
			}
			for _, line := range strings.Split(r.out, "\n") {
				if strings.HasPrefix(strings.TrimSpace(line), "::") {
					t.Errorf("workflow command in output: %q", line)
				}
			}
			for _, bad := range []string{"\x1b", "##["} {
				if strings.Contains(r.out, bad) {
					t.Errorf("output contains %q:\n%s", bad, r.out)
				}
			}
			if format == "json" {
				var v map[string]any
				if err := json.Unmarshal([]byte(r.out), &v); err != nil {
					t.Fatalf("output is not JSON: %v\n%s", err, r.out)
				}
			}
		})
	}
}
