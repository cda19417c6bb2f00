package github

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"

	gh "github.com/google/go-github/v60/github"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
)

// ImportRoster reads the members of each team in imp.Groups(ImportKey) ("org/slug"
// → role) and grants them the role. GitHub's list-team-members endpoint
// (GET /orgs/{org}/teams/{slug}/members) includes the members of child teams,
// so a member of a child team of acme/product-owners gets product-owner too;
// map the child team to another role to override that (internal/app
// applies memberships in config order). Teams are read in sorted order; on an error
// the memberships read so far are returned with it.
func (c *Connector) ImportRoster(ctx context.Context, imp config.RosterImport) ([]model.Membership, error) {
	teams := make([]string, 0, len(imp.Groups(ImportKey)))
	for t := range imp.Groups(ImportKey) {
		teams = append(teams, t)
	}
	sort.Strings(teams)
	var out []model.Membership
	for _, t := range teams {
		role := model.Role(imp.Groups(ImportKey)[t])
		if !role.Valid() {
			return out, &connector.ConfigError{Err: fmt.Errorf("roster.import.github_teams[%q]: %q is not product-owner or product-manager", t, role)}
		}
		org, slug, ok := strings.Cut(t, "/")
		if !ok || org == "" || slug == "" || strings.Contains(slug, "/") {
			return out, &connector.ConfigError{Err: fmt.Errorf("roster.import.github_teams: %q is not org/team-slug", t)}
		}
		next := c.c.absolute(fmt.Sprintf("orgs/%s/teams/%s/members?per_page=%d&page=1", url.PathEscape(org), url.PathEscape(slug), perPage))
		guard := newLoopGuard(next)
		for page := 1; next != ""; page++ {
			// getJSON, not Teams.ListTeamMembersBySlug: a null or empty
			// page must fail, not pass as a page without members.
			var users []*gh.User
			resp, err := c.c.getJSON(ctx, next, &users)
			if err != nil {
				return out, c.c.secrets.redact(fmt.Errorf("list members of github team %s: %w", t, c.c.explain(err, accessTeam)))
			}
			keys := make([]string, len(users))
			for i, u := range users {
				keys[i] = u.GetLogin()
			}
			cur := next
			next = parseLinks(resp).next
			if err := guard.chain(keys, cur, next); err != nil {
				return out, c.c.secrets.redact(fmt.Errorf("list members of github team %s (page %d): %w", t, page, err))
			}
			for _, u := range users {
				out = append(out, model.Membership{
					Account: model.Account{Tracker: model.TrackerGitHub, Login: u.GetLogin()},
					Role:    role,
					Origin:  "github team " + t,
				})
			}
		}
	}
	return out, nil
}
