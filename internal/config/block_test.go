package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector/github"
	"github.com/pomlint/pomlint/internal/model"
)

// TestBlockProblems pins the messages about source blocks, which the kinds
// now decode and check: the texts and lines are those the loader gave when
// the blocks were fields of config.Source.
func TestBlockProblems(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"should name an unknown key in a block, an unknown key beside it and a block of another kind",
			"sources:\n  - name: gh\n    kind: github\n    github: {repos: [acme/x], bogus: 1}\n    jira: {url: x}\n    extra: 2\n",
			[]string{
				`c.yaml:4: sources[0].github.bogus: unknown key "bogus"; known keys here: app, base_url, concurrency, graphql_url, include_archived, orgs, projects, repos, state, token_env`,
				`c.yaml:5: sources[0].jira: a "jira" block does not belong in a github source`,
				`c.yaml:6: sources[0].extra: unknown key "extra"; known keys here: file, github, jira, kind, name`,
			}},
		{"should refuse a block of the wrong shape", "sources:\n  - name: gh\n    kind: github\n    github: [1]\n",
			[]string{`c.yaml:4: sources[0].github: expected a mapping (key: value), got a list`}},
		{"should take an empty block for none", "sources:\n  - name: gh\n    kind: github\n    github:\n",
			[]string{`c.yaml:2: sources[0]: a github source needs a "github" block`}},
		{"should refuse a kind and a block no kind registers", "sources:\n  - name: gh\n    kind: gitlab\n    gitlab: {}\n",
			[]string{
				`c.yaml:3: sources[0].kind: unknown kind "gitlab" (want github, jira or file)`,
				`c.yaml:4: sources[0].gitlab: unknown key "gitlab" (did you mean "github"?); known keys here: file, github, jira, kind, name`,
			}},
		{"should validate each kind's block and roster import through the kind",
			"sources:\n  - name: gh\n    kind: jira\n    jira: {url: 'http://jira.example', jql: x, deployment: nope, concurrency: 99}\n    file: {path: nope}\nroster:\n  import: {github_teams: {bad: boss}, jira_groups: {g: x}}\n",
			[]string{
				`c.yaml:4: sources[0].jira.concurrency: 99 is out of range (1-16)`,
				`c.yaml:4: sources[0].jira.deployment: unknown deployment "nope" (want cloud or datacenter, or leave it out to detect it)`,
				`c.yaml:5: sources[0].file: a "file" block does not belong in a jira source`,
				`c.yaml:7: roster.import.github_teams.bad: "bad" is not a team (want org/team-slug)`,
				`c.yaml:7: roster.import.github_teams.bad: unknown role "boss" (want product-owner or product-manager)`,
				`c.yaml:7: roster.import.jira_groups.g: unknown role "x" (want product-owner or product-manager)`,
			}},
		{"should take roster.import's keys from the kinds",
			"sources: [{name: f, kind: file, file: {path: c.yaml}}]\nroster:\n  import: {github_team: {a/b: product-owner}, jira_groups: [x]}\n",
			[]string{
				`c.yaml:3: roster.import.github_team: unknown key "github_team" (did you mean "github_teams"?); known keys here: github_teams, jira_groups`,
				`c.yaml:3: roster.import.jira_groups: expected a mapping, got a list`,
			}},
		{"should check a file block and a github block in one pass",
			"sources:\n  - name: f\n    kind: file\n    file: {path: missing.json}\n  - {name: g, kind: github, github: {repos: [a/b], app: {app_id: 0}, token_env: 'a b', state: x, base_url: 'ftp://x'}}\n",
			[]string{
				`c.yaml:4: sources[0].file.path: cannot read missing.json: no such file or directory`,
				`c.yaml:5: sources[1].github.app: a GitHub App needs exactly one of private_key_env or private_key_file`,
				`c.yaml:5: sources[1].github.app.app_id: a GitHub App needs its app_id`,
				`c.yaml:5: sources[1].github.app.installation_id: a GitHub App needs its installation_id`,
				`c.yaml:5: sources[1].github.base_url: "ftp://x" is not an http(s) URL`,
				`c.yaml:5: sources[1].github.state: unknown state "x" (want open, closed or all)`,
				`c.yaml:5: sources[1].github.token_env: "a b" is not an environment variable name; put the token in a variable and name the variable here`,
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "c.yaml")
			if err := os.WriteFile(p, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := config.Load(p, testKinds, nil)
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Load error = %v, want a *config.Error", err)
			}
			var got []string
			for _, pr := range ce.Problems {
				got = append(got, strings.TrimPrefix(pr.String(), dir+string(filepath.Separator)))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// lab is the block of a tracker this package has never heard of.
type lab struct {
	URL      string   `yaml:"url"`
	Projects []string `yaml:"projects"`
	TokenEnv string   `yaml:"token_env,omitempty"`
}

// labKind is a whole tracker's config, written outside internal/config.
var labKind = config.SourceKind{
	Name:     "gitlab",
	NewBlock: func() any { return &lab{} },
	Defaults: func(s *config.Source) {
		if b := s.Block.(*lab); b.TokenEnv == "" {
			b.TokenEnv = "GITLAB_TOKEN"
		}
	},
	Validate: func(_ *config.Config, s *config.Source, key string, r config.Reporter) {
		if len(s.Block.(*lab).Projects) == 0 {
			r.Add(key+".projects", "a gitlab source needs projects")
		}
	},
	URLs: func(s *config.Source) []config.KeyValue {
		return []config.KeyValue{{Key: "url", Value: s.Block.(*lab).URL}}
	},
	Tracker:   "gitlab",
	Scopes:    []model.Scope{model.ScopeProjects},
	ImportKey: "gitlab_groups",
}

func TestKindsOwnTheirBlocks(t *testing.T) {
	kinds := append(config.Kinds{labKind}, testKinds...)
	const base = "sources:\n  - name: lab\n    kind: gitlab\n    gitlab: {url: 'http://gitlab.acme.example', projects: [acme/pay]}\n" +
		"roster:\n  people:\n    - {id: ann, roles: [product-owner], accounts: {gitlab: ann}}\n" +
		"  teams:\n    - {name: pay, product_owner: ann, match: {gitlab_projects: [acme/pay]}}\n" +
		"  import: {gitlab_groups: {pay-owners: product-owner}}\n"
	t.Run("should load a kind registered outside the package: its block, defaults, accounts, team scopes and URLs", func(t *testing.T) {
		cfg, err := config.Load(write(t, base), kinds, nil)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		b, ok := cfg.Sources[0].Block.(*lab)
		if !ok || b.TokenEnv != "GITLAB_TOKEN" || b.Projects[0] != "acme/pay" {
			t.Fatalf("block = %#v, want the decoded block with its default", cfg.Sources[0].Block)
		}
		if w := cfg.InsecureURLs(); len(w) != 1 || w[0].Key != "sources[0].gitlab.url" {
			t.Fatalf("InsecureURLs = %v", w)
		}
		if !labKind.WantsImport(cfg.Roster.Import) || cfg.Roster.Import.Groups("gitlab_groups")["pay-owners"] != "product-owner" {
			t.Fatalf("roster.import = %v, want the gitlab groups", cfg.Roster.Import)
		}
	})
	t.Run("should check the block against the kind's shape and validate it through the kind", func(t *testing.T) {
		_, err := config.Load(write(t, strings.Replace(base, "projects: [acme/pay]}", "projekts: [acme/pay]}", 1)), kinds, nil)
		for _, w := range []string{`sources[0].gitlab.projekts: unknown key "projekts" (did you mean "projects"?); known keys here: projects, token_env, url`, "sources[0].gitlab.projects: a gitlab source needs projects"} {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("Load error = %v, want %q", err, w)
			}
		}
	})
	t.Run("should know no kind Load is not given", func(t *testing.T) {
		_, err := config.Load(write(t, base), testKinds, nil)
		if err == nil || !strings.Contains(err.Error(), `unknown kind "gitlab" (want github, jira or file)`) {
			t.Fatalf("Load error = %v", err)
		}
	})
}

// TestSourceYAML checks that a source writes back as configured (the PR
// preview compares sources key by key).
func TestSourceYAML(t *testing.T) {
	s := config.Source{Name: "gh", Kind: github.KindName, Block: &github.Source{TokenEnv: "X", Repos: []string{"a/b"}}}
	out, err := s.MarshalYAML()
	if err != nil {
		t.Fatal(err)
	}
	m := out.(map[string]any)
	if m["name"] != "gh" || m["kind"] != "github" || m["github"].(*github.Source).TokenEnv != "X" {
		t.Fatalf("MarshalYAML = %#v", out)
	}
}

func TestLintsClosed(t *testing.T) {
	for _, tc := range []struct {
		name, state string
		want        bool
	}{
		{"should lint a github source's closed items when it reads all", "all", true},
		{"should lint a github source's closed items when it reads closed ones", "closed", true},
		{"should read closed items as parents only by default", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := validYAML
			if tc.state != "" {
				body = strings.Replace(body, "repos: [acme/payments]\n", "repos: [acme/payments]\n      state: "+tc.state+"\n", 1)
			}
			cfg, err := config.Load(write(t, body), testKinds, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.LintsClosed(); got["gh"] != tc.want || got["snap"] {
				t.Fatalf("LintsClosed = %v, want gh: %v", got, tc.want)
			}
		})
	}
}
