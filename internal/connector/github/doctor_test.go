package github

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
)

// summary is one line per check: "✓ name: detail" or "✗ name [kind]".
func summary(cs []connector.Check) string {
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
	closed := func(t *testing.T) string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return "http://" + l.Addr().String() + "/"
	}
	tests := []struct {
		name  string
		s     func(t *testing.T) setup
		req   connector.CheckRequest
		want  []string
		count int // number of checks; 0 skips
	}{
		{name: "should pass with a token that reads everything", s: func(*testing.T) setup {
			return setup{data: fake.GitHubDemoData(), src: func(gs *Source) {
				demoSource(gs)
				gs.Repos = []string{"acme/payments", "acme/legacy"}
			}}
		}, req: connector.CheckRequest{ProjectFields: []string{"Owner"}, Import: &config.RosterImport{ImportKey: map[string]string{"acme/product-owners": "product-owner"}}},
			want: []string{"✓ credentials: pomlint-bot (the token in $GITHUB_TOKEN; scopes: read:org, read:project, repo)", "✓ repo acme/payments: readable (read)\n",
				"✓ repo acme/legacy: readable (read); archived", "✓ org acme", "✓ team acme/product-owners", `✓ board acme/project-7: "Roadmap" readable`, `✓ project field "Owner" on acme/project-7: found`}},
		{name: "should read the app's bot login with GitHub App auth", s: func(t *testing.T) setup {
			return setup{data: fake.GitHubDemoData(), fake: []fake.GitHubOption{fake.WithGitHubApp(12, 34)},
				getenv: map[string]string{"GITHUB_TOKEN": "", "APP_KEY": fake.AppKeyPEM(t)},
				src: func(gs *Source) {
					gs.Repos = []string{"acme/payments"}
					gs.App = &App{AppID: 12, InstallationID: 34, PrivateKeyEnv: "APP_KEY"}
				}}
		}, want: []string{"✓ credentials: GitHub App pomlint-app[bot] (GitHub App 12 installation 34)", "✓ repo acme/payments: readable"}},
		{name: "should name github.base_url and stop when nothing listens there", s: func(t *testing.T) setup {
			u := closed(t)
			return setup{data: fake.GitHubDemoData(), src: func(gs *Source) { gs.BaseURL = u; gs.Repos = []string{"acme/payments"} }}
		}, count: 1, want: []string{"✗ connectivity [source]: http://127.0.0.1:", "the connection was refused", `check github.base_url of source "gh"`}},
		{name: "should say what a missing repository and board need", s: func(*testing.T) setup {
			return setup{data: fake.GitHubDemoData(), src: func(gs *Source) {
				gs.Repos = []string{"acme/nope"}
				gs.Projects = []Project{{Org: "acme", Number: 99}}
			}}
		}, want: []string{"✗ repo acme/nope [source]: 404 Not Found: the repository does not exist or the token in $GITHUB_TOKEN lacks", "✗ board acme/project-99 [source]:", "read:project"}},
		{name: "should suggest the closest project field names", s: func(*testing.T) setup {
			return setup{data: fake.GitHubDemoData(), src: demoSource}
		}, req: connector.CheckRequest{ProjectFields: []string{"level", "Onwer"}},
			want: []string{`✓ project field "level" on acme/project-7: found`, `✗ project field "Onwer" on acme/project-7 [config]: no such field on the board (closest: "Owner"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.s(t)
			s.env = func(e *connector.Env) { e.HTTP.MaxRetries = -1 }
			_, c := mustStart(t, s)
			cs := c.(connector.Checker).Check(context.Background(), tt.req)
			got := summary(cs)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("checks lack %q:\n%s", w, got)
				}
			}
			if tt.count > 0 && len(cs) != tt.count {
				t.Errorf("%d checks, want %d:\n%s", len(cs), tt.count, got)
			}
			if strings.Contains(got, fake.GitHubToken) {
				t.Error("the token is in a check")
			}
		})
	}
	t.Run("should reject a wrong token and check nothing else", func(t *testing.T) {
		// No WithGitHubTB: the wrong header is the point.
		gh := fake.NewGitHub(fake.GitHubDemoData())
		defer gh.Close()
		c, err := New(config.Source{Name: "gh", Kind: KindName, Block: &Source{BaseURL: gh.RESTURL(), Repos: []string{"acme/payments"}}},
			connector.Env{HTTP: connector.HTTPOptions{MaxRetries: -1}, Getenv: func(string) string { return "wrong-token" }})
		if err != nil {
			t.Fatal(err)
		}
		cs := c.(connector.Checker).Check(context.Background(), connector.CheckRequest{})
		got := summary(cs)
		if len(cs) != 2 || !strings.Contains(got, "✗ credentials [source]: GitHub rejected the token in $GITHUB_TOKEN") || strings.Contains(got, "wrong-token") {
			t.Errorf("got\n%s", got)
		}
	})
	t.Run("should honour a cancelled context", func(t *testing.T) {
		_, c := mustStart(t, setup{data: fake.GitHubDemoData(), src: demoSource})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		cs := c.(connector.Checker).Check(ctx, connector.CheckRequest{})
		for _, ch := range cs {
			if ch.OK {
				t.Errorf("a check passed without a request: %+v", ch)
			}
		}
	})
}
