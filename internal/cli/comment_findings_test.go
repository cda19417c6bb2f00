package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/fake"
	"github.com/pomlint/pomlint/internal/model"
)

// withoutFindings writes a copy of snapshot p without the findings of keys.
func withoutFindings(t *testing.T, p string, keys ...string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var s model.Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	drop := map[string]bool{}
	for _, k := range keys {
		drop[k] = true
	}
	kept := s.Findings[:0]
	for _, f := range s.Findings {
		if !drop[f.Item] {
			kept = append(kept, f)
		}
	}
	s.Findings = kept
	out, err := json.Marshal(&s)
	if err != nil {
		t.Fatal(err)
	}
	q := filepath.Join(t.TempDir(), "fixed.json")
	if err := os.WriteFile(q, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return q
}

func TestCommentFindings(t *testing.T) {
	_, head := driftSnapshots(t)
	env := map[string]string{"GITHUB_TOKEN": fake.GitHubToken}
	comment := func(t *testing.T, p *fake.Pulls, env map[string]string, pr string, args ...string) runResult {
		t.Helper()
		return runPomlint(t, ".", env, nil, append([]string{"comment", "--repo", "acme/payments", "--pr", pr, "--api-url", p.RESTURL()}, args...)...)
	}
	prs := func() []fake.PullsPR {
		return []fake.PullsPR{
			{Repo: "acme/payments", Number: 42, Title: "Payout holds", Body: "Fixes #12\n\nAdds holds for risky merchants.",
				HeadRef: "feature/PAY-90-holds", Commits: []string{"PAY-90: hold payouts", "fix tests"},
				Comments: []fake.PullsComment{
					{Author: "octocat", Body: "LGTM once CI is green"},
					{Author: fake.PullsBot, Body: commentMarker + "\n## drift comment of another workflow"},
				}},
			{Repo: "acme/payments", Number: 43, Title: "Typo in README"},
		}
	}

	t.Run("should comment the findings of the referenced items, update in place, then turn to the all-clear", func(t *testing.T) {
		p := fake.NewPulls(t, prs())
		r := comment(t, p, env, "42", "--head", head)
		if r.code != 0 || len(p.Created()) != 1 {
			t.Fatalf("exit %d, created %d\n%s", r.code, len(p.Created()), r.err)
		}
		body := p.Created()[0].Body
		for _, want := range []string{findingsMarker + "\n## ❌ pomlint: 2 findings in 2 items", "PAY-90", "OWN002", "`acme/payments#12`", "`PAY-90`"} {
			if !strings.Contains(body, want) {
				t.Errorf("body lacks %q:\n%s", want, body)
			}
		}
		if strings.Contains(body, "CHK-15") {
			t.Errorf("body names an item the pull request does not reference:\n%s", body)
		}
		r = comment(t, p, env, "42", "--head", head)
		if len(p.Created()) != 1 || len(p.Updated()) != 0 || !strings.Contains(r.err, "comment unchanged") {
			t.Errorf("second run: created %d, updated %d\n%s", len(p.Created()), len(p.Updated()), r.err)
		}
		fixed := withoutFindings(t, head, "PAY-90")
		r = comment(t, p, env, "42", "--head", fixed)
		cs := p.Comments("acme/payments", 42)
		if r.code != 0 || len(cs) != 3 || len(p.Updated()) != 1 || !strings.HasPrefix(cs[2].Body, findingsMarker+"\n## ✅ pomlint: no ownership findings") {
			t.Fatalf("clean run: exit %d, comments %+v\n%s", r.code, cs, r.err)
		}
		if cs[1].Body != commentMarker+"\n## drift comment of another workflow" || cs[0].Body != "LGTM once CI is green" {
			t.Errorf("another comment was touched: %+v", cs[:2])
		}
	})
	t.Run("should post nothing on a clean pull request without a comment", func(t *testing.T) {
		p := fake.NewPulls(t, prs())
		r := comment(t, p, env, "43", "--head", head)
		if r.code != 0 || len(p.Created()) != 0 || !strings.Contains(r.err, "clean: no comment posted") {
			t.Errorf("exit %d, created %d\n%s", r.code, len(p.Created()), r.err)
		}
	})
	t.Run("should print the body on a dry run and fail on --fail-on", func(t *testing.T) {
		p := fake.NewPulls(t, prs())
		r := comment(t, p, env, "42", "--head", head, "--dry-run", "--fail-on", "error")
		if r.code != 1 || len(p.Created()) != 0 || !strings.HasPrefix(r.out, findingsMarker+"\n## ❌ pomlint") {
			t.Errorf("exit %d, created %d\n%s\n%s", r.code, len(p.Created()), r.out, r.err)
		}
	})
	t.Run("should exit 3 with the permission to grant when writing is forbidden", func(t *testing.T) {
		p := fake.NewPulls(t, prs(), fake.WithPullsFaults(fake.PullsFaults{ForbidWrites: true}))
		r := comment(t, p, env, "42", "--head", head)
		if r.code != 3 || !strings.Contains(r.err, "create pull request comment: 403 Forbidden") || !strings.Contains(r.err, "pull-requests: write") {
			t.Errorf("exit %d\n%s", r.code, r.err)
		}
	})
	t.Run("should lint the config's sources when no snapshot is given", func(t *testing.T) {
		p := fake.NewPulls(t, prs())
		dir := writeTree(t, map[string]string{"pomlint.yaml": demoConfigForComment(t)})
		r := runPomlint(t, dir, env, nil, "comment", "--repo", "acme/payments", "--pr", "42", "--api-url", p.RESTURL(), "--no-cache", "--dry-run")
		if r.code != 0 || !strings.Contains(r.out, "acme/payments#12") || !strings.Contains(r.out, "OWN001") {
			t.Errorf("exit %d\n%s\n%s", r.code, r.out, r.err)
		}
	})
}

func TestCommentFindingsChecksTheTokenFirst(t *testing.T) {
	t.Run("should fail on a missing GitHub token before reading any source", func(t *testing.T) {
		jira := fake.NewJira(fake.JiraDemoData(), fake.JiraCloud)
		defer jira.Close()
		dir := writeTree(t, map[string]string{"pomlint.yaml": "sources:\n  - name: jira\n    kind: jira\n    jira: {url: \"" + jira.URL + "\", deployment: cloud, jql: \"project = PAY\"}\n"})
		env := map[string]string{"JIRA_EMAIL": fake.JiraEmail, "JIRA_API_TOKEN": fake.JiraToken}
		r := runPomlint(t, dir, env, nil, "comment", "--repo", "acme/payments", "--pr", "42", "--no-cache", "--dry-run")
		if r.code != 2 || !strings.Contains(r.err, "GITHUB_TOKEN") {
			t.Errorf("exit %d\n%s", r.code, r.err)
		}
		if n := jira.Requests(); n != 0 {
			t.Errorf("%d requests to the Jira source before the token check, want 0", n)
		}
	})
}

// demoConfigForComment is the demo config with its file source pointing at
// backlog.json next to it.
func demoConfigForComment(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "configs", "demo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(b), "demo/backlog.json", "snap.json")
	return strings.Replace(s, "paths: [rules]", "paths: []", 1)
}
