package fake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
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
	g.mu.Lock()
	g.gqlSeen = append(g.gqlSeen, GraphQLRequest{Query: in.Query, Features: r.Header.Get("GraphQL-Features")})
	g.mu.Unlock()
	q := strings.Join(strings.Fields(in.Query), "")
	if g.rejectUnknown(w, r, q) {
		return
	}
	switch {
	case strings.Contains(q, "node(id:$id)"):
		g.serveItemValues(w, r, in.Variables, ghLimitsOf(q))
	case strings.Contains(q, "fields(first:100)") && !strings.Contains(q, "items("): // pomlint doctor
		g.serveBoardFields(w, r, strings.Contains(q, "organization(login:"), in.Variables)
	case strings.Contains(q, "projectV2(number:$number)") && (strings.Contains(q, "organization(login:$login)") || strings.Contains(q, "user(login:$login)")):
		g.serveBoard(w, r, strings.Contains(q, "organization(login:"), in.Variables, ghLimitsOf(q))
	default:
		g.fail("graphql: unexpected query %s", in.Query)
		g.gqlReply(w, r, map[string]any{"data": nil, "errors": []any{map[string]any{"message": "unexpected query"}}})
	}
}

// GraphQLRequest is one GraphQL request the fake received.
type GraphQLRequest struct {
	Query string
	// Features is the GraphQL-Features header ("" when absent).
	Features string
}

// GraphQLRequests lists the GraphQL requests received so far.
func (g *GitHub) GraphQLRequests() []GraphQLRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]GraphQLRequest(nil), g.gqlSeen...)
}

// ghOptionalIssueFields are the Issue fields WithGitHubSchemaWithout can
// take away, as older GitHub Enterprise Server schemas lack them.
var ghOptionalIssueFields = []string{"issueType", "parent"}

// rejectUnknown answers a query that selects an Issue field the schema
// lacks (WithGitHubSchemaWithout) the way GitHub's GraphQL validation does:
// 200 OK, no data, one undefinedField error per field.
func (g *GitHub) rejectUnknown(w http.ResponseWriter, r *http.Request, q string) bool {
	var errs []any
	for _, f := range ghOptionalIssueFields {
		if !g.schemaWithout[f] || !strings.Contains(q, f+"{") {
			continue
		}
		errs = append(errs, map[string]any{
			"path":       []string{"query", "organization", "projectV2", "items", "nodes", "content", "... on Issue", f},
			"extensions": map[string]any{"code": "undefinedField", "typeName": "Issue", "fieldName": f},
			"locations":  []any{map[string]int{"line": 1, "column": 1 + strings.Index(q, f+"{")}},
			"message":    fmt.Sprintf("Field '%s' doesn't exist on type 'Issue'", f),
		})
	}
	if len(errs) == 0 {
		return false
	}
	g.gqlReply(w, r, map[string]any{"errors": errs})
	return true
}

