package fake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// jiraAuth is the Authorization header the fake wants in mode.
func jiraAuth(mode JiraMode) string {
	if mode == JiraCloud {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(JiraEmail+":"+JiraToken))
	}
	return "Bearer " + JiraToken
}

// jiraDo sends a GET with the right credentials for the mode and returns
// the response with its body read.
func jiraDo(t *testing.T, j *Jira, pathAndQuery, auth string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, j.URL+pathAndQuery, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := j.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

type jiraPage struct {
	Issues []struct {
		Key    string         `json:"key"`
		Fields map[string]any `json:"fields"`
	} `json:"issues"`
	IsLast        *bool  `json:"isLast"`
	NextPageToken string `json:"nextPageToken"`
	StartAt       *int   `json:"startAt"`
	MaxResults    *int   `json:"maxResults"`
	Total         *int   `json:"total"`
}

func (p jiraPage) keys() []string {
	var out []string
	for _, is := range p.Issues {
		out = append(out, is.Key)
	}
	return out
}

func decodePage(t *testing.T, body []byte) jiraPage {
	t.Helper()
	var p jiraPage
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("decode page: %v\n%s", err, body)
	}
	return p
}

func searchPath(mode JiraMode, jql string, extra url.Values) string {
	q := url.Values{"jql": {jql}, "fields": {"summary,assignee,customfield_10050"}}
	for k, v := range extra {
		q[k] = v
	}
	if mode == JiraCloud {
		return "/rest/api/2/search/jql?" + q.Encode()
	}
	return "/rest/api/2/search?" + q.Encode()
}

func TestJiraPagination(t *testing.T) {
	t.Run("should page Cloud search with nextPageToken and isLast, without total", func(t *testing.T) {
		j := NewJira(JiraGenerate(1, 5), JiraCloud, WithJiraTB(t))
		var keys []string
		token := ""
		for pages := 1; ; pages++ {
			extra := url.Values{"maxResults": {"2"}}
			if token != "" {
				extra.Set("nextPageToken", token)
			}
			resp, body := jiraDo(t, j, searchPath(JiraCloud, "project = P1", extra), jiraAuth(JiraCloud))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			p := decodePage(t, body)
			if p.IsLast == nil || p.Total != nil || p.StartAt != nil {
				t.Fatalf("page %d: isLast %v total %v startAt %v, want isLast only", pages, p.IsLast, p.Total, p.StartAt)
			}
			keys = append(keys, p.keys()...)
			if *p.IsLast {
				if p.NextPageToken != "" || pages != 3 {
					t.Errorf("last page %d has token %q, want page 3 without token", pages, p.NextPageToken)
				}
				break
			}
			if p.NextPageToken == "" || pages > 3 {
				t.Fatalf("page %d: isLast false, token %q", pages, p.NextPageToken)
			}
			token = p.NextPageToken
		}
		if want := []string{"P1-1", "P1-2", "P1-3", "P1-4", "P1-5"}; !slices.Equal(keys, want) {
			t.Errorf("keys %v, want %v", keys, want)
		}
		if j.RequestsTo("/rest/api/2/search/jql") != 3 || j.Requests() != 3 {
			t.Errorf("requests %d (%d to search/jql), want 3", j.Requests(), j.RequestsTo("/rest/api/2/search/jql"))
		}
	})
	t.Run("should page Data Center search with startAt, maxResults and total", func(t *testing.T) {
		j := NewJira(JiraGenerate(1, 5), JiraDataCenter, WithJiraTB(t))
		_, body := jiraDo(t, j, searchPath(JiraDataCenter, "project = P1", url.Values{"maxResults": {"2"}, "startAt": {"4"}}), jiraAuth(JiraDataCenter))
		p := decodePage(t, body)
		if p.Total == nil || *p.Total != 5 || *p.StartAt != 4 || *p.MaxResults != 2 || p.IsLast != nil {
			t.Errorf("page = total %v startAt %v maxResults %v isLast %v", p.Total, p.StartAt, p.MaxResults, p.IsLast)
		}
		if !slices.Equal(p.keys(), []string{"P1-5"}) {
			t.Errorf("keys %v, want [P1-5]", p.keys())
		}
	})
	t.Run("should cap the page size", func(t *testing.T) {
		for _, mode := range []JiraMode{JiraCloud, JiraDataCenter} {
			j := NewJira(JiraGenerate(1, 50), mode, WithJiraTB(t), WithJiraPageCap(7, 50, 100))
			_, body := jiraDo(t, j, searchPath(mode, "", url.Values{"maxResults": {"100"}}), jiraAuth(mode))
			if n := len(decodePage(t, body).Issues); n != 7 {
				t.Errorf("%s: %d issues, want 7", mode, n)
			}
		}
	})
	t.Run("should render only the requested fields, custom ones as null when unset", func(t *testing.T) {
		j := NewJira(JiraDemoData(), JiraCloud, WithJiraTB(t))
		_, body := jiraDo(t, j, searchPath(JiraCloud, "key = PAY-4", nil), jiraAuth(JiraCloud))
		p := decodePage(t, body)
		if len(p.Issues) != 1 {
			t.Fatalf("issues %v", p.keys())
		}
		f := p.Issues[0].Fields
		if len(f) != 3 || f["summary"] != "Write token migration" || f["customfield_10050"] != nil {
			t.Errorf("fields = %v", f)
		}
		if _, ok := f["customfield_10050"]; !ok {
			t.Error("should send an unset custom field as null")
		}
	})
}

