package cli

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/fake"
	"github.com/pomlint/pomlint/internal/golden"
)

const doctorConfig = `sources:
  - name: gh
    kind: github
    github: {base_url: "GH_REST", graphql_url: "GH_GQL", token_env: GH_TOKEN, repos: [acme/payments], orgs: [acme], projects: [{org: acme, number: 7}]}
  - name: jira
    kind: jira
    jira: {url: "JIRA_URL", DEPLOYMENT jql: "JQL"}
classification:
  strategic: {types: [Initiative, Epic]}
  tactical: {types: [Story, Task, Bug]}
ownership:
  from: ["field:OWNER_FIELD", "project-field:PROJECT_FIELD", assignee]
roster:
  people:
    - {id: alice, roles: [product-manager], accounts: {github: alice-c}}
  import:
    github_teams: {acme/product-owners: product-owner}
    jira_groups: {product-owners: product-owner}
`

// doctorCase is one doctor run against the fakes.
type doctorCase struct {
	jiraMode   fake.JiraMode
	deployment string // "" leaves deployment out
	jiraURL    string // "" is the fake's
	jql        string
	ownerField string
	projField  string
	env        map[string]string
}

func runDoctor(t *testing.T, tc doctorCase, args ...string) (runResult, string) {
	t.Helper()
	gh := fake.NewGitHub(fake.GitHubDemoData())
	defer gh.Close()
	data := fake.JiraDemoData()
	data.Groups = map[string][]fake.JiraUser{"product-owners": {fake.JiraDemoUsers()["bob"]}}
	jira := fake.NewJira(data, tc.jiraMode)
	defer jira.Close()
	env := map[string]string{"GH_TOKEN": fake.GitHubToken, "JIRA_EMAIL": fake.JiraEmail, "JIRA_API_TOKEN": fake.JiraToken}
	if tc.jiraMode == fake.JiraDataCenter {
		delete(env, "JIRA_EMAIL")
	}
	for k, v := range tc.env {
		env[k] = v
	}
	jiraURL := firstNonEmpty(tc.jiraURL, jira.URL)
	dep := ""
	if tc.deployment != "" {
		dep = "deployment: " + tc.deployment + ","
	}
	cfg := strings.NewReplacer("GH_REST", gh.RESTURL(), "GH_GQL", gh.GraphQLURL(), "JIRA_URL", jiraURL, "DEPLOYMENT", dep,
		"JQL", firstNonEmpty(tc.jql, "project in (PAY, CHK) AND statusCategory != Done"),
		"OWNER_FIELD", firstNonEmpty(tc.ownerField, "Product Owner"), "PROJECT_FIELD", firstNonEmpty(tc.projField, "Owner")).Replace(doctorConfig)
	dir := t.TempDir()
	write(t, dir, "pomlint.yaml", cfg)
	r := runPomlint(t, dir, env, nil, append([]string{"doctor"}, args...)...)
	// Ports change from run to run; golden files must not.
	out := strings.NewReplacer(gh.URL, "http://github.test", jira.URL, "http://jira.test", jiraURL, "http://jira.test").Replace(r.out)
	return r, out
}

func goldenDoctor(t *testing.T, name, got string) {
	t.Helper()
	golden.AssertString(t, filepath.Join("testdata", "doctor", name), got)
}

// closedPort returns a local address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestDoctor(t *testing.T) {
	tests := []struct {
		name   string
		tc     doctorCase
		code   int
		golden string
		want   []string
	}{
		{name: "should pass every check on Jira Cloud detected from the email", tc: doctorCase{jiraMode: fake.JiraCloud},
			code: 0, golden: "all-pass-cloud.txt"},
		{name: "should pass every check on Jira Data Center", tc: doctorCase{jiraMode: fake.JiraDataCenter, deployment: "datacenter"},
			code: 0, golden: "all-pass-datacenter.txt"},
		{name: "should name the rejected GitHub token and the next step", tc: doctorCase{jiraMode: fake.JiraCloud, env: map[string]string{"GH_TOKEN": "wrong"}},
			code: 3, want: []string{"✗ credentials: GitHub rejected the token in $GH_TOKEN", "→ create a new token"}},
		{name: "should name the rejected Jira token", tc: doctorCase{jiraMode: fake.JiraCloud, env: map[string]string{"JIRA_API_TOKEN": "wrong"}},
			code: 3, want: []string{"✗ credentials: GET /rest/api/2/myself: 401", "→ check that JIRA_EMAIL holds the account email and JIRA_API_TOKEN an API token"}},
		{name: "should name jira.url when nothing listens there", tc: doctorCase{jiraMode: fake.JiraCloud, jiraURL: "CLOSED"},
			code: 3, want: []string{"✗ connectivity: http://jira.test: the connection was refused", `→ check jira.url of source "jira"`}},
		{name: "should say the site is Cloud when the config says Data Center", tc: doctorCase{jiraMode: fake.JiraCloud, deployment: "datacenter"},
			code: 2, golden: "wrong-deployment.txt"},
		{name: "should suggest the closest names of a misspelt field", tc: doctorCase{jiraMode: fake.JiraCloud, ownerField: "Product Ownr", projField: "Onwer"},
			code: 2, want: []string{`✗ field "Product Ownr": no such field (closest: "Product Owner", "Product Manager"`, `✗ project field "Onwer" on acme/project-7: no such field on the board (closest: "Owner"`}},
		{name: "should point at a JQL syntax error with a caret", tc: doctorCase{jiraMode: fake.JiraCloud, jql: "project = PAY AND status = Done foo"},
			code: 2, golden: "jql-error.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.tc.jiraURL == "CLOSED" {
				tt.tc.jiraURL = closedPort(t)
			}
			r, out := runDoctor(t, tt.tc)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\n%s\n%s", r.code, tt.code, out, r.err)
			}
			if tt.golden != "" {
				goldenDoctor(t, tt.golden, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, secret := range []string{fake.GitHubToken, fake.JiraToken} {
				if strings.Contains(out+r.err, secret) {
					t.Errorf("a token is in the output")
				}
			}
		})
	}
	t.Run("should write JSON with every check", func(t *testing.T) {
		r, out := runDoctor(t, doctorCase{jiraMode: fake.JiraCloud, ownerField: "Product Ownr"}, "--format", "json")
		var rep doctorReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if r.code != 2 || rep.OK || len(rep.Sources) != 2 || !rep.Sources[0].OK || rep.Sources[1].OK {
			t.Errorf("exit %d, report %+v", r.code, rep)
		}
	})
}

