package fake

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
)

// The fake's issue objects must carry every field the recorded GitHub
// traffic carries, at every level, plus the newer type/parent fields.
func TestGitHubIssueShapeMatchesRecording(t *testing.T) {
	raw, err := os.ReadFile("testdata/github/octokit-paginate-issues.json")
	if err != nil {
		t.Fatal(err)
	}
	var rec []struct {
		Response []map[string]any `json:"response"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	g := NewGitHub(GitHubDemoData(), WithGitHubTB(t))
	body := ghGet(t, g, g.RESTURL()+"repos/acme/payments/issues?per_page=100")
	var got []map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	want := rec[0].Response[0]
	for k, v := range want {
		gv, ok := got[0][k]
		if !ok {
			t.Errorf("should serve field %q like the recording", k)
			continue
		}
		if m, ok := v.(map[string]any); ok {
			gm, _ := gv.(map[string]any)
			for k2 := range m {
				if _, ok := gm[k2]; !ok {
					t.Errorf("should serve field %s.%s like the recording", k, k2)
				}
			}
		}
	}
	for _, k := range []string{"type", "parent_issue_url", "sub_issues_summary"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("should serve newer field %q", k)
		}
	}
}

func TestGitHubFake(t *testing.T) {
	t.Run("should page with Link headers to /repositories/{id}/issues", func(t *testing.T) {
		g := NewGitHub(GitHubGenerate(1, 250), WithGitHubTB(t))
		resp := ghDo(t, g, g.RESTURL()+"repos/bench/repo-00/issues?per_page=100&state=open")
		link := resp.Header.Get("Link")
		if !strings.Contains(link, "/repositories/5000/issues?") || !strings.Contains(link, `rel="next"`) || !strings.Contains(link, "page=3") {
			t.Errorf("Link = %q", link)
		}
	})
	t.Run("should answer 304 to a matching If-None-Match without spending budget", func(t *testing.T) {
		g := NewGitHub(GitHubDemoData(), WithGitHubTB(t))
		first := ghDo(t, g, g.RESTURL()+"repos/acme/payments/issues")
		req, _ := http.NewRequest("GET", g.RESTURL()+"repos/acme/payments/issues", nil)
		req.Header.Set("Authorization", "Bearer "+GitHubToken)
		req.Header.Set("If-None-Match", first.Header.Get("ETag"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotModified || g.NotModified() != 1 {
			t.Errorf("status %d, 304s %d", resp.StatusCode, g.NotModified())
		}
		if resp.Header.Get("X-RateLimit-Remaining") != first.Header.Get("X-RateLimit-Remaining") {
			t.Errorf("a 304 should not cost budget")
		}
	})
	t.Run("should list sub-issues including other repositories' children", func(t *testing.T) {
		g := NewGitHub(GitHubDemoData(), WithGitHubTB(t))
		var subs []struct {
			Number        int    `json:"number"`
			RepositoryURL string `json:"repository_url"`
		}
		if err := json.Unmarshal(ghGet(t, g, g.RESTURL()+"repos/acme/payments/issues/1/sub_issues"), &subs); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range subs {
			got = append(got, s.RepositoryURL[strings.LastIndex(s.RepositoryURL, "/")+1:]+"#"+string(rune('0'+s.Number%10)))
		}
		sort.Strings(got)
		if len(got) != 2 {
			t.Errorf("sub-issues of acme/payments#1 = %v, want payments#2 and checkout#10", got)
		}
	})
}

func ghDo(t *testing.T, g *GitHub, url string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+GitHubToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	return resp
}

func ghGet(t *testing.T, g *GitHub, url string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+GitHubToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s %s", url, resp.Status, b)
	}
	return b
}
