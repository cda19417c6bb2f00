package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/model"
)

// A small org: payments team (PO bob, PM alice), checkout (PO carol, PM dan),
// erin holds both roles, eve is an engineer in the roster with no role.
func testRoster() *model.Roster {
	return model.NewRoster([]model.Person{
		{ID: "alice", Roles: []model.Role{model.RoleProductManager}, Accounts: model.Accounts{model.TrackerGitHub: "alice-c"}},
		{ID: "bob", Roles: []model.Role{model.RoleProductOwner}, Accounts: model.Accounts{model.TrackerGitHub: "bob-o"}},
		{ID: "carol", Roles: []model.Role{model.RoleProductOwner}, Accounts: model.Accounts{model.TrackerGitHub: "carol-d"}},
		{ID: "dan", Roles: []model.Role{model.RoleProductManager}, Accounts: model.Accounts{model.TrackerGitHub: "dan-m"}},
		{ID: "erin", Roles: []model.Role{model.RoleProductOwner, model.RoleProductManager}, Accounts: model.Accounts{model.TrackerGitHub: "erin-k"}},
		{ID: "eve", Accounts: model.Accounts{model.TrackerGitHub: "eve-e"}},
	}, []model.Team{
		{Name: "payments", ProductOwner: "bob", ProductManager: "alice"},
		{Name: "checkout", ProductOwner: "carol", ProductManager: "dan"},
		{Name: "platform", ProductOwner: "erin", ProductManager: "erin"},
	})
}

func own(id string) *model.Owner {
	return &model.Owner{Account: model.Account{Tracker: model.TrackerGitHub, Login: id + "-x"}, PersonID: id, Via: "assignee"}
}

func stranger(login string, inactive bool) *model.Owner {
	return &model.Owner{Account: model.Account{Tracker: model.TrackerJira, Login: login, Inactive: inactive}, Via: "field:Product Owner"}
}

func item(key string, lvl model.Level, o *model.Owner, team, parent string) model.Item {
	return model.Item{Key: key, Source: "s", Tracker: model.TrackerGitHub, Title: "t " + key, Level: lvl, Owner: o, Team: team, Parent: parent}
}

type ruleCase struct {
	name  string
	items []model.Item // the first item is the one checked; the rest are context (parents)
	exc   []Exception
	want  []string // messages' substrings, one per expected finding; empty = none
	sugg  string   // expected suggested owner of the first finding
}

func runRule(t *testing.T, r Rule, tc ruleCase) {
	t.Helper()
	byKey := map[string]*model.Item{}
	for i := range tc.items {
		byKey[tc.items[i].Key] = &tc.items[i]
	}
	c := &Context{
		Roster:     testRoster(),
		Parent:     func(it *model.Item) *model.Item { return byKey[it.Parent] },
		Exceptions: tc.exc,
		Now:        time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC),
	}
	var got []model.Finding
	if err := r.Check(c, &tc.items[0], func(f model.Finding) { got = append(got, f) }); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if len(got) != len(tc.want) {
		t.Fatalf("got %d findings %+v, want %d", len(got), got, len(tc.want))
	}
	for i, w := range tc.want {
		f := got[i]
		if !strings.Contains(f.Message, w) {
			t.Errorf("finding %d message %q, want it to contain %q", i, f.Message, w)
		}
		if f.Rule != r.Doc().ID || f.Name != r.Doc().Name || f.Severity != r.Doc().Severity {
			t.Errorf("finding %d rule/name/severity = %s/%s/%s, want the rule's own", i, f.Rule, f.Name, f.Severity)
		}
		if f.Fingerprint == "" || f.Item != tc.items[0].Key || f.Source != "s" {
			t.Errorf("finding %d lacks fingerprint or item/source: %+v", i, f)
		}
	}
	if len(got) > 0 && got[0].SuggestedOwner != tc.sugg {
		t.Errorf("suggested owner %q, want %q", got[0].SuggestedOwner, tc.sugg)
	}
}

