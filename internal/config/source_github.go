package config

import (
	"fmt"
	"strings"

	"github.com/pomlint/pomlint/internal/model"
)

// GitHubKind is kind: github — GitHub issues and Projects v2; accounts are
// logins, teams match repositories.
var GitHubKind = SourceKind{
	Name:  KindGitHub,
	Block: func(s *Source) bool { return s.GitHub != nil },
	Defaults: func(s *Source) {
		g := s.GitHub
		if g.BaseURL == "" {
			g.BaseURL = "https://api.github.com/"
		}
		if g.TokenEnv == "" && g.App == nil {
			g.TokenEnv = "GITHUB_TOKEN"
		}
		if g.State == "" {
			g.State = "open"
		}
	},
	URLs: func(s *Source) []KeyValue {
		return []KeyValue{{"base_url", s.GitHub.BaseURL}, {"graphql_url", s.GitHub.GraphQLURL}}
	},
	WantsImport: func(imp *RosterImport) bool { return len(imp.GitHubTeams) > 0 },
	Validate: func(_ *Config, s *Source, key string, r Reporter) {
		validateGitHub(s.GitHub, key, r)
	},
	Tracker:        model.Tracker(KindGitHub),
	Scopes:         []model.Scope{model.ScopeRepos},
	ValidateImport: validateGitHubTeams,
	MatchValue: func(_ model.Scope, v string) error {
		if !repoPattern.MatchString(v) {
			return fmt.Errorf("%q is not a repository (want owner/name)", v)
		}
		return nil
	},
}

func validateGitHub(g *GitHubSource, key string, r Reporter) {
	if len(g.Repos) == 0 && len(g.Orgs) == 0 && len(g.Projects) == 0 {
		r.Add(key, "a github source needs repos, orgs or projects")
	}
	for i, repo := range g.Repos {
		if !repoPattern.MatchString(repo) {
			r.Add(fmt.Sprintf("%s.repos[%d]", key, i), "%q is not a repository (want owner/name)", repo)
		}
	}
	for i, o := range g.Orgs {
		if o == "" || strings.Contains(o, "/") {
			r.Add(fmt.Sprintf("%s.orgs[%d]", key, i), "%q is not an organisation login", o)
		}
	}
	for i, p := range g.Projects {
		k := fmt.Sprintf("%s.projects[%d]", key, i)
		if (p.Org == "") == (p.User == "") {
			r.Add(k, "a project needs exactly one of org or user")
		}
		if p.Number <= 0 {
			r.Add(k+".number", "a project needs its number (the N in /orgs/ORG/projects/N)")
		}
	}
	checkURL(g.BaseURL, key+".base_url", r)
	if g.GraphQLURL != "" {
		checkURL(g.GraphQLURL, key+".graphql_url", r)
	}
	if g.TokenEnv != "" && !envPattern.MatchString(g.TokenEnv) {
		r.Add(key+".token_env", "%q is not an environment variable name; put the token in a variable and name the variable here", g.TokenEnv)
	}
	switch g.State {
	case "open", "closed", "all":
	default:
		r.Add(key+".state", "unknown state %q (want open, closed or all)", g.State)
	}
	if g.Concurrency < 0 || g.Concurrency > 16 {
		r.Add(key+".concurrency", "%d is out of range (1-16; GitHub discourages more parallel requests)", g.Concurrency)
	}
	if a := g.App; a != nil {
		if a.AppID <= 0 {
			r.Add(key+".app.app_id", "a GitHub App needs its app_id")
		}
		if a.InstallationID <= 0 {
			r.Add(key+".app.installation_id", "a GitHub App needs its installation_id")
		}
		if (a.PrivateKeyEnv == "") == (a.PrivateKeyFile == "") {
			r.Add(key+".app", "a GitHub App needs exactly one of private_key_env or private_key_file")
		}
	}
}

// validateGitHubTeams checks roster.import.github_teams: org/team-slug keys
// mapped to known roles.
func validateGitHubTeams(imp *RosterImport, r Reporter) {
	for _, k := range sortedKeys(imp.GitHubTeams) {
		if !teamPattern.MatchString(k) {
			r.Add("roster.import.github_teams."+k, "%q is not a team (want org/team-slug)", k)
		}
		if !validRole(imp.GitHubTeams[k]) {
			r.Add("roster.import.github_teams."+k, "unknown role %q (want product-owner or product-manager)", imp.GitHubTeams[k])
		}
	}
}
