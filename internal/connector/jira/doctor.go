package jira

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/markdown"
)

var _ connector.Checker = (*Connector)(nil)

// Check diagnoses the source for pomlint doctor. The deployment is decided
// from the config first (deployment, else an *.atlassian.net URL or an
// account email in email_env's variable means Cloud) and then confirmed by serverInfo read
// WITH the credentials, never anonymously. It reads who the credentials
// belong to (GET /rest/api/2/myself), the projects the JQL names, the
// roster-import groups, every configured custom field by name, and has Jira
// parse the JQL (Cloud: POST /rest/api/2/jql/parse?validation=strict; Data
// Center: a search for no issues), showing an error under the JQL as
// written. A site that cannot be reached ends the checks at once.
//
// Jira API docs: https://developer.atlassian.com/cloud/jira/platform/rest/v2/api-group-myself/,
// https://developer.atlassian.com/cloud/jira/platform/rest/v2/api-group-jql/#api-rest-api-2-jql-parse-post
func (c *Connector) Check(ctx context.Context, req connector.CheckRequest) []connector.Check {
	var out []connector.Check
	implied, why := c.impliedDeployment()
	c.mu.Lock()
	c.deployment = implied
	c.mu.Unlock()

	var me jiraUser
	err := c.get(ctx, "rest/api/2/myself", nil, &me)
	if err != nil && errors.Is(err, context.Canceled) {
		return append(out, connector.Fail("connectivity", connector.ProblemSource, "interrupted", "run pomlint doctor again"))
	}
	if what, ok := connector.NetProblem(err); ok {
		return append(out, connector.Fail("connectivity", connector.ProblemSource, fmt.Sprintf("%s: %s", c.base, what),
			fmt.Sprintf("check jira.url of source %q (the site root, e.g. https://acme.atlassian.net) and the network or proxy (HTTPS_PROXY)", c.src.Name)))
	}
	var api *APIError
	if err != nil && !errors.As(err, &api) {
		return append(out, connector.Fail("connectivity", connector.ProblemSource, c.redactErr(err).Error(),
			fmt.Sprintf("check jira.url of source %q", c.src.Name)))
	}
	out = append(out, connector.Pass("connectivity", "the site at jira.url answered"))

	actual, version, infoErr := c.serverInfo(ctx)
	switch {
	case infoErr != nil:
		out = append(out, connector.Fail("deployment", connector.ProblemSource, c.redactErr(infoErr).Error(), "check that jira.url is the Jira site root"))
	case actual != implied:
		fix := "set deployment: " + actual
		if actual == DeploymentCloud {
			fix += " and the account email in email_env"
		}
		out = append(out, connector.Fail("deployment", connector.ProblemConfig,
			fmt.Sprintf("the site is Jira %s, but %s says %s, so the wrong kind of credentials is sent", deploymentName(actual), why, deploymentName(implied)),
			fix+" in source "+strconv.Quote(c.src.Name)))
		return out
	default:
		out = append(out, connector.Pass("deployment", fmt.Sprintf("Jira %s %s (expected from %s)", deploymentName(actual), version, why)))
	}

	if err != nil {
		next := fmt.Sprintf("check that %s holds a valid, unexpired personal access token for this site", c.tokenEnv)
		if implied == DeploymentCloud {
			next = fmt.Sprintf("check that %s holds the account email and %s an API token of that account (https://id.atlassian.com/manage-profile/security/api-tokens)", c.emailEnv, c.tokenEnv)
		}
		return append(out, connector.Fail("credentials", connector.ProblemSource, c.redactErr(err).Error(), next))
	}
	who := me.DisplayName
	acct := account(&me, implied == DeploymentCloud)
	if who == "" {
		who = acct.Login
	} else {
		who += " (" + acct.Login + ")"
	}
	if me.EmailAddress != "" {
		who += " <" + me.EmailAddress + ">"
	}
	out = append(out, connector.Pass("credentials", who))

	out = append(out, c.checkProjects(ctx)...)
	if req.Import != nil {
		out = append(out, c.checkGroups(ctx, req.Import.Groups(ImportKey))...)
	}
	out = append(out, c.checkFields(ctx, req.OwnerFields)...)
	out = append(out, c.checkJQL(ctx, implied))
	return out
}

func deploymentName(d string) string {
	if d == DeploymentCloud {
		return "Cloud"
	}
	return "Data Center"
}

