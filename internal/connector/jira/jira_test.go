package jira

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
	"github.com/pomlint/pomlint/internal/golden"
	"github.com/pomlint/pomlint/internal/model"
)

type setup struct {
	mode       fake.JiraMode
	deployment string // "" detect
	jql        string
	fields     []string
	data       *fake.JiraData
	faults     fake.JiraFaults
	opts       []fake.JiraOption
	env        map[string]string
	strictFake bool
	// concurrency is jira.concurrency (0: the default).
	concurrency int
	// transport is the base HTTP transport (nil: the default).
	transport http.RoundTripper
}

// countingTransport records the most requests in flight at once, from the
// start of a round trip until its body is closed.
type countingTransport struct {
	cur, max atomic.Int64
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	n := c.cur.Add(1)
	for m := c.max.Load(); n > m && !c.max.CompareAndSwap(m, n); m = c.max.Load() {
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		c.cur.Add(-1)
		return nil, err
	}
	resp.Body = &countedBody{ReadCloser: resp.Body, done: func() { c.cur.Add(-1) }}
	return resp, nil
}

type countedBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *countedBody) Close() error {
	b.once.Do(b.done)
	return b.ReadCloser.Close()
}

type harness struct {
	mu       sync.Mutex
	srv      *fake.Jira
	conn     *Connector
	clock    *fake.Clock
	notes    []connector.Notice
	progress []int
}

func (h *harness) Progress(_, _ string, done, _ int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.progress = append(h.progress, done)
}

func newHarness(t *testing.T, s setup) *harness {
	t.Helper()
	data := fake.JiraDemoData()
	if s.data != nil {
		data = *s.data
	}
	opts := append([]fake.JiraOption{fake.WithJiraFaults(s.faults)}, s.opts...)
	if s.strictFake {
		opts = append(opts, fake.WithJiraTB(t))
	}
	srv := fake.NewJira(data, s.mode, opts...)
	t.Cleanup(srv.Close)
	env := s.env
	if env == nil {
		env = map[string]string{"JIRA_EMAIL": fake.JiraEmail, "JIRA_API_TOKEN": fake.JiraToken}
	}
	jql := s.jql
	if jql == "" {
		jql = "project in (PAY, CHK) ORDER BY key ASC"
	}
	h := &harness{srv: srv, clock: fake.NewClock(time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))}
	src := config.Source{Name: "jira", Kind: KindName, Block: &Source{
		URL: srv.URL, Deployment: s.deployment, JQL: jql, Fields: s.fields, EmailEnv: "JIRA_EMAIL", TokenEnv: "JIRA_API_TOKEN",
		Concurrency: s.concurrency}}
	c, err := New(src, connector.Env{
		HTTP:     connector.HTTPOptions{Clock: h.clock, Jitter: func(time.Duration) time.Duration { return 0 }, Transport: s.transport},
		Getenv:   func(k string) string { return env[k] },
		Progress: h,
		Notify: func(n connector.Notice) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.notes = append(h.notes, n)
		},
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.conn = c.(*Connector)
	return h
}

var ownerFields = connector.FetchOptions{OwnerFields: []string{"Product Owner", "Product Manager"}}

func modes() []struct {
	name string
	mode fake.JiraMode
} {
	return []struct {
		name string
		mode fake.JiraMode
	}{{"cloud", fake.JiraCloud}, {"datacenter", fake.JiraDataCenter}}
}