func TestConfigValidateOnline(t *testing.T) {
	t.Run("should validate, then check the sources and exit as doctor does", func(t *testing.T) {
		jira := fake.NewJira(fake.JiraDemoData(), fake.JiraCloud)
		defer jira.Close()
		dir := t.TempDir()
		write(t, dir, "pomlint.yaml", `sources:
  - name: jira
    kind: jira
    jira: {url: "`+jira.URL+`", jql: "project = PAY"}
ownership:
  from: ["field:Product Ownr"]
`)
		env := map[string]string{"JIRA_EMAIL": fake.JiraEmail, "JIRA_API_TOKEN": fake.JiraToken}
		r := runPomlint(t, dir, env, nil, "config", "validate")
		if r.code != 0 || strings.Contains(r.out, "jira (jira)") {
			t.Fatalf("offline: exit %d\n%s", r.code, r.out)
		}
		r = runPomlint(t, dir, env, nil, "config", "validate", "--online")
		if r.code != 2 || !strings.HasPrefix(r.out, "ok: pomlint.yaml") || !strings.Contains(r.out, `✗ field "Product Ownr"`) {
			t.Errorf("online: exit %d\n%s\n%s", r.code, r.out, r.err)
		}
	})
}

func TestDoctorFileSources(t *testing.T) {
	t.Run("should read a file source and pass", func(t *testing.T) {
		r := runPomlint(t, repoRoot(t), nil, nil, "doctor", "-c", "configs/demo.yaml")
		want := "acme-github (file)\n  ✓ read: 37 items\n\nacme-jira (file)\n  ✓ read: 39 items\n\n2 sources: every check passed\n"
		if r.code != 0 || r.out != want {
			t.Errorf("exit %d\n%s\n%s", r.code, r.out, r.err)
		}
	})
	t.Run("should exit 2 on an invalid config", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, "pomlint.yaml", "sources: [{name: x, kind: nope}]\n")
		if r := runPomlint(t, dir, nil, nil, "doctor"); r.code != 2 {
			t.Errorf("exit %d\n%s", r.code, r.err)
		}
	})
	t.Run("should exit 2 naming the token variable that is not set", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, "pomlint.yaml", "sources:\n  - {name: gh, kind: github, github: {repos: [acme/payments]}}\n")
		r := runPomlint(t, dir, nil, nil, "doctor")
		if r.code != 2 || !strings.Contains(r.out, "✗ setup: read token: environment variable GITHUB_TOKEN is empty or unset") {
			t.Errorf("exit %d\n%s\n%s", r.code, r.out, r.err)
		}
	})
}

func TestDoctorGivesUpQuickly(t *testing.T) {
	tests := []struct {
		name  string
		reset bool // close with RST (SO_LINGER 0) instead of FIN
		want  string
	}{
		{"should try a site that closes every connection once, not retry it", false, "the server closed the connection without an HTTP answer"},
		{"should try a site that resets every connection once, not retry it", true, "the server reset the connection without an HTTP answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			accepted := make(chan struct{}, 100)
			go func() {
				for {
					c, err := l.Accept()
					if err != nil {
						return
					}
					accepted <- struct{}{}
					// Read the whole request first: closing a socket with
					// unread data makes the kernel send a reset, not a FIN.
					if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
						t.Errorf("read request: %v", err)
					}
					if tt.reset {
						c.(*net.TCPConn).SetLinger(0)
					}
					c.Close()
				}
			}()
			dir := t.TempDir()
			write(t, dir, "pomlint.yaml", "sources:\n  - {name: jira, kind: jira, jira: {url: \"http://"+l.Addr().String()+"\", jql: \"project = PAY\"}}\n")
			r := runPomlint(t, dir, map[string]string{"JIRA_API_TOKEN": "a-long-enough-token"}, nil, "doctor")
			l.Close()
			if r.code != 3 || !strings.Contains(r.out, "✗ connectivity: http://"+l.Addr().String()+": "+tt.want) || !strings.Contains(r.out, `check jira.url of source "jira"`) {
				t.Errorf("exit %d\n%s\n%s", r.code, r.out, r.err)
			}
			if n := len(accepted); n != 1 {
				t.Errorf("%d connections, want 1 (no retries)", n)
			}
		})
	}
}