// impliedDeployment is the deployment the config implies, and why.
func (c *Connector) impliedDeployment() (string, string) {
	// The config loader fills email_env with JIRA_EMAIL when deployment is
	// not datacenter, so the key alone says nothing: its value does.
	switch {
	case c.cfg.Deployment != "":
		return c.cfg.Deployment, "deployment: " + c.cfg.Deployment + " in the config"
	case strings.HasSuffix(strings.ToLower(c.host), ".atlassian.net"):
		return DeploymentCloud, "the *.atlassian.net URL"
	case c.email != "":
		return DeploymentCloud, "an account email in $" + c.emailEnv
	}
	return DeploymentDataCenter, "no account email in $" + c.emailEnv
}

// serverInfo reads /rest/api/2/serverInfo with the credentials: the
// connector's own detection reads it anonymously, which some sites refuse
// or answer for another deployment behind a proxy.
func (c *Connector) serverInfo(ctx context.Context) (deployment, version string, err error) {
	req, err := c.client.NewRequestWithContext(ctx, http.MethodGet, "rest/api/2/serverInfo", nil)
	if err != nil {
		return "", "", err
	}
	req.Header.Set("Accept", "application/json")
	// authTransport reads serverInfo anonymously only when no
	// Authorization is set; any value makes it add the credentials.
	req.Header.Set("Authorization", "credentials")
	var info struct {
		DeploymentType string `json:"deploymentType"`
		Version        string `json:"version"`
	}
	body, resp, err := c.do(req)
	switch {
	case resp == nil:
		return "", "", fmt.Errorf("read serverInfo: %w", err)
	case err != nil && resp.StatusCode == http.StatusUnauthorized:
		// Rejected credentials (the credentials check says so): the
		// anonymous answer still tells the deployment.
		if err := c.get(ctx, "rest/api/2/serverInfo", nil, &info); err != nil {
			return "", "", err
		}
	case err != nil:
		return "", "", c.apiError(resp, http.MethodGet, "rest/api/2/serverInfo", body)
	default:
		if err := json.Unmarshal(body, &info); err != nil {
			return "", "", fmt.Errorf("decode serverInfo: %w", err)
		}
	}
	switch strings.ToLower(info.DeploymentType) {
	case "cloud":
		return DeploymentCloud, info.Version, nil
	case "server", "datacenter":
		return DeploymentDataCenter, info.Version, nil
	}
	return "", "", fmt.Errorf("serverInfo answered deploymentType %q", info.DeploymentType)
}

// checkProjects checks that the account can see every project the JQL
// names at its top level.
func (c *Connector) checkProjects(ctx context.Context) []connector.Check {
	body, _ := splitOrderBy(strings.TrimSpace(c.cfg.JQL))
	want := jqlProjects(body)
	if len(want) == 0 {
		return nil
	}
	var list []struct {
		Key  string `json:"key"`
		Name string `json:"name"`
	}
	if err := c.get(ctx, "rest/api/2/project", nil, &list); err != nil {
		return []connector.Check{connector.Fail("projects", connector.ProblemSource, c.redactErr(err).Error(), "check that the account may browse projects")}
	}
	seen := map[string]bool{}
	for _, p := range list {
		seen[strings.ToUpper(p.Key)] = true
	}
	var out []connector.Check
	for _, p := range want {
		name := "project " + p
		if seen[strings.ToUpper(p)] {
			out = append(out, connector.Pass(name, "visible to the account"))
			continue
		}
		out = append(out, connector.Fail(name, connector.ProblemSource, "not visible to the account (no such project, or no Browse Projects permission)",
			"ask a Jira admin for Browse Projects on "+p+", or fix the project key in jira.jql"))
	}
	return out
}

// checkGroups checks that each roster-import group's members can be read.
func (c *Connector) checkGroups(ctx context.Context, groups map[string]string) []connector.Check {
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	var out []connector.Check
	for _, g := range names {
		var res struct {
			Total int `json:"total"`
		}
		q := url.Values{"groupname": {g}, "startAt": {"0"}, "maxResults": {"1"}}
		if err := c.get(ctx, "rest/api/2/group/member", q, &res); err != nil {
			out = append(out, connector.Fail("group "+g, connector.ProblemSource, c.redactErr(err).Error(),
				"check the group name in roster.import.jira_groups and that the account may view group members (Browse users and groups)"))
			continue
		}
		out = append(out, connector.Pass("group "+g, "members can be listed"))
	}
	return out
}