func TestJiraJQL(t *testing.T) {
	j := NewJira(JiraGenerate(2, 30), JiraCloud, WithJiraTB(t))
	for _, tc := range []struct {
		name, jql string
		want      []string
	}{
		{"should compare keys by number within the project", `project = P1 AND issuekey >= "P1-9" AND issuekey <= P1-11`, []string{"P1-9", "P1-10", "P1-11"}},
		{"should not match other projects in a key range", `issuekey > P2-28`, []string{"P2-29", "P2-30"}},
		{"should reverse the order for ORDER BY key DESC", `project = P2 AND key < P2-4 ORDER BY key DESC`, []string{"P2-3", "P2-2", "P2-1"}},
		{"should keep key order for another ORDER BY", `key in (P1-2, P1-1) ORDER BY updated DESC`, []string{"P1-1", "P1-2"}},
		{"should support NOT and OR", `(key = P1-1 OR key = P2-1) AND NOT project = P2`, []string{"P1-1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, body := jiraDo(t, j, searchPath(JiraCloud, tc.jql, nil), jiraAuth(JiraCloud))
			if got := decodePage(t, body).keys(); !slices.Equal(got, tc.want) {
				t.Errorf("keys %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("should answer 400 with Jira's wording for an unknown field", func(t *testing.T) {
		resp, body := jiraDo(t, j, searchPath(JiraCloud, `nosuchfield = 1`, nil), jiraAuth(JiraCloud))
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"errorMessages":["Field 'nosuchfield' does not exist`) {
			t.Errorf("status %d body %s", resp.StatusCode, body)
		}
	})
}

func TestJiraFaults(t *testing.T) {
	for _, mode := range []JiraMode{JiraCloud, JiraDataCenter} {
		path := searchPath(mode, "project = PAY", nil)
		t.Run("should answer 429 with Retry-After and X-RateLimit-Reset, then recover in "+mode.String(), func(t *testing.T) {
			j := NewJira(JiraDemoData(), mode, WithJiraTB(t), WithJiraFaults(JiraFaults{RateLimited: 2, RetryAfter: 7}))
			for i := 0; i < 2; i++ {
				resp, _ := jiraDo(t, j, path, jiraAuth(mode))
				if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "7" || resp.Header.Get("X-RateLimit-Reset") == "" {
					t.Fatalf("attempt %d: status %d headers %v", i+1, resp.StatusCode, resp.Header)
				}
			}
			if resp, _ := jiraDo(t, j, path, jiraAuth(mode)); resp.StatusCode != http.StatusOK {
				t.Errorf("third attempt status %d, want 200", resp.StatusCode)
			}
		})
		t.Run("should answer 503 N times, then recover in "+mode.String(), func(t *testing.T) {
			j := NewJira(JiraDemoData(), mode, WithJiraTB(t), WithJiraFaults(JiraFaults{ServerErrors: 1}))
			if resp, _ := jiraDo(t, j, path, jiraAuth(mode)); resp.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("first status %d, want 503", resp.StatusCode)
			}
			if resp, _ := jiraDo(t, j, path, jiraAuth(mode)); resp.StatusCode != http.StatusOK {
				t.Errorf("second status %d, want 200", resp.StatusCode)
			}
		})
		for _, tc := range []struct {
			name   string
			faults JiraFaults
			status int
			body   string
		}{
			{"should answer 400 with every errorMessage", JiraFaults{JQLErrors: []string{"first", "second"}}, http.StatusBadRequest, `"errorMessages":["first","second"]`},
			{"should answer 401 to authenticated requests", JiraFaults{Unauthorized: true}, http.StatusUnauthorized, "You are not authenticated"},
			{"should answer 403 to searches", JiraFaults{Forbidden: true}, http.StatusForbidden, "You do not have the permission"},
		} {
			t.Run(tc.name+" in "+mode.String(), func(t *testing.T) {
				j := NewJira(JiraDemoData(), mode, WithJiraTB(t), WithJiraFaults(tc.faults))
				resp, body := jiraDo(t, j, path, jiraAuth(mode))
				if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.body) {
					t.Errorf("status %d body %s, want %d with %s", resp.StatusCode, body, tc.status, tc.body)
				}
			})
		}
		t.Run("should cut search bodies in half in "+mode.String(), func(t *testing.T) {
			j := NewJira(JiraDemoData(), mode, WithJiraTB(t), WithJiraFaults(JiraFaults{TruncatedJSON: true}))
			resp, body := jiraDo(t, j, path, jiraAuth(mode))
			if resp.StatusCode != http.StatusOK || json.Valid(body) || len(body) == 0 {
				t.Errorf("status %d, valid JSON %v, %d bytes; want 200 with a truncated body", resp.StatusCode, json.Valid(body), len(body))
			}
		})
	}
	t.Run("should repeat the same nextPageToken forever", func(t *testing.T) {
		j := NewJira(JiraDemoData(), JiraCloud, WithJiraTB(t), WithJiraFaults(JiraFaults{RepeatToken: true}))
		var tokens []string
		token := ""
		for i := 0; i < 3; i++ {
			_, body := jiraDo(t, j, searchPath(JiraCloud, "project = PAY", url.Values{"nextPageToken": {token}}), jiraAuth(JiraCloud))
			p := decodePage(t, body)
			if p.IsLast == nil || *p.IsLast {
				t.Fatalf("page %d isLast %v, want false", i+1, p.IsLast)
			}
			token = p.NextPageToken
			tokens = append(tokens, token)
		}
		if tokens[0] == "" || tokens[1] != tokens[0] || tokens[2] != tokens[0] {
			t.Errorf("tokens %q, want one token repeated", tokens)
		}
	})
	t.Run("should answer 410 Gone on the removed search in Cloud mode, even without credentials", func(t *testing.T) {
		j := NewJira(JiraDemoData(), JiraCloud, WithJiraTB(t))
		for _, auth := range []string{"", "Bearer " + JiraToken, jiraAuth(JiraCloud)} {
			resp, body := jiraDo(t, j, "/rest/api/2/search?jql=project%3DPAY", auth)
			if resp.StatusCode != http.StatusGone || !strings.Contains(string(body), "/rest/api/3/search/jql") {
				t.Errorf("auth %q: status %d body %s, want 410 naming the new API", auth, resp.StatusCode, body)
			}
		}
	})
	t.Run("should answer 404 on the enhanced search in Data Center mode", func(t *testing.T) {
		j := NewJira(JiraDemoData(), JiraDataCenter, WithJiraTB(t))
		resp, _ := jiraDo(t, j, "/rest/api/2/search/jql?jql=project%3DPAY", jiraAuth(JiraDataCenter))
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("status %d, want 404", resp.StatusCode)
		}
	})
}

