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
			name: "should read commit messages and the Jira key in the branch name",
			pr: PullRequest{Repo: "acme/payments", Title: "Payout report: filter by currency", Branch: "feature/pay-31-currency-filter",
				Commits: []string{"PAY-31 add currency column\n\nRefs #12", "fix lint", "Merge branch 'main' into feature/pay-31-currency-filter"}},
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
