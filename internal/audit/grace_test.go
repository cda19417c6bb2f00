package audit

import (
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/classify"
	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/model"
)

// graceAudit is July 2026 (31 days) over four tasks, none with a team:
//
//	A created 07-11, nobody until bob (PO) on 07-14: 3 days missing, 18 owned
//	B created 07-01, nobody until bob on 07-21: 20 days missing, 11 owned
//	C created 06-01, owned by alice (PM, wrong role) all month: 31 days OWN002
//	D created 07-05, bob, alice from 07-20 to 07-22, bob again: 25 + 2 days OWN002
func graceAudit(t *testing.T, grace time.Duration) *Report {
	t.Helper()
	bob := model.Account{Tracker: model.TrackerGitHub, Login: "bob-o"}
	alice := model.Account{Tracker: model.TrackerGitHub, Login: "alice-c"}
	roster := model.NewRoster([]model.Person{
		{ID: "alice", Name: "Alice Chen", Roles: []model.Role{model.RoleProductManager}, Accounts: model.Accounts{model.TrackerGitHub: "alice-c"}},
		{ID: "bob", Name: "Bob Osei", Roles: []model.Role{model.RoleProductOwner}, Accounts: model.Accounts{model.TrackerGitHub: "bob-o"}},
	}, nil)
	task := func(key, created string, owner model.Account) model.Item {
		return model.Item{Key: key, Source: "gh", Tracker: model.TrackerGitHub, Type: "Task", Title: key,
			Assignees: []model.Account{owner}, Created: date(created)}
	}
	items := []model.Item{task("A", "2026-07-11", bob), task("B", "2026-07-01", bob), task("C", "2026-06-01", alice), task("D", "2026-07-05", bob)}
	at := func(d string) time.Time { return date(d) }
	hist := History{}
	hist.Add("gh", map[string][]model.Event{
		"A": {{Item: "A", At: at("2026-07-14"), Field: "assignee", ToAccount: &bob}},
		"B": {{Item: "B", At: at("2026-07-21"), Field: "assignee", ToAccount: &bob}},
		"D": {
			{Item: "D", At: at("2026-07-20"), Field: "assignee", FromAccount: &bob},
			{Item: "D", At: at("2026-07-20"), Field: "assignee", ToAccount: &alice},
			{Item: "D", At: at("2026-07-22"), Field: "assignee", FromAccount: &alice},
			{Item: "D", At: at("2026-07-22"), Field: "assignee", ToAccount: &bob},
		},
	})
	cfg := &config.Config{
		Classification: config.Classification{Tactical: config.LevelMatch{Types: []string{"Task"}}},
		Ownership:      config.Ownership{From: []string{"assignee"}},
	}
	return Run(items, hist, Options{
		From: date("2026-07-01"), To: date("2026-08-01"), Now: date("2026-08-05"),
		Classifier: classify.New(cfg, roster), Roster: roster, GracePeriod: grace,
		Sources: []model.SourceStatus{{Name: "gh", Kind: "github", Items: 4, Complete: true}},
	})
}

func TestGracePeriod(t *testing.T) {
	type rule struct {
		id    string
		items int
		days  float64
		share *float64
	}
	checkRules := func(t *testing.T, got []RuleCount, want []rule) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("rules %+v, want %+v", got, want)
		}
		for i, w := range want {
			g := got[i]
			if g.Rule != w.id || g.Items != w.items || g.Days != w.days || !eqp(g.Share, w.share) {
				t.Errorf("rule %d = %s %d items %v days %v %%, want %+v %v %%", i, g.Rule, g.Items, g.Days, show(g.Share), w, show(w.share))
			}
		}
	}
	t.Run("should count every missing-owner day and every stretch without a grace period", func(t *testing.T) {
		o := graceAudit(t, 0).Current.Overall
		// Alive: A 21 + B 31 + C 31 + D 27 = 110; owned right: 18 + 11 + 0 + 25 = 54.
		// 54 / 110 = 49.09 % → 49.1 %.
		if o.ItemDays != 110 || o.CompliantDays != 54 || !eqp(o.Compliance, f(49.1)) {
			t.Errorf("overall %v of %v days, %v %%", o.CompliantDays, o.ItemDays, show(o.Compliance))
		}
		// OWN002: C 31 + D 2 = 33 days, 33/110 = 30.0 %; OWN003: A 3 + B 20 = 23 days, 23/110 = 20.9 %.
		checkRules(t, o.Rules, []rule{{"OWN002", 2, 33, f(30)}, {"OWN003", 2, 23, f(20.9)}})
	})
	t.Run("should leave out a new item's first 7 days without an owner", func(t *testing.T) {
		rep := graceAudit(t, 7*Day)
		o := rep.Current.Overall
		// A: its 3 missing days (07-11..07-14) all fall in the grace: 18 days, all owned.
		// B: 07-01..07-08 is grace, 07-08..07-21 = 13 days missing counted, 11 owned: 24 days.
		// Alive: 18 + 24 + 31 + 27 = 100; owned right: 18 + 11 + 0 + 25 = 54 → 54.0 %.
		if o.ItemDays != 100 || o.CompliantDays != 54 || !eqp(o.Compliance, f(54)) {
			t.Errorf("overall %v of %v days, %v %%", o.CompliantDays, o.ItemDays, show(o.Compliance))
		}
		if a := item(t, rep, "A"); a.ItemDays != 18 || !eqp(a.Compliance, f(100)) || len(a.Rules) != 0 {
			t.Errorf("A = %v days, %v %%, rules %v", a.ItemDays, show(a.Compliance), a.Rules)
		}
		// The most frequent rules leave out D's 2-day OWN002 stretch (shorter than 7 days),
		// though it still counts against D's compliance (25 of 27 days).
		// OWN002: C 31 days, 31/100 = 31.0 %; OWN003: B 13 days, 13/100 = 13.0 %.
		checkRules(t, o.Rules, []rule{{"OWN002", 1, 31, f(31)}, {"OWN003", 1, 13, f(13)}})
		if d := item(t, rep, "D"); d.CompliantDays != 25 || d.ItemDays != 27 {
			t.Errorf("D = %v of %v days", d.CompliantDays, d.ItemDays)
		}
	})
	t.Run("should show each owner's item-days held and share compliant", func(t *testing.T) {
		h := graceAudit(t, 7*Day).Current.Overall.Holders
		// Bob: A 18 + B 11 + D 25 = 54 days, all compliant → 100 %.
		// Alice: C 31 + D 2 = 33 days, none compliant → 0 %.
		// B's 13 ownerless days belong to nobody.
		want := []HolderCount{{"bob", "Bob Osei", 3, 54, 54, f(100)}, {"alice", "Alice Chen", 2, 33, 0, f(0)}}
		if len(h) != len(want) {
			t.Fatalf("holders %+v", h)
		}
		for i, w := range want {
			g := h[i]
			if g.Owner != w.Owner || g.Name != w.Name || g.Items != w.Items || g.Days != w.Days || g.CompliantDays != w.CompliantDays || !eqp(g.Compliance, w.Compliance) {
				t.Errorf("holder %d = %+v %v, want %+v %v", i, g, show(g.Compliance), w, show(w.Compliance))
			}
		}
	})
	t.Run("should say in the notes that a grace period applied", func(t *testing.T) {
		found := false
		for _, n := range graceAudit(t, 7*Day).Notes {
			found = found || (len(n) > 30 && n[:30] == "Grace period 7 days (audit.gra")
		}
		if !found {
			t.Error("no grace note")
		}
	})
}
