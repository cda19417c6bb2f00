package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/pomlint/pomlint/internal/fake"
	"github.com/pomlint/pomlint/internal/golden"
)

const rosterConfig = `sources:
  - name: jira
    kind: jira
    jira: {url: "JIRA_URL", deployment: cloud, jql: "project in (PAY, CHK) ORDER BY key ASC"}
classification:
  strategic: {types: [Initiative, Epic]}
  tactical: {types: [Story, Task, Bug, Sub-task, Spike]}
ownership:
  from: ["field:Product Owner", "field:Product Manager", assignee]
roster:
  people:
    - {id: alice, roles: [product-manager], accounts: {jira: ALICE}}
    - {id: bob, roles: [product-owner], accounts: {jira: BOB}}
  teams:
    - {name: payments, product_owner: bob, product_manager: alice, match: {jira_projects: [PAY]}}
`

// rosterRun runs roster suggest against a fake Jira Cloud site whose data
// change may edit, and returns the result and the config.
func rosterRun(t *testing.T, change func(*fake.JiraData)) (runResult, string, string) {
	t.Helper()
	data := fake.JiraDemoData()
	if change != nil {
		change(&data)
	}
	srv := fake.NewJira(data, fake.JiraCloud)
	defer srv.Close()
	users := fake.JiraDemoUsers()
	cfg := strings.NewReplacer("JIRA_URL", srv.URL, "ALICE", users["alice"].AccountID, "BOB", users["bob"].AccountID).Replace(rosterConfig)
	dir := t.TempDir()
	write(t, dir, "pomlint.yaml", cfg)
	env := map[string]string{"JIRA_EMAIL": fake.JiraEmail, "JIRA_API_TOKEN": fake.JiraToken}
	return runPomlint(t, dir, env, nil, "roster", "suggest", "--no-cache"), cfg, dir
}

// pasteRoster appends the suggested people to the config's roster.people,
// as a user pasting the stanza would.
func pasteRoster(t *testing.T, cfg, suggestion string) string {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(cfg), &doc); err != nil {
		t.Fatal(err)
	}
	var sug struct {
		Roster struct {
			People []any `yaml:"people"`
		} `yaml:"roster"`
	}
	if err := yaml.Unmarshal([]byte(suggestion), &sug); err != nil {
		t.Fatalf("the suggestion is not YAML: %v\n%s", err, suggestion)
	}
	roster := doc["roster"].(map[string]any)
	roster["people"] = append(roster["people"].([]any), sug.Roster.People...)
	b, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRosterSuggest(t *testing.T) {
	t.Run("should print the unknown owners as a stanza config validate accepts once pasted", func(t *testing.T) {
		r, cfg, dir := rosterRun(t, nil)
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.err)
		}
		goldenRoster(t, "demo.yaml", r.out)
		write(t, dir, "pomlint.yaml", pasteRoster(t, cfg, r.out))
		v := runPomlint(t, dir, nil, nil, "config", "validate")
		if v.code != 0 || !strings.Contains(v.out, "5 people") {
			t.Errorf("config validate after pasting: exit %d\n%s%s", v.code, v.out, v.err)
		}
	})
	t.Run("should quote a hostile display name safely", func(t *testing.T) {
		hostile := "Eve: \"x\" - [y] # z\n!!binary &a *a {k: v} 'q'"
		r, cfg, dir := rosterRun(t, func(d *fake.JiraData) {
			d.Issues[0].Assignee = &fake.JiraUser{AccountID: "557058:evil", DisplayName: hostile, Email: "eve@acme.example"}
			d.Issues[0].Custom = nil
		})
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.err)
		}
		var sug struct {
			Roster struct {
				People []struct {
					ID, Name string
					Accounts map[string]string
				}
			}
		}
		if err := yaml.Unmarshal([]byte(r.out), &sug); err != nil {
			t.Fatalf("not YAML: %v\n%s", err, r.out)
		}
		found := false
		for _, p := range sug.Roster.People {
			if p.Accounts["jira"] == "557058:evil" {
				found = true
				if p.Name != hostile || p.ID != "eve-x-y-z-binary-a-a-k-v-q" {
					t.Errorf("name %q id %q, want the name back unchanged", p.Name, p.ID)
				}
			}
		}
		if !found {
			t.Fatalf("eve is not suggested:\n%s", r.out)
		}
		write(t, dir, "pomlint.yaml", pasteRoster(t, cfg, r.out))
		if v := runPomlint(t, dir, nil, nil, "config", "validate"); v.code != 0 {
			t.Errorf("config validate after pasting: exit %d\n%s", v.code, v.out)
		}
	})
	t.Run("should exit 3 when a source was not read completely", func(t *testing.T) {
		data := fake.JiraDemoData()
		srv := fake.NewJira(data, fake.JiraCloud, fake.WithJiraFaults(fake.JiraFaults{Forbidden: true}))
		defer srv.Close()
		dir := t.TempDir()
		write(t, dir, "pomlint.yaml", strings.NewReplacer("JIRA_URL", srv.URL, "ALICE", "a", "BOB", "b").Replace(rosterConfig))
		r := runPomlint(t, dir, map[string]string{"JIRA_EMAIL": fake.JiraEmail, "JIRA_API_TOKEN": fake.JiraToken}, nil, "roster", "suggest", "--no-cache", "--retries", "0")
		if r.code != 3 || !strings.Contains(r.err, "may miss accounts") {
			t.Errorf("exit %d\n%s", r.code, r.err)
		}
	})
}

func goldenRoster(t *testing.T, name, got string) {
	t.Helper()
	golden.AssertString(t, filepath.Join("testdata", "roster", name), got)
}
