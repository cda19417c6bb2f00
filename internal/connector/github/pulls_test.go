package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
)

func newPRClient(t *testing.T, p *fake.Pulls) *PRClient {
	t.Helper()
	env := connector.Env{
		HTTP:   connector.HTTPOptions{Clock: fake.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), MaxRetries: -1},
		Getenv: func(k string) string { return map[string]string{"GITHUB_TOKEN": fake.GitHubToken}[k] },
	}
	c, err := NewPRClient(config.Source{Block: &Source{BaseURL: p.RESTURL()}}, env)
	if err != nil {
		t.Fatalf("NewPRClient: %v", err)
	}
	return c
}

// newAppPRClient builds a client with GitHub App 12 installation 34 auth
// against a fake made with fake.WithPullsApp(12, 34, …).
func newAppPRClient(t *testing.T, p *fake.Pulls) *PRClient {
	t.Helper()
	key := fake.AppKeyPEM(t)
	env := connector.Env{
		HTTP:   connector.HTTPOptions{Clock: fake.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), MaxRetries: -1},
		Getenv: func(k string) string { return map[string]string{"APP_KEY": key}[k] },
	}
	c, err := NewPRClient(config.Source{Block: &Source{BaseURL: p.RESTURL(),
		App: &App{AppID: 12, InstallationID: 34, PrivateKeyEnv: "APP_KEY"}}}, env)
	if err != nil {
		t.Fatalf("NewPRClient: %v", err)
	}
	return c
}

