package cli

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/fake"
)

// TestTokensNeverInOutput runs pomlint against fakes that fail in ways that
// tempt a client to echo credentials (a proxy echoing the Authorization
// header, 401s, 403s) with every format and debug logging, and checks that
// no token, nor its basic-auth encoding, appears anywhere in stdout or
// stderr.
func TestTokensNeverInOutput(t *testing.T) {
	const ghToken = "fake-gh-token-do-not-leak"
	const jiraEmail, jiraToken = "bot@acme.example", "fake-jira-token-do-not-leak"
	basic := base64.StdEncoding.EncodeToString([]byte(jiraEmail + ":" + jiraToken))
	secrets := []string{ghToken, jiraToken, basic}

	for _, tc := range []struct {
		name     string
		ghFaults fake.GitHubFaults
		jFaults  fake.JiraFaults
		wantCode int
	}{
		{"should keep tokens out of a clean run", fake.GitHubFaults{}, fake.JiraFaults{}, 1},
		{"should keep tokens out when a proxy echoes the Authorization header", fake.GitHubFaults{EchoAuthorization: true, Path: "/issues"}, fake.JiraFaults{}, 3},
		{"should keep tokens out of 401 and 403 errors", fake.GitHubFaults{Unauthorized: true}, fake.JiraFaults{Forbidden: true}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gh := fake.NewGitHub(fake.GitHubDemoData(), fake.WithGitHubToken(ghToken), fake.WithGitHubFaults(tc.ghFaults))
			defer gh.Close()
			jira := fake.NewJira(fake.JiraDemoData(), fake.JiraCloud, fake.WithJiraCredentials(jiraEmail, jiraToken), fake.WithJiraFaults(tc.jFaults))
			defer jira.Close()
			dir := t.TempDir()
			write(t, dir, "p.yaml", `sources:
  - name: gh
    kind: github
    github: {base_url: "`+gh.RESTURL()+`", graphql_url: "`+gh.GraphQLURL()+`", orgs: [acme], projects: [{org: acme, number: 7}]}
  - name: jira
    kind: jira
    jira: {url: "`+jira.URL+`", deployment: cloud, jql: "project in (PAY, CHK)"}
classification:
  strategic: {types: [Initiative, Epic]}
  tactical: {types: [Story, Task, Bug, Sub-task, Spike]}
ownership:
  from: ["field:Product Owner", assignee]
roster:
  people:
    - {id: alice, roles: [product-manager], accounts: {github: alice-c}}
`)
			env := map[string]string{"GITHUB_TOKEN": ghToken, "JIRA_EMAIL": jiraEmail, "JIRA_API_TOKEN": jiraToken}
			for _, format := range []string{"text", "json", "sarif", "markdown", "github", "junit", "csv", "html"} {
				r := runCLI(t, dir, env, "lint", "-c", "p.yaml", "--format", format, "--log-level", "debug", "--log-format", "json", "--no-cache", "--retries", "1")
				if r.code != tc.wantCode {
					t.Errorf("%s: exit %d, want %d\n%s", format, r.code, tc.wantCode, r.err)
				}
				for _, s := range secrets {
					if strings.Contains(r.out, s) || strings.Contains(r.err, s) {
						t.Fatalf("%s: a secret leaked into the output:\nstdout: %s\nstderr: %s", format, r.out, r.err)
					}
				}
			}
		})
	}
}
