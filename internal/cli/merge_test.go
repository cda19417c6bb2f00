package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/pomlint/pomlint/internal/fake"
)

// shardFixture is a GitHub organisation and a Jira Cloud site whose items
// have parents in other repositories and projects (so in other shards), and a
// config that imports a roster team from GitHub.
type shardFixture struct {
	gh   *fake.GitHub
	jira *fake.Jira
	dir  string
	env  map[string]string
}

func newShardFixture(t *testing.T) *shardFixture {
	t.Helper()
	d := fake.GitHubGenerate(10, 500)
	// A task of repo-07 under a task of repo-00 under epic repo-00#1: no
	// finding, but only when both repositories are seen.
	d.Repos[7].Issues[1].Parent = "bench/repo-00#2"
	// A task of repo-05 under a parentless task of repo-01: OWN006, which
	// a shard without repo-01 cannot see.
	d.Repos[1].Issues[2].Parent = ""
	d.Repos[5].Issues[3].Parent = "bench/repo-01#3"
	d.Teams = []fake.GitHubTeam{{Org: "bench", Slug: "product-owners", Members: []string{fake.GitHubBob}}}
	gh := fake.NewGitHub(d, fake.WithGitHubTB(t))
	t.Cleanup(gh.Close)

	jd := fake.JiraGenerate(4, 1500)
	at := func(key string) int {
		for i := range jd.Issues {
			if jd.Issues[i].Key == key {
				return i
			}
		}
		t.Fatalf("no %s", key)
		return 0
	}
	jd.Issues[at("P2-2")].Parent = "P1-1" // epic in another project
	jd.Issues[at("P4-7")].Parent = ""
	jd.Issues[at("P1-5")].Parent = "P4-7" // OWN006 across projects
	alice, bob := fake.JiraDemoUsers()["alice"], fake.JiraDemoUsers()["bob"]
	jd.Changelogs = map[string][]fake.JiraChange{
		"P1-5": {{At: time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC), Author: &alice, Field: "assignee", FieldID: "assignee", FromUser: &alice, ToUser: &bob}},
		"P2-2": {{At: time.Date(2026, 8, 15, 9, 0, 0, 0, time.UTC), Author: &bob, Field: "assignee", FieldID: "assignee", FromUser: &bob, ToUser: &alice}},
	}
	js := fake.NewJira(jd, fake.JiraCloud, fake.WithJiraTB(t))
	t.Cleanup(js.Close)

	dir := t.TempDir()
	users := fake.JiraDemoUsers()
	write(t, dir, "pomlint.yaml", `sources:
  - name: gh
    kind: github
    github: {base_url: "`+gh.RESTURL()+`", token_env: GH_TOKEN, orgs: [bench]}
  - name: jira
    kind: jira
    jira: {url: "`+js.URL+`", deployment: cloud, jql: "project in (P1, P2, P3, P4) ORDER BY key ASC"}
classification:
  strategic: {types: [Epic]}
  tactical: {types: [Task, Story]}
ownership:
  from: [assignee]
roster:
  people:
    - {id: alice, roles: [product-manager], accounts: {github: `+fake.GitHubAlice+`, jira: `+users["alice"].AccountID+`}}
    - {id: bob, roles: [], accounts: {github: `+fake.GitHubBob+`, jira: `+users["bob"].AccountID+`}}
  import:
    github_teams: {bench/product-owners: product-owner}
exceptions:
  - {rule: OWN006, item: "bench/repo-09#999", reason: unused on purpose}
`)
	// The audit reads history from Jira only (the GitHub fake serves no
	// issue events).
	write(t, dir, "audit.yaml", `sources:
  - name: jira
    kind: jira
    jira: {url: "`+js.URL+`", deployment: cloud, jql: "project in (P1, P2, P3, P4) ORDER BY key ASC"}
classification:
  strategic: {types: [Epic]}
  tactical: {types: [Task, Story]}
ownership:
  from: [assignee]
roster:
  people:
    - {id: alice, roles: [product-manager], accounts: {jira: `+users["alice"].AccountID+`}}
    - {id: bob, roles: [product-owner], accounts: {jira: `+users["bob"].AccountID+`}}
  teams:
    - {name: p3, product_owner: bob, product_manager: alice, match: {jira_projects: [P3]}}
`)
	env := map[string]string{"GH_TOKEN": fake.GitHubToken, "JIRA_EMAIL": fake.JiraEmail, "JIRA_API_TOKEN": fake.JiraToken}
	return &shardFixture{gh: gh, jira: js, dir: dir, env: env}
}

