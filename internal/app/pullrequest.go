package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/connector/github"
	"github.com/pomlint/pomlint/internal/connector/jira"
	"github.com/pomlint/pomlint/internal/drift"
	"github.com/pomlint/pomlint/internal/model"
)

// PullRequest names one pull request: owner/repo and number.
type PullRequest struct {
	Repo   string
	Number int
}

func (p PullRequest) String() string { return fmt.Sprintf("%s#%d", p.Repo, p.Number) }

// PRClient builds the GitHub pull request client: auth and base URL from
// the config's first github source when there is one (token_env, app),
// else $GITHUB_TOKEN on api.github.com; apiURL overrides the base URL.
// It never uses the HTTP cache, so a comment just written is read back.
func (a *App) PRClient(l *Loaded, apiURL string) (*github.PRClient, error) {
	src := config.Source{Name: "github", Kind: github.KindName, Block: &github.Source{}}
	dir := ""
	if l != nil {
		dir = l.Config.Dir
		for _, s := range l.Config.Sources {
			if s.Kind == github.KindName && github.Block(s) != nil {
				gs := *github.Block(s)
				src = config.Source{Name: s.Name, Kind: s.Kind, Block: &gs}
				break
			}
		}
	}
	if apiURL != "" {
		github.Block(src).BaseURL = apiURL
	}
	env := connector.Env{
		HTTP: connector.HTTPOptions{
			Transport: a.Transport,
			Clock:     a.Clock,
			Source:    src.Name,
			Notify:    a.Notify,
		},
		Getenv:    a.Getenv,
		ConfigDir: dir,
		Notify:    a.Notify,
	}
	c, err := github.NewPRClient(src, env)
	if err != nil {
		return nil, usageError("talk to GitHub about the pull request (token and API URL from the config's first github source, else GITHUB_TOKEN and --api-url): %v", err)
	}
	return c, nil
}

// LinkedKeys reads pull request pr and returns the item keys it references
// (title, body, commit messages, branch name). Jira keys are accepted only
// for projects the config or the data (base, head; either may be nil) know.
func (a *App) LinkedKeys(ctx context.Context, c *github.PRClient, pr PullRequest, l *Loaded, base, head *model.Snapshot) ([]string, error) {
	text, err := a.ReadPullRequest(ctx, c, pr)
	if err != nil {
		return nil, err
	}
	return a.KeysOf(text, l, base, head), nil
}

// PRText is what a pull request says that may reference items, read once
// by ReadPullRequest, so that the keys can be picked out later (KeysOf),
// when the data is there.
type PRText struct {
	pr      PullRequest
	text    drift.PullRequest
	webHost string
}

// ReadPullRequest reads pull request pr's title, body, branch name and
// commit messages.
func (a *App) ReadPullRequest(ctx context.Context, c *github.PRClient, pr PullRequest) (*PRText, error) {
	p, err := c.PullRequest(ctx, pr.Repo, pr.Number)
	if err != nil {
		return nil, incomplete(err)
	}
	commits, err := c.CommitMessages(ctx, pr.Repo, pr.Number)
	if err != nil {
		return nil, incomplete(err)
	}
	t := &PRText{pr: pr}
	// Issue URLs count on the pull request's own web host (github.com or a
	// GitHub Enterprise Server) and the config's GitHub hosts.
	if u, err := url.Parse(p.HTMLURL); err == nil && u.Host != "" {
		t.webHost = u.Host
	}
	prRepo := p.BaseRepo
	if prRepo == "" {
		prRepo = pr.Repo
	}
	t.text = drift.PullRequest{Repo: prRepo, Title: p.Title, Body: p.Body, Branch: p.HeadRef, Commits: commits}
	return t, nil
}

// KeysOf returns the item keys pull request text t references. Jira keys
// are accepted only for projects the config or the data (base, head;
// either may be nil) know.
func (a *App) KeysOf(t *PRText, l *Loaded, base, head *model.Snapshot) []string {
	jql, teams, hosts := linkHints(l)
	if t.webHost != "" {
		hosts = append([]string{t.webHost}, hosts...)
	}
	var items []model.Item
	for _, s := range []*model.Snapshot{base, head} {
		if s != nil {
			items = append(items, s.Items...)
		}
	}
	refs := drift.Linked(t.text, drift.LinkOptions{JiraProjects: drift.JiraProjects(jql, teams, items), GitHubHosts: hosts})
	keys := drift.Keys(refs)
	a.Log.Info().Str("pr", t.pr.String()).Strs("items", keys).Msg("items the pull request references")
	return keys
}

// linkHints are what the config says about the keys a pull request may
// reference: the Jira sources' JQL, the teams' Jira projects, and the
// GitHub Enterprise hosts.
func linkHints(l *Loaded) (jql, teams, hosts []string) {
	if l == nil {
		return nil, nil, nil
	}
	for _, s := range l.Config.Sources {
		if jira.Block(s) != nil {
			jql = append(jql, jira.Block(s).JQL)
		}
		if github.Block(s) != nil && github.Block(s).BaseURL != "" {
			if u, err := url.Parse(github.Block(s).BaseURL); err == nil && u.Host != "" && u.Host != "api.github.com" {
				hosts = append(hosts, u.Host, strings.TrimPrefix(u.Host, "api."))
			}
		}
	}
	for _, t := range l.Config.Roster.Teams {
		teams = append(teams, t.Match["jira_projects"]...)
	}
	return jql, teams, hosts
}