func TestPRClientReads(t *testing.T) {
	commits := make([]string, 250)
	for i := range commits {
		commits[i] = fmt.Sprintf("commit %d", i+1)
	}
	var comments []fake.PullsComment
	for i := range 130 {
		comments = append(comments, fake.PullsComment{Author: "octocat", Body: fmt.Sprintf("comment %d", i+1)})
	}
	p := fake.NewPulls(t, []fake.PullsPR{{Repo: "acme/payments", Number: 7, Title: "Retry payouts", Body: "Fixes #412",
		HeadRef: "feature/PAY-31-retries", Commits: commits, Comments: comments}})
	c := newPRClient(t, p)
	ctx := context.Background()

	t.Run("should read title, body, head branch and base repository", func(t *testing.T) {
		pr, err := c.PullRequest(ctx, "acme/payments", 7)
		if err != nil {
			t.Fatal(err)
		}
		want := PullRequest{Number: 7, Title: "Retry payouts", Body: "Fixes #412", HTMLURL: "https://github.com/acme/payments/pull/7",
			HeadRef: "feature/PAY-31-retries", BaseRepo: "acme/payments", State: "open"}
		if !reflect.DeepEqual(*pr, want) {
			t.Errorf("PullRequest() = %+v, want %+v", *pr, want)
		}
	})
	t.Run("should follow every page of commits", func(t *testing.T) {
		got, err := c.CommitMessages(ctx, "acme/payments", 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 250 || got[0] != "commit 1" || got[249] != "commit 250" {
			t.Errorf("CommitMessages() = %d messages (%q … %q), want 250", len(got), got[0], got[len(got)-1])
		}
	})
	t.Run("should follow every page of comments", func(t *testing.T) {
		got, err := c.Comments(ctx, "acme/payments", 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 130 || got[129].Body != "comment 130" || got[0].User != "octocat" || got[0].ID == 0 {
			t.Errorf("Comments() = %d comments, last %+v", len(got), got[len(got)-1])
		}
	})
	t.Run("should explain a pull request that does not exist", func(t *testing.T) {
		_, err := c.PullRequest(ctx, "acme/payments", 99)
		if err == nil || !strings.Contains(err.Error(), "read pull request acme/payments#99: 404") {
			t.Errorf("PullRequest(99) error = %v", err)
		}
	})
}

func TestPRClientViewer(t *testing.T) {
	ctx := context.Background()
	t.Run("should return the login of a user's token", func(t *testing.T) {
		p := fake.NewPulls(t, nil, fake.WithPullsViewer("pomlint-ci"))
		got, err := newPRClient(t, p).Viewer(ctx)
		if err != nil || got != "pomlint-ci" {
			t.Errorf("Viewer() = %q, %v; want pomlint-ci", got, err)
		}
		if want := []string{"GET /user"}; !reflect.DeepEqual(p.Requests(), want) {
			t.Errorf("requests = %v, want %v", p.Requests(), want)
		}
	})
	t.Run("should give ErrNoViewer for an integration token (403)", func(t *testing.T) {
		p := fake.NewPulls(t, nil)
		got, err := newPRClient(t, p).Viewer(ctx)
		if !errors.Is(err, ErrNoViewer) || got != "" {
			t.Errorf("Viewer() = %q, %v; want ErrNoViewer", got, err)
		}
	})
}

func TestPRClientAppLogin(t *testing.T) {
	ctx := context.Background()
	t.Run("should return <slug>[bot] from GET /app with the app's JWT and update the app's comment", func(t *testing.T) {
		p := fake.NewPulls(t, []fake.PullsPR{{Repo: "acme/payments", Number: 7, Comments: []fake.PullsComment{
			{ID: 5, Author: "pomlint-app[bot]", Body: "old"}}}}, fake.WithPullsApp(12, 34, "pomlint-app"))
		c := newAppPRClient(t, p)
		if !c.UsesApp() {
			t.Fatal("UsesApp() = false for a client with github.app")
		}
		got, err := c.Viewer(ctx)
		if err != nil || got != "pomlint-app[bot]" {
			t.Fatalf("Viewer() = %q, %v; want pomlint-app[bot]", got, err)
		}
		// GET /app goes with the JWT alone: no installation token yet, and
		// GET /user (403 for an installation) is not asked.
		if want := []string{"GET /app"}; !reflect.DeepEqual(p.Requests(), want) {
			t.Errorf("requests = %v, want %v", p.Requests(), want)
		}
		cs, err := c.Comments(ctx, "acme/payments", 7)
		if err != nil || len(cs) != 1 || cs[0].User != got {
			t.Fatalf("Comments() = %+v, %v", cs, err)
		}
		upd, err := c.UpdateComment(ctx, "acme/payments", cs[0].ID, "new")
		if err != nil || upd.User != "pomlint-app[bot]" || upd.Body != "new" {
			t.Errorf("UpdateComment() = %+v, %v", upd, err)
		}
		if toks := p.InstallationTokens(); len(toks) != 1 {
			t.Errorf("installation tokens issued: %v, want one", toks)
		}
	})
	t.Run("should fail clearly when GET /app is refused", func(t *testing.T) {
		p := fake.NewPulls(t, nil, fake.WithPullsApp(12, 34, "pomlint-app"), fake.WithPullsFaults(fake.PullsFaults{RejectAppJWT: true}))
		got, err := newAppPRClient(t, p).Viewer(ctx)
		if !errors.Is(err, ErrAppLogin) || errors.Is(err, ErrNoViewer) || got != "" {
			t.Fatalf("Viewer() = %q, %v; want ErrAppLogin", got, err)
		}
		msg := err.Error()
		for _, want := range []string{"GET /app", "401", "A JSON web token could not be decoded", "app_id (12)"} {
			if !strings.Contains(msg, want) {
				t.Errorf("error %q does not mention %q", msg, want)
			}
		}
		if strings.Contains(msg, "eyJ") {
			t.Errorf("error shows the JWT: %q", msg)
		}
	})
	t.Run("should refuse AppLogin for a token that is not an app's", func(t *testing.T) {
		p := fake.NewPulls(t, nil)
		c := newPRClient(t, p)
		if _, err := c.AppLogin(ctx); !errors.Is(err, ErrAppLogin) || c.UsesApp() {
			t.Errorf("AppLogin() error = %v, UsesApp() = %v", err, c.UsesApp())
		}
		if len(p.Requests()) != 0 {
			t.Errorf("requests = %v, want none", p.Requests())
		}
	})
}

func TestPRClientWrites(t *testing.T) {
	ctx := context.Background()
	t.Run("should create a comment and update it in place", func(t *testing.T) {
		p := fake.NewPulls(t, []fake.PullsPR{{Repo: "acme/payments", Number: 7}})
		c := newPRClient(t, p)
		made, err := c.CreateComment(ctx, "acme/payments", 7, "first")
		if err != nil {
			t.Fatal(err)
		}
		if made.User != fake.PullsBot || made.Body != "first" || !strings.Contains(made.HTMLURL, "#issuecomment-") {
			t.Errorf("CreateComment() = %+v", made)
		}
		if _, err := c.UpdateComment(ctx, "acme/payments", made.ID, "second"); err != nil {
			t.Fatal(err)
		}
		got := p.Comments("acme/payments", 7)
		if len(got) != 1 || got[0].Body != "second" || got[0].ID != made.ID {
			t.Errorf("comments after update = %+v", got)
		}
		wantReqs := []string{"POST /repos/acme/payments/issues/7/comments", fmt.Sprintf("PATCH /repos/acme/payments/issues/comments/%d", made.ID)}
		if !reflect.DeepEqual(p.Requests(), wantReqs) {
			t.Errorf("requests = %v, want %v", p.Requests(), wantReqs)
		}
	})
	for _, tt := range []struct {
		name   string
		faults fake.PullsFaults
		status int
		says   string
	}{
		{"should give a WriteError naming the permission on 403", fake.PullsFaults{ForbidWrites: true}, http.StatusForbidden, "Resource not accessible by integration"},
		{"should give a WriteError on 404", fake.PullsFaults{HideWrites: true}, http.StatusNotFound, "Not Found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := fake.NewPulls(t, []fake.PullsPR{{Repo: "acme/payments", Number: 7, Comments: []fake.PullsComment{{ID: 5, Body: "old"}}}}, fake.WithPullsFaults(tt.faults))
			c := newPRClient(t, p)
			for op, call := range map[string]func() error{
				"create": func() error { _, err := c.CreateComment(ctx, "acme/payments", 7, "x"); return err },
				"update": func() error { _, err := c.UpdateComment(ctx, "acme/payments", 5, "x"); return err },
			} {
				err := call()
				var we *WriteError
				if !errors.As(err, &we) || we.Op != op || we.Status != tt.status {
					t.Fatalf("%s error = %v, want a WriteError %d", op, err, tt.status)
				}
				msg := err.Error()
				for _, want := range []string{tt.says, "pull-requests: write", "$GITHUB_TOKEN"} {
					if !strings.Contains(msg, want) {
						t.Errorf("%s error %q does not mention %q", op, msg, want)
					}
				}
				if strings.Contains(msg, fake.GitHubToken) {
					t.Errorf("%s error shows the token: %q", op, msg)
				}
			}
		})
	}
}