func (f *shardFixture) requests() int { return f.gh.Requests() + f.jira.Requests() }

func (f *shardFixture) run(t *testing.T, args ...string) runResult {
	t.Helper()
	if args[0] != "merge" {
		args = append(args, "--no-cache")
	}
	return runCLI(t, f.dir, f.env, args...)
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestShardedRunMergesToTheUnshardedReport(t *testing.T) {
	f := newShardFixture(t)
	out := func(name string) string { return filepath.Join(f.dir, name) }
	start := f.requests()
	whole := f.run(t, "lint", "--format", "json="+out("whole.json"), "--format", "sarif="+out("whole.sarif"), "--format", "text")
	if whole.code != 1 {
		t.Fatalf("unsharded lint exit %d\n%s", whole.code, whole.err)
	}
	wholeRequests := f.requests() - start
	wholeJSON := readFile(t, out("whole.json"))
	var rep struct{ Findings []struct{ Rule, Item string } }
	if err := json.Unmarshal([]byte(wholeJSON), &rep); err != nil {
		t.Fatal(err)
	}
	own006 := map[string]bool{}
	for _, fd := range rep.Findings {
		if fd.Rule == "OWN006" {
			own006[fd.Item] = true
		}
	}
	if !own006["bench/repo-05#4"] || !own006["P1-5"] {
		t.Fatalf("the unsharded run lacks the cross-shard OWN006 findings: %v", own006)
	}
	if own006["bench/repo-07#2"] || own006["P2-2"] {
		t.Fatal("an item with a strategic ancestor in another repository or project was reported")
	}

	for _, n := range []int{1, 2, 3, 7} {
		t.Run(fmt.Sprintf("should give the unsharded findings, summary and SARIF with %d shards", n), func(t *testing.T) {
			before := f.requests()
			var files []string
			for k := 1; k <= n; k++ {
				p := out(fmt.Sprintf("shard-%d-of-%d.json", k, n))
				r := f.run(t, "lint", "--shard", fmt.Sprintf("%d/%d", k, n), "--format", "json="+p)
				if r.code != 0 {
					t.Fatalf("shard %d/%d exit %d\n%s", k, n, r.code, r.err)
				}
				files = append(files, p)
			}
			t.Logf("%d shards: %d requests, unsharded %d", n, f.requests()-before, wholeRequests)
			if got, limit := f.requests()-before, wholeRequests*11/10; got > limit {
				t.Errorf("%d shards made %d requests, the unsharded run %d (limit 1.1×: %d)", n, got, wholeRequests, limit)
			}
			m := f.run(t, append([]string{"merge", "--format", "json=" + out("merged.json"), "--format", "sarif=" + out("merged.sarif"), "--format", "text"}, files...)...)
			if m.code != whole.code {
				t.Fatalf("merge exit %d, unsharded %d\n%s", m.code, whole.code, m.err)
			}
			if got := readFile(t, out("merged.json")); got != wholeJSON {
				t.Errorf("merged JSON report differs from the unsharded one:\n%s", firstDiff(wholeJSON, got))
			}
			if got, want := readFile(t, out("merged.sarif")), readFile(t, out("whole.sarif")); got != want {
				t.Errorf("merged SARIF differs from the unsharded one:\n%s", firstDiff(want, got))
			}
			if m.out != whole.out {
				t.Errorf("merged text differs:\n%s", firstDiff(whole.out, m.out))
			}
			if n == 7 {
				// The cross-shard OWN006 findings need the merge: no shard
				// sees them on its own.
				for _, p := range files {
					var rep struct{ Findings []struct{ Rule, Item string } }
					if err := json.Unmarshal([]byte(readFile(t, p)), &rep); err != nil {
						t.Fatal(err)
					}
					for _, fd := range rep.Findings {
						if fd.Rule == "OWN006" && (fd.Item == "bench/repo-05#4" || fd.Item == "P1-5") {
							t.Errorf("%s found %s %s alone; the data does not put the parent in another shard", p, fd.Rule, fd.Item)
						}
					}
				}
			}
		})
	}

	t.Run("should exit 3 naming the missing shard", func(t *testing.T) {
		files := []string{out("shard-1-of-3.json"), out("shard-3-of-3.json")}
		m := f.run(t, append([]string{"merge", "--format", "json"}, files...)...)
		if m.code != 3 || !strings.Contains(m.err, "missing shard 2/3") {
			t.Fatalf("exit %d, stderr %q", m.code, m.err)
		}
	})
	t.Run("should keep an item read twice once", func(t *testing.T) {
		files := []string{out("shard-1-of-2.json"), out("shard-2-of-2.json"), out("shard-1-of-2.json")}
		m := f.run(t, append([]string{"merge", "--format", "json=" + out("dup.json")}, files...)...)
		if m.code != 1 || readFile(t, out("dup.json")) != wholeJSON {
			t.Fatalf("exit %d\n%s", m.code, m.err)
		}
	})
	t.Run("should refuse shards of another config", func(t *testing.T) {
		cfg := readFile(t, out("pomlint.yaml"))
		write(t, f.dir, "other.yaml", strings.Replace(cfg, "unused on purpose", "another reason", 1))
		m := f.run(t, "merge", "-c", "other.yaml", "--format", "json", out("shard-1-of-2.json"), out("shard-2-of-2.json"))
		if m.code != 2 || !strings.Contains(m.err, "another configuration") {
			t.Fatalf("exit %d, stderr %q", m.code, m.err)
		}
	})
	t.Run("should merge sharded snapshots into the unsharded snapshot", func(t *testing.T) {
		if r := f.run(t, "snapshot", "--output", out("whole-snap.json")); r.code != 0 {
			t.Fatalf("snapshot exit %d\n%s", r.code, r.err)
		}
		var files []string
		for k := 1; k <= 2; k++ {
			p := out(fmt.Sprintf("snap-%d.json", k))
			if r := f.run(t, "snapshot", "--shard", fmt.Sprintf("%d/2", k), "--output", p); r.code != 0 {
				t.Fatalf("snapshot shard exit %d\n%s", r.code, r.err)
			}
			files = append(files, p)
		}
		validate(t, filepath.Join(repoRoot(t), "configs", "schema", "snapshot.schema.json"), readFile(t, files[0]))
		m := f.run(t, append([]string{"merge", "--format", "json=" + out("snap-merged.json"), "--snapshot", out("merged-snap.json")}, files...)...)
		if m.code != 1 || readFile(t, out("snap-merged.json")) != wholeJSON {
			t.Fatalf("merge of snapshots: exit %d, report equal: %v\n%s", m.code, readFile(t, out("snap-merged.json")) == wholeJSON, m.err)
		}
		if got, want := readFile(t, out("merged-snap.json")), readFile(t, out("whole-snap.json")); got != want {
			t.Errorf("merged snapshot differs from the unsharded one:\n%s", firstDiff(want, got))
		}
	})
	t.Run("should refuse a shard without a JSON report or with a bad K/N", func(t *testing.T) {
		for _, args := range [][]string{
			{"lint", "--shard", "1/2", "--format", "text"},
			{"lint", "--shard", "3/2", "--format", "json"},
			{"lint", "--shard", "x", "--format", "json"},
		} {
			if r := f.run(t, args...); r.code != 2 || !strings.Contains(r.err, "--shard") {
				t.Errorf("%v: exit %d, stderr %q", args, r.code, r.err)
			}
		}
	})
	t.Run("should refuse a report that is not a shard", func(t *testing.T) {
		m := f.run(t, "merge", "--format", "json", out("whole.json"))
		if m.code != 2 || !strings.Contains(m.err, "not a shard") {
			t.Fatalf("exit %d, stderr %q", m.code, m.err)
		}
	})
	t.Run("should record the part each shard read", func(t *testing.T) {
		var rep struct {
			Shard struct {
				Index, Count int
				Units        []struct{ Source, Unit string }
				Plan         []struct{ Shard int }
			}
			Items []json.RawMessage
		}
		if err := json.Unmarshal([]byte(readFile(t, out("shard-2-of-3.json"))), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Shard.Index != 2 || rep.Shard.Count != 3 || len(rep.Shard.Units) == 0 || len(rep.Shard.Plan) != 14 || len(rep.Items) == 0 {
			t.Fatalf("shard block = %+v, %d items", rep.Shard, len(rep.Items))
		}
		validate(t, filepath.Join(repoRoot(t), "configs", "schema", "report.schema.json"), readFile(t, out("shard-2-of-3.json")))
	})
}

// firstDiff shows where two texts first differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) && i < len(g); i++ {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d:\n want %s\n got  %s", i+1, w[i], g[i])
		}
	}
	return fmt.Sprintf("lengths differ: want %d lines, got %d", len(w), len(g))
}