func (g *GitHub) gqlReply(w http.ResponseWriter, r *http.Request, v any) {
	b, _ := json.Marshal(v)
	if g.faults.TruncatedJSON && (g.faults.Path == "" || strings.Contains(r.URL.Path, g.faults.Path)) {
		b = b[:len(b)/2]
	}
	b = g.pad(r, b)
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

// ghList is how a query selects a nested list: its page size (0: not
// selected) and whether it asks for pageInfo (GitHub sends only what is
// selected, and githubv4 rejects fields it did not ask for).
type ghList struct {
	first    int
	pageInfo bool
}

// ghLimits are the nested lists of a board query.
type ghLimits struct {
	labels, assignees, users ghList
	// itemType and nodeTypename: the query selects ProjectV2Item.type
	// and the __typename of node(id:).
	itemType, nodeTypename bool
}

var ghTypeRE = regexp.MustCompile(`[{,]type[,}]`)

var ghFirstRE = regexp.MustCompile(`(labels|assignees|users)\(first:(\d+)\)\{(pageInfo)?`)

// ghLimitsOf reads the nested lists from a whitespace-free query.
func ghLimitsOf(q string) ghLimits {
	l := ghLimits{itemType: ghTypeRE.MatchString(q), nodeTypename: strings.Contains(q, "node(id:$id){__typename")}
	for _, m := range ghFirstRE.FindAllStringSubmatch(q, -1) {
		n, _ := strconv.Atoi(m[2])
		v := ghList{first: n, pageInfo: m[3] != ""}
		switch m[1] {
		case "labels":
			l.labels = v
		case "assignees":
			l.assignees = v
		case "users":
			l.users = v
		}
	}
	return l
}

func (g *GitHub) serveBoard(w http.ResponseWriter, r *http.Request, org bool, vars map[string]any, lim ghLimits) {
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
		g.projectNotFound(w, r, root, int(num))
		return
	}
	from := ghFromCursor(vars["cursor"])
	if g.faults.RepeatCursor && g.matches(r) {
		from = 0
	}
	to := min(from+ghItemsPage, len(p.Items))
	from = min(from, to)
	more, cursor := to < len(p.Items), ghCursor(to)
	if g.faults.RepeatCursor && g.matches(r) {
		more, cursor = true, ghCursor(0)
	}
	nodes := make([]any, 0, to-from)
	for i := from; i < to; i++ {
		nodes = append(nodes, g.boardItemJSON(p, i, lim))
	}
	owner := "orgs/" + p.Org
	if !org {
		owner = "users/" + p.User
	}
	g.gqlReply(w, r, map[string]any{"data": map[string]any{root: map[string]any{"projectV2": map[string]any{
		"title": p.Title,
		"url":   fmt.Sprintf("%s/%s/projects/%d", ghWeb, owner, p.Number),
		"items": map[string]any{
			"pageInfo": map[string]any{"hasNextPage": more, "endCursor": cursor},
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

func (g *GitHub) boardItemJSON(p *GitHubProject, i int, lim ghLimits) map[string]any {
	it := &p.Items[i]
	id := ghItemID(p, i)
	values := g.fieldValuesJSON(it, lim)
	n := min(ghValuesPage, len(values))
	var content any = g.contentJSON(it, lim)
	typ := "ISSUE"
	switch {
	case it.Redacted:
		typ, content = "REDACTED", nil
	case it.Draft != nil:
		typ = "DRAFT_ISSUE"
	case it.PullRequest != "":
		typ = "PULL_REQUEST"
	}
	out := map[string]any{
		"id":          fmt.Sprintf("PVTI_%d", id),
		"databaseId":  id,
		"isArchived":  it.Archived,
		"content":     content,
		"fieldValues": map[string]any{"pageInfo": map[string]any{"hasNextPage": n < len(values), "endCursor": ghCursor(n)}, "nodes": values[:n]},
	}
	if lim.itemType {
		out["type"] = typ
	}
	return out
}

func (g *GitHub) serveItemValues(w http.ResponseWriter, r *http.Request, vars map[string]any, lim ghLimits) {
	id, _ := vars["id"].(string)
	if g.faults.NullNode {
		g.gqlReply(w, r, map[string]any{"data": map[string]any{"node": nil}})
		return
	}
	for pi := range g.data.Projects {
		p := &g.data.Projects[pi]
		for i := range p.Items {
			if fmt.Sprintf("PVTI_%d", ghItemID(p, i)) != id {
				continue
			}
			values := g.fieldValuesJSON(&p.Items[i], lim)
			from := min(ghFromCursor(vars["cursor"]), len(values))
			to := min(from+ghValuesPage, len(values))
			node := map[string]any{
				"fieldValues": map[string]any{"pageInfo": map[string]any{"hasNextPage": to < len(values), "endCursor": ghCursor(to)}, "nodes": values[from:to]},
			}
			if lim.nodeTypename {
				node["__typename"] = "ProjectV2Item"
			}
			g.gqlReply(w, r, map[string]any{"data": map[string]any{"node": node}})
			return
		}
	}
	g.gqlReply(w, r, map[string]any{"data": map[string]any{"node": nil}, "errors": []any{map[string]any{
		"type": "NOT_FOUND", "path": []string{"node"}, "message": fmt.Sprintf("Could not resolve to a node with the global id of '%s'", id)}}})
}

// ghLogins is a user connection as sel selects it.
func ghLogins(ls []string, sel ghList) map[string]any {
	n := sel.cut(len(ls))
	nodes := make([]any, 0, n)
	for _, l := range ls[:n] {
		nodes = append(nodes, map[string]any{"login": l})
	}
	return sel.conn(nodes, n < len(ls))
}

// cut is how many of n entries one page holds.
func (sel ghList) cut(n int) int {
	if sel.first > 0 {
		return min(n, sel.first)
	}
	return n
}

// conn is a connection of nodes, with pageInfo when selected.
func (sel ghList) conn(nodes []any, more bool) map[string]any {
	out := map[string]any{"nodes": nodes}
	if sel.pageInfo {
		out["pageInfo"] = map[string]any{"hasNextPage": more}
	}
	return out
}

func (g *GitHub) contentJSON(it *GitHubProjectItem, lim ghLimits) map[string]any {
	switch {
	case it.Draft != nil:
		d := it.Draft
		return map[string]any{"__typename": "DraftIssue", "title": d.Title, "createdAt": ghTime(d.Created), "updatedAt": ghTime(d.Updated),
			"creator": map[string]any{"login": d.Creator}, "assignees": ghLogins(d.Assignees, lim.assignees)}
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
	nl := lim.labels.cut(len(is.Labels))
	labels := make([]any, 0, nl)
	for _, l := range is.Labels[:nl] {
		labels = append(labels, map[string]any{"name": l})
	}
	out := map[string]any{
		"__typename": "Issue", "number": is.Number, "title": is.Title,
		"url":   fmt.Sprintf("%s/%s/issues/%d", ghWeb, repo.FullName(), is.Number),
		"state": state, "createdAt": ghTime(is.Created), "updatedAt": ghTime(is.Updated),
		"repository": map[string]any{"nameWithOwner": repo.FullName()},
		"author":     map[string]any{"login": ghOr(is.Author, "octokit-fixture-user-a")},
		"assignees":  ghLogins(is.Assignees, lim.assignees),
		"labels":     lim.labels.conn(labels, nl < len(is.Labels)),
		"milestone":  nil, "issueType": nil, "parent": nil,
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
func (g *GitHub) fieldValuesJSON(it *GitHubProjectItem, lim ghLimits) []any {
	var out []any
	if it.Redacted {
		return out
	}
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
			out = append(out, map[string]any{"__typename": "ProjectV2ItemFieldUserValue", "users": ghLogins(f.Users, lim.users), "field": field})
		default:
			g.fail("unknown field kind %q", f.Kind)
		}
	}
	return out
}

// projectNotFound answers a board query for a project number the owner does
// not have, as GitHub does: projectV2 null and a NOT_FOUND error.
func (g *GitHub) projectNotFound(w http.ResponseWriter, r *http.Request, root string, num int) {
	g.gqlReply(w, r, map[string]any{"data": map[string]any{root: map[string]any{"projectV2": nil}}, "errors": []any{map[string]any{
		"type": "NOT_FOUND", "path": []string{root, "projectV2"},
		"message": fmt.Sprintf("Could not resolve to a ProjectV2 with the number %d.", num)}}})
}
