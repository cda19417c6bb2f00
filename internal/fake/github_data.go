package fake

import (
	"fmt"
	"time"
)

// GitHub demo logins: alice-c is a product manager, bob-b a product owner,
// carol-d a developer, dave-x someone no roster knows.
const (
	GitHubAlice = "alice-c"
	GitHubBob   = "bob-b"
	GitHubCarol = "carol-d"
	GitHubDave  = "dave-x"
)

// GitHubDemoData is a small, realistic GitHub organisation "acme": repos
// acme/payments and acme/checkout, an archived acme/legacy, and
// acme-labs/research outside the org. Issues carry issue types
// (Initiative, Epic, Feature, Task, Bug), sub-issue parents (one across
// repositories), labels, milestones, pull requests (not items) and a closed
// issue; board acme #7 ("Roadmap") has Owner (user), Level (single select),
// Target (date), Estimate (number) and Sprint (iteration) fields, two
// drafts, a pull request and an issue from acme-labs/research; teams
// acme/product-managers and acme/product-owners.
//
// Read it with a source of orgs: [acme] and projects: [{org: acme, number: 7}];
// CLI tests lint it through the fake and as a snapshot and expect the same
// findings.
func GitHubDemoData() GitHubData {
	t := func(d string) time.Time {
		v, err := time.Parse(time.RFC3339, d)
		if err != nil {
			panic(err)
		}
		return v
	}
	alice, bob, carol, dave := GitHubAlice, GitHubBob, GitHubCarol, GitHubDave
	payments := []GitHubIssue{
		{Number: 1, Title: "Payments 2026", Type: "Initiative", Labels: []string{"roadmap"}, Assignees: []string{alice}, Author: alice,
			Created: t("2025-01-06T09:00:00Z"), Updated: t("2025-03-01T10:00:00Z")},
		{Number: 2, Title: "Card vaulting", Type: "Epic", Labels: []string{"team/payments"}, Assignees: []string{alice}, Author: alice, Parent: "acme/payments#1",
			Milestone: "2025 Q2", Created: t("2025-01-07T09:00:00Z"), Updated: t("2025-03-02T10:00:00Z")},
		{Number: 3, Title: "Store card tokens", Type: "Task", Labels: []string{"team/payments"}, Assignees: []string{bob}, Author: bob, Parent: "acme/payments#2",
			Milestone: "2025 Q2", Created: t("2025-01-08T09:00:00Z"), Updated: t("2025-03-03T10:00:00Z")},
		{Number: 4, Title: "Refund API times out", Type: "Bug", Labels: []string{"bug", "team/payments"}, Assignees: []string{carol}, Author: carol,
			Created: t("2025-01-09T09:00:00Z"), Updated: t("2025-03-04T10:00:00Z")},
		{Number: 5, Title: "Add vault metrics", PullRequest: true, Author: carol, Created: t("2025-01-10T09:00:00Z"), Updated: t("2025-03-05T10:00:00Z")},
		{Number: 6, Title: "Old settlement report", Type: "Task", State: "closed", Assignees: []string{bob}, Author: bob,
			Created: t("2024-11-01T09:00:00Z"), Updated: t("2025-01-05T10:00:00Z")},
		{Number: 7, Title: "Fraud scoring", Type: "Epic", Labels: []string{"team/payments"}, Author: alice,
			Created: t("2025-02-01T09:00:00Z"), Updated: t("2025-03-06T10:00:00Z")},
		{Number: 8, Title: "Spike: 3-D Secure 2 providers", Labels: []string{"story"}, Assignees: []string{dave}, Author: dave,
			Created: t("2025-02-02T09:00:00Z"), Updated: t("2025-03-07T10:00:00Z")},
	}
	checkout := []GitHubIssue{
		{Number: 10, Title: "One-page checkout", Type: "Feature", Labels: []string{"team/checkout"}, Assignees: []string{bob}, Author: alice, Parent: "acme/payments#1",
			Created: t("2025-01-11T09:00:00Z"), Updated: t("2025-03-08T10:00:00Z")},
		{Number: 11, Title: "Address autocomplete", Type: "Task", Labels: []string{"team/checkout"}, Assignees: []string{bob}, Author: bob, Parent: "acme/checkout#10",
			Created: t("2025-01-12T09:00:00Z"), Updated: t("2025-03-09T10:00:00Z")},
		{Number: 12, Title: "Guest checkout loses basket", Type: "Bug", Labels: []string{"bug", "team/checkout"}, Author: carol,
			Created: t("2025-01-13T09:00:00Z"), Updated: t("2025-03-10T10:00:00Z")},
		{Number: 13, Title: "Bump checkout SDK", PullRequest: true, Author: dave, Created: t("2025-01-14T09:00:00Z"), Updated: t("2025-03-11T10:00:00Z")},
	}
	return GitHubData{
		Repos: []GitHubRepo{
			{Owner: "acme", Name: "payments", ID: 101, Issues: payments},
			{Owner: "acme", Name: "checkout", ID: 102, Issues: checkout},
			{Owner: "acme", Name: "legacy", ID: 103, Archived: true, Issues: []GitHubIssue{
				{Number: 1, Title: "Retire the old gateway", Type: "Task", Author: bob, Created: t("2023-01-01T09:00:00Z"), Updated: t("2023-06-01T10:00:00Z")},
			}},
			{Owner: "acme-labs", Name: "research", ID: 201, Issues: []GitHubIssue{
				{Number: 3, Title: "Evaluate open banking", Type: "Epic", Assignees: []string{carol}, Author: alice,
					Created: t("2025-02-03T09:00:00Z"), Updated: t("2025-03-12T10:00:00Z")},
			}},
		},
		Teams: []GitHubTeam{
			{Org: "acme", Slug: "product-managers", Members: []string{alice}},
			{Org: "acme", Slug: "product-owners", Members: []string{bob}},
		},
		Projects: []GitHubProject{{
			Org: "acme", Number: 7, Title: "Roadmap",
			Items: []GitHubProjectItem{
				{ID: 7001, Issue: "acme/payments#1", Fields: []GitHubFieldValue{
					{Field: "Owner", Kind: FieldUser, Users: []string{alice}},
					{Field: "Level", Kind: FieldSingleSelect, Text: "Strategic"},
					{Field: "Target", Kind: FieldDate, Text: "2026-06-30"},
				}},
				{ID: 7002, Issue: "acme/payments#2", Fields: []GitHubFieldValue{
					{Field: "Owner", Kind: FieldUser, Users: []string{bob}},
					{Field: "Level", Kind: FieldSingleSelect, Text: "Strategic"},
					{Field: "Estimate", Kind: FieldNumber, Number: 13},
				}},
				{ID: 7003, Issue: "acme/checkout#10", Fields: []GitHubFieldValue{
					{Field: "Owner", Kind: FieldUser, Users: []string{alice}},
					{Field: "Sprint", Kind: FieldIteration, Text: "Sprint 12"},
					{Field: "Note", Kind: FieldText, Text: "needs design review"},
				}},
				{ID: 7004, Issue: "acme-labs/research#3", Fields: []GitHubFieldValue{
					{Field: "Level", Kind: FieldSingleSelect, Text: "Strategic"},
				}},
				{ID: 7005, PullRequest: "acme/payments#5"},
				{ID: 7006, Draft: &GitHubDraft{Title: "Explore BNPL partners", Creator: alice, Assignees: []string{alice},
					Created: t("2025-03-01T09:00:00Z"), Updated: t("2025-03-13T10:00:00Z")},
					Fields: []GitHubFieldValue{{Field: "Level", Kind: FieldSingleSelect, Text: "Strategic"}}},
				{ID: 7007, Draft: &GitHubDraft{Title: "Checkout A/B test plan", Creator: bob,
					Created: t("2025-03-02T09:00:00Z"), Updated: t("2025-03-14T10:00:00Z")},
					Fields: []GitHubFieldValue{{Field: "Owner", Kind: FieldUser, Users: []string{carol}}}},
				{ID: 7008, Issue: "acme/payments#6", Archived: true},
			},
		}},
	}
}