func TestShardedAuditMergesToTheUnshardedAudit(t *testing.T) {
	f := newShardFixture(t)
	out := func(name string) string { return filepath.Join(f.dir, name) }
	window := []string{"--from", "2026-07-01", "--to", "2026-09-30", "--compare-previous"}
	whole := f.run(t, append([]string{"audit", "-c", "audit.yaml", "--format", "json=" + out("audit.json"), "--format", "markdown=" + out("audit.md")}, window...)...)
	if whole.code != 0 {
		t.Fatalf("unsharded audit exit %d\n%s", whole.code, whole.err)
	}
	if md := readFile(t, out("audit.md")); !strings.Contains(md, "| Ownership changes | ") || strings.Contains(md, "| Ownership changes | 0 |") {
		t.Fatalf("the audit does not show the item whose owner changed; the test proves nothing\n%s", readFile(t, out("audit.md")))
	}
	for _, n := range []int{2, 3} {
		t.Run(fmt.Sprintf("should give the unsharded audit with %d shards", n), func(t *testing.T) {
			var files []string
			for k := 1; k <= n; k++ {
				p := out(fmt.Sprintf("audit-%d-of-%d.json", k, n))
				r := f.run(t, append([]string{"audit", "-c", "audit.yaml", "--shard", fmt.Sprintf("%d/%d", k, n), "--output", p}, window...)...)
				if r.code != 0 {
					t.Fatalf("audit shard %d/%d exit %d\n%s", k, n, r.code, r.err)
				}
				files = append(files, p)
			}
			validate(t, filepath.Join(repoRoot(t), "configs", "schema", "snapshot.schema.json"), readFile(t, files[0]))
			args := append([]string{"merge", "-c", "audit.yaml", "--audit", "--format", "json=" + out("m.json"), "--format", "markdown=" + out("m.md")}, window...)
			m := f.run(t, append(args, files...)...)
			if m.code != 0 {
				t.Fatalf("merge --audit exit %d\n%s", m.code, m.err)
			}
			for _, pair := range [][2]string{{"audit.json", "m.json"}, {"audit.md", "m.md"}} {
				if want, got := readFile(t, out(pair[0])), readFile(t, out(pair[1])); got != want {
					t.Errorf("%s differs from the unsharded %s:\n%s", pair[1], pair[0], firstDiff(want, got))
				}
			}
		})
	}
	t.Run("should refuse audit shards of another window", func(t *testing.T) {
		m := f.run(t, "merge", "-c", "audit.yaml", "--audit", "--from", "2026-07-01", "--to", "2026-09-29", "--format", "json",
			out("audit-1-of-2.json"), out("audit-2-of-2.json"))
		if m.code != 2 || !strings.Contains(m.err, "--to 2026-09-29") {
			t.Fatalf("exit %d, stderr %q", m.code, m.err)
		}
	})
	t.Run("should want --output and no --format from a sharded audit", func(t *testing.T) {
		r := f.run(t, append([]string{"audit", "-c", "audit.yaml", "--shard", "1/2", "--format", "markdown"}, window...)...)
		if r.code != 2 || !strings.Contains(r.err, "--output") {
			t.Fatalf("exit %d, stderr %q", r.code, r.err)
		}
	})
}

