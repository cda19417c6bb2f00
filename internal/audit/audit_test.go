package audit

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/classify"
	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/model"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixture is the hand-computed Q3 2026 audit of testdata/q3.json.
func fixture(t *testing.T, compare bool) *Report {
	t.Helper()
	data, err := os.ReadFile("testdata/q3.json")
	if err != nil {
		t.Fatal(err)
	}
	var snap model.Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	roster := model.NewRoster(snap.Roster.People, snap.Roster.Teams)
	cfg := &config.Config{
		Classification: config.Classification{
			Strategic: config.LevelMatch{Types: []string{"Initiative", "Theme", "Epic"}, Labels: []string{"roadmap"}},
			Tactical:  config.LevelMatch{Types: []string{"Story", "Task", "Bug"}, Labels: []string{"story"}},
		},
		Ownership: config.Ownership{From: []string{"field:Product Owner", "assignee"}},
	}
	byItem := map[string][]model.Event{}
	for _, e := range snap.Events {
		byItem[e.Item] = append(byItem[e.Item], e)
	}
	hist := History{}
	hist.Add("demo", byItem)
	return Run(snap.Items, hist, Options{
		From: date("2026-07-01"), To: date("2026-10-01"), Now: date("2026-10-05"),
		ComparePrevious: compare,
		Classifier:      classify.New(cfg, roster),
		Roster:          roster,
		Tool:            snap.Tool,
		Sources:         snap.Sources,
	})
}

func f(v float64) *float64 { return &v }