func TestOWN001StrategicOwnedByNonPM(t *testing.T) {
	for _, tc := range []ruleCase{
		{name: "should fire for an epic owned by a product owner", items: []model.Item{item("e1", model.LevelStrategic, own("bob"), "payments", "")}, want: []string{"owned by bob (product-owner, via assignee), not a product manager"}, sugg: "alice"},
		{name: "should fire for a roster person with no role", items: []model.Item{item("e1", model.LevelStrategic, own("eve"), "", "")}, want: []string{"eve (no role"}},
		{name: "should not fire for a product manager", items: []model.Item{item("e1", model.LevelStrategic, own("alice"), "payments", "")}},
		{name: "should not fire for a dual-role owner", items: []model.Item{item("e1", model.LevelStrategic, own("erin"), "platform", "")}},
		{name: "should not fire on tactical items", items: []model.Item{item("s1", model.LevelTactical, own("bob"), "payments", "")}},
		{name: "should not fire without an owner (OWN003's job)", items: []model.Item{item("e1", model.LevelStrategic, nil, "payments", "")}},
		{name: "should not fire for owners outside the roster (OWN004's job)", items: []model.Item{item("e1", model.LevelStrategic, stranger("x", false), "payments", "")}},
		{name: "should not fire on unknown levels", items: []model.Item{item("e1", model.LevelUnknown, own("bob"), "payments", "")}},
	} {
		t.Run(tc.name, func(t *testing.T) { runRule(t, strategicOwnedByNonPM{}, tc) })
	}
}

func TestOWN002TacticalOwnedByNonPO(t *testing.T) {
	for _, tc := range []ruleCase{
		{name: "should fire for a story owned by a product manager", items: []model.Item{item("s1", model.LevelTactical, own("alice"), "payments", "")}, want: []string{"owned by alice (product-manager, via assignee), not a product owner"}, sugg: "bob"},
		{name: "should not suggest when the team is unknown", items: []model.Item{item("s1", model.LevelTactical, own("dan"), "", "")}, want: []string{"dan"}},
		{name: "should not fire for a product owner", items: []model.Item{item("s1", model.LevelTactical, own("bob"), "payments", "")}},
		{name: "should not fire for a dual-role owner", items: []model.Item{item("s1", model.LevelTactical, own("erin"), "platform", "")}},
		{name: "should not fire on strategic items", items: []model.Item{item("e1", model.LevelStrategic, own("alice"), "payments", "")}},
	} {
		t.Run(tc.name, func(t *testing.T) { runRule(t, tacticalOwnedByNonPO{}, tc) })
	}
}

func TestOWN003MissingOwner(t *testing.T) {
	for _, tc := range []ruleCase{
		{name: "should fire for a tactical item with no owner and suggest the PO", items: []model.Item{item("s1", model.LevelTactical, nil, "checkout", "")}, want: []string{"no owner"}, sugg: "carol"},
		{name: "should fire for a strategic item and suggest the PM", items: []model.Item{item("e1", model.LevelStrategic, nil, "checkout", "")}, want: []string{"no owner"}, sugg: "dan"},
		{name: "should fire regardless of level", items: []model.Item{item("u1", model.LevelUnknown, nil, "checkout", "")}, want: []string{"no owner"}},
		{name: "should not fire when an owner is outside the roster", items: []model.Item{item("s1", model.LevelTactical, stranger("x", false), "", "")}},
		{name: "should not fire with an owner", items: []model.Item{item("s1", model.LevelTactical, own("bob"), "", "")}},
	} {
		t.Run(tc.name, func(t *testing.T) { runRule(t, missingOwner{}, tc) })
	}
}

