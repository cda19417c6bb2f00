package classify

import (
	"testing"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/model"
)

func testConfig() *config.Config {
	t := true
	return &config.Config{
		Classification: config.Classification{
			Strategic:    config.LevelMatch{Types: []string{"Epic", "Initiative"}, Labels: []string{"roadmap"}, ProjectFieldValues: []string{"Roadmap"}},
			Tactical:     config.LevelMatch{Types: []string{"Story", "Bug"}, Labels: []string{"bug"}, ProjectFieldValues: []string{"Backlog"}},
			Hierarchy:    &t,
			ProjectField: "Horizon",
		},
		Ownership: config.Ownership{From: []string{"field:Product Owner", "label:owner/", "project-field:Owner", "assignee", "reporter"}},
	}
}

func testRoster() *model.Roster {
	return model.NewRoster([]model.Person{
		{ID: "alice", Name: "Alice Chen", Roles: []model.Role{model.RoleProductManager}, Accounts: model.Accounts{model.TrackerGitHub: "alice-c", model.TrackerJira: "acc-alice", model.AccountEmail: "alice@acme.example"}},
		{ID: "bob", Roles: []model.Role{model.RoleProductOwner}, Accounts: model.Accounts{model.TrackerGitHub: "bob-o", model.TrackerJira: "bob"}},
	}, []model.Team{
		{Name: "payments", Match: model.TeamMatch{Scopes: map[model.Tracker]map[model.Scope][]string{model.TrackerJira: {model.ScopeProjects: {"PAY"}}, model.TrackerGitHub: {model.ScopeRepos: {"acme/payments"}}}}},
		{Name: "api", Match: model.TeamMatch{Scopes: map[model.Tracker]map[model.Scope][]string{model.TrackerJira: {model.ScopeComponents: {"API"}}}}},
		{Name: "growth", Match: model.TeamMatch{Labels: []string{"team/growth"}}},
	})
}

func intp(i int) *int { return &i }

func TestLevel(t *testing.T) {
	c := New(testConfig(), testRoster())
	for _, tc := range []struct {
		name string
		it   model.Item
		want model.Level
	}{
		{"should classify by type first", model.Item{Type: "Epic", Labels: []string{"bug"}, HierarchyLevel: intp(0)}, model.LevelStrategic},
		{"should match types case-insensitively", model.Item{Type: "story"}, model.LevelTactical},
		{"should use the hierarchy level when the type is unlisted", model.Item{Type: "Feature", HierarchyLevel: intp(1)}, model.LevelStrategic},
		{"should treat sub-task hierarchy as tactical", model.Item{Type: "Subtask", HierarchyLevel: intp(-1)}, model.LevelTactical},
		{"should fall back to labels", model.Item{Labels: []string{"Roadmap"}}, model.LevelStrategic},
		{"should prefer strategic labels over tactical ones", model.Item{Labels: []string{"bug", "roadmap"}}, model.LevelStrategic},
		{"should fall back to the project field", model.Item{ProjectFields: map[string]model.FieldValue{"Horizon": {Text: "Backlog"}}}, model.LevelTactical},
		{"should be unknown when nothing matches", model.Item{Type: "Question", Labels: []string{"help"}}, model.LevelUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, why := c.Level(&tc.it); got != tc.want {
				t.Fatalf("Level = %s (%s), want %s", got, why, tc.want)
			}
		})
	}
}