func eqp(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func show(p *float64) any {
	if p == nil {
		return "nil"
	}
	return *p
}

func item(t *testing.T, rep *Report, key string) ItemReport {
	t.Helper()
	for _, it := range rep.Items {
		if it.Key == key {
			return it
		}
	}
	t.Fatalf("no item %s", key)
	return ItemReport{}
}

func TestRunReproducesHandComputedFigures(t *testing.T) {
	rep := fixture(t, true)
	type want struct {
		items, never, changes int
		itemDays, okDays      float64
		compliance, median    *float64
	}
	check := func(t *testing.T, got Figures, w want) {
		t.Helper()
		if got.Items != w.items || got.NeverCompliant != w.never || got.OwnershipChanges != w.changes ||
			got.ItemDays != w.itemDays || got.CompliantDays != w.okDays || !eqp(got.Compliance, w.compliance) || !eqp(got.MedianDaysToOwner, w.median) {
			t.Errorf("%s: got items %d never %d changes %d days %v/%v compliance %v median %v; want %+v (compliance %v median %v)",
				got.Name, got.Items, got.NeverCompliant, got.OwnershipChanges, got.CompliantDays, got.ItemDays,
				show(got.Compliance), show(got.MedianDaysToOwner), w, show(w.compliance), show(w.median))
		}
	}
	t.Run("should weigh the current window by item-days", func(t *testing.T) {
		if rep.Current.Days != 92 || rep.Current.From != "2026-07-01" || rep.Current.Through != "2026-09-30" {
			t.Fatalf("window %s..%s %v days", rep.Current.From, rep.Current.Through, rep.Current.Days)
		}
		// 62+72+0+31+77 correct of 92+82+71+92+92 item-days.
		check(t, rep.Current.Overall, want{items: 5, never: 1, changes: 3, itemDays: 429, okDays: 242, compliance: f(56.4), median: f(10)})
	})
	t.Run("should split figures by team and by level", func(t *testing.T) {
		if len(rep.Current.Teams) != 2 || rep.Current.Teams[0].Name != "checkout" || rep.Current.Teams[1].Name != "payments" {
			t.Fatalf("teams %+v", rep.Current.Teams)
		}
		check(t, rep.Current.Teams[0], want{items: 3, never: 1, itemDays: 255, okDays: 108, compliance: f(42.4)})
		check(t, rep.Current.Teams[1], want{items: 2, changes: 3, itemDays: 174, okDays: 134, compliance: f(77), median: f(10)})
		if len(rep.Current.Levels) != 2 {
			t.Fatalf("levels %+v", rep.Current.Levels)
		}
		check(t, rep.Current.Levels[0], want{items: 1, changes: 2, itemDays: 107, okDays: 62, compliance: f(57.9)})
		check(t, rep.Current.Levels[1], want{items: 4, never: 1, changes: 1, itemDays: 322, okDays: 180, compliance: f(55.9), median: f(10)})
	})
	t.Run("should make the epic owned by a product owner for 30 of 92 days 67.4 % compliant", func(t *testing.T) {
		it := item(t, rep, "acme/payments#1")
		if it.Key != "acme/payments#1" || it.ItemDays != 92 || it.CompliantDays != 62 || !eqp(it.Compliance, f(67.4)) || it.OwnershipChanges != 2 {
			t.Fatalf("got %+v", it)
		}
		if len(it.Intervals) != 3 || it.Intervals[1].Owner != "bob" || it.Intervals[1].Rule != RuleStrategicNotPM {
			t.Fatalf("intervals %+v", it.Intervals)
		}
	})
	t.Run("should judge by the role roles_since gives at the time", func(t *testing.T) {
		chk := item(t, rep, "CHK-4")
		if chk.CompliantDays != 31 || chk.ItemDays != 92 || len(chk.Intervals) != 2 || chk.Intervals[1].Rule != RuleTacticalNotPO ||
			!chk.Intervals[1].From.Equal(date("2026-08-01")) || chk.OwnershipChanges != 0 {
			t.Fatalf("got %+v", chk)
		}
	})
	t.Run("should end a closed item at its close event and count items never correctly owned", func(t *testing.T) {
		it := item(t, rep, "acme/checkout#3")
		if it.Key != "acme/checkout#3" || it.ItemDays != 71 || it.CompliantDays != 0 || len(it.Rules) != 1 || it.Rules[0] != RuleNotInRoster {
			t.Fatalf("got %+v", it)
		}
	})
	t.Run("should rank rules by item-days and owners by non-compliant items", func(t *testing.T) {
		rules := rep.Current.Overall.Rules
		// Shares of the 429 item-days: 71/429 = 16.6 %, 61/429 = 14.2 %,
		// 45/429 = 10.5 %, 10/429 = 2.3 %.
		wantRules := []RuleCount{{"OWN004", "owner-not-in-roster", 1, 71, f(16.6)}, {"OWN002", "tactical-owned-by-non-po", 1, 61, f(14.2)},
			{"OWN001", "strategic-owned-by-non-pm", 2, 45, f(10.5)}, {"OWN003", "missing-owner", 1, 10, f(2.3)}}
		if len(rules) != len(wantRules) {
			t.Fatalf("rules %+v", rules)
		}
		for i := range rules {
			g, w := rules[i], wantRules[i]
			if g.Rule != w.Rule || g.Name != w.Name || g.Items != w.Items || g.Days != w.Days || !eqp(g.Share, w.Share) {
				t.Errorf("rule %d: got %+v share %v want %+v share %v", i, g, show(g.Share), w, show(w.Share))
			}
		}
		wantOwners := []OwnerCount{{"dev-dana", "dev-dana", 1, 71}, {"dmitri", "Dmitri Volkov", 1, 61}, {"bob", "Bob Osei", 1, 30}, {"carol", "Carol Diaz", 1, 15}}
		owners := rep.Current.Overall.Owners
		if len(owners) != len(wantOwners) {
			t.Fatalf("owners %+v", owners)
		}
		for i := range owners {
			if owners[i] != wantOwners[i] {
				t.Errorf("owner %d: got %+v want %+v", i, owners[i], wantOwners[i])
			}
		}
	})
	t.Run("should trend compliance per month", func(t *testing.T) {
		want := []Month{{"2026-07", 145, f(61.4)}, {"2026-08", 155, f(40.6)}, {"2026-09", 129, f(69.8)}}
		if len(rep.Current.Months) != 3 {
			t.Fatalf("months %+v", rep.Current.Months)
		}
		for i, m := range rep.Current.Months {
			if m.Month != want[i].Month || m.ItemDays != want[i].ItemDays || !eqp(m.Compliance, want[i].Compliance) {
				t.Errorf("month %d: got %+v %v", i, m, show(m.Compliance))
			}
		}
		b := rep.Current.TimeToOwner
		if b[2].Label != "7–30 days" || b[2].Items != 1 || b[5].Items != 0 {
			t.Errorf("buckets %+v", b)
		}
	})
	t.Run("should compare with the previous period of equal length", func(t *testing.T) {
		p := rep.Previous
		if p.From != "2026-04-01" || p.Through != "2026-06-30" || p.Days != 91 {
			t.Fatalf("previous %s..%s %v", p.From, p.Through, p.Days)
		}
		// 91+91+61+16 item-days, 91+61 correct; CHK-4 owned from creation.
		check(t, p.Overall, want{items: 4, never: 2, itemDays: 259, okDays: 152, compliance: f(58.7), median: f(0)})
		d := rep.Diff.Overall
		if !eqp(d.Compliance, f(-2.3)) || d.Items != 1 || d.NeverCompliant != -1 || !eqp(d.MedianDaysToOwner, f(10)) || d.OwnershipChanges != 3 {
			t.Fatalf("diff %+v compliance %v median %v", d, show(d.Compliance), show(d.MedianDaysToOwner))
		}
		if p.TimeToOwner[0].Items != 1 || p.TimeToOwner[5].Items != 1 {
			t.Errorf("previous buckets %+v", p.TimeToOwner)
		}
	})
	t.Run("should leave out items not alive in the window", func(t *testing.T) {
		for _, it := range rep.Items {
			if it.Key == "acme/payments#6" {
				t.Fatal("an item created after the window is in it")
			}
		}
	})
}
