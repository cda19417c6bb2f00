package fake

//lint:file-ignore ST1005 the fake answers with Jira's own error texts, word for word

import (
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

//go:embed testdata/jira/*.json
var jiraFixtures embed.FS

// JiraMode selects which Jira deployment the fake imitates.
type JiraMode int

// The two Jira deployments.
const (
	// JiraCloud serves /rest/api/2/search/jql (nextPageToken, isLast, no
	// total), answers 410 Gone on the old /rest/api/2/search, wants basic
	// auth (email + API token) and identifies users by accountId.
	JiraCloud JiraMode = iota
	// JiraDataCenter serves /rest/api/2/search (startAt, total), has no
	// /search/jql, wants a bearer personal access token, identifies users
	// by name/key and links epics through the Epic Link custom field.
	JiraDataCenter
)

func (m JiraMode) String() string {
	if m == JiraDataCenter {
		return "datacenter"
	}
	return "cloud"
}

// JiraUser is a Jira user as the fake serves it: accountId on Cloud,
// name/key on Data Center.
type JiraUser struct {
	AccountID   string
	Name        string
	Key         string
	Email       string
	DisplayName string
	// Inactive renders "active": false.
	Inactive bool
}

// JiraField is one entry of /rest/api/2/field.
type JiraField struct {
	ID     string
	Name   string
	Custom bool
	// SchemaType is the schema type ("user", "array", "string", "option",
	// "any"); SchemaItems the item type of arrays; SchemaCustom the plugin
	// key of custom fields.
	SchemaType   string
	SchemaItems  string
	SchemaCustom string
}

// JiraIssue is one issue of the fake's data set.
type JiraIssue struct {
	Key     string
	Summary string
	// ProjectKey is the issue's project when it is not the key's prefix
	// (the project's key was changed, or the issue was moved, and Jira kept
	// the old key).
	ProjectKey string
	Type       string
	// HierarchyLevel is sent on Cloud only (-1 sub-task, 0 base, 1 epic).
	HierarchyLevel int
	Subtask        bool
	Status         string
	// StatusCategory is the category key: new, indeterminate or done.
	StatusCategory string
	Labels         []string
	Components     []string
	Assignee       *JiraUser
	Reporter       *JiraUser
	// Parent is the fields.parent key (sub-tasks everywhere; every level
	// on Cloud).
	Parent  string
	Created time.Time
	Updated time.Time
	// Custom holds custom field values by field id, as JSON-encodable
	// values: a JiraUser, []JiraUser, a string, or any raw value.
	Custom map[string]any
	// Hidden is an issue under a security level the account cannot see:
	// search leaves it out, and as a key bound it does not exist.
	Hidden bool
}

// Project is the issue's project key: ProjectKey, else the part of the key
// before "-".
func (i JiraIssue) Project() string {
	if i.ProjectKey != "" {
		return i.ProjectKey
	}
	p, _, _ := strings.Cut(i.Key, "-")
	return p
}

// JiraChange is one changelog entry item.
type JiraChange struct {
	At         time.Time
	Author     *JiraUser
	Field      string
	FieldType  string // "jira" or "custom"
	FieldID    string
	From       string
	FromString string
	To         string
	ToString   string
	// FromUser and ToUser, for user fields, fill From/To with the
	// accountId (Cloud) or username (Data Center) and the strings with
	// display names.
	FromUser, ToUser *JiraUser
}

// JiraStatus is one entry of /rest/api/2/status: a workflow status and the
// key of its category.
type JiraStatus struct {
	ID   string
	Name string
	// Category is the status category key: new, indeterminate, done or
	// undefined.
	Category string
}

// jiraCategories are Jira's built-in status categories by key, as
// /rest/api/2/statuscategory lists them: id, colorName and name.
var jiraCategories = map[string]struct {
	id          int
	color, name string
}{
	"undefined":     {1, "medium-gray", "No Category"},
	"new":           {2, "blue-gray", "To Do"},
	"done":          {3, "green", "Done"},
	"indeterminate": {4, "yellow", "In Progress"},
}

// JiraData is everything the fake serves.
type JiraData struct {
	Issues []JiraIssue
	Fields []JiraField
	// Statuses is the site's status list (/rest/api/2/status); nil serves
	// JiraDemoStatuses.
	Statuses []JiraStatus
	// Groups maps a group name to its members.
	Groups map[string][]JiraUser
	// Changelogs maps an issue key to its history, oldest first.
	Changelogs map[string][]JiraChange
	// Moved maps the old key of a moved issue to its current key. Jira
	// keeps the old key as an alias, but refuses it as the bound of a
	// relational operator ("Operator '>=' cannot be applied to moved issue
	// key 'X'.").
	Moved map[string]string
}

// JiraFaults switch on failures. Counted faults (N > 0) fire on the first N
// matching requests and then stop.
type JiraFaults struct {
	// RateLimited answers 429 with Retry-After and X-RateLimit-Reset to the
	// first N search requests.
	RateLimited int
	// RetryAfter is the Retry-After value in seconds (default 2).
	RetryAfter int
	// ServerErrors answers 503 to the first N search requests.
	ServerErrors int
	// JQLErrors, when set, answers 400 with these errorMessages to every
	// search request.
	JQLErrors []string
	// Unauthorized answers 401 to every authenticated request.
	Unauthorized bool
	// Forbidden answers 403 to every search request.
	Forbidden bool
	// TruncatedJSON cuts search response bodies in half.
	TruncatedJSON bool
	// RepeatToken makes Cloud search hand out the same nextPageToken
	// forever with isLast false.
	RepeatToken bool
	// ChangelogNoTotal leaves total out of Cloud changelog pages (isLast
	// stays), as the paged changelog's schema allows.
	ChangelogNoTotal bool
	// StatusList, when non-zero, answers every /rest/api/2/status request
	// with this HTTP status (404 or 403: a site or proxy that does not let
	// the account read the status list).
	StatusList int
	// FreshTokens makes Cloud search answer isLast false with a new
	// nextPageToken on every page, starting over at the first issue after
	// the last one: endless pages that repeat issues already read.
	FreshTokens bool
	// DCTotal, when non-zero, is the total every Data Center search
	// reports, whatever it matched (say two billion).
	DCTotal int
	// IgnoreStartAt makes Data Center search serve the first page whatever
	// startAt asks for: every page repeats the issues already read.
	IgnoreStartAt bool
}

// JiraOption tunes a fake Jira server.
type JiraOption func(*Jira)

// WithJiraLatency delays every response by d (benchmarks only: it really
// sleeps).
func WithJiraLatency(d time.Duration) JiraOption { return func(j *Jira) { j.latency = d } }

// WithJiraFaults switches faults on.
func WithJiraFaults(f JiraFaults) JiraOption { return func(j *Jira) { j.faults = f } }

// WithJiraCredentials sets the credentials the fake accepts: Cloud wants
// basic auth email:token, Data Center wants Bearer token.
func WithJiraCredentials(email, token string) JiraOption {
	return func(j *Jira) { j.email, j.token = email, token }
}

// WithJiraAcceptAuth makes the fake also accept these Authorization header
// values in either mode, e.g. a bearer token on a Cloud site, so that a test
// gets past authentication to the answer of an endpoint (the 410 Gone of the
// removed search) under the wrong deployment setting.
func WithJiraAcceptAuth(values ...string) JiraOption {
	return func(j *Jira) { j.acceptAuth = append(j.acceptAuth, values...) }
}

// WithJiraPageCap caps the page size of searches (Cloud lowers maxResults
// when many fields are asked for), group member pages and changelog pages.
func WithJiraPageCap(search, group, changelog int) JiraOption {
	return func(j *Jira) { j.searchCap, j.groupCap, j.changelogCap = search, group, changelog }
}

// WithJiraSilentPageCap makes Data Center search return at most n issues a
// page while its answer still reports the maxResults it would have used
// (the requested size, capped by WithJiraPageCap), as a server or proxy
// that limits the answer without saying so.
func WithJiraSilentPageCap(n int) JiraOption { return func(j *Jira) { j.silentCap = n } }

// WithJiraHiddenProjects leaves these project keys out of the project list
// (/rest/api/2/project) while search still finds their issues, as Jira does
// for projects the list does not show (archived ones, or past a listing
// limit).
func WithJiraHiddenProjects(keys ...string) JiraOption {
	return func(j *Jira) { j.hiddenProjects = append(j.hiddenProjects, keys...) }
}

// WithJiraCountSkew adds n to every approximate count, as Jira's estimate
// may be off (its index lags behind recent changes).
func WithJiraCountSkew(n int) JiraOption { return func(j *Jira) { j.countSkew = n } }

// WithJiraResultWindow sets Data Center's search result window
// (jira.search.platform.max.result.window, 10,000 unless set): a search page
// whose startAt + maxResults passes it answers 500 "Search limit exceeded".
// n < 0 lifts the limit.
func WithJiraResultWindow(n int) JiraOption { return func(j *Jira) { j.window = n } }

// WithJiraTB makes an unknown path or a wrong auth header fail tb and
// closes the server at the end of the test.
func WithJiraTB(tb testing.TB) JiraOption { return func(j *Jira) { j.tb = tb } }

// Jira is a fake Jira server over httptest.
type Jira struct {
	*httptest.Server
	Mode JiraMode

	data   JiraData
	faults JiraFaults
	tb     testing.TB

	latency                           time.Duration
	email, token                      string
	acceptAuth                        []string
	searchCap, groupCap, changelogCap int
	silentCap                         int
	hiddenProjects                    []string
	countSkew                         int
	window                            int
	fresh                             atomic.Int64

	mu         sync.Mutex
	byPath     map[string]int
	unexpected []string
	queries    []string
	counts     []string
	view       *jiraView
	byKey      map[string]int // issue index by key; fixed after NewJira
	rateLeft   int
	errLeft    int
	requests   atomic.Int64
}

// jiraView is one version of the issues with the caches derived from it.
// UpdateIssue replaces the whole view, so a request in flight keeps reading
// the version it started with, as a database snapshot would.
type jiraView struct {
	issues   []JiraIssue         // sorted by key; the set of keys never changes
	rendered map[string][][]byte // by fields parameter, then issue index
	hits     map[string][]int    // by JQL
}

// Default credentials of the fake.
const (
	JiraEmail = "bot@acme.example"
	JiraToken = "fake-jira-token-s3cr3t"
)

// NewJira starts a fake Jira in the given mode.
func NewJira(data JiraData, mode JiraMode, opts ...JiraOption) *Jira {
	j := &Jira{
		Mode: mode, data: data, email: JiraEmail, token: JiraToken,
		searchCap: 100, groupCap: 50, changelogCap: 100, window: 10000,
		byPath: map[string]int{},
	}
	for _, o := range opts {
		o(j)
	}
	j.rateLeft, j.errLeft = j.faults.RateLimited, j.faults.ServerErrors
	issues := slices.Clone(j.data.Issues)
	sort.SliceStable(issues, func(a, b int) bool { return issueLess(issues[a].Key, issues[b].Key) })
	j.data.Issues = nil // read through j.current()
	j.view = &jiraView{issues: issues, rendered: map[string][][]byte{}, hits: map[string][]int{}}
	j.byKey = make(map[string]int, len(issues))
	for i, is := range issues {
		j.byKey[is.Key] = i
	}
	j.Server = httptest.NewServer(http.HandlerFunc(j.serve))
	if j.tb != nil {
		j.tb.Cleanup(j.Close)
	}
	return j
}

// UpdateIssue changes the issue with this key (say, closes it) while the
// server runs: requests that arrive afterwards see the change, requests in
// flight do not. It reports whether the key exists. Safe for concurrent use.
func (j *Jira) UpdateIssue(key string, change func(*JiraIssue)) bool {
	i, ok := j.byKey[key]
	if !ok {
		return false
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	issues := slices.Clone(j.view.issues)
	change(&issues[i])
	issues[i].Key = key
	j.view = &jiraView{issues: issues, rendered: map[string][][]byte{}, hits: map[string][]int{}}
	return true
}

func (j *Jira) current() *jiraView {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.view
}

// Requests is the number of requests served so far.
func (j *Jira) Requests() int { return int(j.requests.Load()) }

// RequestsTo is the number of requests served for one path.
func (j *Jira) RequestsTo(path string) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.byPath[path]
}

// Unexpected lists requests the fake did not know how to answer.
func (j *Jira) Unexpected() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]string(nil), j.unexpected...)
}