func TestFetchGolden(t *testing.T) {
	for _, m := range modes() {
		t.Run("should fetch the demo site as the golden items in "+m.name, func(t *testing.T) {
			h := newHarness(t, setup{mode: m.mode, strictFake: true, fields: []string{"Stakeholders", "Delivery Team", "Owner Note"}})
			items, err := h.conn.Fetch(context.Background(), ownerFields)
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			raw, err := json.MarshalIndent(items, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got := []byte(strings.ReplaceAll(string(raw), h.srv.URL, "https://jira.acme.example"))
			golden.Assert(t, filepath.Join("testdata", "items-"+m.name+".golden.json"), append(got, '\n'))
		})
	}
}

func byKey(items []model.Item) map[string]model.Item {
	out := map[string]model.Item{}
	for _, it := range items {
		out[it.Key] = it
	}
	return out
}

func TestFetchFacts(t *testing.T) {
	for _, m := range modes() {
		t.Run("should map hierarchy, parents, identities and custom fields in "+m.name, func(t *testing.T) {
			h := newHarness(t, setup{mode: m.mode, strictFake: true, fields: []string{"Stakeholders"}})
			items, err := h.conn.Fetch(context.Background(), ownerFields)
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if len(items) != 9 {
				t.Fatalf("got %d items, want 9", len(items))
			}
			k := byKey(items)
			cloud := m.mode == fake.JiraCloud
			// Parents: fields.parent on Cloud; Epic Link / Parent Link on DC.
			for key, want := range map[string]string{"PAY-2": "PAY-1", "PAY-3": "PAY-2", "PAY-4": "PAY-3", "CHK-2": "CHK-1"} {
				if got := k[key].Parent; got != want {
					t.Errorf("%s parent = %q, want %q", key, got, want)
				}
			}
			lvl := func(key string) any {
				if p := k[key].HierarchyLevel; p != nil {
					return *p
				}
				return nil
			}
			if lvl("PAY-4") != -1 || lvl("PAY-2") != 1 || lvl("PAY-3") != 0 {
				t.Errorf("levels PAY-4 %v PAY-2 %v PAY-3 %v, want -1 1 0", lvl("PAY-4"), lvl("PAY-2"), lvl("PAY-3"))
			}
			if cloud && lvl("PAY-1") != 2 {
				t.Errorf("cloud PAY-1 level = %v, want 2", lvl("PAY-1"))
			}
			if !cloud && lvl("PAY-1") != nil {
				t.Errorf("datacenter Initiative level = %v, want unknown (nil)", lvl("PAY-1"))
			}
			po := k["PAY-5"].Fields["Product Owner"]
			if len(po.Users) != 1 || !po.Users[0].Inactive {
				t.Errorf("PAY-5 Product Owner = %+v, want one inactive user", po)
			}
			alice := k["PAY-1"].Assignees[0]
			if cloud && alice.Login != "5b10a2844c20165700ede21g" {
				t.Errorf("cloud login = %q, want the accountId", alice.Login)
			}
			if !cloud && (alice.Login != "alice" || alice.Key != "JIRAUSER10100") {
				t.Errorf("datacenter account = %+v, want login alice key JIRAUSER10100", alice)
			}
			if alice.Email != "alice@acme.example" || alice.Name != "Alice Chen" || alice.Inactive {
				t.Errorf("account = %+v", alice)
			}
			if st := k["PAY-3"].Fields["Stakeholders"]; len(st.Users) != 2 {
				t.Errorf("Stakeholders = %+v, want 2 users", st)
			}
			if !k["PAY-6"].Closed || k["PAY-3"].Closed {
				t.Errorf("closed: PAY-6 %v PAY-3 %v", k["PAY-6"].Closed, k["PAY-3"].Closed)
			}
			if u := k["PAY-3"].URL; u != h.srv.URL+"/browse/PAY-3" {
				t.Errorf("url = %q", u)
			}
			if len(h.progress) == 0 || h.progress[len(h.progress)-1] != 9 {
				t.Errorf("progress = %v, want to end at 9", h.progress)
			}
		})
	}
}

func TestDeploymentDetection(t *testing.T) {
	for _, m := range modes() {
		t.Run("should detect "+m.name+" from serverInfo", func(t *testing.T) {
			h := newHarness(t, setup{mode: m.mode, strictFake: true})
			d, err := h.conn.Deployment(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if d != m.name {
				t.Errorf("deployment = %q, want %q", d, m.name)
			}
		})
	}
	t.Run("should say to set deployment cloud when Cloud answers 410 on the old search", func(t *testing.T) {
		// The site takes the bearer token, so the 410 of the removed
		// search answers, not a 401.
		h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentDataCenter, strictFake: true,
			opts: []fake.JiraOption{fake.WithJiraAcceptAuth("Bearer " + fake.JiraToken)}})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		var ce *connector.ConfigError
		if !errors.As(err, &ce) || len(items) != 0 {
			t.Fatalf("items %d, err = %v; want a config error", len(items), err)
		}
		for _, want := range []string{"answered 410 Gone on /rest/api/2/search", "this site is Jira Cloud; set deployment: cloud (and email_env)", `source "jira"`} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("err = %v, want it to say %q", err, want)
			}
		}
		if strings.Contains(err.Error(), fake.JiraToken) || strings.Contains(err.Error(), "401") {
			t.Errorf("err = %v, want no token and no 401", err)
		}
		if h.srv.RequestsTo("/rest/api/2/search") != 1 {
			t.Errorf("%d requests to /rest/api/2/search, want 1", h.srv.RequestsTo("/rest/api/2/search"))
		}
	})
	t.Run("should say to set deployment cloud when the Cloud site rejects the bearer token", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentDataCenter})
		_, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		var ce *connector.ConfigError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "set deployment: cloud") || !strings.Contains(err.Error(), "401") {
			t.Errorf("err = %v, want a config error saying set deployment: cloud after the 401", err)
		}
	})
	t.Run("should say to set deployment datacenter when search/jql is 404", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraDataCenter, deployment: DeploymentCloud,
			opts: []fake.JiraOption{fake.WithJiraAcceptAuth("Basic " + base64.StdEncoding.EncodeToString([]byte(fake.JiraEmail+":"+fake.JiraToken)))}})
		_, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		var ce *connector.ConfigError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "has no /rest/api/2/search/jql (404), so it is not Jira Cloud: set deployment: datacenter") {
			t.Errorf("err = %v, want set deployment: datacenter after the 404", err)
		}
	})
}

