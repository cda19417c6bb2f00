package fake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// The fake answers the two GraphQL operations pomlint sends for Projects v2:
// a board's items page (organization|user(login){projectV2(number){items}})
// and the rest of one item's field values (node(id){... on ProjectV2Item}),
// in the shapes GitHub returns, including NOT_FOUND errors.

const (
	ghItemsPage  = 100
	ghValuesPage = 50
)

func ghCursor(n int) string {
	return base64.StdEncoding.EncodeToString([]byte("cursor:" + strconv.Itoa(n)))
}

func ghFromCursor(v any) int {
	s, _ := v.(string)
	if s == "" {
		return 0
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimPrefix(string(b), "cursor:"))
	return n
}

func (g *GitHub) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		g.fail("graphql: undecodable request: %v", err)
		ghError(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	q := strings.Join(strings.Fields(in.Query), "")
	switch {
	case strings.Contains(q, "node(id:$id)"):
		g.serveItemValues(w, r, in.Variables)
	case strings.Contains(q, "projectV2(number:$number)") && (strings.Contains(q, "organization(login:$login)") || strings.Contains(q, "user(login:$login)")):
		g.serveBoard(w, r, strings.Contains(q, "organization(login:"), in.Variables)
	default:
		g.fail("graphql: unexpected query %s", in.Query)
		g.gqlReply(w, r, map[string]any{"data": nil, "errors": []any{map[string]any{"message": "unexpected query"}}})
	}
}