func TestOwner(t *testing.T) {
	c := New(testConfig(), testRoster())
	gh := func(login string) model.Account { return model.Account{Tracker: model.TrackerGitHub, Login: login} }
	for _, tc := range []struct {
		name       string
		it         model.Item
		wantVia    string
		wantPerson string
		wantLogin  string
	}{
		{"should prefer the owner field", model.Item{Tracker: model.TrackerJira,
			Fields:    map[string]model.FieldValue{"Product Owner": {Users: []model.Account{{Tracker: model.TrackerJira, Login: "acc-alice"}}}},
			Assignees: []model.Account{{Tracker: model.TrackerJira, Login: "bob"}}}, "field:Product Owner", "alice", "acc-alice"},
		{"should match field names case-insensitively", model.Item{Tracker: model.TrackerJira,
			Fields: map[string]model.FieldValue{"product owner": {Users: []model.Account{{Tracker: model.TrackerJira, Login: "bob"}}}}}, "field:Product Owner", "bob", "bob"},
		{"should skip an empty field", model.Item{Tracker: model.TrackerGitHub,
			Fields: map[string]model.FieldValue{"Product Owner": {}}, Assignees: []model.Account{gh("bob-o")}}, "assignee", "bob", "bob-o"},
		{"should read an owner/ label", model.Item{Tracker: model.TrackerGitHub, Labels: []string{"bug", "owner/alice"}, Assignees: []model.Account{gh("bob-o")}}, "label:owner/", "alice", "alice"},
		{"should match a project field by full name", model.Item{Tracker: model.TrackerGitHub,
			ProjectFields: map[string]model.FieldValue{"Owner": {Text: "Alice Chen"}}}, "project-field:Owner", "alice", "Alice Chen"},
		{"should match an account by email across trackers", model.Item{Tracker: model.TrackerJira,
			Assignees: []model.Account{{Tracker: model.TrackerJira, Login: "unknown-id", Email: "Alice@Acme.example"}}}, "assignee", "alice", "unknown-id"},
		{"should keep an owner outside the roster", model.Item{Tracker: model.TrackerGitHub, Assignees: []model.Account{gh("dev-dana")}}, "assignee", "", "dev-dana"},
		{"should fall back to the reporter", model.Item{Tracker: model.TrackerGitHub, Reporter: &model.Account{Tracker: model.TrackerGitHub, Login: "alice-c"}}, "reporter", "alice", "alice-c"},
		{"should not match a GitHub login on a Jira account", model.Item{Tracker: model.TrackerJira, Assignees: []model.Account{{Tracker: model.TrackerJira, Login: "alice-c"}}}, "assignee", "", "alice-c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := c.Owner(&tc.it)
			if o == nil {
				t.Fatal("Owner = nil")
			}
			if o.Via != tc.wantVia || o.PersonID != tc.wantPerson || o.Account.Login != tc.wantLogin {
				t.Fatalf("Owner = %+v, want via %s person %q login %s", o, tc.wantVia, tc.wantPerson, tc.wantLogin)
			}
		})
	}
	t.Run("should return nil when no source yields anyone", func(t *testing.T) {
		if o := c.Owner(&model.Item{Labels: []string{"owner/"}}); o != nil {
			t.Fatalf("Owner = %+v", o)
		}
	})
}

func TestTeam(t *testing.T) {
	c := New(testConfig(), testRoster())
	for _, tc := range []struct {
		name string
		it   model.Item
		want string
	}{
		{"should match a jira project", model.Item{Project: "PAY"}, "payments"},
		{"should prefer a component over the project", model.Item{Project: "PAY", Components: []string{"api"}}, "api"},
		{"should prefer a label over the repo", model.Item{Repo: "acme/payments", Labels: []string{"team/growth"}}, "growth"},
		{"should match a repo case-insensitively", model.Item{Repo: "Acme/Payments"}, "payments"},
		{"should find no team", model.Item{Repo: "acme/other"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := c.Team(&tc.it); got != tc.want {
				t.Fatalf("Team = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMergeMemberships(t *testing.T) {
	r := testRoster()
	merged := MergeMemberships(r, []model.Membership{
		{Account: model.Account{Tracker: model.TrackerGitHub, Login: "alice-c"}, Role: model.RoleProductOwner},
		{Account: model.Account{Tracker: model.TrackerGitHub, Login: "zed"}, Role: model.RoleProductManager},
		{Account: model.Account{Tracker: model.TrackerGitHub, Login: "zed"}, Role: model.RoleProductOwner},
	})
	if p := merged.Person("alice"); !p.HasRole(model.RoleProductOwner) || !p.HasRole(model.RoleProductManager) {
		t.Errorf("alice roles = %v, want both", p.Roles)
	}
	if r.Person("alice").HasRole(model.RoleProductOwner) {
		t.Error("MergeMemberships changed the original roster")
	}
	z := merged.Lookup(model.Account{Tracker: model.TrackerGitHub, Login: "zed"})
	if z == nil || z.ID != "github:zed" || len(z.Roles) != 2 {
		t.Fatalf("imported person = %+v", z)
	}
}

func TestTeamByTracker(t *testing.T) {
	roster := model.NewRoster(nil, []model.Team{
		{Name: "pay-jira", Match: model.TeamMatch{Scopes: map[model.Tracker]map[model.Scope][]string{model.TrackerJira: {model.ScopeProjects: {"PAY"}}}}},
		{Name: "pay-gitlab", Match: model.TeamMatch{Scopes: map[model.Tracker]map[model.Scope][]string{"gitlab": {model.ScopeProjects: {"PAY"}}}}},
	})
	c := New(testConfig(), roster)
	for _, tc := range []struct {
		name, want, why string
		it              model.Item
	}{
		{name: "should match a project on the item's own tracker", it: model.Item{Tracker: model.TrackerJira, Project: "PAY"}, want: "pay-jira", why: "jira project PAY"},
		{name: "should match a new tracker's scope with no code for it", it: model.Item{Tracker: "gitlab", Project: "pay"}, want: "pay-gitlab", why: "gitlab project pay"},
		{name: "should not match another tracker's project of the same name", it: model.Item{Tracker: model.TrackerGitHub, Project: "PAY"}, want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, why := c.Team(&tc.it)
			if got != tc.want || (tc.why != "" && why != tc.why) {
				t.Fatalf("Team = %q (%s), want %q (%s)", got, why, tc.want, tc.why)
			}
		})
	}
}
