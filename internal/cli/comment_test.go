package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/fake"
)

func TestComment(t *testing.T) {
	base, head := driftSnapshots(t)
	env := map[string]string{"GITHUB_TOKEN": fake.GitHubToken}
	comment := func(t *testing.T, p *fake.Pulls, env map[string]string, pr string, args ...string) runResult {
		t.Helper()
		return runPomlint(t, ".", env, nil, append([]string{"comment", "--repo", "acme/payments", "--pr", pr, "--api-url", p.RESTURL()}, args...)...)
	}
	prs := func() []fake.PullsPR {
		return []fake.PullsPR{
			{Repo: "acme/payments", Number: 42, Title: "Payout holds", Body: "Fixes #12\n\nAdds holds for risky merchants.",
				HeadRef: "feature/PAY-90-holds", Commits: []string{"PAY-90: hold payouts", "fix tests"},
				Comments: []fake.PullsComment{{Author: "octocat", Body: "LGTM once CI is green"}}},
			{Repo: "acme/payments", Number: 43, Title: "Typo in README"},
		}
	}

	t.Run("should create one comment, update it in place, then turn it into the all-clear", func(t *testing.T) {
		p := fake.NewPulls(t, prs())
		r := comment(t, p, env, "42", "--base", base, "--head", head)
		if r.code != 0 {
			t.Fatalf("first run: exit %d\n%s", r.code, r.err)
		}
		r = comment(t, p, env, "42", "--base", base, "--head", head, "--item", "PAY-90")
		if r.code != 0 {
			t.Fatalf("second run: exit %d\n%s", r.code, r.err)
		}
		cs := p.Comments("acme/payments", 42)
		if len(cs) != 2 || len(p.Created()) != 1 || len(p.Updated()) != 1 {
			t.Fatalf("comments %d, created %d, updated %d; want the user's and one of ours, created once and updated once", len(cs), len(p.Created()), len(p.Updated()))
		}
		ours := cs[1]
		if !strings.HasPrefix(ours.Body, commentMarker+"\n## ❌ pomlint drift: 2 new findings") || !strings.Contains(ours.Body, "PAY-90") || strings.Contains(ours.Body, "CHK-15") {
			t.Errorf("updated comment:\n%s", ours.Body)
		}
		r = comment(t, p, env, "42", "--base", base, "--head", head)
		r = comment(t, p, env, "42", "--base", base, "--head", head)
		if len(p.Updated()) != 2 || !strings.Contains(r.err, "comment unchanged") {
			t.Errorf("an unchanged body was written again: %d updates\n%s", len(p.Updated()), r.err)
		}
		r = comment(t, p, env, "42", "--base", base, "--head", base)
		cs = p.Comments("acme/payments", 42)
		if r.code != 0 || len(cs) != 2 || !strings.HasPrefix(cs[1].Body, commentMarker+"\n## ✅ pomlint drift: all clear") || len(p.Created()) != 1 {
			t.Errorf("clean run: exit %d, comments %+v\n%s", r.code, cs, r.err)
		}
		if cs[0].Body != "LGTM once CI is green" {
			t.Errorf("the user's comment was touched: %q", cs[0].Body)
		}
	})
	t.Run("should leave alone a person's comment that contains or starts with the marker", func(t *testing.T) {
		quoting := []fake.PullsComment{
			{Author: "octocat", Body: "FYI the bot finds its comment by `" + commentMarker + "`, please don't remove it"},
			{Author: "octocat", Body: commentMarker + "\n(pasted the bot's old comment here)"},
		}
		p := fake.NewPulls(t, []fake.PullsPR{{Repo: "acme/payments", Number: 42, Title: "x", Comments: quoting}})
		r := comment(t, p, env, "42", "--base", base, "--head", head)
		if r.code != 0 || len(p.Updated()) != 0 || len(p.Created()) != 1 || p.Created()[0].Author != fake.PullsBot {
			t.Fatalf("exit %d, created %+v, updated %+v\n%s", r.code, p.Created(), p.Updated(), r.err)
		}
		cs := p.Comments("acme/payments", 42)
		for i, c := range quoting {
			if cs[i].Body != c.Body {
				t.Errorf("octocat's comment %d was overwritten: %q", i, cs[i].Body)
			}
		}
		r = comment(t, p, env, "42", "--base", base, "--head", base)
		if len(p.Updated()) != 1 || p.Updated()[0].Author != fake.PullsBot || len(p.Comments("acme/payments", 42)) != 3 {
			t.Errorf("second run updated %+v, want only pomlint's own comment\n%s", p.Updated(), r.err)
		}
	})
	for _, tt := range []struct {
		name, viewer string
		args         []string
	}{
		{"should find its own comments by the login GET /user gives for a user's token", "pomlint-ci", nil},
		{"should find a GitHub App's comments by --comment-author", "pomlint-app[bot]", []string{"--comment-author", "pomlint-app[bot]"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := fake.NewPulls(t, []fake.PullsPR{{Repo: "acme/payments", Number: 42, Title: "x", Comments: []fake.PullsComment{
				{Author: fake.PullsBot, Body: commentMarker + "\nan Actions run's comment"},
				{Author: tt.viewer, Body: commentMarker + "\nold"},
			}}}, fake.WithPullsViewer(tt.viewer))
			r := comment(t, p, env, "42", append([]string{"--base", base, "--head", head}, tt.args...)...)
			if r.code != 0 || len(p.Created()) != 0 || len(p.Updated()) != 1 || p.Updated()[0].Author != tt.viewer {
				t.Errorf("exit %d, created %+v, updated %+v\n%s", r.code, p.Created(), p.Updated(), r.err)
			}
		})
	}
	t.Run("should find a GitHub App's comment as <slug>[bot] from GET /app and update it, not post a second", func(t *testing.T) {
		p := fake.NewPulls(t, []fake.PullsPR{{Repo: "acme/payments", Number: 42, Title: "x", Comments: []fake.PullsComment{
			{Author: fake.PullsBot, Body: commentMarker + "\nan Actions run's comment"},
			{Author: "pomlint-app[bot]", Body: commentMarker + "\nold"},
		}}}, fake.WithPullsApp(12, 34, "pomlint-app"))
		cfg, e := appConfig(t)
		r := comment(t, p, e, "42", "--config", cfg, "--base", base, "--head", head)
		if r.code != 0 || len(p.Created()) != 0 || len(p.Updated()) != 1 || p.Updated()[0].Author != "pomlint-app[bot]" {
			t.Fatalf("exit %d, created %+v, updated %+v\n%s", r.code, p.Created(), p.Updated(), r.err)
		}
		if cs := p.Comments("acme/payments", 42); len(cs) != 2 || cs[0].Body != commentMarker+"\nan Actions run's comment" {
			t.Errorf("comments = %+v", cs)
		}
		for _, req := range p.Requests() {
			if req == "GET /user" {
				t.Errorf("asked GET /user, which an installation refuses: %v", p.Requests())
			}
		}
		// A second run finds the same comment again.
		r = comment(t, p, e, "42", "--config", cfg, "--base", base, "--head", base)
		if r.code != 0 || len(p.Created()) != 0 || len(p.Updated()) != 2 {
			t.Errorf("second run: exit %d, created %d, updated %d\n%s", r.code, len(p.Created()), len(p.Updated()), r.err)
		}
	})
	t.Run("should exit 3 naming --comment-author when a GitHub App's GET /app fails", func(t *testing.T) {
		p := fake.NewPulls(t, []fake.PullsPR{{Repo: "acme/payments", Number: 42, Title: "x", Comments: []fake.PullsComment{
			{Author: "pomlint-app[bot]", Body: commentMarker + "\nold"},
		}}}, fake.WithPullsApp(12, 34, "pomlint-app"), fake.WithPullsFaults(fake.PullsFaults{RejectAppJWT: true}))
		cfg, e := appConfig(t)
		r := comment(t, p, e, "42", "--config", cfg, "--base", base, "--head", head)
		if r.code != 3 || len(p.Created()) != 0 || len(p.Updated()) != 0 {
			t.Fatalf("exit %d, created %d, updated %d, want 3 and nothing written\n%s", r.code, len(p.Created()), len(p.Updated()), r.err)
		}
		for _, want := range []string{"--comment-author <app-slug>[bot]", "GET /app", "401", "app_id (12)"} {
			if !strings.Contains(r.err, want) {
				t.Errorf("stderr does not say %q:\n%s", want, r.err)
			}
		}
		// --comment-author is the way out: no GET /app, the comment is updated.
		r = comment(t, p, e, "42", "--config", cfg, "--base", base, "--head", head, "--comment-author", "pomlint-app[bot]")
		if r.code != 0 || len(p.Created()) != 0 || len(p.Updated()) != 1 {
			t.Errorf("with --comment-author: exit %d, created %d, updated %d\n%s", r.code, len(p.Created()), len(p.Updated()), r.err)
		}
	})
	t.Run("should post nothing on a clean pull request without a comment", func(t *testing.T) {
		p := fake.NewPulls(t, prs())
		r := comment(t, p, env, "43", "--base", base, "--head", base)
		if r.code != 0 || len(p.Comments("acme/payments", 43)) != 0 || len(p.Created()) != 0 || !strings.Contains(r.err, "clean: no comment posted") {
			t.Errorf("exit %d, comments %v\n%s", r.code, p.Comments("acme/payments", 43), r.err)
		}
	})
	t.Run("should narrow to the items the pull request references", func(t *testing.T) {
		p := fake.NewPulls(t, prs())
		r := comment(t, p, env, "42", "--base", base, "--head", head, "--linked-only", "--config", "testdata/drift-demo.yaml")
		if r.code != 0 || len(p.Created()) != 1 {
			t.Fatalf("exit %d, created %d\n%s", r.code, len(p.Created()), r.err)
		}
		body := p.Created()[0].Body
		// Fixes #12 → acme/payments#12; PAY-90 from the commit and the branch.
		for _, want := range []string{"Narrowed to the 2 items this pull request references", "acme/payments\\#\u200b12", "PAY-90"} {
			if !strings.Contains(body, want) {
				t.Errorf("body does not contain %q:\n%s", want, body)
			}
		}
		if strings.Contains(body, "CHK-15") || strings.Contains(body, "PAY-78") {
			t.Errorf("body mentions items the PR does not reference:\n%s", body)
		}
		// A PR that references nothing is clean: no comment.
		r = comment(t, p, env, "43", "--base", base, "--head", head, "--linked-only", "--config", "testdata/drift-demo.yaml")
		if r.code != 0 || len(p.Comments("acme/payments", 43)) != 0 {
			t.Errorf("unreferencing PR: exit %d, comments %v", r.code, p.Comments("acme/payments", 43))
		}
	})
	t.Run("should print the body on --dry-run and touch nothing", func(t *testing.T) {
		p := fake.NewPulls(t, prs())
		r := comment(t, p, nil, "42", "--base", base, "--head", head, "--dry-run")
		if r.code != 0 || !strings.HasPrefix(r.out, commentMarker+"\n## ❌ pomlint drift: 3 new findings") || len(p.Requests()) != 0 {
			t.Errorf("exit %d, requests %v, out %q\n%s", r.code, p.Requests(), r.out[:min(80, len(r.out))], r.err)
		}
		goldenDrift(t, "comment.md", r.out)
	})
	for _, tt := range []struct {
		name   string
		faults fake.PullsFaults
		pr     string
		says   string
	}{
		{"should exit 3 with a clear error when creating is forbidden", fake.PullsFaults{ForbidWrites: true}, "42", "create pull request comment: 403 Forbidden"},
		{"should exit 3 with a clear error when the repository is hidden", fake.PullsFaults{HideWrites: true}, "42", "create pull request comment: 404 Not Found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := fake.NewPulls(t, prs(), fake.WithPullsFaults(tt.faults))
			summary := filepath.Join(t.TempDir(), "summary.md")
			e := map[string]string{"GITHUB_TOKEN": fake.GitHubToken, "GITHUB_STEP_SUMMARY": summary}
			r := comment(t, p, e, tt.pr, "--base", base, "--head", head)
			if r.code != 3 {
				t.Fatalf("exit %d, want 3\n%s", r.code, r.err)
			}
			for _, want := range []string{tt.says, "pull-requests: write", "$GITHUB_TOKEN", "job summary"} {
				if !strings.Contains(r.err, want) {
					t.Errorf("stderr does not say %q:\n%s", want, r.err)
				}
			}
			if strings.Contains(r.err, fake.GitHubToken) {
				t.Error("the token leaked")
			}
			b, err := os.ReadFile(summary)
			if err != nil || !strings.HasPrefix(string(b), "## ❌ pomlint drift: 3 new findings") || strings.Contains(string(b), commentMarker) {
				t.Errorf("job summary: %v\n%.200s", err, b)
			}
		})
	}
	t.Run("should exit 3 when updating is forbidden", func(t *testing.T) {
		p := fake.NewPulls(t, prs())
		if r := comment(t, p, env, "42", "--base", base, "--head", head); r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.err)
		}
		p.SetFaults(fake.PullsFaults{ForbidWrites: true})
		r := comment(t, p, env, "42", "--base", base, "--head", base)
		if r.code != 3 || !strings.Contains(r.err, "update pull request comment: 403 Forbidden") || !strings.Contains(r.err, "Resource not accessible by integration") {
			t.Errorf("exit %d\n%s", r.code, r.err)
		}
	})
	t.Run("should stay under GitHub's limit on a huge drift", func(t *testing.T) {
		p := fake.NewPulls(t, prs())
		big := hugeSnapshot(t, 4000)
		r := comment(t, p, env, "42", "--base", base, "--head", big)
		if r.code != 0 || len(p.Created()) != 1 {
			t.Fatalf("exit %d\n%s", r.code, r.err)
		}
		if body := p.Created()[0].Body; len([]rune(body)) > 65536 || !strings.Contains(body, "Shortened to stay under") {
			t.Errorf("body of %d characters, cut note %v", len([]rune(body)), strings.Contains(body, "Shortened"))
		}
	})
	t.Run("should ask for a token when none is set", func(t *testing.T) {
		p := fake.NewPulls(t, prs())
		r := comment(t, p, nil, "42", "--base", base, "--head", head)
		if r.code != 2 || !strings.Contains(r.err, "GITHUB_TOKEN is empty or unset") {
			t.Errorf("exit %d\n%s", r.code, r.err)
		}
	})
	t.Run("should refuse a missing --pr", func(t *testing.T) {
		r := runPomlint(t, ".", env, nil, "comment", "--repo", "acme/payments", "--base", base)
		if r.code != 2 || !strings.Contains(r.err, "--pr NUMBER") {
			t.Errorf("exit %d\n%s", r.code, r.err)
		}
	})
}

