package github

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/model"
)

// KindName is the kind: of a GitHub source and the tracker of its items.
const KindName = "github"

// ImportKey is the key of roster.import that maps teams ("org/team-slug")
// to roles.
const ImportKey = "github_teams"

// Source is the github: block of a kind: github source.
type Source struct {
	// BaseURL is the REST root: https://api.github.com/ or, for GitHub
	// Enterprise Server, https://HOST/api/v3/.
	BaseURL string `yaml:"base_url,omitempty"`
	// GraphQLURL defaults to https://api.github.com/graphql, or
	// https://HOST/api/graphql for a GHES BaseURL.
	GraphQLURL string `yaml:"graphql_url,omitempty"`
	// TokenEnv names the environment variable holding the token
	// (default GITHUB_TOKEN). The token itself is never in the file.
	TokenEnv string    `yaml:"token_env,omitempty"`
	App      *App      `yaml:"app,omitempty"`
	Repos    []string  `yaml:"repos,omitempty"`
	Orgs     []string  `yaml:"orgs,omitempty"`
	Projects []Project `yaml:"projects,omitempty"`
	// State is open (default), closed or all.
	State           string `yaml:"state,omitempty"`
	IncludeArchived bool   `yaml:"include_archived,omitempty"`
	// Concurrency bounds the requests in flight (default 8, well under
	// GitHub's limit of 100 concurrent requests; 1 reads serially).
	Concurrency int `yaml:"concurrency,omitempty"`
}

// App configures GitHub App installation auth instead of a token.
type App struct {
	AppID          int64  `yaml:"app_id"`
	InstallationID int64  `yaml:"installation_id"`
	PrivateKeyEnv  string `yaml:"private_key_env,omitempty"`
	PrivateKeyFile string `yaml:"private_key_file,omitempty"`
}

// Project is a GitHub Projects v2 board.
type Project struct {
	Org    string `yaml:"org,omitempty"`
	User   string `yaml:"user,omitempty"`
	Number int    `yaml:"number"`
}

// Block returns the github: block of src (nil when it has none).
func Block(src config.Source) *Source { return config.BlockOf[Source](src) }

var (
	repoPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$`)
	teamPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$`)
)

// Kind is kind: github — GitHub issues and Projects v2; accounts are
// logins, teams match repositories.
var Kind = config.SourceKind{
	Name:     KindName,
	NewBlock: func() any { return &Source{} },
	Defaults: func(s *config.Source) {
		g := Block(*s)
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
	URLs: func(s *config.Source) []config.KeyValue {
		g := Block(*s)
		return []config.KeyValue{{Key: "base_url", Value: g.BaseURL}, {Key: "graphql_url", Value: g.GraphQLURL}}
	},
	Validate: func(_ *config.Config, s *config.Source, key string, r config.Reporter) {
		validate(Block(*s), key, r)
	},
	LintsClosed: func(s *config.Source) bool {
		st := Block(*s).State
		return st == "closed" || st == "all"
	},
	Tracker:        model.Tracker(KindName),
	Scopes:         []model.Scope{model.ScopeRepos},
	ImportKey:      ImportKey,
	ValidateImport: validateTeams,
	MatchValue: func(_ model.Scope, v string) error {
		if !repoPattern.MatchString(v) {
			return fmt.Errorf("%q is not a repository (want owner/name)", v)
		}
		return nil
	},
}

func validate(g *Source, key string, r config.Reporter) {
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
	config.CheckURL(g.BaseURL, key+".base_url", r)
	if g.GraphQLURL != "" {
		config.CheckURL(g.GraphQLURL, key+".graphql_url", r)
	}
	if g.TokenEnv != "" && !config.IsEnvName(g.TokenEnv) {
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

// validateTeams checks roster.import.github_teams (at key): org/team-slug
// keys mapped to known roles.
func validateTeams(teams map[string]string, key string, r config.Reporter) {
	for _, k := range slices.Sorted(maps.Keys(teams)) {
		if !teamPattern.MatchString(k) {
			r.Add(key+"."+k, "%q is not a team (want org/team-slug)", k)
		}
		if !config.ValidRole(teams[k]) {
			r.Add(key+"."+k, "unknown role %q (want product-owner or product-manager)", teams[k])
		}
	}
}
