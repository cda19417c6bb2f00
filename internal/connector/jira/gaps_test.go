package jira

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
)

// gapData is JiraGenerate(projects, perProject) with a third of the key
// numbers gone, as on a long-lived site: drawn at random (fixed seed, so
// every run sees the same gaps), half of them moved to another project
// (their old keys are aliases Jira refuses as bounds), the others deleted.
// With hidden, every 7th remaining issue is under a security level the
// account cannot see. It returns the data and the number of issues the
// account can read.
func gapData(projects, perProject int, hidden bool) (fake.JiraData, int) {
	data := fake.JiraGenerate(projects, perProject)
	data.Moved = map[string]string{}
	r := rand.New(rand.NewPCG(7, 11))
	kept := data.Issues[:0]
	visible := 0
	for _, is := range data.Issues {
		if r.IntN(3) == 0 {
			if r.IntN(2) == 0 {
				data.Moved[is.Key] = fmt.Sprintf("MOVED-%d", len(data.Moved)+1)
			}
			continue
		}
		if hidden && issueNumber(is.Key)%7 == 0 {
			is.Hidden = true
		} else {
			visible++
		}
		is.Parent = "" // the epics may be gone
		kept = append(kept, is)
	}
	data.Issues = kept
	return data, visible
}

func issueNumber(key string) int {
	_, n := splitKey(key)
	return n
}

func TestCloudKeyGaps(t *testing.T) {
	tests := []struct {
		name        string
		projects    int
		perProject  int
		hidden      bool
		concurrency int
	}{
		{name: "should read every issue of one large project whose range bounds were deleted or moved", projects: 1, perProject: 6000},
		{name: "should read every visible issue when bounds are hidden by issue security", projects: 1, perProject: 6000, hidden: true},
		{name: "should read every issue of several projects with gaps at concurrency 3", projects: 3, perProject: 2000, concurrency: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, visible := gapData(tt.projects, tt.perProject, tt.hidden)
			var ps []string
			for p := 1; p <= tt.projects; p++ {
				ps = append(ps, fmt.Sprintf("P%d", p))
			}
			h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentCloud, data: &data, concurrency: tt.concurrency,
				jql: "project in (" + strings.Join(ps, ", ") + ")", strictFake: true})
			items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
			if err != nil || len(items) != visible || len(byKey(items)) != visible {
				t.Fatalf("got %d items (%d keys) err %v, want %d", len(items), len(byKey(items)), err, visible)
			}
			if hasNotice(h, "may be incomplete") {
				t.Error("the split result was dropped and read again")
			}
			floor := (visible + 99) / 100
			if got := h.srv.Requests(); float64(got) > 1.1*float64(floor) {
				t.Errorf("%d requests, want at most 1.1 × the page floor %d", got, floor)
			}
			t.Logf("%d requests, page floor %d, %d refused for a missing bound", h.srv.Requests(), floor, countRefused(h.srv.Queries(), data))
		})
	}
	t.Run("should not refuse a bound twice for the two ranges it separates", func(t *testing.T) {
		data, visible := gapData(1, 6000, false)
		h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentCloud, data: &data, jql: "project = P1"})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil || len(items) != visible {
			t.Fatalf("got %d items err %v", len(items), err)
		}
		seen := map[string]int{}
		for _, q := range h.srv.Queries() {
			seen[q]++
		}
		for q, n := range seen {
			if n > 1 && strings.Contains(q, "issuekey >=") && !strings.Contains(q, "issuekey <") {
				t.Errorf("query %q sent %d times", q, n)
			}
		}
	})
}

func TestCloudFollowsIsLast(t *testing.T) {
	t.Run("should follow isLast false when the first page holds only key 1", func(t *testing.T) {
		// P1-1 and issues that kept their keys under an old prefix: the
		// newest page (one issue a page here) is P1-1 alone.
		data := fake.JiraGenerate(1, 1)
		for n := 1; n <= 30; n++ {
			data.Issues = append(data.Issues, fake.JiraIssue{Key: fmt.Sprintf("OLD-%d", n), ProjectKey: "P1", Type: "Story", Status: "To Do", StatusCategory: "new"})
		}
		h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentCloud, data: &data, jql: "project = P1",
			opts: []fake.JiraOption{fake.WithJiraPageCap(1, 50, 100)}})
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil || len(items) != 31 {
			t.Fatalf("got %d items err %v, want all 31", len(items), err)
		}
	})
}

func TestCloudBoundDeletedMidRun(t *testing.T) {
	t.Run("should read past a bound deleted after a range was answered with it", func(t *testing.T) {
		data, visible := gapData(1, 6000, false)
		var srv *fake.Jira
		var once sync.Once
		hidden := ""
		hook := &hookTransport{
			match: func(r *http.Request) bool {
				return strings.Contains(r.URL.Query().Get("jql"), "issuekey >= ") && r.URL.Query().Get("nextPageToken") == ""
			},
			after: func(int) {},
		}
		hook.edit = func(r *http.Request, m map[string]json.RawMessage) {
			if _, ok := m["issues"]; !ok {
				return // refused
			}
			once.Do(func() {
				jql := r.URL.Query().Get("jql")
				_, rest, _ := strings.Cut(jql, `issuekey >= "`)
				hidden, _, _ = strings.Cut(rest, `"`)
				srv.UpdateIssue(hidden, func(is *fake.JiraIssue) { is.Hidden = true })
			})
		}
		h := newHarness(t, setup{mode: fake.JiraCloud, deployment: DeploymentCloud, data: &data, jql: "project = P1", transport: hook})
		srv = h.srv
		items, err := h.conn.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil {
			t.Fatalf("Fetch: %v", err)
		}
		k := byKey(items)
		for _, is := range data.Issues {
			if _, ok := k[is.Key]; !ok && is.Key != hidden {
				t.Errorf("%s missing (bound %s hidden mid-run)", is.Key, hidden)
			}
		}
		n := 0
		for _, q := range h.srv.Queries() {
			if hidden != "" && strings.Contains(q, `issuekey < "`+hidden+`"`) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no query was refused for %s: the case was not exercised", hidden)
		}
		if len(items) < visible-1 {
			t.Errorf("got %d items, want %d", len(items), visible)
		}
	})
}