// GitHubGenerate builds an organisation "bench" of repos repositories with
// perRepo open issues each (no pull requests): every tenth issue is an Epic,
// the others Tasks whose parent is the Epic before them. Benchmarks use it
// for 10 repos × 1,000 issues.
func GitHubGenerate(repos, perRepo int) GitHubData {
	logins := []string{GitHubAlice, GitHubBob, GitHubCarol, GitHubDave}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var d GitHubData
	for r := 0; r < repos; r++ {
		name := fmt.Sprintf("repo-%02d", r)
		repo := GitHubRepo{Owner: "bench", Name: name, ID: int64(5000 + r)}
		repo.Issues = make([]GitHubIssue, 0, perRepo)
		epic := 0
		for i := 1; i <= perRepo; i++ {
			is := GitHubIssue{
				Number: i, Title: fmt.Sprintf("Issue %d of %s", i, name), Type: "Task",
				Labels: []string{"team/" + name}, Assignees: []string{logins[i%len(logins)]}, Author: logins[(i+1)%len(logins)],
				Created: base.Add(time.Duration(i) * time.Minute), Updated: base.Add(time.Duration(i) * time.Hour),
			}
			if i%10 == 1 {
				is.Type, epic = "Epic", i
			} else {
				is.Parent = fmt.Sprintf("bench/%s#%d", name, epic)
			}
			repo.Issues = append(repo.Issues, is)
		}
		d.Repos = append(d.Repos, repo)
	}
	return d
}
