package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/fake"
)

// snapshotOf wraps hand-checked items (the connectors' golden files, copied
// here) in a snapshot, with URLs pointing where the fake serves them.
func snapshotOf(t *testing.T, itemsFile, source, kind, fromURL, toURL string) string {
	t.Helper()
	items, err := os.ReadFile(filepath.Join("testdata", "equivalence", itemsFile))
	if err != nil {
		t.Fatal(err)
	}
	body := strings.ReplaceAll(string(items), fromURL, toURL)
	return `{"schema_version": 1, "tool": {"name": "pomlint", "version": "test"},
 "sources": [{"name": "` + source + `", "kind": "` + kind + `", "items": 0, "complete": true, "error": ""}],
 "items": ` + body + `}`
}

type findingsOnly struct {
	Complete bool              `json:"complete"`
	Summary  json.RawMessage   `json:"summary"`
	Findings []json.RawMessage `json:"findings"`
}

func findingsOf(t *testing.T, r runResult) findingsOnly {
	t.Helper()
	var f findingsOnly
	if err := json.Unmarshal([]byte(r.out), &f); err != nil {
		t.Fatalf("not a JSON report (exit %d): %v\nstdout: %s\nstderr: %s", r.code, err, r.out, r.err)
	}
	return f
}

func assertSameFindings(t *testing.T, live, file runResult) {
	t.Helper()
	a, b := findingsOf(t, live), findingsOf(t, file)
	if !a.Complete || !b.Complete {
		t.Fatalf("incomplete run: live %v, file %v\n%s", a.Complete, b.Complete, live.err)
	}
	if len(a.Findings) == 0 {
		t.Fatal("the dataset produced no findings; the equivalence would prove nothing")
	}
	if string(a.Summary) != string(b.Summary) {
		t.Errorf("summaries differ:\n live %s\n file %s", a.Summary, b.Summary)
	}
	if len(a.Findings) != len(b.Findings) {
		t.Fatalf("live gave %d findings, the snapshot %d\nlive: %s\nfile: %s", len(a.Findings), len(b.Findings), live.out, file.out)
	}
	for i := range a.Findings {
		if string(a.Findings[i]) != string(b.Findings[i]) {
			t.Errorf("finding %d differs:\n live %s\n file %s", i, a.Findings[i], b.Findings[i])
		}
	}
	if live.code != file.code {
		t.Errorf("exit codes differ: live %d, file %d", live.code, file.code)
	}
}

const githubEquivalenceConfig = `sources:
  - name: gh
    SOURCE
classification:
  strategic: {types: [Initiative, Epic], labels: [roadmap]}
  tactical: {types: [Task, Bug], labels: [story, bug]}
  project_field: Level
ownership:
  from: ["project-field:Owner", assignee]
roster:
  people:
    - {id: alice, roles: [product-manager], accounts: {github: alice-c}}
    - {id: bob, roles: [product-owner], accounts: {github: bob-b}}
    - {id: carol, roles: [], accounts: {github: carol-d}}
  teams:
    - {name: payments, product_owner: bob, product_manager: alice, match: {labels: [team/payments]}}
    - {name: checkout, product_owner: bob, product_manager: alice, match: {github_repos: [acme/checkout]}}
`

func TestGitHubFakeEquivalentToSnapshot(t *testing.T) {
	gh := fake.NewGitHub(fake.GitHubDemoData(), fake.WithGitHubTB(t))
	defer gh.Close()
	dir := t.TempDir()
	live := strings.Replace(githubEquivalenceConfig, "SOURCE", `kind: github
    github: {base_url: "`+gh.RESTURL()+`", graphql_url: "`+gh.GraphQLURL()+`", token_env: GH_TOKEN, orgs: [acme], projects: [{org: acme, number: 7}]}`, 1)
	file := strings.Replace(githubEquivalenceConfig, "SOURCE", "kind: file\n    file: {path: snap.json}", 1)
	write(t, dir, "live.yaml", live)
	write(t, dir, "file.yaml", file)
	write(t, dir, "snap.json", snapshotOf(t, "github-items.json", "gh", "github", "", ""))
	env := map[string]string{"GH_TOKEN": fake.GitHubToken}
	a := runCLI(t, dir, env, "lint", "-c", "live.yaml", "--format", "json", "--no-cache")
	b := runCLI(t, dir, env, "lint", "-c", "file.yaml", "--format", "json", "--no-cache")
	assertSameFindings(t, a, b)
}

const jiraEquivalenceConfig = `sources:
  - name: jira
    SOURCE
classification:
  strategic: {types: [Initiative, Epic]}
  tactical: {types: [Story, Task, Bug, Sub-task, Spike]}
ownership:
  from: ["field:Product Owner", "field:Product Manager", assignee]
roster:
  people:
    - {id: alice, roles: [product-manager], accounts: {jira: ALICE, email: alice@acme.example}}
    - {id: bob, roles: [product-owner], accounts: {jira: BOB}}
  teams:
    - {name: payments, product_owner: bob, product_manager: alice, match: {jira_projects: [PAY]}}
    - {name: checkout, product_owner: bob, product_manager: alice, match: {jira_projects: [CHK]}}
`

func TestJiraFakeEquivalentToSnapshot(t *testing.T) {
	users := fake.JiraDemoUsers()
	for _, tc := range []struct {
		name, deployment, items string
		mode                    fake.JiraMode
		alice, bob              string
		env                     map[string]string
	}{
		{"cloud", "cloud", "jira-cloud-items.json", fake.JiraCloud, users["alice"].AccountID, users["bob"].AccountID,
			map[string]string{"JIRA_EMAIL": fake.JiraEmail, "JIRA_API_TOKEN": fake.JiraToken}},
		{"datacenter", "datacenter", "jira-datacenter-items.json", fake.JiraDataCenter, users["alice"].Name, users["bob"].Name,
			map[string]string{"JIRA_API_TOKEN": fake.JiraToken}},
	} {
		t.Run("should report the same findings from the fake and the snapshot in "+tc.name, func(t *testing.T) {
			srv := fake.NewJira(fake.JiraDemoData(), tc.mode, fake.WithJiraTB(t))
			defer srv.Close()
			dir := t.TempDir()
			cfg := strings.NewReplacer("ALICE", tc.alice, "BOB", tc.bob).Replace(jiraEquivalenceConfig)
			write(t, dir, "live.yaml", strings.Replace(cfg, "SOURCE", `kind: jira
    jira: {url: "`+srv.URL+`", deployment: `+tc.deployment+`, jql: "project in (PAY, CHK) ORDER BY key ASC", fields: [Stakeholders, Delivery Team, Owner Note]}`, 1))
			write(t, dir, "file.yaml", strings.Replace(cfg, "SOURCE", "kind: file\n    file: {path: snap.json}", 1))
			write(t, dir, "snap.json", snapshotOf(t, tc.items, "jira", "jira", "https://jira.acme.example", srv.URL))
			a := runCLI(t, dir, tc.env, "lint", "-c", "live.yaml", "--format", "json", "--no-cache")
			b := runCLI(t, dir, tc.env, "lint", "-c", "file.yaml", "--format", "json", "--no-cache")
			assertSameFindings(t, a, b)
		})
	}
}

func write(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