func TestShardedExampleWorkflow(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", "sharded-example.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Env  map[string]string `yaml:"env"`
		Jobs map[string]struct {
			Needs    any `yaml:"needs"`
			Strategy struct {
				Matrix struct {
					Shard []int `yaml:"shard"`
				} `yaml:"matrix"`
			} `yaml:"strategy"`
			Steps []struct {
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(raw, &wf); err != nil {
		t.Fatal(err)
	}
	n := len(wf.Jobs["lint"].Strategy.Matrix.Shard)
	t.Run("should run as many lint jobs as SHARDS says", func(t *testing.T) {
		if fmt.Sprint(n) != wf.Env["SHARDS"] || n == 0 {
			t.Fatalf("matrix has %d shards, SHARDS = %q", n, wf.Env["SHARDS"])
		}
		if fmt.Sprint(wf.Jobs["merge"].Needs) != "lint" {
			t.Fatalf("merge needs %v, want lint", wf.Jobs["merge"].Needs)
		}
	})
	t.Run("should merge the demo's shards into the demo's unsharded report", func(t *testing.T) {
		root := repoRoot(t)
		dir := t.TempDir()
		env := map[string]string{"POMLINT_CONFIG": wf.Env["POMLINT_CONFIG"]}
		whole := runCLI(t, root, env, "lint", "--format", "json="+filepath.Join(dir, "whole.json"), "--format", "sarif="+filepath.Join(dir, "whole.sarif"))
		if whole.code != 1 {
			t.Fatalf("unsharded demo exit %d\n%s", whole.code, whole.err)
		}
		var files []string
		for _, k := range wf.Jobs["lint"].Strategy.Matrix.Shard {
			p := filepath.Join(dir, fmt.Sprintf("shard-%d.json", k))
			if r := runCLI(t, root, env, "lint", "--shard", fmt.Sprintf("%d/%d", k, n), "--format", "json="+p); r.code != 0 {
				t.Fatalf("shard %d exit %d\n%s", k, r.code, r.err)
			}
			files = append(files, p)
		}
		m := runCLI(t, root, env, append([]string{"merge", "--format", "json=" + filepath.Join(dir, "merged.json"), "--format", "sarif=" + filepath.Join(dir, "merged.sarif"),
			"--snapshot", filepath.Join(dir, "snap.json"), "--fail-on", "error"}, files...)...)
		if m.code != whole.code {
			t.Fatalf("merge exit %d, want %d\n%s", m.code, whole.code, m.err)
		}
		for _, pair := range [][2]string{{"whole.json", "merged.json"}, {"whole.sarif", "merged.sarif"}} {
			if want, got := readFile(t, filepath.Join(dir, pair[0])), readFile(t, filepath.Join(dir, pair[1])); got != want {
				t.Errorf("%s differs from %s:\n%s", pair[1], pair[0], firstDiff(want, got))
			}
		}
	})
}
