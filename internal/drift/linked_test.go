package drift

import (
	"reflect"
	"testing"

	"github.com/pomlint/pomlint/internal/model"
)

func TestLinked(t *testing.T) {
	tests := []struct {
		name string
		pr   PullRequest
		opts LinkOptions
		want []Ref
	}{
		{
			name: "should resolve a bare closing reference against the PR's repo",
			pr: PullRequest{Repo: "acme/payments", Title: "Retry failed payouts with backoff",
				Body: "Fixes #412\n\nPayouts that hit a 503 from the bank are now retried with exponential backoff."},
			want: []Ref{{Key: "acme/payments#412", Closing: true, Where: []string{"body"}}},
		},
		{
			name: "should find closing keywords in every spelling and cross-repo references",
			pr: PullRequest{Repo: "acme/payments", Title: "Refund flow: partial refunds (closes #88)",
				Body: "Resolves: acme/checkout#19\nfixed https://github.com/acme/platform/issues/7\nRelated to #90 and acme/checkout#21.\nCLOSES #88"},
			want: []Ref{
				{Key: "acme/checkout#19", Closing: true, Where: []string{"body"}},
				{Key: "acme/checkout#21", Where: []string{"body"}},
				{Key: "acme/payments#88", Closing: true, Where: []string{"title", "body"}},
				{Key: "acme/payments#90", Where: []string{"body"}},
				{Key: "acme/platform#7", Closing: true, Where: []string{"body"}},
			},
		},
		{
			name: "should read commit messages and a configured project's key in a lower-case branch name",
			pr: PullRequest{Repo: "acme/payments", Title: "Payout report: filter by currency", Branch: "feature/pay-31-currency-filter",
				Commits: []string{"PAY-31 add currency column\n\nRefs #12", "fix lint", "Merge branch 'main' into feature/pay-31-currency-filter"}},
			opts: LinkOptions{JiraProjects: []string{"PAY"}},
			want: []Ref{
				{Key: "acme/payments#12", Where: []string{"commit"}},
				{Key: "PAY-31", Where: []string{"commit", "branch"}},
			},
		},
		{
			name: "should not take standards, versions or hashes for Jira keys",
			pr: PullRequest{Repo: "acme/platform", Title: "PLAT-6: store timestamps as ISO-8601 in UTF-8",
				Body: "Signatures move from SHA-1 to SHA-256 (see RFC-7515, CVE-2024-3094). Bumps go-jira to v1.17.0 and node to 20.11.1. Not PLAT-06, not ABC-1.2."},
			want: []Ref{{Key: "PLAT-6", Where: []string{"title"}}},
		},
		{
			name: "should accept only allow-listed Jira projects when the config names them",
			pr: PullRequest{Title: "CHK-12 copy tweaks, see also OPS-99 and PAY-42",
				Body: "Also touches AWS-1 console link and CHK-13."},
			opts: LinkOptions{JiraProjects: []string{"pay", "CHK"}},
			want: []Ref{
				{Key: "CHK-12", Where: []string{"title"}},
				{Key: "CHK-13", Where: []string{"body"}},
				{Key: "PAY-42", Where: []string{"title"}},
			},
		},
		{
			name: "should skip code, template comments, anchors, entities and URLs that are not issues",
			pr: PullRequest{Repo: "acme/checkout",
				Body: "<!-- Link the issue: Fixes #0000 -->\n" +
					"Run `pomlint drift --pr #5` locally.\n" +
					"```\ncurl https://api.github.com/repos/acme/checkout/issues/77 # see #78\n```\n" +
					"Docs: https://example.com/page#section-3 and https://github.com/acme/checkout/pull/80 and color &#123; and item#9.\n" +
					"Closes #14"},
			want: []Ref{{Key: "acme/checkout#14", Closing: true, Where: []string{"body"}}},
		},
		{
			name: "should drop a bare #123 when the PR's repo is unknown and dedupe case-insensitively",
			pr:   PullRequest{Body: "Fixes #3. See Acme/Payments#5 and acme/payments#5."},
			want: []Ref{{Key: "Acme/Payments#5", Where: []string{"body"}}},
		},
		{
			name: "should keep a closing keyword in italics or after a hyphen",
			pr:   PullRequest{Repo: "acme/app", Title: "Auto-closes #13", Body: "_Fixes #12_ and fixes_#14"},
			want: []Ref{
				{Key: "acme/app#12", Closing: true, Where: []string{"body"}},
				{Key: "acme/app#13", Closing: true, Where: []string{"title"}},
				{Key: "acme/app#14", Where: []string{"body"}},
			},
		},
		{
			name: "should find Jira keys next to underscores in the branch and the text",
			pr:   PullRequest{Repo: "acme/app", Title: "jdoe_PAY-7 fix", Branch: "feature/PAY-123_add_refunds", Body: "(see _PAY-8_)"},
			want: []Ref{
				{Key: "PAY-7", Where: []string{"title"}},
				{Key: "PAY-8", Where: []string{"body"}},
				{Key: "PAY-123", Where: []string{"branch"}},
			},
		},
		{
			name: "should read GH-12 as the PR repo's #12, not a Jira key",
			pr:   PullRequest{Repo: "acme/app", Body: "Fixes GH-12, see gh-15"},
			opts: LinkOptions{JiraProjects: []string{"GH", "PAY"}},
			want: []Ref{
				{Key: "acme/app#12", Closing: true, Where: []string{"body"}},
				{Key: "acme/app#15", Where: []string{"body"}},
			},
		},
		{
			name: "should take issue URLs only on github.com or the configured GitHub Enterprise host",
			pr: PullRequest{Repo: "acme/app", Body: "Crash: https://sentry.io/organizations/acme/issues/4242/\n" +
				"Upstream: https://gitlab.com/group/proj/issues/3\nFixes https://ghe.acme.com/acme/app/issues/9 and https://github.com/acme/lib/issues/2"},
			opts: LinkOptions{GitHubHosts: []string{"GHE.acme.com"}},
			want: []Ref{
				{Key: "acme/app#9", Closing: true, Where: []string{"body"}},
				{Key: "acme/lib#2", Where: []string{"body"}},
			},
		},
		{
			name: "should not upper-case branch words into Jira keys",
			pr:   PullRequest{Repo: "acme/app", Branch: "renovate/node-20.x", Commits: []string{"chore(deps): update node to v20"}},
			want: []Ref{},
		},
		{
			name: "should not read a lower-case branch as a key without a project list",
			pr:   PullRequest{Repo: "acme/app", Branch: "hotfix/ie-11-layout"},
			want: []Ref{},
		},
		{
			name: "should find nothing in a PR that references nothing",
			pr:   PullRequest{Repo: "acme/payments", Title: "Bump golang.org/x/net from 0.22.0 to 0.23.0", Body: "Bumps [golang.org/x/net](https://github.com/golang/net) from 0.22.0 to 0.23.0.\n\nDependabot will resolve any conflicts with this PR."},
			want: []Ref{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Linked(tt.pr, tt.opts)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Linked() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestJiraProjects(t *testing.T) {
	t.Run("should collect projects from JQL, teams and items", func(t *testing.T) {
		got := JiraProjects(
			[]string{`project in (PAY, "CHK") AND statusCategory != Done`, `project = plat ORDER BY rank`},
			[]string{"OPS"},
			[]model.Item{{Key: "DATA-4", Tracker: model.TrackerJira}, {Key: "acme/x#1", Tracker: model.TrackerGitHub}},
		)
		want := []string{"CHK", "DATA", "OPS", "PAY", "PLAT"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("JiraProjects() = %v, want %v", got, want)
		}
	})
}
