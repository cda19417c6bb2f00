package config_test

import (
	"errors"
	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector/file"
	"github.com/pomlint/pomlint/internal/connector/github"
	"github.com/pomlint/pomlint/internal/connector/jira"
	"reflect"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/model"
)

func TestTrackerKeyedRoster(t *testing.T) {
	tests := []struct {
		name      string
		from, to  string
		wantError string // "" for a valid config
	}{
		{name: "should accept the accounts and team keys users write today",
			from: "match: {github_repos: [acme/payments]}", to: "match: {jira_projects: [PAY], jira_components: [API], github_repos: [acme/payments], labels: [team/pay]}"},
		{name: "should refuse an account kind no tracker registers",
			from: "accounts: {github: alice-c}", to: "accounts: {gitlab: alice-c}", wantError: `roster.people[0].accounts.gitlab: unknown account kind "gitlab" (want github, jira or email)`},
		{name: "should refuse a team match key no tracker registers",
			from: "match: {github_repos: [acme/payments]}", to: "match: {github_projects: [PAY]}", wantError: `roster.teams[0].match.github_projects: unknown team match "github_projects"`},
		{name: "should check a repository through its tracker",
			from: "match: {github_repos: [acme/payments]}", to: "match: {github_repos: [payments]}", wantError: `roster.teams[0].match.github_repos[0]: "payments" is not a repository (want owner/name)`},
		{name: "should refuse an account another person holds, whatever the case",
			from: "accounts: {github: alice-c}", to: "accounts: {github: Bob-O}", wantError: `roster.people[1].accounts.github: github account "bob-o" also belongs to alice`},
		{name: "should refuse an unknown kind, listing the registered ones",
			from: "kind: file", to: "kind: gitlab", wantError: `unknown kind "gitlab" (want github, jira or file)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := strings.Replace(validYAML, tc.from, tc.to, 1)
			if body == validYAML {
				t.Fatalf("%q is not in the base config", tc.from)
			}
			_, err := config.Load(write(t, body), testKinds, nil)
			if tc.wantError == "" {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				return
			}
			var ce *config.Error
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.wantError) {
				t.Fatalf("Load error = %v, want it to contain %q", err, tc.wantError)
			}
		})
	}
}

func TestTeamMatchModel(t *testing.T) {
	m := config.TeamMatch{"jira_projects": {"PAY"}, "jira_components": {"API"}, "github_repos": {"acme/payments"}, "labels": {"team/pay"}}
	want := model.TeamMatch{Scopes: map[model.Tracker]map[model.Scope][]string{
		"jira":   {model.ScopeProjects: {"PAY"}, model.ScopeComponents: {"API"}},
		"github": {model.ScopeRepos: {"acme/payments"}},
	}, Labels: []string{"team/pay"}}
	if got := m.Model(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Model() = %+v, want %+v", got, want)
	}
	if got := (config.Accounts{"github": "a", "email": "a@x", "jira": ""}).Model(); !reflect.DeepEqual(got, model.Accounts{"github": "a", "email": "a@x"}) {
		t.Fatalf("Accounts.Model() = %v", got)
	}
}

// testKinds are the kinds pomlint ships (cli.DefaultKinds), for the tests
// of this package.
var testKinds = config.Kinds{github.Kind, jira.Kind, file.Kind}