// recordTB records the failures the fake reports instead of failing the
// test.
type recordTB struct {
	testing.TB
	errs []string
}

func (r *recordTB) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestJiraAuthAndPaths(t *testing.T) {
	for _, mode := range []JiraMode{JiraCloud, JiraDataCenter} {
		t.Run("should accept only the mode's credentials and report others in "+mode.String(), func(t *testing.T) {
			rec := &recordTB{TB: t}
			j := NewJira(JiraDemoData(), mode, WithJiraTB(rec))
			other := JiraDataCenter
			if mode == JiraDataCenter {
				other = JiraCloud
			}
			for _, auth := range []string{"", jiraAuth(other), "Bearer wrong", jiraAuth(mode)} {
				resp, body := jiraDo(t, j, "/rest/api/2/field", auth)
				want := http.StatusUnauthorized
				if auth == jiraAuth(mode) {
					want = http.StatusOK
				}
				if resp.StatusCode != want {
					t.Errorf("auth %q: status %d, want %d: %s", auth, resp.StatusCode, want, body)
				}
			}
			if len(rec.errs) != 3 || len(j.Unexpected()) != 3 || !strings.Contains(j.Unexpected()[0], "wrong Authorization header") {
				t.Errorf("reported %d failures %q, unexpected %q; want 3 wrong-header reports", len(rec.errs), rec.errs, j.Unexpected())
			}
		})
		t.Run("should serve serverInfo anonymously with the mode's deployment type in "+mode.String(), func(t *testing.T) {
			j := NewJira(JiraDemoData(), mode, WithJiraTB(t))
			_, body := jiraDo(t, j, "/rest/api/2/serverInfo", "")
			var info struct {
				DeploymentType string `json:"deploymentType"`
				BaseURL        string `json:"baseUrl"`
			}
			if err := json.Unmarshal(body, &info); err != nil {
				t.Fatal(err)
			}
			want := map[JiraMode]string{JiraCloud: "Cloud", JiraDataCenter: "Server"}[mode]
			if info.DeploymentType != want || info.BaseURL != j.URL {
				t.Errorf("serverInfo = %+v, want %s at %s", info, want, j.URL)
			}
		})
	}
	t.Run("should also accept the extra Authorization values", func(t *testing.T) {
		j := NewJira(JiraDemoData(), JiraCloud, WithJiraTB(t), WithJiraAcceptAuth("Bearer "+JiraToken))
		for _, auth := range []string{"Bearer " + JiraToken, jiraAuth(JiraCloud)} {
			if resp, body := jiraDo(t, j, "/rest/api/2/field", auth); resp.StatusCode != http.StatusOK {
				t.Errorf("auth %q: status %d: %s", auth, resp.StatusCode, body)
			}
		}
	})
	t.Run("should fail loudly on an unknown path", func(t *testing.T) {
		rec := &recordTB{TB: t}
		j := NewJira(JiraDemoData(), JiraCloud, WithJiraTB(rec))
		resp, _ := jiraDo(t, j, "/rest/api/2/nosuch?x=1", jiraAuth(JiraCloud))
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("status %d, want 404", resp.StatusCode)
		}
		if len(rec.errs) != 1 || len(j.Unexpected()) != 1 || !strings.Contains(j.Unexpected()[0], "unknown path /rest/api/2/nosuch?x=1") {
			t.Errorf("reported %q, unexpected %q", rec.errs, j.Unexpected())
		}
		if j.RequestsTo("/rest/api/2/nosuch") != 1 {
			t.Errorf("RequestsTo = %d, want 1", j.RequestsTo("/rest/api/2/nosuch"))
		}
	})
	t.Run("should record the JQL of every search", func(t *testing.T) {
		j := NewJira(JiraDemoData(), JiraCloud, WithJiraTB(t))
		jiraDo(t, j, searchPath(JiraCloud, "project = PAY", nil), jiraAuth(JiraCloud))
		jiraDo(t, j, searchPath(JiraCloud, "project = CHK", nil), jiraAuth(JiraCloud))
		if q := j.Queries(); !slices.Equal(q, []string{"project = PAY", "project = CHK"}) {
			t.Errorf("queries %q", q)
		}
	})
}