func TestCustomFieldResolution(t *testing.T) {
	t.Run("should list the closest names for an unknown field", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraCloud, fields: []string{"Product Ownr"}})
		_, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		var ce *connector.ConfigError
		if !errors.As(err, &ce) {
			t.Fatalf("err = %v, want *connector.ConfigError", err)
		}
		if !strings.Contains(err.Error(), `"Product Ownr" (closest: "Product Owner"`) {
			t.Errorf("err = %v, want closest Product Owner first", err)
		}
	})
	t.Run("should match a field name case-insensitively", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraCloud})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{OwnerFields: []string{"product owner"}})
		if err != nil {
			t.Fatal(err)
		}
		if v := byKey(items)["PAY-3"].Fields["product owner"]; len(v.Users) != 1 || v.Users[0].Name != "Bob Stone" {
			t.Errorf("field = %+v", v)
		}
	})
	t.Run("should ask only for the needed fields", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraCloud})
		if _, err := h.conn.Fetch(context.Background(), ownerFields); err != nil {
			t.Fatal(err)
		}
		if h.srv.RequestsTo("/rest/api/2/field") != 1 {
			t.Errorf("field list read %d times, want 1", h.srv.RequestsTo("/rest/api/2/field"))
		}
	})
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name   string
		faults fake.JiraFaults
		env    map[string]string
		want   []string // substrings of the error; nil: success
	}{
		{name: "should wait out 429 with Retry-After and succeed", faults: fake.JiraFaults{RateLimited: 2, RetryAfter: 3}},
		{name: "should retry 5xx and succeed", faults: fake.JiraFaults{ServerErrors: 2}},
		{name: "should fail after too many 5xx", faults: fake.JiraFaults{ServerErrors: 50}, want: []string{"503"}},
		{name: "should show Jira's own JQL errorMessages", faults: fake.JiraFaults{JQLErrors: []string{"Field 'sprnt' does not exist or you do not have permission to view it.", "The value 'X' does not exist for the field 'project'."}},
			want: []string{"rejected the JQL", "Field 'sprnt' does not exist", "The value 'X' does not exist"}},
		{name: "should name the site and variables on 401", faults: fake.JiraFaults{Unauthorized: true}, want: []string{"401", "127.0.0.1", "JIRA_EMAIL", "JIRA_API_TOKEN"}},
		{name: "should say what to check on 403", faults: fake.JiraFaults{Forbidden: true}, want: []string{"403", "browse the projects"}},
		{name: "should report truncated JSON", faults: fake.JiraFaults{TruncatedJSON: true}, want: []string{"truncated or malformed JSON"}},
		{name: "should stop endless pagination on a repeated nextPageToken", faults: fake.JiraFaults{RepeatToken: true}, want: []string{"same nextPageToken"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := fake.JiraGenerate(1, 250)
			h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentCloud, data: &data, jql: "project = P1", faults: tt.faults})
			items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
			if tt.want == nil {
				if err != nil || len(items) != 250 {
					t.Fatalf("got %d items, err %v; want 250, nil", len(items), err)
				}
				return
			}
			if err == nil {
				t.Fatalf("got %d items and no error, want an error", len(items))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v\nwant it to contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), fake.JiraToken) {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
	t.Run("should sleep the Retry-After on the injected clock", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentCloud, faults: fake.JiraFaults{RateLimited: 1, RetryAfter: 7}})
		if _, err := h.conn.Fetch(context.Background(), connector.FetchOptions{}); err != nil {
			t.Fatal(err)
		}
		var slept time.Duration
		for _, d := range h.clock.Sleeps() {
			slept += d
		}
		if slept < 7*time.Second {
			t.Errorf("slept %v, want at least the 7s Retry-After", slept)
		}
	})
	t.Run("should return items read so far with the error", func(t *testing.T) {
		data := fake.JiraGenerate(1, 250)
		h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentCloud, data: &data, jql: "project = P1", faults: fake.JiraFaults{RepeatToken: true}})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err == nil || len(items) == 0 {
			t.Errorf("got %d items, err %v; want partial items and an error", len(items), err)
		}
	})
}

