package jira

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
)

func TestJQLCaret(t *testing.T) {
	tests := []struct {
		name, jql, msg, want string
	}{
		{"should use Jira's line and character", "project = PAY AND status = Done foo",
			"Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'foo'. (line 1, character 33)",
			"  project = PAY AND status = Done foo\n                                  ^"},
		{"should point into the second line of a multi-line query", "project = PAY\nAND statuz = Done",
			"Error in the JQL Query: whatever. (line 2, character 5)",
			"  AND statuz = Done\n      ^"},
		{"should fall back to a quoted word that occurs once", "project = PAY AND statuz = Done",
			"Field 'statuz' does not exist or you do not have permission to view it.",
			"  project = PAY AND statuz = Done\n                    ^"},
		{"should point nowhere when the quoted word is ambiguous", "labels = x AND labels = x", "Value 'x' is bad.", ""},
		{"should point nowhere without a position", "project = PAY", "The JQL is not allowed.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := JQLCaret(tt.jql, tt.msg); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// checkSummary is one line per check.
func checkSummary(cs []connector.Check) string {
	var b strings.Builder
	for _, c := range cs {
		if c.OK {
			b.WriteString("✓ " + c.Name + ": " + c.Detail + "\n")
		} else {
			b.WriteString("✗ " + c.Name + " [" + c.Kind + "]: " + c.Detail + " → " + c.Next + "\n")
		}
	}
	return b.String()
}

func TestCheck(t *testing.T) {
	groups := &config.RosterImport{ImportKey: map[string]string{"product-owners": "product-owner", "no-such-group": "product-manager"}}
	tests := []struct {
		name string
		s    setup
		req  connector.CheckRequest
		want []string
	}{
		{name: "should detect Data Center with the credentials when no email is set", s: setup{mode: fake.JiraDataCenter, env: map[string]string{"JIRA_API_TOKEN": fake.JiraToken}},
			want: []string{"✓ deployment: Jira Data Center 9.12.2 (expected from no account email in $JIRA_EMAIL)", "✓ credentials: pomlint bot (pomlint-bot) <bot@acme.example>", "✓ jql: valid; matches 9 issues now"}},
		{name: "should say Data Center is not Cloud when an email is set", s: setup{mode: fake.JiraDataCenter, opts: []fake.JiraOption{fake.WithJiraAcceptAuth("Basic " + base64.StdEncoding.EncodeToString([]byte(fake.JiraEmail+":"+fake.JiraToken)))}},
			want: []string{"✗ deployment [config]: the site is Jira Data Center, but an account email in $JIRA_EMAIL says Cloud", "set deployment: datacenter"}},
		{name: "should report a project the account cannot see and a missing group", s: setup{mode: fake.JiraCloud, opts: []fake.JiraOption{fake.WithJiraHiddenProjects("CHK")}},
			req:  connector.CheckRequest{Import: groups},
			want: []string{"✓ project PAY", "✗ project CHK [source]: not visible to the account", "✓ group product-owners", "✗ group no-such-group [source]: GET /rest/api/2/group/member: 404"}},
		{name: "should show a Data Center JQL error under the JQL", s: setup{mode: fake.JiraDataCenter, deployment: "datacenter", jql: "project = PAY AND statuz = Done"},
			want: []string{"✗ jql [config]: Field 'statuz' does not exist or you do not have permission to view it.\n  project = PAY AND statuz = Done\n                    ^"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.s)
			got := checkSummary(h.conn.Check(context.Background(), tt.req))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("checks lack %q:\n%s", w, got)
				}
			}
		})
	}
	t.Run("should honour a cancelled context", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraCloud})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		cs := h.conn.Check(ctx, connector.CheckRequest{})
		if len(cs) != 1 || cs[0].OK {
			t.Errorf("got %+v", cs)
		}
	})
}
