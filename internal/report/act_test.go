package report

import (
	"math"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/model"
)

func TestWhoMustAct(t *testing.T) {
	t.Run("should group counted findings by owner, unowned items by suggested owner, most errors first", func(t *testing.T) {
		r := full(t)
		got := WhoMustAct(r, NewPeople(r))
		// bob owns #12 (OWN001 error) and CHK-3 (OWN007 warning) and is the
		// suggested owner of the unowned #40 (OWN003 error, OWN006 note);
		// PAY-42's OWN001 is baselined and does not count. alice owns PAY-43
		// (OWN002 error); dave owns #8 (OWN005 warning) and CHK-4 (OWN006
		// note); ghost-user, outside the roster, owns #7 (OWN004 warning).
		want := []struct {
			name                  string
			errs, warns, notes, n int
		}{{"Bob Okafor", 2, 1, 1, 3}, {"Alice Chen", 1, 0, 0, 1}, {"Dave Kim", 0, 1, 1, 2}, {"ghost-user", 0, 1, 0, 1}}
		if len(got) != len(want) {
			t.Fatalf("got %d actors: %+v", len(got), got)
		}
		for i, w := range want {
			a := got[i]
			if a.Name != w.name || a.Errors != w.errs || a.Warnings != w.warns || a.Notes != w.notes || len(a.Items) != w.n {
				t.Errorf("actor %d = %s %d/%d/%d %d items, want %+v", i, a.Name, a.Errors, a.Warnings, a.Notes, len(a.Items), w)
			}
		}
		var suggested []string
		for _, it := range got[0].Items {
			if it.Suggested {
				suggested = append(suggested, it.Key+" "+strings.Join(it.Rules, ","))
			}
		}
		if strings.Join(suggested, ";") != "acme/payments#40 OWN003,OWN006" {
			t.Errorf("bob's suggested items = %v", suggested)
		}
		if got[0].Items[0].Worst != model.SeverityError || got[0].Items[2].Worst != model.SeverityWarning {
			t.Errorf("bob's items not worst first: %+v", got[0].Items)
		}
	})
	t.Run("should put unowned items nobody is suggested for last", func(t *testing.T) {
		r := full(t)
		r.Findings = append(r.Findings, model.Finding{Rule: "OWN003", Severity: model.SeverityError, Source: "jira", Item: "OPS-1"})
		got := WhoMustAct(r, NewPeople(r))
		if last := got[len(got)-1]; last.Name != Nobody || last.Errors != 1 {
			t.Errorf("last actor = %+v", last)
		}
	})
}