func TestJiraGroupsAndChangelogs(t *testing.T) {
	t.Run("should page group members with startAt, total and isLast", func(t *testing.T) {
		j := NewJira(JiraDemoData(), JiraCloud, WithJiraTB(t), WithJiraPageCap(100, 1, 100))
		var res struct {
			StartAt int              `json:"startAt"`
			Total   int              `json:"total"`
			IsLast  bool             `json:"isLast"`
			Values  []map[string]any `json:"values"`
		}
		_, body := jiraDo(t, j, "/rest/api/2/group/member?groupname=product-owners&startAt=1&maxResults=50", jiraAuth(JiraCloud))
		if err := json.Unmarshal(body, &res); err != nil {
			t.Fatal(err)
		}
		if res.StartAt != 1 || res.Total != 2 || !res.IsLast || len(res.Values) != 1 || res.Values[0]["active"] != false {
			t.Errorf("page = %s", body)
		}
		resp, _ := jiraDo(t, j, "/rest/api/2/group/member?groupname=nosuch", jiraAuth(JiraCloud))
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown group status %d, want 404", resp.StatusCode)
		}
	})
	t.Run("should page Cloud changelogs and expand all of them on Data Center", func(t *testing.T) {
		c := NewJira(JiraDemoData(), JiraCloud, WithJiraTB(t), WithJiraPageCap(100, 50, 3))
		_, body := jiraDo(t, c, "/rest/api/3/issue/PAY-3/changelog?startAt=6", jiraAuth(JiraCloud))
		var page struct {
			Total  int              `json:"total"`
			IsLast bool             `json:"isLast"`
			Values []map[string]any `json:"values"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatal(err)
		}
		if page.Total != 7 || !page.IsLast || len(page.Values) != 1 {
			t.Errorf("cloud changelog page = %s", body)
		}
		d := NewJira(JiraDemoData(), JiraDataCenter, WithJiraTB(t))
		_, body = jiraDo(t, d, "/rest/api/2/issue/PAY-3?expand=changelog", jiraAuth(JiraDataCenter))
		var issue struct {
			Changelog struct {
				Total     int              `json:"total"`
				Histories []map[string]any `json:"histories"`
			} `json:"changelog"`
		}
		if err := json.Unmarshal(body, &issue); err != nil {
			t.Fatal(err)
		}
		if issue.Changelog.Total != 7 || len(issue.Changelog.Histories) != 7 || !strings.Contains(string(body), `"field":"Epic Link"`) {
			t.Errorf("data center changelog = %s", body)
		}
	})
}

func TestJiraStatuses(t *testing.T) {
	for _, mode := range []JiraMode{JiraCloud, JiraDataCenter} {
		t.Run("should list every demo status with its category in "+mode.String(), func(t *testing.T) {
			j := NewJira(JiraDemoData(), mode, WithJiraTB(t))
			resp, body := jiraDo(t, j, "/rest/api/2/status", jiraAuth(mode))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			// The shape of go-jira v1.17.0's Status and StatusCategory.
			var list []struct {
				Self           string `json:"self"`
				Name           string `json:"name"`
				ID             string `json:"id"`
				StatusCategory struct {
					Self      string `json:"self"`
					ID        int    `json:"id"`
					Name      string `json:"name"`
					Key       string `json:"key"`
					ColorName string `json:"colorName"`
				} `json:"statusCategory"`
			}
			if err := json.Unmarshal(body, &list); err != nil {
				t.Fatalf("decode %s: %v", body, err)
			}
			got := map[string]string{}
			for _, st := range list {
				c := st.StatusCategory
				got[st.ID] = st.Name + "/" + c.Key
				if want := jiraCategories[c.Key]; c.ID != want.id || c.ColorName != want.color || c.Name != want.name || !strings.HasSuffix(c.Self, fmt.Sprintf("/statuscategory/%d", c.ID)) {
					t.Errorf("category of %s = %+v", st.ID, c)
				}
			}
			for id, want := range map[string]string{"1": "To Do/new", "3": "In Progress/indeterminate", "10000": "Ready/new", "10001": "Done/done", "10002": "Won't Do/done"} {
				if got[id] != want {
					t.Errorf("status %s = %q, want %q", id, got[id], want)
				}
			}
			// Every status an issue shows is in the list, under its id.
			for _, is := range JiraDemoData().Issues {
				if id := j.statusID(is.Status); !strings.HasPrefix(got[id], is.Status+"/") {
					t.Errorf("%s: status %q has no list entry (id %s)", is.Key, is.Status, id)
				}
			}
		})
	}
	t.Run("should answer the StatusList fault's status", func(t *testing.T) {
		j := NewJira(JiraDemoData(), JiraCloud, WithJiraTB(t), WithJiraFaults(JiraFaults{StatusList: http.StatusNotFound}))
		if resp, body := jiraDo(t, j, "/rest/api/2/status", jiraAuth(JiraCloud)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("status %d: %s", resp.StatusCode, body)
		}
	})
}

func TestJiraRealSiteLimits(t *testing.T) {
	gaps := func() JiraData {
		d := JiraDemoData()
		d.Moved = map[string]string{"PAY-7": "CHK-9"}
		d.Issues[2].Hidden = true // PAY-3
		return d
	}
	for _, tc := range []struct {
		name, jql string
		status    int
		want      string
	}{
		{name: "should refuse a deleted key as a range bound", jql: `issuekey >= "PAY-99"`, status: 400,
			want: "An issue with key 'PAY-99' does not exist for field 'issuekey'."},
		{name: "should refuse a security-hidden key as a range bound", jql: `key < "PAY-3"`, status: 400,
			want: "An issue with key 'PAY-3' does not exist for field 'key'."},
		{name: "should refuse a moved key as a range bound", jql: `issuekey >= "PAY-7"`, status: 400,
			want: "Operator '>=' cannot be applied to moved issue key 'PAY-7'."},
		{name: "should take an existing key as a range bound and leave hidden issues out", jql: `project = PAY AND issuekey >= "PAY-2"`, status: 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := NewJira(gaps(), JiraCloud, WithJiraTB(t))
			resp, body := jiraDo(t, j, searchPath(JiraCloud, tc.jql, nil), jiraAuth(JiraCloud))
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if tc.status != 200 {
				var e struct {
					ErrorMessages []string          `json:"errorMessages"`
					Errors        map[string]string `json:"errors"`
				}
				if err := json.Unmarshal(body, &e); err != nil || len(e.ErrorMessages) != 1 || e.ErrorMessages[0] != tc.want || e.Errors == nil {
					t.Errorf("body %s, want errorMessages [%q] and errors {}", body, tc.want)
				}
				return
			}
			if got := decodePage(t, body).keys(); !slices.Equal(got, []string{"PAY-2", "PAY-4", "PAY-5", "PAY-6"}) {
				t.Errorf("keys %q", got)
			}
		})
	}
	t.Run("should answer 500 Search limit exceeded past Data Center's result window", func(t *testing.T) {
		j := NewJira(JiraGenerate(1, 30), JiraDataCenter, WithJiraTB(t))
		resp, body := jiraDo(t, j, searchPath(JiraDataCenter, "project = P1", url.Values{"startAt": {"10000"}, "maxResults": {"100"}}), jiraAuth(JiraDataCenter))
		var e struct {
			Message    string `json:"message"`
			StatusCode int    `json:"status-code"`
			StackTrace string `json:"stack-trace"`
		}
		if resp.StatusCode != 500 || json.Unmarshal(body, &e) != nil || e.StatusCode != 500 || e.StackTrace == "" ||
			!strings.HasPrefix(e.Message, "Search limit exceeded. We couldn't complete your search because it requests 10,100 results which exceeded the search platform limit of 10,000.") {
			t.Errorf("status %d body %s", resp.StatusCode, body)
		}
		resp, _ = jiraDo(t, j, searchPath(JiraDataCenter, "project = P1", url.Values{"startAt": {"9900"}, "maxResults": {"100"}}), jiraAuth(JiraDataCenter))
		if resp.StatusCode != 200 {
			t.Errorf("startAt 9900 + 100: status %d, want 200", resp.StatusCode)
		}
	})
	t.Run("should report a Data Center total it does not have and ignore startAt", func(t *testing.T) {
		j := NewJira(JiraGenerate(1, 150), JiraDataCenter, WithJiraTB(t), WithJiraFaults(JiraFaults{DCTotal: 2_000_000_000, IgnoreStartAt: true}))
		_, body := jiraDo(t, j, searchPath(JiraDataCenter, "project = P1", url.Values{"startAt": {"100"}}), jiraAuth(JiraDataCenter))
		p := decodePage(t, body)
		if p.Total == nil || *p.Total != 2_000_000_000 || len(p.Issues) == 0 || p.Issues[0].Key != "P1-1" {
			t.Errorf("total %v, first %q", p.Total, p.keys())
		}
	})
	t.Run("should hand out a fresh nextPageToken forever, starting over", func(t *testing.T) {
		j := NewJira(JiraDemoData(), JiraCloud, WithJiraTB(t), WithJiraFaults(JiraFaults{FreshTokens: true}), WithJiraPageCap(4, 50, 100))
		seen := map[string]bool{}
		token := ""
		var keys []string
		for i := 0; i < 4; i++ {
			_, body := jiraDo(t, j, searchPath(JiraCloud, "project = PAY", url.Values{"nextPageToken": {token}}), jiraAuth(JiraCloud))
			p := decodePage(t, body)
			if p.IsLast == nil || *p.IsLast || seen[p.NextPageToken] {
				t.Fatalf("page %d: isLast %v, token %q seen %v", i+1, p.IsLast, p.NextPageToken, seen[p.NextPageToken])
			}
			seen[p.NextPageToken] = true
			token = p.NextPageToken
			keys = append(keys, p.keys()...)
		}
		if want := []string{"PAY-1", "PAY-2", "PAY-3", "PAY-4", "PAY-5", "PAY-6", "PAY-1", "PAY-2", "PAY-3", "PAY-4", "PAY-5", "PAY-6"}; !slices.Equal(keys[:12], want) {
			t.Errorf("keys %q", keys)
		}
	})
}