// checkFields looks up every custom field the config names.
func (c *Connector) checkFields(ctx context.Context, owner []string) []connector.Check {
	names := dedupe(append(append([]string(nil), owner...), c.cfg.Fields...))
	if len(names) == 0 {
		return nil
	}
	all, err := c.fields(ctx)
	if err != nil {
		return []connector.Check{connector.Fail("fields", connector.ProblemSource, c.redactErr(err).Error(), "check that the account may list fields")}
	}
	var out []connector.Check
	for _, n := range names {
		name := fmt.Sprintf("field %q", n)
		if f, ok := findField(all, n); ok {
			out = append(out, connector.Pass(name, f.ID))
			continue
		}
		out = append(out, connector.Fail(name, connector.ProblemConfig, "no such field (closest: "+strings.Join(closest(all, n, 3), ", ")+")",
			"use the name exactly as Jira shows it (ownership.from field:NAME, jira.fields)"))
	}
	return out
}

// checkJQL has Jira parse the JQL as the config writes it: Cloud's parse
// endpoint, or on Data Center a search for no issues.
func (c *Connector) checkJQL(ctx context.Context, dep string) connector.Check {
	jql := strings.TrimSpace(c.cfg.JQL)
	var msgs []string
	var err error
	valid := "valid"
	if dep == DeploymentCloud {
		var res struct {
			Queries []struct {
				Query  string   `json:"query"`
				Errors []string `json:"errors"`
			} `json:"queries"`
		}
		q := url.Values{"validation": {"strict"}}
		err = c.call(ctx, http.MethodPost, "rest/api/2/jql/parse", q, map[string]any{"queries": []string{jql}}, &res)
		for _, qr := range res.Queries {
			msgs = append(msgs, qr.Errors...)
		}
	} else {
		var res struct {
			Total int `json:"total"`
		}
		q := url.Values{"jql": {jql}, "maxResults": {"0"}, "fields": {"key"}}
		err = c.get(ctx, "rest/api/2/search", q, &res)
		valid = "valid; matches " + markdown.Plural(res.Total, "issue") + " now"
	}
	var api *APIError
	switch {
	case errors.As(err, &api) && api.Status == http.StatusBadRequest:
		msgs = api.Messages // Jira's word on the JQL
	case err != nil:
		return connector.Fail("jql", connector.ProblemSource, c.redactErr(err).Error(), "try again; if it persists, run pomlint lint --log-level debug")
	}
	if len(msgs) == 0 {
		return connector.Pass("jql", valid)
	}
	var b strings.Builder
	for i, m := range msgs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(m)
		if caret := JQLCaret(jql, m); caret != "" {
			b.WriteString("\n" + caret)
		}
	}
	return connector.Fail("jql", connector.ProblemConfig, b.String(), "fix jira.jql of source "+strconv.Quote(c.src.Name)+" (try it in Jira's issue search first)")
}

var (
	jqlPosRE   = regexp.MustCompile(`\(line (\d+), character (\d+)\)`)
	jqlQuoteRE = regexp.MustCompile(`'([^']+)'`)
)

// JQLCaret shows the line of jql a Jira error message points at, with a
// caret under the position: Jira's "(line L, character C)" when the
// message has one (C counts from 1), else the first quoted word of the
// message that occurs exactly once in the JQL. It returns "" when the
// message points nowhere.
func JQLCaret(jql, msg string) string {
	lines := strings.Split(jql, "\n")
	line, col := -1, -1
	if m := jqlPosRE.FindStringSubmatch(msg); m != nil {
		l, _ := strconv.Atoi(m[1])
		ch, _ := strconv.Atoi(m[2])
		if l >= 1 && l <= len(lines) && ch >= 1 {
			line, col = l-1, min(ch-1, len([]rune(lines[l-1])))
		}
	}
	if line < 0 {
		for _, m := range jqlQuoteRE.FindAllStringSubmatch(msg, -1) {
			w := m[1]
			if strings.Count(jql, w) != 1 {
				continue
			}
			i := strings.Index(jql, w)
			line = strings.Count(jql[:i], "\n")
			start := strings.LastIndex(jql[:i], "\n") + 1
			col = len([]rune(jql[start:i]))
			break
		}
	}
	if line < 0 {
		return ""
	}
	return "  " + lines[line] + "\n  " + strings.Repeat(" ", col) + "^"
}
