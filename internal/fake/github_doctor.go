package fake

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// GitHubViewer is the login the fake's token belongs to (GET /user).
const GitHubViewer = "pomlint-bot"

// GitHubScopes is the X-OAuth-Scopes header the fake sends with GET /user,
// as GitHub does for a classic token.
const GitHubScopes = "read:org, read:project, repo"

// GitHubAppSlug is the slug GET /app answers in GitHub App mode.
const GitHubAppSlug = "pomlint-app"

// serveDoctor answers what pomlint doctor reads beyond a fetch: the
// authenticated user (403 for an installation token, as GitHub answers an
// integration), the authenticated app (GET /app with the app's JWT, in
// GitHub App mode) and single repositories (with the permissions of the
// token on them). It authenticates and charges what it answers, and
// reports whether it answered.
//
// Shapes: https://docs.github.com/rest/users/users#get-the-authenticated-user,
// https://docs.github.com/rest/apps/apps#get-the-authenticated-app and
// https://docs.github.com/rest/repos/repos#get-a-repository.
func (g *GitHub) serveDoctor(w http.ResponseWriter, r *http.Request, parts []string) bool {
	isUser := len(parts) == 1 && parts[0] == "user"
	isApp := len(parts) == 1 && parts[0] == "app"
	isRepo := len(parts) == 3 && parts[0] == "repos"
	if !isUser && !isApp && !isRepo {
		return false
	}
	if isApp {
		g.serveApp(w, r)
		return true
	}
	if !g.authorized(w, r) || g.fault(w, r) || !g.charge(w) {
		return true
	}
	switch {
	case isUser && g.appID != 0:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": "Resource not accessible by integration",
			"documentation_url": "https://docs.github.com/rest/users/users#get-the-authenticated-user", "status": "403"})
	case isUser:
		u := map[string]any{"login": GitHubViewer, "id": ghID("user:" + GitHubViewer), "type": "User", "site_admin": false,
			"html_url": ghWeb + "/" + GitHubViewer, "name": "pomlint bot"}
		w.Header().Set("X-OAuth-Scopes", GitHubScopes)
		b, _ := json.Marshal(u)
		g.reply(w, r, b, "")
	default:
		repo := g.repos[strings.ToLower(parts[1]+"/"+parts[2])]
		if repo == nil {
			ghError(w, http.StatusNotFound, "Not Found")
			return true
		}
		full := repo.FullName()
		out := map[string]any{
			"id": repo.ID, "name": repo.Name, "full_name": full, "private": true, "archived": repo.Archived,
			"has_issues": !repo.IssuesDisabled, "html_url": ghWeb + "/" + full, "url": g.URL + g.prefix + "/repos/" + full,
			"owner":       map[string]any{"login": repo.Owner, "type": "Organization"},
			"permissions": map[string]bool{"admin": false, "maintain": false, "push": false, "triage": false, "pull": true},
		}
		b, _ := json.Marshal(out)
		g.reply(w, r, b, "")
	}
	return true
}

// serveApp answers GET /app for a JWT issued by the configured app (the
// signature itself is not checked).
func (g *GitHub) serveApp(w http.ResponseWriter, r *http.Request) {
	scheme, jwt, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	segs := strings.Split(jwt, ".")
	var claims struct {
		Iss string `json:"iss"`
	}
	ok := g.appID != 0 && scheme == "Bearer" && len(segs) == 3
	if ok {
		payload, err := base64.RawURLEncoding.DecodeString(segs[1])
		ok = err == nil && json.Unmarshal(payload, &claims) == nil && claims.Iss == strconv.FormatInt(g.appID, 10)
	}
	if !ok {
		ghError(w, http.StatusUnauthorized, "A JSON web token could not be decoded")
		return
	}
	b, _ := json.Marshal(map[string]any{"id": g.appID, "slug": GitHubAppSlug, "name": GitHubAppSlug,
		"owner": map[string]any{"login": "acme", "type": "Organization"}, "html_url": ghWeb + "/apps/" + GitHubAppSlug,
		"permissions": map[string]string{"issues": "read", "metadata": "read", "members": "read", "organization_projects": "read"}})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}

// serveBoardFields answers a board query that asks for the board's title
// and fields (pomlint doctor), with GitHub's NOT_FOUND error for an unknown
// board. The fields are the built-in ones and every field an item has a
// value in.
func (g *GitHub) serveBoardFields(w http.ResponseWriter, r *http.Request, org bool, vars map[string]any) {
	login, _ := vars["login"].(string)
	num, _ := vars["number"].(float64)
	root := "user"
	if org {
		root = "organization"
	}
	p := g.project(org, login, int(num))
	if p == nil {
		g.projectNotFound(w, r, root, int(num))
		return
	}
	names := []string{"Title", "Assignees", "Status", "Labels"}
	seen := map[string]bool{}
	for _, n := range names {
		seen[n] = true
	}
	for _, it := range p.Items {
		for _, f := range it.Fields {
			if !seen[f.Field] {
				seen[f.Field] = true
				names = append(names, f.Field)
			}
		}
	}
	nodes := make([]any, len(names))
	for i, n := range names {
		nodes[i] = map[string]any{"name": n}
	}
	g.gqlReply(w, r, map[string]any{"data": map[string]any{root: map[string]any{"projectV2": map[string]any{
		"title": p.Title, "fields": map[string]any{"nodes": nodes},
	}}}})
}