func TestOWN004OwnerNotInRoster(t *testing.T) {
	for _, tc := range []ruleCase{
		{name: "should fire for an owner outside the roster", items: []model.Item{item("s1", model.LevelTactical, stranger("dev-dana", false), "payments", "")}, want: []string{"owner dev-dana (jira, via field:Product Owner) matches no roster person"}, sugg: "bob"},
		{name: "should say inactive for a deactivated account", items: []model.Item{item("s1", model.LevelTactical, stranger("5c1a", true), "", "")}, want: []string{"is inactive on jira"}},
		{name: "should fire for an inactive roster person", items: []model.Item{item("s1", model.LevelTactical, &model.Owner{Account: model.Account{Tracker: model.TrackerJira, Login: "bob-j", Inactive: true}, PersonID: "bob", Via: "assignee"}, "", "")}, want: []string{"inactive"}},
		{name: "should fire regardless of level", items: []model.Item{item("u1", model.LevelUnknown, stranger("x", false), "", "")}, want: []string{"matches no roster person"}},
		{name: "should not fire for a roster person", items: []model.Item{item("s1", model.LevelTactical, own("bob"), "", "")}},
		{name: "should not fire without an owner", items: []model.Item{item("s1", model.LevelTactical, nil, "", "")}},
	} {
		t.Run(tc.name, func(t *testing.T) { runRule(t, ownerNotInRoster{}, tc) })
	}
}

func TestOWN005UnclassifiedItem(t *testing.T) {
	for _, tc := range []ruleCase{
		{name: "should fire for an unknown level", items: []model.Item{item("u1", model.LevelUnknown, own("bob"), "", "")}, want: []string{"not classified"}},
		{name: "should fire for an unknown level with no owner too", items: []model.Item{item("u1", model.LevelUnknown, nil, "", "")}, want: []string{"not classified"}},
		{name: "should not fire for a tactical item", items: []model.Item{item("s1", model.LevelTactical, nil, "", "")}},
		{name: "should not fire for a strategic item", items: []model.Item{item("e1", model.LevelStrategic, nil, "", "")}},
	} {
		t.Run(tc.name, func(t *testing.T) { runRule(t, unclassifiedItem{}, tc) })
	}
}

func TestOWN006OrphanBacklogItem(t *testing.T) {
	epic := item("E", model.LevelStrategic, own("alice"), "", "")
	story := item("S", model.LevelTactical, own("bob"), "", "E")
	sub := item("T", model.LevelTactical, own("bob"), "", "S")
	lone := item("L", model.LevelTactical, own("bob"), "", "")
	under := item("U", model.LevelTactical, own("bob"), "", "L")
	cyc1 := item("C1", model.LevelTactical, own("bob"), "", "C2")
	cyc2 := item("C2", model.LevelTactical, own("bob"), "", "C1")
	for _, tc := range []ruleCase{
		{name: "should fire for a story with no parent", items: []model.Item{lone}, want: []string{"no parent"}},
		{name: "should fire when the chain ends at a tactical item", items: []model.Item{under, lone}, want: []string{"ends at L"}},
		{name: "should not fire for a story under an epic", items: []model.Item{story, epic}},
		{name: "should not fire for a sub-task under a story under an epic", items: []model.Item{sub, story, epic}},
		{name: "should not fire when the parent was not read", items: []model.Item{item("X", model.LevelTactical, nil, "", "ELSEWHERE-1")}},
		{name: "should call a parent cycle an orphan, without hanging", items: []model.Item{cyc1, cyc2}, want: []string{"loops back"}},
		{name: "should not fire on strategic items", items: []model.Item{epic}},
	} {
		t.Run(tc.name, func(t *testing.T) { runRule(t, orphanBacklogItem{}, tc) })
	}
}

