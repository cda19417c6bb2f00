package fake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// recordingTB records Errorf calls instead of failing, so tests can assert
// that the fake fails loudly.
type recordingTB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func do(t *testing.T, method, url, token, body string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m, resp.Header
}

func TestPulls(t *testing.T) {
	prs := []PullsPR{{Repo: "acme/payments", Number: 7, Title: "Retry payouts", Commits: []string{"a", "b", "c"}}}

	t.Run("should serve a comment in GitHub's shape", func(t *testing.T) {
		p := NewPulls(t, prs)
		code, m, h := do(t, http.MethodPost, p.URL+"/repos/acme/payments/issues/7/comments", GitHubToken, `{"body":"hello"}`)
		if code != http.StatusCreated || h.Get("Location") == "" {
			t.Fatalf("POST = %d %v", code, m)
		}
		for _, k := range []string{"id", "node_id", "url", "html_url", "body", "user", "created_at", "updated_at", "issue_url", "author_association", "reactions"} {
			if _, ok := m[k]; !ok {
				t.Errorf("comment has no %q", k)
			}
		}
		if u := m["user"].(map[string]any); u["login"] != PullsBot || u["type"] != "Bot" {
			t.Errorf("user = %v", u)
		}
		if len(p.Created()) != 1 {
			t.Errorf("Created() = %v", p.Created())
		}
	})
	t.Run("should answer GET /user with 403 for the Actions token and the login for a user's token", func(t *testing.T) {
		p := NewPulls(t, prs)
		code, m, _ := do(t, http.MethodGet, p.URL+"/user", GitHubToken, "")
		if code != http.StatusForbidden || m["message"] != "Resource not accessible by integration" {
			t.Errorf("GET /user as %s = %d %v", PullsBot, code, m)
		}
		p = NewPulls(t, prs, WithPullsViewer("pomlint-ci"))
		code, m, _ = do(t, http.MethodGet, p.URL+"/user", GitHubToken, "")
		if code != http.StatusOK || m["login"] != "pomlint-ci" || m["type"] != "User" {
			t.Errorf("GET /user as pomlint-ci = %d %v", code, m)
		}
		_, m, _ = do(t, http.MethodPost, p.URL+"/repos/acme/payments/issues/7/comments", GitHubToken, `{"body":"hi"}`)
		if u := m["user"].(map[string]any); u["login"] != "pomlint-ci" {
			t.Errorf("comment by %v, want pomlint-ci", u["login"])
		}
	})
	t.Run("should page commits with a Link header", func(t *testing.T) {
		p := NewPulls(t, prs)
		_, _, h := do(t, http.MethodGet, p.URL+"/repos/acme/payments/pulls/7/commits?per_page=2", GitHubToken, "")
		if l := h.Get("Link"); !strings.Contains(l, `page=2`) || !strings.Contains(l, `rel="next"`) {
			t.Errorf("Link = %q", l)
		}
	})
	t.Run("should refuse a body over 65536 characters with 422 and fail the test", func(t *testing.T) {
		rec := &recordingTB{TB: t}
		p := NewPulls(rec, prs)
		body, _ := json.Marshal(map[string]string{"body": strings.Repeat("é", 65537)})
		code, m, _ := do(t, http.MethodPost, p.URL+"/repos/acme/payments/issues/7/comments", GitHubToken, string(body))
		if code != http.StatusUnprocessableEntity || m["message"] != "Validation Failed" || len(rec.errs) != 1 {
			t.Errorf("POST = %d %v, test errors %v", code, m, rec.errs)
		}
	})
	t.Run("should answer 403 Resource not accessible by integration on writes when forbidden", func(t *testing.T) {
		p := NewPulls(t, prs, WithPullsFaults(PullsFaults{ForbidWrites: true}))
		code, m, _ := do(t, http.MethodPost, p.URL+"/repos/acme/payments/issues/7/comments", GitHubToken, `{"body":"x"}`)
		if code != http.StatusForbidden || m["message"] != "Resource not accessible by integration" {
			t.Errorf("POST = %d %v", code, m)
		}
		if code, _, _ := do(t, http.MethodGet, p.URL+"/repos/acme/payments/pulls/7", GitHubToken, ""); code != http.StatusOK {
			t.Errorf("GET while writes are forbidden = %d", code)
		}
	})
	t.Run("should fail loudly on a wrong token and an unknown path", func(t *testing.T) {
		rec := &recordingTB{TB: t}
		p := NewPulls(rec, prs)
		if code, _, _ := do(t, http.MethodGet, p.URL+"/repos/acme/payments/pulls/7", "wrong", ""); code != http.StatusUnauthorized {
			t.Errorf("wrong token = %d", code)
		}
		if code, _, _ := do(t, http.MethodGet, p.URL+"/repos/acme/payments/pulls/7/files", GitHubToken, ""); code != http.StatusNotFound {
			t.Errorf("unknown path = %d", code)
		}
		if len(rec.errs) != 2 {
			t.Errorf("test errors = %v, want 2", rec.errs)
		}
	})
	t.Run("should serve GitHub App auth: installation tokens, GET /app with the JWT, comments by <slug>[bot]", func(t *testing.T) {
		rec := &recordingTB{TB: t}
		p := NewPulls(rec, prs, WithPullsApp(12, 34, "pomlint-app"))
		seg := func(v string) string { return base64.RawURLEncoding.EncodeToString([]byte(v)) }
		jwt := seg(`{"alg":"RS256","typ":"JWT"}`) + "." + seg(`{"iss":"12","iat":1,"exp":2}`) + ".c2ln"
		code, m, _ := do(t, http.MethodGet, p.URL+"/app", jwt, "")
		if code != http.StatusOK || m["slug"] != "pomlint-app" || m["id"] != float64(12) {
			t.Errorf("GET /app = %d %v", code, m)
		}
		code, m, _ = do(t, http.MethodPost, p.URL+"/app/installations/34/access_tokens", jwt, "")
		tok, _ := m["token"].(string)
		if code != http.StatusCreated || tok == "" || m["expires_at"] == nil {
			t.Fatalf("POST access_tokens = %d %v", code, m)
		}
		_, m, _ = do(t, http.MethodPost, p.URL+"/repos/acme/payments/issues/7/comments", tok, `{"body":"hi"}`)
		if u, _ := m["user"].(map[string]any); u["login"] != "pomlint-app[bot]" {
			t.Errorf("comment by %v, want pomlint-app[bot]", u["login"])
		}
		if code, _, _ := do(t, http.MethodGet, p.URL+"/user", tok, ""); code != http.StatusForbidden {
			t.Errorf("GET /user with an installation token = %d, want 403", code)
		}
		if len(rec.errs) != 0 {
			t.Fatalf("test errors = %v", rec.errs)
		}
		// The static token, and GET /app without a JWT, fail loudly.
		if code, _, _ := do(t, http.MethodGet, p.URL+"/repos/acme/payments/pulls/7", GitHubToken, ""); code != http.StatusUnauthorized {
			t.Errorf("static token in app mode = %d", code)
		}
		if code, _, _ := do(t, http.MethodGet, p.URL+"/app", tok, ""); code != http.StatusUnauthorized {
			t.Errorf("GET /app with an installation token = %d", code)
		}
		if len(rec.errs) != 2 {
			t.Errorf("test errors = %v, want 2", rec.errs)
		}
		p.SetFaults(PullsFaults{RejectAppJWT: true})
		if code, m, _ := do(t, http.MethodGet, p.URL+"/app", jwt, ""); code != http.StatusUnauthorized || m["message"] != "A JSON web token could not be decoded" {
			t.Errorf("GET /app with RejectAppJWT = %d %v", code, m)
		}
	})
}