// Queries lists the JQL of every search request, in arrival order.
func (j *Jira) Queries() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]string(nil), j.queries...)
}

// Counts lists the JQL of every approximate-count request, in arrival order.
func (j *Jira) Counts() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]string(nil), j.counts...)
}

func (j *Jira) fail(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	j.mu.Lock()
	j.unexpected = append(j.unexpected, msg)
	j.mu.Unlock()
	if j.tb != nil {
		j.tb.Errorf("fake jira: %s", msg)
	}
}

// removedSearchAPI is what Jira Cloud answers on the search endpoints it
// removed.
const removedSearchAPI = "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"

func (j *Jira) serve(w http.ResponseWriter, r *http.Request) {
	j.requests.Add(1)
	j.mu.Lock()
	j.byPath[r.URL.Path]++
	j.mu.Unlock()
	if !waitLatency(r, j.latency) {
		return
	}
	if j.serveDoctor(w, r) {
		return
	}
	if r.Method != http.MethodGet && !(r.Method == http.MethodPost && isCountPath(r.URL.Path)) {
		j.fail("unexpected method %s %s", r.Method, r.URL)
		writeJiraError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if j.serveAnonymous(w, r) || !j.authorized(w, r) {
		return
	}
	if !dispatch(j.routes(), w, r, pathParts(r.URL.Path)) {
		j.unknownPath(w, r)
	}
}

func isCountPath(p string) bool {
	return p == "/rest/api/3/search/approximate-count" || p == "/rest/api/2/search/approximate-count"
}

// serveAnonymous answers what Jira answers whatever the credentials: the
// server info, and the removed search API on Cloud.
func (j *Jira) serveAnonymous(w http.ResponseWriter, r *http.Request) bool {
	switch p := r.URL.Path; {
	case p == "/rest/api/2/serverInfo":
		j.serveServerInfo(w)
	case (p == "/rest/api/2/search" || p == "/rest/api/3/search") && j.Mode == JiraCloud:
		writeJiraError(w, http.StatusGone, removedSearchAPI)
	default:
		return false
	}
	return true
}

func (j *Jira) unknownPath(w http.ResponseWriter, r *http.Request) {
	j.fail("unknown path %s", r.URL)
	writeJiraError(w, http.StatusNotFound, "null for uri: "+r.URL.String())
}

// routes are the endpoints an authorised request reaches. Cloud and Data
// Center answer some of them differently (the search API each has, the
// changelog endpoint), as the real deployments do.
func (j *Jira) routes() []route {
	get := http.MethodGet
	rs := []route{
		{get, "rest/api/2/field", func(w http.ResponseWriter, _ *http.Request, _ []string) { j.serveFields(w) }},
		{get, "rest/api/2/project", func(w http.ResponseWriter, _ *http.Request, _ []string) { j.serveProjects(w) }},
		{get, "rest/api/2/status", func(w http.ResponseWriter, _ *http.Request, _ []string) { j.serveStatuses(w) }},
		{get, "rest/api/2/group/member", func(w http.ResponseWriter, r *http.Request, _ []string) { j.serveGroup(w, r) }},
		{get, "rest/api/3/issue/*/changelog", j.routeChangelog},
		{get, "rest/api/2/issue/*", j.routeExpandedChangelog},
	}
	for _, v := range []string{"2", "3"} {
		rs = append(rs,
			route{http.MethodPost, "rest/api/" + v + "/search/approximate-count", j.routeCount},
			route{get, "rest/api/" + v + "/search/approximate-count", j.routeCount},
			route{get, "rest/api/" + v + "/search/jql", j.routeEnhancedSearch},
			route{get, "rest/api/" + v + "/search", j.routeSearch},
		)
	}
	return rs
}

// routeCount serves the approximate count: Cloud only, and only by POST.
func (j *Jira) routeCount(w http.ResponseWriter, r *http.Request, _ []string) {
	if j.Mode == JiraDataCenter || r.Method != http.MethodPost {
		j.fail("approximate count asked with %s in %s mode", r.Method, j.Mode)
		writeJiraError(w, http.StatusNotFound, "null for uri: "+r.URL.String())
		return
	}
	j.serveCount(w, r)
}

// routeEnhancedSearch serves /search/jql, which Data Center does not have.
func (j *Jira) routeEnhancedSearch(w http.ResponseWriter, r *http.Request, _ []string) {
	if j.Mode == JiraDataCenter {
		writeJiraError(w, http.StatusNotFound, "null for uri: "+r.URL.String())
		return
	}
	j.serveSearch(w, r)
}

// routeSearch serves /search, which Cloud removed.
func (j *Jira) routeSearch(w http.ResponseWriter, r *http.Request, _ []string) {
	if j.Mode == JiraCloud {
		writeJiraError(w, http.StatusGone, removedSearchAPI)
		return
	}
	j.serveSearch(w, r)
}

// routeChangelog serves Cloud's paged changelog of one issue.
func (j *Jira) routeChangelog(w http.ResponseWriter, r *http.Request, a []string) {
	if j.Mode != JiraCloud {
		j.unknownPath(w, r)
		return
	}
	j.serveChangelog(w, r, a[0])
}

// routeExpandedChangelog serves Data Center's issue with
// ?expand=changelog, the only issue read pomlint makes there.
func (j *Jira) routeExpandedChangelog(w http.ResponseWriter, r *http.Request, a []string) {
	if j.Mode != JiraDataCenter || r.URL.Query().Get("expand") != "changelog" {
		j.unknownPath(w, r)
		return
	}
	j.serveExpandedChangelog(w, r, a[0])
}

func (j *Jira) authorized(w http.ResponseWriter, r *http.Request) bool {
	got := r.Header.Get("Authorization")
	want := "Bearer " + j.token
	if j.Mode == JiraCloud {
		want = "Basic " + base64.StdEncoding.EncodeToString([]byte(j.email+":"+j.token))
	}
	if got != want && slices.Contains(j.acceptAuth, got) {
		want = got
	}
	if j.faults.Unauthorized || got != want {
		if !j.faults.Unauthorized {
			j.fail("wrong Authorization header for %s mode on %s", j.Mode, r.URL.Path)
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="protected-area"`)
		writeJiraError(w, http.StatusUnauthorized, "You are not authenticated. Authentication required to perform this operation.")
		return false
	}
	return true
}

func writeJiraError(w http.ResponseWriter, status int, msgs ...string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errorMessages": msgs, "errors": map[string]string{}})
}

func writeJSON(w http.ResponseWriter, v any, truncate bool) {
	b, err := json.Marshal(v)
	if err != nil {
		writeJiraError(w, http.StatusInternalServerError, err.Error())
		return
	}
	if truncate {
		b = b[:len(b)/2]
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_, _ = w.Write(b)
}

func (j *Jira) serveServerInfo(w http.ResponseWriter) {
	b, err := jiraFixtures.ReadFile("testdata/jira/jira-cli-serverinfo.json")
	if err != nil {
		writeJiraError(w, http.StatusInternalServerError, err.Error())
		return
	}
	var info map[string]any
	if err := json.Unmarshal(b, &info); err != nil {
		writeJiraError(w, http.StatusInternalServerError, err.Error())
		return
	}
	info["baseUrl"] = j.URL
	if j.Mode == JiraDataCenter {
		info["deploymentType"] = "Server"
		info["version"] = "9.12.2"
		info["versionNumbers"] = []int{9, 12, 2}
	}
	writeJSON(w, info, false)
}

func (j *Jira) serveFields(w http.ResponseWriter) {
	out := []map[string]any{
		{"id": "summary", "key": "summary", "name": "Summary", "custom": false, "schema": map[string]any{"type": "string", "system": "summary"}},
		{"id": "assignee", "key": "assignee", "name": "Assignee", "custom": false, "schema": map[string]any{"type": "user", "system": "assignee"}},
		{"id": "issuetype", "key": "issuetype", "name": "Issue Type", "custom": false, "schema": map[string]any{"type": "issuetype", "system": "issuetype"}},
	}
	for _, f := range j.data.Fields {
		schema := map[string]any{"type": f.SchemaType}
		if f.SchemaItems != "" {
			schema["items"] = f.SchemaItems
		}
		if f.SchemaCustom != "" {
			schema["custom"] = f.SchemaCustom
		}
		m := map[string]any{"id": f.ID, "key": f.ID, "name": f.Name, "custom": f.Custom, "orderable": true, "navigable": true, "searchable": true,
			"clauseNames": []string{"cf[" + strings.TrimPrefix(f.ID, "customfield_") + "]", f.Name}, "schema": schema}
		out = append(out, m)
	}
	writeJSON(w, out, false)
}

// serveStatuses answers GET /rest/api/2/status: a JSON array of every
// status with its category, as Jira Cloud and Data Center send it.
func (j *Jira) serveStatuses(w http.ResponseWriter) {
	if code := j.faults.StatusList; code != 0 {
		writeJiraError(w, code, http.StatusText(code))
		return
	}
	list := j.data.Statuses
	if list == nil {
		list = JiraDemoStatuses()
	}
	out := make([]map[string]any, 0, len(list))
	for _, st := range list {
		out = append(out, map[string]any{"self": j.URL + "/rest/api/2/status/" + st.ID, "description": "", "iconUrl": j.URL + "/",
			"name": st.Name, "id": st.ID, "statusCategory": j.renderCategory(st.Category)})
	}
	writeJSON(w, out, false)
}

// statusID is the id of the status named name in the status list, else
// "10000".
func (j *Jira) statusID(name string) string {
	list := j.data.Statuses
	if list == nil {
		list = JiraDemoStatuses()
	}
	for _, st := range list {
		if st.Name == name {
			return st.ID
		}
	}
	return "10000"
}

// renderCategory is the statusCategory object of a category key.
func (j *Jira) renderCategory(key string) map[string]any {
	c, ok := jiraCategories[key]
	if !ok {
		key, c = "undefined", jiraCategories["undefined"]
	}
	return map[string]any{"self": j.URL + "/rest/api/2/statuscategory/" + strconv.Itoa(c.id), "id": c.id, "key": key,
		"colorName": c.color, "name": c.name}
}

func (j *Jira) serveProjects(w http.ResponseWriter) {
	seen := map[string]bool{}
	for _, k := range j.hiddenProjects {
		seen[k] = true
	}
	out := []map[string]any{}
	for _, is := range j.current().issues {
		p := is.Project()
		if !seen[p] {
			seen[p] = true
			out = append(out, map[string]any{"key": p, "id": strconv.Itoa(10000 + len(out)), "name": "Project " + p})
		}
	}
	writeJSON(w, out, false)
}

// searchFault applies the counted and permanent search faults; it reports
// whether it answered.
func (j *Jira) searchFault(w http.ResponseWriter) bool {
	j.mu.Lock()
	rate, serr := j.rateLeft > 0, false
	if rate {
		j.rateLeft--
	} else if j.errLeft > 0 {
		j.errLeft--
		serr = true
	}
	j.mu.Unlock()
	switch {
	case rate:
		after := j.faults.RetryAfter
		if after == 0 {
			after = 2
		}
		w.Header().Set("Retry-After", strconv.Itoa(after))
		w.Header().Set("X-RateLimit-Reset", time.Now().UTC().Add(time.Duration(after)*time.Second).Format(time.RFC3339))
		writeJiraError(w, http.StatusTooManyRequests, "Rate limit exceeded.")
	case serr:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("<html><body>Service Unavailable</body></html>"))
	case j.faults.Forbidden:
		writeJiraError(w, http.StatusForbidden, "You do not have the permission to see the specified issue.")
	case len(j.faults.JQLErrors) > 0:
		writeJiraError(w, http.StatusBadRequest, j.faults.JQLErrors...)
	default:
		return false
	}
	return true
}

func (j *Jira) serveSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	jql := q.Get("jql")
	j.mu.Lock()
	j.queries = append(j.queries, jql)
	j.mu.Unlock()
	if j.searchFault(w) {
		return
	}
	v := j.current()
	hits, err := j.hits(v, jql)
	if err != nil {
		writeJiraError(w, http.StatusBadRequest, err.Error())
		return
	}
	size := 50
	if v := q.Get("maxResults"); v != "" {
		size, _ = strconv.Atoi(v)
	}
	if size <= 0 || size > j.searchCap {
		size = j.searchCap
	}
	fields := q.Get("fields")
	b := make([]byte, 0, 256+2048*size) // an issue is about 1.7 kB
	if j.Mode == JiraCloud {
		start := 0
		if tok := q.Get("nextPageToken"); tok != "" {
			raw, err := base64.RawURLEncoding.DecodeString(tok)
			if err != nil {
				writeJiraError(w, http.StatusBadRequest, "Invalid nextPageToken.")
				return
			}
			off, _, _ := strings.Cut(strings.TrimPrefix(string(raw), "offset:"), ";")
			start, _ = strconv.Atoi(off)
		}
		end := min(start+size, len(hits))
		start = min(start, end)
		isLast, next := end >= len(hits), ""
		if !isLast {
			next = base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(end)))
		}
		if j.faults.RepeatToken {
			isLast, next = false, base64.RawURLEncoding.EncodeToString([]byte("offset:0"))
		}
		if j.faults.FreshTokens {
			restart := end
			if restart >= len(hits) {
				restart = 0
			}
			isLast = false
			next = base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(restart) + ";" + strconv.FormatInt(j.fresh.Add(1), 10)))
		}
		b = append(b, `{"issues":`...)
		b = j.appendIssues(b, v, hits[start:end], fields)
		b = append(b, `,"isLast":`...)
		b = strconv.AppendBool(b, isLast)
		if next != "" {
			b = append(b, `,"nextPageToken":`...)
			b = strconv.AppendQuote(b, next)
		}
		b = append(b, '}')
	} else {
		start, _ := strconv.Atoi(q.Get("startAt"))
		if j.window >= 0 && start+size > j.window {
			writeSearchLimit(w, start+size, j.window)
			return
		}
		if j.faults.IgnoreStartAt {
			start = 0
		}
		served := size
		if j.silentCap > 0 {
			served = min(size, j.silentCap)
		}
		end := min(start+served, len(hits))
		start = min(max(start, 0), end)
		total := len(hits)
		if j.faults.DCTotal != 0 {
			total = j.faults.DCTotal
		}
		b = fmt.Appendf(b, `{"expand":"schema,names","startAt":%d,"maxResults":%d,"total":%d,"issues":`, start, size, total)
		b = j.appendIssues(b, v, hits[start:end], fields)
		b = append(b, '}')
	}
	if j.faults.TruncatedJSON {
		b = b[:len(b)/2]
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// hits returns the indexes (into data.Issues) of the issues a JQL query
// matches, in result order. Results are cached per query: the data never
// changes, and a benchmark should measure the client, not the fake.
func (j *Jira) hits(v *jiraView, jql string) ([]int, error) {
	j.mu.Lock()
	h, ok := v.hits[jql]
	j.mu.Unlock()
	if ok {
		return h, nil
	}
	match, desc, err := compileJQL(jql, j.keyBound)
	if err != nil {
		return nil, err
	}
	h = []int{}
	for i, is := range v.issues {
		if !is.Hidden && match(is) {
			h = append(h, i)
		}
	}
	if desc {
		slices.Reverse(h)
	}
	j.mu.Lock()
	v.hits[jql] = h
	j.mu.Unlock()
	return h, nil
}

// keyBound answers as Jira does for the key bound of a relational operator:
// the old key of a moved issue is refused, and a key that does not exist
// (deleted, never created) or that the account cannot see is an error.
func (j *Jira) keyBound(op, field, key string) error {
	if _, moved := j.data.Moved[strings.ToUpper(key)]; moved {
		return fmt.Errorf("Operator '%s' cannot be applied to moved issue key '%s'.", op, key)
	}
	i, ok := j.byKey[strings.ToUpper(key)]
	if !ok || j.current().issues[i].Hidden {
		return fmt.Errorf("An issue with key '%s' does not exist for field '%s'.", key, field)
	}
	return nil
}

// writeSearchLimit answers as Data Center does when startAt + maxResults
// passes the search platform's result window: 500 with Jira's uncaught
// exception body (message, status-code, stack-trace).
func writeSearchLimit(w http.ResponseWriter, requested, window int) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusInternalServerError)
	msg := fmt.Sprintf("Search limit exceeded. We couldn't complete your search because it requests %s results which exceeded the search platform limit of %s. Try refining your query or contact your Jira administrator. Repeating the same search may not work.",
		thousands(requested), thousands(window))
	_ = json.NewEncoder(w).Encode(map[string]any{"message": msg, "status-code": 500,
		"stack-trace": "Please contact your admin passing attached Log's referral number: 91a9a4e4-244c-4d3a-939d-c50b92d49d02"})
}

// thousands writes n with comma thousands separators, as Jira's message does.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func (j *Jira) renderUser(u *JiraUser) any {
	if u == nil {
		return nil
	}
	m := map[string]any{"displayName": u.DisplayName, "active": !u.Inactive, "timeZone": "Europe/Berlin"}
	if j.Mode == JiraCloud {
		m["accountId"] = u.AccountID
		m["accountType"] = "atlassian"
		m["self"] = j.URL + "/rest/api/2/user?accountId=" + u.AccountID
	} else {
		m["name"] = u.Name
		m["key"] = u.Key
		m["self"] = j.URL + "/rest/api/2/user?username=" + u.Name
	}
	if u.Email != "" {
		m["emailAddress"] = u.Email
	}
	return m
}

func jiraTime(t time.Time) string { return t.Format("2006-01-02T15:04:05.000-0700") }

// appendIssues appends the JSON array of the issues at idx, caching each
// issue's JSON per field list so that a benchmark measures the client, not
// the fake's encoder.
func (j *Jira) appendIssues(b []byte, v *jiraView, idx []int, fields string) []byte {
	var want []string
	if fields != "" {
		want = strings.Split(fields, ",")
	}
	j.mu.Lock()
	cache := v.rendered[fields]
	if cache == nil {
		cache = make([][]byte, len(v.issues))
		v.rendered[fields] = cache
	}
	j.mu.Unlock()
	b = append(b, '[')
	for n, i := range idx {
		if n > 0 {
			b = append(b, ',')
		}
		j.mu.Lock()
		enc := cache[i]
		j.mu.Unlock()
		if enc == nil {
			var err error
			if enc, err = json.Marshal(j.renderIssue(v, v.issues[i], want)); err != nil {
				enc = []byte("null")
			}
			j.mu.Lock()
			cache[i] = enc
			j.mu.Unlock()
		}
		b = append(b, enc...)
	}
	return append(b, ']')
}

// renderIssue is one issue of a search answer, with the fields asked for
// (want; none or "*all" is every field), in the deployment's shape.
func (j *Jira) renderIssue(v *jiraView, is JiraIssue, want []string) map[string]any {
	id := strconv.Itoa(10000 + issueNumber(is.Key))
	if j.Mode == JiraCloud && len(want) == 0 {
		return map[string]any{"id": id} // /search/jql returns only ids unless fields is given
	}
	labels := is.Labels
	if labels == nil {
		labels = []string{}
	}
	all := map[string]any{
		"summary":    is.Summary,
		"issuetype":  j.renderIssueType(is),
		"status":     map[string]any{"name": is.Status, "id": j.statusID(is.Status), "statusCategory": j.renderCategory(is.StatusCategory)},
		"assignee":   j.renderUser(is.Assignee),
		"reporter":   j.renderUser(is.Reporter),
		"labels":     labels,
		"components": j.renderComponents(is.Components),
		"project":    map[string]any{"self": j.URL + "/rest/api/2/project/" + is.Project(), "key": is.Project(), "name": "Project " + is.Project(), "id": "10302"},
		"created":    jiraTime(is.Created),
		"updated":    jiraTime(is.Updated),
	}
	j.renderParent(v, is, all)
	for id, val := range is.Custom {
		all[id] = j.renderCustom(val)
	}
	return map[string]any{"expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields", "id": id,
		"self": j.URL + "/rest/api/2/issue/" + id, "key": is.Key, "fields": selectFields(all, want)}
}

func (j *Jira) renderIssueType(is JiraIssue) map[string]any {
	it := map[string]any{"self": j.URL + "/rest/api/2/issuetype/1", "id": "1", "name": is.Type, "subtask": is.Subtask, "avatarId": 10318}
	if j.Mode == JiraCloud {
		it["hierarchyLevel"] = is.HierarchyLevel
		it["entityId"] = "9d7dd6f7-e8b6-4247-954b-7b2c9b2a5ba2"
	}
	return it
}

func (j *Jira) renderComponents(names []string) []map[string]any {
	comps := []map[string]any{}
	for i, c := range names {
		comps = append(comps, map[string]any{"self": j.URL + "/rest/api/2/component/" + strconv.Itoa(i), "id": strconv.Itoa(10000 + i), "name": c})
	}
	return comps
}

// renderParent sets the fields linking is to its parent: the parent field
// on Cloud (and for a sub-task anywhere); on Data Center the Epic Link of a
// story, or the Parent Link (Advanced Roadmaps) of an epic, both a key
// string in a custom field.
func (j *Jira) renderParent(v *jiraView, is JiraIssue, fields map[string]any) {
	if is.Parent == "" {
		return
	}
	if j.Mode == JiraCloud || is.Subtask {
		fields["parent"] = map[string]any{"id": strconv.Itoa(10000 + issueNumber(is.Parent)), "key": is.Parent,
			"fields": map[string]any{"summary": "parent of " + is.Key, "status": map[string]any{"name": "To Do"}}}
	}
	if j.Mode == JiraDataCenter && !is.Subtask {
		link := "Parent Link"
		if p, ok := j.issue(v, is.Parent); ok && p.HierarchyLevel == 1 {
			link = "Epic Link"
		}
		if id := j.fieldID(link); id != "" {
			fields[id] = is.Parent
		}
	}
}

// renderCustom is a custom field's value, users in Jira's user shape.
func (j *Jira) renderCustom(val any) any {
	switch x := val.(type) {
	case JiraUser:
		return j.renderUser(&x)
	case *JiraUser:
		return j.renderUser(x)
	case []JiraUser:
		us := make([]any, 0, len(x))
		for i := range x {
			us = append(us, j.renderUser(&x[i]))
		}
		return us
	}
	return val
}

// selectFields keeps the fields asked for; a custom field asked for and not
// set is null, as Jira answers it.
func selectFields(all map[string]any, want []string) map[string]any {
	if len(want) == 0 || (len(want) == 1 && want[0] == "*all") {
		return all
	}
	f := map[string]any{}
	for _, name := range want {
		if v, ok := all[name]; ok {
			f[name] = v
		} else if strings.HasPrefix(name, "customfield_") {
			f[name] = nil
		}
	}
	return f
}

func (j *Jira) issue(v *jiraView, key string) (JiraIssue, bool) {
	if i, ok := j.byKey[key]; ok {
		return v.issues[i], true
	}
	return JiraIssue{}, false
}

func (j *Jira) fieldID(name string) string {
	for _, f := range j.data.Fields {
		if f.Name == name {
			return f.ID
		}
	}
	return ""
}

func (j *Jira) serveGroup(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	name := q.Get("groupname")
	members, ok := j.data.Groups[name]
	if !ok {
		writeJiraError(w, http.StatusNotFound, fmt.Sprintf("Group with name '%s' does not exist.", name))
		return
	}
	start, _ := strconv.Atoi(q.Get("startAt"))
	size, _ := strconv.Atoi(q.Get("maxResults"))
	if size <= 0 || size > j.groupCap {
		size = j.groupCap
	}
	end := min(start+size, len(members))
	start = min(start, end)
	vals := make([]any, 0, end-start)
	for i := start; i < end; i++ {
		vals = append(vals, j.renderUser(&members[i]))
	}
	writeJSON(w, map[string]any{"self": j.URL + r.URL.String(), "maxResults": size, "startAt": start, "total": len(members),
		"isLast": end >= len(members), "values": vals}, false)
}

func (j *Jira) histories(key string) ([]map[string]any, bool) {
	if _, found := j.byKey[key]; !found {
		return nil, false
	}
	var out []map[string]any
	for i, c := range j.data.Changelogs[key] {
		if c.FromUser != nil {
			c.From, c.FromString = j.userID(c.FromUser), c.FromUser.DisplayName
		}
		if c.ToUser != nil {
			c.To, c.ToString = j.userID(c.ToUser), c.ToUser.DisplayName
		}
		if c.Field == "IssueParentAssociation" && j.Mode == JiraDataCenter {
			c.Field, c.FieldType, c.FieldID = "Epic Link", "custom", j.fieldID("Epic Link")
		}
		fid := c.FieldID
		if fid == "" {
			fid = c.Field
		}
		ft := c.FieldType
		if ft == "" {
			ft = "jira"
		}
		item := map[string]any{"field": c.Field, "fieldtype": ft, "fieldId": fid, "from": nullable(c.From), "fromString": nullable(c.FromString),
			"to": nullable(c.To), "toString": nullable(c.ToString)}
		out = append(out, map[string]any{"id": strconv.Itoa(20000 + i), "author": j.renderUser(c.Author), "created": jiraTime(c.At),
			"items": []any{item}})
	}
	return out, true
}

func (j *Jira) userID(u *JiraUser) string {
	if j.Mode == JiraCloud {
		return u.AccountID
	}
	return u.Name
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (j *Jira) serveChangelog(w http.ResponseWriter, r *http.Request, key string) {
	hs, ok := j.histories(key)
	if !ok {
		writeJiraError(w, http.StatusNotFound, "Issue does not exist or you do not have permission to see it.")
		return
	}
	q := r.URL.Query()
	start, _ := strconv.Atoi(q.Get("startAt"))
	size, _ := strconv.Atoi(q.Get("maxResults"))
	if size <= 0 || size > j.changelogCap {
		size = j.changelogCap
	}
	end := min(start+size, len(hs))
	start = min(start, end)
	page := hs[start:end]
	if page == nil {
		page = []map[string]any{}
	}
	out := map[string]any{"self": j.URL + r.URL.String(), "maxResults": size, "startAt": start, "total": len(hs),
		"isLast": end >= len(hs), "values": page}
	if j.faults.ChangelogNoTotal {
		delete(out, "total")
	}
	writeJSON(w, out, false)
}

// serveCount answers Jira Cloud's POST /rest/api/3/search/approximate-count:
// a JSON body {"jql": "..."} (ORDER BY is ignored), answered with
// {"count": n}. The count here is exact plus WithJiraCountSkew.
func (j *Jira) serveCount(w http.ResponseWriter, r *http.Request) {
	var req struct {
		JQL *string `json:"jql"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.JQL == nil {
		writeJiraError(w, http.StatusBadRequest, "Invalid request payload. Refer to the REST API documentation and try again.")
		return
	}
	j.mu.Lock()
	j.counts = append(j.counts, *req.JQL)
	j.mu.Unlock()
	if j.searchFault(w) {
		return
	}
	hits, err := j.hits(j.current(), *req.JQL)
	if err != nil {
		writeJiraError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, map[string]any{"count": max(0, len(hits)+j.countSkew)}, false)
}

func (j *Jira) serveExpandedChangelog(w http.ResponseWriter, r *http.Request, key string) {
	hs, ok := j.histories(key)
	if !ok {
		writeJiraError(w, http.StatusNotFound, "Issue Does Not Exist")
		return
	}
	if hs == nil {
		hs = []map[string]any{}
	}
	id := strconv.Itoa(10000 + issueNumber(key))
	writeJSON(w, map[string]any{"expand": "renderedFields,names,schema,operations,editmeta,changelog", "id": id, "key": key,
		"fields": map[string]any{}, "changelog": map[string]any{"startAt": 0, "maxResults": len(hs), "total": len(hs), "histories": hs}}, false)
}

func issueNumber(key string) int {
	_, n, _ := strings.Cut(key, "-")
	v, _ := strconv.Atoi(n)
	return v
}

func issueLess(a, b string) bool {
	pa, _, _ := strings.Cut(a, "-")
	pb, _, _ := strings.Cut(b, "-")
	if pa != pb {
		return pa < pb
	}
	return issueNumber(a) < issueNumber(b)
}