func TestOWN007OwnerOutsideTeam(t *testing.T) {
	for _, tc := range []ruleCase{
		{name: "should fire for another team's PO on a story", items: []model.Item{item("s1", model.LevelTactical, own("bob"), "checkout", "")}, want: []string{"owner bob is a product owner, but the product owner of team checkout is carol"}, sugg: "carol"},
		{name: "should fire for another team's PM on an epic", items: []model.Item{item("e1", model.LevelStrategic, own("alice"), "checkout", "")}, want: []string{"the product manager of team checkout is dan"}, sugg: "dan"},
		{name: "should fire for a dual-role person on another team", items: []model.Item{item("s1", model.LevelTactical, own("erin"), "payments", "")}, want: []string{"erin"}, sugg: "bob"},
		{name: "should not fire for the team's PO", items: []model.Item{item("s1", model.LevelTactical, own("carol"), "checkout", "")}},
		{name: "should not fire for the wrong role (OWN002's job)", items: []model.Item{item("s1", model.LevelTactical, own("dan"), "payments", "")}},
		{name: "should not fire without a team", items: []model.Item{item("s1", model.LevelTactical, own("bob"), "", "")}},
		{name: "should not fire on unknown levels", items: []model.Item{item("u1", model.LevelUnknown, own("bob"), "checkout", "")}},
	} {
		t.Run(tc.name, func(t *testing.T) { runRule(t, ownerOutsideTeam{}, tc) })
	}
}

func TestOWN008ExpiredException(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	it := item("PAY-42", model.LevelStrategic, own("bob"), "payments", "")
	for _, tc := range []ruleCase{
		{name: "should fire for an exception past its expiry", items: []model.Item{it}, exc: []Exception{{Rule: "OWN001", Item: "PAY-42", Reason: "interim", Expires: day("2026-01-31")}}, want: []string{"exception for OWN001 expired on 2026-01-31 (interim)"}},
		{name: "should not fire on the expiry day itself", items: []model.Item{it}, exc: []Exception{{Rule: "OWN001", Item: "PAY-42", Reason: "interim", Expires: day("2026-11-28")}}},
		{name: "should not fire for a future expiry", items: []model.Item{it}, exc: []Exception{{Rule: "OWN001", Item: "PAY-42", Reason: "interim", Expires: day("2027-01-31")}}},
		{name: "should not fire without an expiry", items: []model.Item{it}, exc: []Exception{{Rule: "OWN001", Item: "PAY-42", Reason: "forever"}}},
		{name: "should not fire for another item", items: []model.Item{it}, exc: []Exception{{Rule: "OWN001", Item: "PAY-43", Reason: "x", Expires: day("2026-01-31")}}},
		{name: "should not fire for another source", items: []model.Item{it}, exc: []Exception{{Rule: "OWN001", Item: "PAY-42", Source: "other", Reason: "x", Expires: day("2026-01-31")}}},
		{name: "should fire once per expired exception", items: []model.Item{it}, exc: []Exception{
			{Rule: "OWN001", Item: "PAY-42", Reason: "a", Expires: day("2026-01-31")},
			{Rule: "OWN007", Item: "PAY-42", Reason: "b", Expires: day("2026-02-28")},
		}, want: []string{"OWN001", "OWN007"}},
	} {
		t.Run(tc.name, func(t *testing.T) { runRule(t, expiredException{}, tc) })
	}
}

func TestBuiltinDocs(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range Docs(Builtin()) {
		t.Run(d.ID, func(t *testing.T) {
			if seen[d.ID] || seen[d.Name] {
				t.Fatalf("duplicate id or name %s/%s", d.ID, d.Name)
			}
			seen[d.ID], seen[d.Name] = true, true
			for field, v := range map[string]string{"title": d.Title, "summary": d.Summary, "why": d.Why, "fix": d.Fix, "example": d.Example} {
				if len(strings.TrimSpace(v)) < 10 {
					t.Errorf("%s: %s is missing or too short", d.ID, field)
				}
			}
			if d.Severity == model.SeverityNone {
				t.Errorf("%s has no default severity", d.ID)
			}
		})
	}
	if len(seen) != 16 {
		t.Fatalf("want 8 built-in rules, got %d ids+names", len(seen))
	}
}
