package cli

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pomlint/pomlint/internal/drift"
)

// recorder fails every request and remembers its host and credentials.
type recorder struct {
	mu    sync.Mutex
	hosts []string
	auth  []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hosts = append(r.hosts, req.URL.Host)
	r.auth = append(r.auth, req.Header.Get("Authorization"))
	return nil, http.ErrHandlerTimeout
}

func TestPolicyPreviewSecrets(t *testing.T) {
	const secret = "aws-secret-do-not-send"
	env := map[string]string{"GITHUB_TOKEN": "gh-token", "AWS_SECRET_ACCESS_KEY": secret}
	for _, tc := range []struct {
		name, head, says string
	}{
		{"should refuse a head config that sends another variable to its own host",
			"sources:\n  - name: gh\n    kind: github\n    github: {base_url: \"https://evil.example/\", token_env: AWS_SECRET_ACCESS_KEY, repos: [acme/app]}\n",
			"github.token_env GITHUB_TOKEN → AWS_SECRET_ACCESS_KEY"},
		{"should refuse a head config that only changes the host",
			"sources:\n  - name: gh\n    kind: github\n    github: {base_url: \"https://evil.example/\", repos: [acme/app]}\n",
			"github.base_url https://api.github.example/ → https://evil.example/"},
		{"should refuse a head config that adds a source",
			liveConfig + "  - name: more\n    kind: file\n    file: {path: /etc/passwd}\n",
			"source more is not in the base config"},
		{"should refuse a head config that reads rule files elsewhere",
			liveConfig + "rules:\n  paths: [/etc]\n",
			"outside the head config's folder"},
	} {
		for _, cmd := range [][]string{{"drift"}, {"comment", "--repo", "acme/app", "--pr", "1"}} {
			t.Run(tc.name+" ("+cmd[0]+")", func(t *testing.T) {
				dir := t.TempDir()
				write(t, dir, "base.yaml", liveConfig)
				write(t, dir, "head.yaml", tc.head)
				rec := &recorder{}
				args := append(cmd, "--base-config", "base.yaml", "--head-config", "head.yaml", "--no-cache", "--retries", "0")
				r := runPomlint(t, dir, env, rec, args...)
				if r.code != 2 || !strings.Contains(r.err, tc.says) || !strings.Contains(r.err, "base config's sources") && !strings.Contains(r.err, "rule files only") {
					t.Fatalf("exit %d, want 2 and %q\n%s", r.code, tc.says, r.err)
				}
				for i, h := range rec.hosts {
					if h == "evil.example" || strings.Contains(rec.auth[i], secret) {
						t.Fatalf("a request went to %s with %q", h, rec.auth[i])
					}
				}
			})
		}
	}
}

func TestPolicyPreviewReadsThroughBase(t *testing.T) {
	t.Run("should read a file source from the base config's folder, not the head's", func(t *testing.T) {
		root := repoRoot(t)
		demo, err := os.ReadFile(filepath.Join(root, "configs", "demo", "backlog.json"))
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		cfg := "sources:\n  - name: acme-github\n    kind: file\n    file: {path: backlog.json, sources: [acme-github]}\n"
		for _, side := range []string{"base", "head"} {
			if err := os.Mkdir(filepath.Join(dir, side), 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(dir, side), "pomlint.yaml", cfg)
		}
		write(t, filepath.Join(dir, "base"), "backlog.json", string(demo))
		// The head's folder holds other data under the same name: a pull
		// request cannot choose what the preview reads.
		var snap map[string]any
		_ = json.Unmarshal(demo, &snap)
		snap["items"] = snap["items"].([]any)[:3]
		b, _ := json.Marshal(snap)
		write(t, filepath.Join(dir, "head"), "backlog.json", string(b))
		r := runCLI(t, dir, nil, "drift", "--base-config", "base/pomlint.yaml", "--head-config", "head/pomlint.yaml", "--format", "json")
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.err)
		}
		var rep drift.Report
		if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Summary.ItemsRemoved != 0 || rep.Summary.ItemsAdded != 0 {
			t.Fatalf("the head side read the head folder's file: %+v", rep.Summary)
		}
	})
}

func TestInsecureURLWarning(t *testing.T) {
	t.Run("should warn about plain http to a remote host", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, "pomlint.yaml", "sources:\n  - name: j\n    kind: jira\n    jira: {url: \"http://jira.acme.example\", deployment: datacenter, jql: \"project = PAY\"}\n")
		r := runCLI(t, dir, nil, "config", "validate")
		if !strings.Contains(r.err, "sources[0].jira.url") || !strings.Contains(r.err, "unencrypted") {
			t.Fatalf("exit %d, no warning:\n%s%s", r.code, r.out, r.err)
		}
	})
}