func TestPeople(t *testing.T) {
	r := full(t)
	r.Items = append(r.Items, model.Item{Key: "PAY-50", Source: "jira", Owner: &model.Owner{Account: model.Account{Tracker: "jira", Login: "5c1a7e", Name: "Sam Porter"}}})
	p := NewPeople(r)
	for _, tc := range []struct {
		name string
		f    model.Finding
		want string
	}{
		{"should name a roster person by their roster name", model.Finding{Source: "gh", Item: "acme/payments#12", Owner: "bob"}, "Bob Okafor"},
		{"should name a Jira account outside the roster by its display name", model.Finding{Source: "jira", Item: "PAY-50", Owner: "5c1a7e"}, "Sam Porter"},
		{"should fall back to the handle", model.Finding{Source: "gh", Item: "acme/checkout#7", Owner: "ghost-user"}, "ghost-user"},
		{"should name nobody for an unowned item", model.Finding{Source: "gh", Item: "acme/payments#40"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := p.Owner(&tc.f); got != tc.want {
				t.Errorf("Owner = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestBySeverity(t *testing.T) {
	t.Run("should order errors, warnings, notes, then baselined, keeping item order within one", func(t *testing.T) {
		var got []string
		for _, f := range BySeverity(full(t).Findings) {
			got = append(got, f.Item+" "+f.Rule)
		}
		want := "acme/payments#12 OWN001,acme/payments#40 OWN003,PAY-43 OWN002," +
			"acme/checkout#7 OWN004,acme/checkout#8 OWN005,CHK-3 OWN007," +
			"acme/payments#40 OWN006,CHK-4 OWN006,PAY-42 OWN001"
		if strings.Join(got, ",") != want {
			t.Errorf("got  %s\nwant %s", strings.Join(got, ","), want)
		}
	})
}

func TestTrend(t *testing.T) {
	t.Run("should count new, fixed and unchanged findings against a snapshot and its share then", func(t *testing.T) {
		r := full(t)
		prev := &model.Snapshot{Sources: r.Sources, Items: r.Items, Roster: r.Roster}
		for _, f := range r.Findings {
			if f.Item == "PAY-43" || f.Item == "CHK-3" {
				continue // new since
			}
			prev.Findings = append(prev.Findings, f)
		}
		prev.Findings = append(prev.Findings, model.Finding{Rule: "OWN003", Source: "jira", Item: "OPS-1", Severity: model.SeverityError})
		tr := TrendFromSnapshot("prev.json", prev, r)
		// 9 findings now, 2 of them new; OPS-1's OWN003 is fixed.
		if tr.New != 2 || tr.Fixed != 1 || tr.Unchanged != 7 {
			t.Errorf("new %d fixed %d unchanged %d, want 2 1 7", tr.New, tr.Fixed, tr.Unchanged)
		}
		// Then: #31, #9, CHK-4, PAY-43 and CHK-3 correctly owned: 5 of 11.
		if tr.Then == nil || math.Abs(*tr.Then-5.0/11) > 1e-9 {
			t.Fatalf("then = %v, want 5/11", tr.Then)
		}
		if !tr.IsNew(r.Findings[8]) || tr.IsNew(r.Findings[0]) {
			t.Errorf("PAY-43's OWN002 should be new and #7's OWN004 not")
		}
		// Now: #31, #9, CHK-4, OPS-1: 4 of 11.
		line := TrendLine(tr, Summarise(r))
		if line != "vs snapshot prev.json: 2 new, 1 fixed, 7 unchanged; correctly owned 45% then, 36% now" {
			t.Errorf("line = %q", line)
		}
	})
	t.Run("should count baselined findings as unchanged and stale entries as fixed against a baseline", func(t *testing.T) {
		tr := TrendFromBaseline(".pomlint-baseline.json", full(t))
		if tr.New != 8 || tr.Unchanged != 1 || tr.Fixed != 1 || tr.Then != nil {
			t.Errorf("got %+v", tr)
		}
	})
	t.Run("should show the trend in the markdown and html headers", func(t *testing.T) {
		tr := &Trend{Against: "snapshot a.json", New: 2, Fixed: 1, Unchanged: 7}
		md := render(t, &Markdown{Trend: tr}, full(t))
		if !strings.Contains(md, "**Trend** vs snapshot a.json: 2 new, 1 fixed, 7 unchanged; correctly owned – (a baseline holds no items) then, 36% now.") {
			t.Errorf("markdown lacks the trend:\n%.600s", md)
		}
		h := render(t, &HTML{Trend: tr}, full(t))
		if !strings.Contains(h, "Compared with snapshot a.json: <strong>2 new</strong> · 1 fixed · 7 unchanged · correctly owned – then, 36% now") {
			t.Error("html lacks the trend")
		}
		// Against the baseline every counted finding (8 of 9) is new.
		if n := strings.Count(render(t, &HTML{Trend: TrendFromBaseline("b.json", full(t))}, full(t)), `<span class="badge new">new</span>`); n != 8 {
			t.Errorf("%d findings marked new, want 8", n)
		}
	})
}

func TestShareClass(t *testing.T) {
	for _, tc := range []struct {
		share float64
		want  string
	}{{1, "ok"}, {0.8, "ok"}, {0.79, "warning"}, {0.5, "warning"}, {0.49, "error"}, {0, "error"}} {
		t.Run("should not colour a low share green", func(t *testing.T) {
			if got := ShareClass(tc.share); got != tc.want {
				t.Errorf("ShareClass(%v) = %s, want %s", tc.share, got, tc.want)
			}
		})
	}
}