func TestCredentials(t *testing.T) {
	t.Run("should name missing variables", func(t *testing.T) {
		src := config.Source{Name: "j", Kind: "jira", Block: &Source{URL: "https://acme.atlassian.net", Deployment: "cloud", JQL: "x", EmailEnv: "MY_MAIL", TokenEnv: "MY_TOKEN"}}
		_, err := New(src, connector.Env{Getenv: func(string) string { return "" }})
		if err == nil || !strings.Contains(err.Error(), "MY_TOKEN and MY_MAIL") {
			t.Errorf("err = %v, want both variables named", err)
		}
	})
	t.Run("should need only a token on Data Center", func(t *testing.T) {
		src := config.Source{Name: "j", Kind: "jira", Block: &Source{URL: "https://jira.acme.example", Deployment: "datacenter", JQL: "x"}}
		_, err := New(src, connector.Env{Getenv: func(k string) string { return map[string]string{"JIRA_API_TOKEN": "t"}[k] }})
		if err != nil {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("should never put the token in errors", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraDataCenter, faults: fake.JiraFaults{Unauthorized: true}})
		_, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err == nil || strings.Contains(err.Error(), fake.JiraToken) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestCancelledContext(t *testing.T) {
	for _, m := range modes() {
		t.Run("should stop at once on a cancelled context in "+m.name, func(t *testing.T) {
			h := newHarness(t, setup{mode: m.mode})
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err := h.conn.Fetch(ctx, ownerFields)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Fetch err = %v, want context.Canceled", err)
			}
			if _, err := h.conn.ImportRoster(ctx, config.RosterImport{ImportKey: map[string]string{"product-owners": "product-owner"}}); !errors.Is(err, context.Canceled) {
				t.Errorf("ImportRoster err = %v, want context.Canceled", err)
			}
			if _, err := h.conn.History(ctx, []model.Item{{Key: "PAY-3"}}, time.Time{}, time.Time{}); !errors.Is(err, context.Canceled) {
				t.Errorf("History err = %v, want context.Canceled", err)
			}
			if h.srv.Requests() != 0 {
				t.Errorf("%d requests after cancel, want 0", h.srv.Requests())
			}
		})
	}
}

func TestSplitAndIncremental(t *testing.T) {
	t.Run("should split Cloud search per project, then by key ranges below the first page", func(t *testing.T) {
		data := fake.JiraGenerate(3, 120)
		h := newHarness(t, setup{mode: fake.JiraCloud, data: &data, jql: "statusCategory != Done ORDER BY key"})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil || len(items) != 360 || len(byKey(items)) != 360 {
			t.Fatalf("got %d items (%d keys) err %v, want 360", len(items), len(byKey(items)), err)
		}
		qs := h.srv.Queries()
		sort.Strings(qs)
		want := []string{
			`((statusCategory != Done) AND project = "P1") AND issuekey < "P1-21" ORDER BY key`,
			`((statusCategory != Done) AND project = "P2") AND issuekey < "P2-21" ORDER BY key`,
			`((statusCategory != Done) AND project = "P3") AND issuekey < "P3-21" ORDER BY key`,
			`(statusCategory != Done) AND project = "P1" ORDER BY key DESC`,
			`(statusCategory != Done) AND project = "P2" ORDER BY key DESC`,
			`(statusCategory != Done) AND project = "P3" ORDER BY key DESC`,
		}
		if !slices.Equal(qs, want) {
			t.Errorf("queries =\n%s\nwant\n%s", strings.Join(qs, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("should read every issue once when keys are sparse, with requests near the floor", func(t *testing.T) {
		data := fake.JiraGenerate(2, 1500)
		// Delete two thirds of P1's keys (moved or deleted issues leave
		// gaps) and every key of P2 between 300 and 1200.
		kept := data.Issues[:0]
		for _, is := range data.Issues {
			_, n, _ := strings.Cut(is.Key, "-")
			v, _ := strconv.Atoi(n)
			if (is.Project() == "P1" && v%3 != 0) || (is.Project() == "P2" && v > 300 && v <= 1200) {
				continue
			}
			kept = append(kept, is)
		}
		data.Issues = kept
		for _, conc := range []int{2, 8} {
			h := newHarness(t, setup{mode: fake.JiraCloud, data: &data, jql: "project in (P1, P2)", concurrency: conc})
			items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
			if err != nil || len(items) != len(kept) || len(byKey(items)) != len(kept) {
				t.Fatalf("concurrency %d: got %d items (%d keys) err %v, want %d", conc, len(items), len(byKey(items)), err, len(kept))
			}
			floor := (500+99)/100 + (600+99)/100
			got := h.srv.RequestsTo("/rest/api/2/search/jql")
			if got > floor+4*conc {
				t.Errorf("concurrency %d: %d search requests, floor %d", conc, got, floor)
			}
			t.Logf("concurrency %d: %d search requests, floor %d", conc, got, floor)
		}
	})
	t.Run("should keep at most concurrency requests in flight", func(t *testing.T) {
		data := fake.JiraGenerate(3, 400)
		for _, m := range modes() {
			ct := &countingTransport{}
			h := newHarness(t, setup{mode: m.mode, data: &data, jql: "project in (P1, P2, P3)", concurrency: 3, transport: ct})
			items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
			if err != nil || len(items) != 1200 {
				t.Fatalf("%s: got %d items err %v", m.name, len(items), err)
			}
			if got := ct.max.Load(); got > 3 || got < 1 {
				t.Errorf("%s: %d requests in flight, want 1 to 3", m.name, got)
			}
		}
	})
	t.Run("should read one stream at concurrency 1", func(t *testing.T) {
		data := fake.JiraGenerate(2, 150)
		h := newHarness(t, setup{mode: fake.JiraCloud, data: &data, jql: "project in (P1, P2)", concurrency: 1})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil || len(items) != 300 {
			t.Fatalf("got %d items err %v", len(items), err)
		}
		for _, q := range h.srv.Queries() {
			if q != "project in (P1, P2)" {
				t.Errorf("query %q, want the configured JQL only", q)
			}
		}
	})
	t.Run("should add updated >= for an incremental fetch", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraDataCenter})
		since := time.Date(2025, 3, 5, 12, 0, 0, 0, time.UTC)
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{Since: since})
		if err != nil {
			t.Fatal(err)
		}
		q := h.srv.Queries()[0]
		if !strings.Contains(q, `AND updated >= "2025/03/04 22:00" ORDER BY key ASC`) {
			t.Errorf("query = %q", q)
		}
		for _, it := range items {
			if it.Updated.Before(since.Add(-14 * time.Hour)) {
				t.Errorf("%s updated %v before since", it.Key, it.Updated)
			}
		}
	})
	t.Run("should handle a server that caps the page size", func(t *testing.T) {
		for _, m := range modes() {
			data := fake.JiraGenerate(2, 130)
			h := newHarness(t, setup{mode: m.mode, data: &data, jql: "project in (P1, P2)", opts: []fake.JiraOption{fake.WithJiraPageCap(37, 50, 100)}})
			items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
			if err != nil || len(items) != 260 {
				t.Errorf("%s: got %d items err %v, want 260", m.name, len(items), err)
			}
			if len(byKey(items)) != 260 {
				t.Errorf("%s: duplicates in result", m.name)
			}
		}
	})
}

func TestImportRoster(t *testing.T) {
	for _, m := range modes() {
		t.Run("should page group members in "+m.name, func(t *testing.T) {
			data := fake.JiraDemoData()
			var many []fake.JiraUser
			for i := range 120 {
				u := fake.JiraDemoUsers()["bob"]
				u.AccountID, u.Name = u.AccountID+string(rune('a'+i%26))+string(rune('a'+i/26)), u.Name+string(rune('a'+i%26))+string(rune('a'+i/26))
				many = append(many, u)
			}
			data.Groups["big"] = many
			h := newHarness(t, setup{mode: m.mode, data: &data, strictFake: true})
			ms, err := h.conn.ImportRoster(context.Background(), config.RosterImport{ImportKey: map[string]string{"big": "product-owner", "product-managers": "product-manager"}})
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != 121 {
				t.Errorf("got %d memberships, want 121", len(ms))
			}
			if h.srv.RequestsTo("/rest/api/2/group/member") != 4 {
				t.Errorf("group requests = %d, want 4 (3 pages + 1)", h.srv.RequestsTo("/rest/api/2/group/member"))
			}
			last := ms[len(ms)-1]
			if last.Role != model.RoleProductManager || last.Origin != "jira group product-managers" || last.Account.Email != "alice@acme.example" {
				t.Errorf("last = %+v", last)
			}
		})
	}
	t.Run("should reject an unknown role", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraCloud})
		_, err := h.conn.ImportRoster(context.Background(), config.RosterImport{ImportKey: map[string]string{"g": "boss"}})
		var ce *connector.ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("should show Jira's message for an unknown group", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraCloud})
		_, err := h.conn.ImportRoster(context.Background(), config.RosterImport{ImportKey: map[string]string{"nope": "product-owner"}})
		if err == nil || !strings.Contains(err.Error(), "Group with name 'nope' does not exist") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestHistory(t *testing.T) {
	for _, m := range modes() {
		t.Run("should map changelog entries to events in "+m.name, func(t *testing.T) {
			h := newHarness(t, setup{mode: m.mode, strictFake: true, opts: []fake.JiraOption{fake.WithJiraPageCap(100, 50, 2)}})
			items, err := h.conn.Fetch(context.Background(), ownerFields)
			if err != nil {
				t.Fatal(err)
			}
			evs, err := h.conn.History(context.Background(), items, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			got := evs["PAY-3"]
			var fields []string
			for _, e := range got {
				fields = append(fields, e.Field)
			}
			want := "assignee type field:Product Owner parent assignee label"
			if strings.Join(fields, " ") != want {
				t.Fatalf("fields = %q, want %q", fields, want)
			}
			bobLogin, carolLogin := "bob", "carol"
			if m.mode == fake.JiraCloud {
				bobLogin, carolLogin = fake.JiraDemoUsers()["bob"].AccountID, fake.JiraDemoUsers()["carol"].AccountID
			}
			if a := got[4]; a.FromAccount == nil || a.FromAccount.Login != bobLogin || a.ToAccount.Login != carolLogin || a.ToAccount.Name != "Carol Diaz" {
				t.Errorf("assignee change = %+v %+v", a.FromAccount, a.ToAccount)
			}
			if po := got[2]; po.ToAccount == nil || po.ToAccount.Login != bobLogin {
				t.Errorf("owner change = %+v", po)
			}
			if p := got[3]; p.To != "PAY-2" {
				t.Errorf("parent change = %+v", p)
			}
			if g := got[1]; g.From != "Task" || g.To != "Story" {
				t.Errorf("type change = %+v", g)
			}
			if m.mode == fake.JiraCloud && h.srv.RequestsTo("/rest/api/3/issue/PAY-3/changelog") != 4 {
				t.Errorf("changelog pages = %d, want 4 (7 entries, 2 per page)", h.srv.RequestsTo("/rest/api/3/issue/PAY-3/changelog"))
			}
		})
	}
}

func TestKeyBounds(t *testing.T) {
	for _, tc := range []struct {
		name      string
		keys      []string
		prefix    string
		low, high int
	}{
		{"should read the prefix and the number range", []string{"PAY-120", "PAY-7", "PAY-64"}, "PAY", 7, 120},
		{"should refuse keys of two projects", []string{"PAY-3", "CHK-2"}, "", 0, 0},
		{"should refuse keys that are not PREFIX-n", []string{"PAY-3", "PAY-x"}, "", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var issues []rawIssue
			for _, k := range tc.keys {
				issues = append(issues, rawIssue{Key: k})
			}
			p, lo, hi := keyBounds(issues)
			if p != tc.prefix || lo != tc.low || hi != tc.high {
				t.Errorf("keyBounds = %q %d %d, want %q %d %d", p, lo, hi, tc.prefix, tc.low, tc.high)
			}
		})
	}
}

func TestPageDecoding(t *testing.T) {
	po := jiraField{ID: "customfield_1", Name: "Product Owner"}
	po.Schema.Type = "user"
	team := jiraField{ID: "customfield_2", Name: "Teams"}
	team.Schema.Type, team.Schema.Items = "array", "option"
	for _, tc := range []struct {
		name, body string
		want       map[string]model.FieldValue
	}{
		{"should map user and option fields in the page pass",
			`{"isLast":true,"issues":[{"key":"A-1","fields":{"summary":"s","customfield_1":{"accountId":"abc","displayName":"Al","active":false},"customfield_2":[{"value":"red"},{"value":"blue"}]}}]}`,
			map[string]model.FieldValue{
				"Product Owner": {Users: []model.Account{{Tracker: model.TrackerJira, Login: "abc", Name: "Al", Inactive: true}}},
				"Teams":         {Text: "red, blue"},
			}},
		{"should fall back to raw values when a value does not have its schema's shape",
			`{"isLast":true,"issues":[{"key":"A-1","fields":{"summary":"s","customfield_1":"someone","customfield_2":null}}]}`,
			map[string]model.FieldValue{"Product Owner": {Text: "someone"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &mapping{cloud: true, custom: []resolved{{Name: "Product Owner", Field: po}, {Name: "Teams", Field: team}}}
			var page searchPage
			if err := (pageDest{m: m, page: &page}).decode([]byte(tc.body)); err != nil {
				t.Fatal(err)
			}
			items, err := m.items(page.Issues)
			if err != nil || len(items) != 1 {
				t.Fatalf("items %v err %v", items, err)
			}
			got, _ := json.Marshal(items[0].Fields)
			want, _ := json.Marshal(tc.want)
			if string(got) != string(want) || items[0].Title != "s" {
				t.Errorf("fields = %s, want %s (title %q)", got, want, items[0].Title)
			}
		})
	}
}
