package fake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// Who the fake's credentials belong to (GET /rest/api/2/myself).
const (
	JiraViewerAccountID = "5b10ac8d82e05b22cc7d4ef5"
	JiraViewerName      = "pomlint-bot"
	JiraViewerDisplay   = "pomlint bot"
)

// serveDoctor answers what pomlint doctor reads beyond a fetch: the
// authenticated user (GET /rest/api/2/myself, both deployments) and the JQL
// parser (POST /rest/api/2/jql/parse, Cloud only). It reports whether it
// answered.
//
// Shapes: https://developer.atlassian.com/cloud/jira/platform/rest/v2/api-group-myself/
// and https://developer.atlassian.com/cloud/jira/platform/rest/v2/api-group-jql/#api-rest-api-2-jql-parse-post
// (queries[].errors; Jira ends a syntax error with "(line L, character C)").
func (j *Jira) serveDoctor(w http.ResponseWriter, r *http.Request) bool {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/rest/api/2/myself":
		if !j.authorized(w, r) {
			return true
		}
		me := map[string]any{"self": j.URL + "/rest/api/2/user?accountId=" + JiraViewerAccountID, "accountId": JiraViewerAccountID,
			"accountType": "atlassian", "emailAddress": j.email, "displayName": JiraViewerDisplay, "active": true, "timeZone": "Europe/Paris", "locale": "en_GB"}
		if j.Mode == JiraDataCenter {
			me = map[string]any{"self": j.URL + "/rest/api/2/user?username=" + JiraViewerName, "key": "JIRAUSER10100", "name": JiraViewerName,
				"emailAddress": j.email, "displayName": JiraViewerDisplay, "active": true, "timeZone": "Europe/Paris", "locale": "en_GB"}
		}
		writeJSON(w, me, false)
		return true
	case r.Method == http.MethodPost && r.URL.Path == "/rest/api/2/jql/parse":
		if j.Mode == JiraDataCenter {
			writeJiraError(w, http.StatusNotFound, "null for uri: "+r.URL.String())
			return true
		}
		if !j.authorized(w, r) {
			return true
		}
		var in struct {
			Queries []string `json:"queries"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || len(in.Queries) == 0 {
			writeJiraError(w, http.StatusBadRequest, "Queries must be provided.")
			return true
		}
		out := make([]map[string]any, 0, len(in.Queries))
		for _, q := range in.Queries {
			res := map[string]any{"query": q}
			if _, _, err := compileJQL(q, j.keyBound); err != nil {
				res["errors"] = []string{jqlPosition(q, err.Error())}
			} else {
				res["structure"] = map[string]any{"where": map[string]any{}}
			}
			out = append(out, res)
		}
		writeJSON(w, map[string]any{"queries": out}, false)
		return true
	}
	return false
}

var jqlQuoted = regexp.MustCompile(`'([^']+)'`)

// jqlPosition ends a syntax error with Jira's "(line 1, character C)",
// pointing at the last word the message quotes (the token the parser choked
// on), or at the end of the query.
func jqlPosition(q, msg string) string {
	if !strings.HasPrefix(msg, "Error in the JQL Query") {
		return msg
	}
	at := len([]rune(q)) + 1
	ms := jqlQuoted.FindAllStringSubmatch(msg, -1)
	if len(ms) > 0 {
		if i := strings.LastIndex(q, ms[len(ms)-1][1]); i >= 0 {
			at = len([]rune(q[:i])) + 1
		}
	}
	return fmt.Sprintf("%s (line 1, character %d)", msg, at)
}
