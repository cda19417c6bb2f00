package jira

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
)

// ImportRoster reads the members of each group in imp.Groups(ImportKey) (group name
// → role) from /rest/api/2/group/member, page by page, and grants them the
// role. Cloud and Data Center (8.x and later) serve the same endpoint with
// startAt/maxResults/isLast paging. Deactivated users are left out by Jira
// (includeInactiveUsers defaults to false).
func (c *Connector) ImportRoster(ctx context.Context, imp config.RosterImport) ([]model.Membership, error) {
	out, err := c.importRoster(ctx, imp)
	return out, c.redactErr(c.explain(ctx, err))
}

func (c *Connector) importRoster(ctx context.Context, imp config.RosterImport) ([]model.Membership, error) {
	groups := make([]string, 0, len(imp.Groups(ImportKey)))
	for g, role := range imp.Groups(ImportKey) {
		if !model.Role(role).Valid() {
			return nil, &connector.ConfigError{Err: fmt.Errorf("roster.import.jira_groups.%s: unknown role %q (want %s or %s)",
				g, role, model.RoleProductOwner, model.RoleProductManager)}
		}
		groups = append(groups, g)
	}
	sort.Strings(groups)
	if len(groups) == 0 {
		return nil, nil
	}
	dep, err := c.Deployment(ctx)
	if err != nil {
		return nil, err
	}
	cloud := dep == DeploymentCloud
	var out []model.Membership
	for _, g := range groups {
		role := model.Role(imp.Groups(ImportKey)[g])
		start := 0
		seen := map[string]bool{}
		for page := 1; ; page++ {
			var res struct {
				StartAt    int        `json:"startAt"`
				MaxResults int        `json:"maxResults"`
				Total      int        `json:"total"`
				IsLast     bool       `json:"isLast"`
				Values     []jiraUser `json:"values"`
			}
			q := url.Values{"groupname": {g}, "startAt": {strconv.Itoa(start)}, "maxResults": {"50"}}
			if err := c.get(ctx, "rest/api/2/group/member", q, &res); err != nil {
				return out, fmt.Errorf("read members of jira group %q: %w", g, err)
			}
			fresh := 0
			for i := range res.Values {
				u := &res.Values[i]
				if id := u.AccountID + "\x00" + u.Name + "\x00" + u.Key; !seen[id] {
					seen[id] = true
					fresh++
				}
				out = append(out, model.Membership{Account: account(u, cloud), Role: role, Origin: "jira group " + g})
			}
			if res.IsLast || (res.Total > 0 && start+len(res.Values) >= res.Total) {
				break
			}
			if len(res.Values) == 0 {
				return out, fmt.Errorf("read members of jira group %q: page %d is empty but not the last; stopping endless pagination", g, page)
			}
			if fresh == 0 {
				return out, fmt.Errorf("read members of jira group %q: page %d repeats only members already read; stopping endless pagination", g, page)
			}
			start += len(res.Values)
		}
	}
	return out, nil
}