func (g *GitHub) gqlReply(w http.ResponseWriter, r *http.Request, v any) {
	b, _ := json.Marshal(v)
	if g.faults.TruncatedJSON && (g.faults.Path == "" || strings.Contains(r.URL.Path, g.faults.Path)) {
		b = b[:len(b)/2]
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}

func (g *GitHub) project(org bool, login string, number int) *GitHubProject {
	for i := range g.data.Projects {
		p := &g.data.Projects[i]
		owner := p.User
		if org {
			owner = p.Org
		}
		if owner != "" && strings.EqualFold(owner, login) && p.Number == number {
			return p
		}
	}
	return nil
}

func (g *GitHub) serveBoard(w http.ResponseWriter, r *http.Request, org bool, vars map[string]any) {
	login, _ := vars["login"].(string)
	num, _ := vars["number"].(float64)
	root := "user"
	kind := "User"
	if org {
		root, kind = "organization", "Organization"
	}
	known := false
	for _, p := range g.data.Projects {
		if (org && strings.EqualFold(p.Org, login)) || (!org && strings.EqualFold(p.User, login)) {
			known = true
		}
	}
	for _, rp := range g.data.Repos {
		if org && strings.EqualFold(rp.Owner, login) {
			known = true
		}
	}
	if !known {
		g.gqlReply(w, r, map[string]any{"data": map[string]any{root: nil}, "errors": []any{map[string]any{
			"type": "NOT_FOUND", "path": []string{root}, "locations": []any{map[string]int{"line": 1, "column": 2}},
			"message": fmt.Sprintf("Could not resolve to an %s with the login of '%s'.", kind, login)}}})
		return
	}
	p := g.project(org, login, int(num))
	if p == nil {
		g.gqlReply(w, r, map[string]any{"data": map[string]any{root: map[string]any{"projectV2": nil}}, "errors": []any{map[string]any{
			"type": "NOT_FOUND", "path": []string{root, "projectV2"},
			"message": fmt.Sprintf("Could not resolve to a ProjectV2 with the number %d.", int(num))}}})
		return
	}
	from := ghFromCursor(vars["cursor"])
	to := min(from+ghItemsPage, len(p.Items))
	from = min(from, to)
	nodes := make([]any, 0, to-from)
	for i := from; i < to; i++ {
		nodes = append(nodes, g.boardItemJSON(p, i))
	}
	owner := "orgs/" + p.Org
	if !org {
		owner = "users/" + p.User
	}
	g.gqlReply(w, r, map[string]any{"data": map[string]any{root: map[string]any{"projectV2": map[string]any{
		"title": p.Title,
		"url":   fmt.Sprintf("%s/%s/projects/%d", ghWeb, owner, p.Number),
		"items": map[string]any{
			"pageInfo": map[string]any{"hasNextPage": to < len(p.Items), "endCursor": ghCursor(to)},
			"nodes":    nodes,
		},
	}}}})
}

func ghItemID(p *GitHubProject, i int) int64 {
	if id := p.Items[i].ID; id != 0 {
		return id
	}
	return int64(p.Number)*100000 + int64(i) + 1
}

func (g *GitHub) boardItemJSON(p *GitHubProject, i int) map[string]any {
	it := &p.Items[i]
	id := ghItemID(p, i)
	values := g.fieldValuesJSON(it)
	n := min(ghValuesPage, len(values))
	return map[string]any{
		"id":          fmt.Sprintf("PVTI_%d", id),
		"databaseId":  id,
		"isArchived":  it.Archived,
		"content":     g.contentJSON(it),
		"fieldValues": map[string]any{"pageInfo": map[string]any{"hasNextPage": n < len(values), "endCursor": ghCursor(n)}, "nodes": values[:n]},
	}
}

func (g *GitHub) serveItemValues(w http.ResponseWriter, r *http.Request, vars map[string]any) {
	id, _ := vars["id"].(string)
	for pi := range g.data.Projects {
		p := &g.data.Projects[pi]
		for i := range p.Items {
			if fmt.Sprintf("PVTI_%d", ghItemID(p, i)) != id {
				continue
			}
			values := g.fieldValuesJSON(&p.Items[i])
			from := min(ghFromCursor(vars["cursor"]), len(values))
			to := min(from+ghValuesPage, len(values))
			g.gqlReply(w, r, map[string]any{"data": map[string]any{"node": map[string]any{
				"fieldValues": map[string]any{"pageInfo": map[string]any{"hasNextPage": to < len(values), "endCursor": ghCursor(to)}, "nodes": values[from:to]},
			}}})
			return
		}
	}
	g.gqlReply(w, r, map[string]any{"data": map[string]any{"node": nil}, "errors": []any{map[string]any{
		"type": "NOT_FOUND", "path": []string{"node"}, "message": fmt.Sprintf("Could not resolve to a node with the global id of '%s'", id)}}})
}

func ghLogins(ls []string) map[string]any {
	nodes := make([]any, 0, len(ls))
	for _, l := range ls {
		nodes = append(nodes, map[string]any{"login": l})
	}
	return map[string]any{"nodes": nodes}
}

func (g *GitHub) contentJSON(it *GitHubProjectItem) map[string]any {
	switch {
	case it.Draft != nil:
		d := it.Draft
		return map[string]any{"__typename": "DraftIssue", "title": d.Title, "createdAt": ghTime(d.Created), "updatedAt": ghTime(d.Updated),
			"creator": map[string]any{"login": d.Creator}, "assignees": ghLogins(d.Assignees)}
	case it.PullRequest != "":
		return map[string]any{"__typename": "PullRequest"}
	}
	repo, is := g.issueByKey(it.Issue)
	if is == nil {
		g.fail("project item refers to unknown issue %q", it.Issue)
		return map[string]any{"__typename": "Issue"}
	}
	state := strings.ToUpper(is.State)
	if state == "" {
		state = "OPEN"
	}
	labels := make([]any, 0, len(is.Labels))
	for _, l := range is.Labels {
		labels = append(labels, map[string]any{"name": l})
	}
	out := map[string]any{
		"__typename": "Issue", "number": is.Number, "title": is.Title,
		"url":   fmt.Sprintf("%s/%s/issues/%d", ghWeb, repo.FullName(), is.Number),
		"state": state, "createdAt": ghTime(is.Created), "updatedAt": ghTime(is.Updated),
		"repository": map[string]any{"nameWithOwner": repo.FullName()},
		"author":     map[string]any{"login": ghOr(is.Author, "octokit-fixture-user-a")},
		"assignees":  ghLogins(is.Assignees), "labels": map[string]any{"nodes": labels},
		"milestone": nil, "issueType": nil, "parent": nil,
	}
	if is.Milestone != "" {
		out["milestone"] = map[string]any{"title": is.Milestone}
	}
	if is.Type != "" {
		out["issueType"] = map[string]any{"name": is.Type}
	}
	if is.Parent != "" {
		prepo, pn := splitIssueKey(is.Parent)
		out["parent"] = map[string]any{"number": pn, "repository": map[string]any{"nameWithOwner": prepo}}
	}
	return out
}

func ghOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// fieldValuesJSON renders an item's values the way GitHub does: issues
// and drafts always carry the built-in Title text value, issues a
// repository value too (only __typename, as pomlint selects no fields of
// it), then the custom fields.
func (g *GitHub) fieldValuesJSON(it *GitHubProjectItem) []any {
	var out []any
	title := ""
	switch {
	case it.Draft != nil:
		title = it.Draft.Title
	case it.Issue != "":
		if _, is := g.issueByKey(it.Issue); is != nil {
			title = is.Title
		}
	}
	if title != "" {
		out = append(out, map[string]any{"__typename": "ProjectV2ItemFieldTextValue", "text": title, "field": map[string]any{"name": "Title"}})
	}
	if it.Issue != "" {
		out = append(out, map[string]any{"__typename": "ProjectV2ItemFieldRepositoryValue"})
	}
	for _, f := range it.Fields {
		field := map[string]any{"name": f.Field}
		switch f.Kind {
		case FieldText:
			out = append(out, map[string]any{"__typename": "ProjectV2ItemFieldTextValue", "text": f.Text, "field": field})
		case FieldSingleSelect:
			out = append(out, map[string]any{"__typename": "ProjectV2ItemFieldSingleSelectValue", "name": f.Text, "field": field})
		case FieldNumber:
			out = append(out, map[string]any{"__typename": "ProjectV2ItemFieldNumberValue", "number": f.Number, "field": field})
		case FieldDate:
			out = append(out, map[string]any{"__typename": "ProjectV2ItemFieldDateValue", "date": f.Text, "field": field})
		case FieldIteration:
			out = append(out, map[string]any{"__typename": "ProjectV2ItemFieldIterationValue", "title": f.Text, "field": field})
		case FieldUser:
			out = append(out, map[string]any{"__typename": "ProjectV2ItemFieldUserValue", "users": ghLogins(f.Users), "field": field})
		default:
			g.fail("unknown field kind %q", f.Kind)
		}
	}
	return out
}