// appConfig writes a config whose github source uses GitHub App 12
// installation 34 auth and returns its path and the environment with the
// app's private key (and no GITHUB_TOKEN).
func appConfig(t *testing.T) (string, map[string]string) {
	t.Helper()
	pemKey := fake.AppKeyPEM(t)
	p := filepath.Join(t.TempDir(), "pomlint.yaml")
	cfg := `sources:
  - name: acme-github
    kind: github
    github:
      repos: [acme/payments]
      app: {app_id: 12, installation_id: 34, private_key_env: APP_KEY}
`
	if err := os.WriteFile(p, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, map[string]string{"APP_KEY": pemKey}
}

// hugeSnapshot writes the head snapshot with n extra items, each with a
// long title and a missing-owner finding, and returns its path.
func hugeSnapshot(t *testing.T, n int) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "drift", "head.json"))
	if err != nil {
		t.Fatal(err)
	}
	var items, findings strings.Builder
	for i := range n {
		key := "acme/payments#" + strconv.Itoa(10000+i)
		items.WriteString(`{"key": "` + key + `", "source": "acme-github", "tracker": "github", "title": "` + strings.Repeat("A very long title about payouts ", 5) + `", "level": "tactical"},`)
		findings.WriteString(`{"rule": "OWN003", "name": "missing-owner", "severity": "error", "source": "acme-github", "item": "` + key + `", "message": "no owner: no ownership source yielded anyone", "fingerprint": "fp` + strconv.Itoa(i) + `"},`)
	}
	s := strings.Replace(string(data), `"items": [`, `"items": [`+items.String(), 1)
	s = strings.Replace(s, `"findings": [`, `"findings": [`+findings.String(), 1)
	p := filepath.Join(t.TempDir(), "huge.json")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
