package github

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
	"github.com/pomlint/pomlint/internal/model"
)

var q3 = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

func day(d int) time.Time { return q3.AddDate(0, 0, d) }

func historyConnector(tb testing.TB, ev *fake.GitHubEvents, repos ...string) *Connector {
	tb.Helper()
	env := connector.Env{
		HTTP:   connector.HTTPOptions{Clock: fake.NewClock(q3), Jitter: func(max time.Duration) time.Duration { return max / 2 }},
		Getenv: func(k string) string { return map[string]string{"GITHUB_TOKEN": fake.GitHubToken}[k] },
	}
	if len(repos) == 0 {
		repos = []string{"bench/r0"}
	}
	c, err := New(config.Source{Name: "gh", Kind: KindName, Block: &Source{BaseURL: ev.URL + "/", Repos: repos}}, env)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return c.(*Connector)
}

func ghItems(keys ...string) []model.Item {
	out := make([]model.Item, len(keys))
	for i, k := range keys {
		out[i] = model.Item{Key: k, Source: "gh", Tracker: model.TrackerGitHub}
	}
	return out
}

func TestHistory(t *testing.T) {
	events := []fake.GitHubEvent{
		{Issue: "acme/payments#1", Event: "assigned", At: day(-30), Assignee: "alice-c"},
		{Issue: "acme/payments#1", Event: "unassigned", At: day(31), Assignee: "alice-c"},
		{Issue: "acme/payments#1", Event: "assigned", At: day(31), Assignee: "bob-o"},
		{Issue: "acme/payments#1", Event: "renamed", At: day(32)},
		{Issue: "acme/payments#2", Event: "labeled", At: day(3), Label: "good first issue"},
		{Issue: "acme/payments#2", Event: "unlabeled", At: day(4), Label: "roadmap"},
		{Issue: "acme/payments#2", Event: "issue_type_changed", At: day(5), Type: "Task", PrevType: "Epic"},
		{Issue: "acme/payments#2", Event: "issue_type_added", At: day(6), Type: "Bug"},
		{Issue: "acme/payments#2", Event: "issue_type_removed", At: day(7), PrevType: "Bug"},
		{Issue: "acme/payments#2", Event: "closed", At: day(8)},
		{Issue: "acme/payments#2", Event: "reopened", At: day(9)},
		{Issue: "acme/payments#3", Event: "assigned", At: day(10), Assignee: "carol-d"},
		{Issue: "acme/checkout#7", Event: "assigned", At: day(2), Assignee: "carol-d"},
	}
	t.Run("should map events and read a repository's listing once for several items", func(t *testing.T) {
		ev := fake.NewGitHubEvents(events, fake.WithEventsTB(t))
		c := historyConnector(t, ev, "acme/payments")
		got, err := c.History(context.Background(), ghItems("acme/payments#1", "acme/payments#2"), q3, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if n := ev.Paths()["/repos/acme/payments/issues/events"]; n != 1 || ev.Requests() != 1 {
			t.Errorf("requests %v, want one listing page", ev.Paths())
		}
		if _, ok := got["acme/payments#3"]; ok {
			t.Error("should keep only the asked items")
		}
		want := map[string][]string{
			"acme/payments#1": {"assignee -alice-c", "assignee +bob-o"},
			"acme/payments#2": {"label  -> good first issue", "label roadmap -> ", "type Epic -> Task", "type  -> Bug", "type Bug -> ", "state open -> closed", "state closed -> open"},
		}
		for k, w := range want {
			if g := describe(got[k]); strings.Join(g, "|") != strings.Join(w, "|") {
				t.Errorf("%s:\n got %q\nwant %q", k, g, w)
			}
		}
	})
	t.Run("should read one issue's events when it is the only item of its repository", func(t *testing.T) {
		ev := fake.NewGitHubEvents(events, fake.WithEventsTB(t))
		c := historyConnector(t, ev, "acme/checkout")
		got, err := c.History(context.Background(), ghItems("acme/checkout#7"), q3, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if ev.Paths()["/repos/acme/checkout/issues/7/events"] != 1 || ev.Requests() != 1 {
			t.Errorf("requests %v", ev.Paths())
		}
		if g := describe(got["acme/checkout#7"]); len(g) != 1 || g[0] != "assignee +carol-d" {
			t.Errorf("got %q", g)
		}
	})
	t.Run("should switch to per-issue reads when the listing needs more pages than items", func(t *testing.T) {
		busy := append([]fake.GitHubEvent(nil), events...)
		for i := 0; i < 450; i++ {
			busy = append(busy, fake.GitHubEvent{Issue: fmt.Sprintf("acme/payments#%d", 100+i), Event: "labeled", At: day(40).Add(time.Duration(i) * time.Minute), Label: "x"})
		}
		ev := fake.NewGitHubEvents(busy, fake.WithEventsTB(t))
		c := historyConnector(t, ev, "acme/payments")
		got, err := c.History(context.Background(), ghItems("acme/payments#1", "acme/payments#2"), q3, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		p := ev.Paths()
		if p["/repos/acme/payments/issues/events"] != 2 || p["/repos/acme/payments/issues/1/events"] != 1 || p["/repos/acme/payments/issues/2/events"] != 1 {
			t.Errorf("requests %v, want 2 listing pages then 1 per issue", p)
		}
		if len(got["acme/payments#1"]) != 2 || len(got["acme/payments#2"]) != 7 {
			t.Errorf("got %v", got)
		}
	})
	t.Run("should stop the newest-first listing at the first page older than from", func(t *testing.T) {
		old := append([]fake.GitHubEvent(nil), events...)
		for i := 0; i < 250; i++ {
			old = append(old, fake.GitHubEvent{Issue: fmt.Sprintf("acme/payments#%d", 100+i), Event: "labeled", At: day(-400).Add(time.Duration(i) * time.Hour), Label: "x"})
		}
		ev := fake.NewGitHubEvents(old, fake.WithEventsTB(t))
		c := historyConnector(t, ev, "acme/payments")
		items := ghItems("acme/payments#1", "acme/payments#2", "acme/payments#3", "acme/payments#4", "acme/payments#5")
		if _, err := c.History(context.Background(), items, q3, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if n := ev.Paths()["/repos/acme/payments/issues/events"]; n != 1 {
			t.Errorf("listing pages %d, want 1 (the rest is older than the window)", n)
		}
	})
	t.Run("should honour a cancelled context", func(t *testing.T) {
		ev := fake.NewGitHubEvents(events)
		c := historyConnector(t, ev, "acme/payments")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := c.History(ctx, ghItems("acme/payments#1", "acme/payments#2"), q3, time.Time{}); err == nil {
			t.Fatal("no error from a cancelled context")
		}
	})
}

func describe(evs []model.Event) []string {
	var out []string
	for _, e := range evs {
		switch {
		case e.ToAccount != nil:
			out = append(out, e.Field+" +"+e.ToAccount.Login)
		case e.FromAccount != nil:
			out = append(out, e.Field+" -"+e.FromAccount.Login)
		default:
			out = append(out, e.Field+" "+e.From+" -> "+e.To)
		}
	}
	return out
}
