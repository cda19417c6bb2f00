package rules

import (
	"slices"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/model"
)

func TestJudgeOwnership(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	roster := model.NewRoster([]model.Person{
		{ID: "pat", Roles: []model.Role{model.RoleProductOwner}},
		{ID: "pam", Roles: []model.Role{model.RoleProductManager}},
		{ID: "bob", Roles: []model.Role{model.RoleProductOwner}},
		{ID: "eve", Roles: []model.Role{model.RoleProductOwner},
			RolesSince: []model.DatedRoles{{Since: day("2026-08-01"), Roles: []model.Role{model.RoleProductOwner}}, {Since: day("2026-01-01"), Roles: nil}}},
	}, []model.Team{{Name: "payments", ProductOwner: "pat", ProductManager: "pam"}})
	owner := func(id string, inactive bool) *model.Owner {
		return &model.Owner{PersonID: id, Account: model.Account{Tracker: model.TrackerGitHub, Login: id, Inactive: inactive}}
	}
	stranger := &model.Owner{Account: model.Account{Tracker: model.TrackerGitHub, Login: "dev-dana"}}
	tests := []struct {
		name     string
		h        Holding
		breaches []string
		want     string
	}{
		{name: "should find a team's product owner on a tactical item correctly owned",
			h: Holding{Level: model.LevelTactical, Team: "payments", Owner: owner("pat", false)}},
		{name: "should find a product manager on a strategic item without team correctly owned",
			h: Holding{Level: model.LevelStrategic, Owner: owner("pam", false)}},
		{name: "should break OWN003 and OWN005 for an unowned unclassified item",
			h: Holding{Level: model.LevelUnknown}, breaches: []string{IDMissingOwner, IDUnclassifiedItem}},
		{name: "should break OWN005 for an empty level",
			h: Holding{Owner: owner("pat", false)}, breaches: []string{IDUnclassifiedItem}},
		{name: "should break OWN004 for an owner outside the roster",
			h: Holding{Level: model.LevelTactical, Owner: stranger}, breaches: []string{IDOwnerNotInRoster}},
		{name: "should break OWN004 for an inactive roster owner who is otherwise right",
			h: Holding{Level: model.LevelTactical, Team: "payments", Owner: owner("pat", true)}, breaches: []string{IDOwnerNotInRoster}},
		{name: "should break OWN004 before OWN001 for an inactive product owner on a strategic item",
			h: Holding{Level: model.LevelStrategic, Owner: owner("pat", true)}, breaches: []string{IDOwnerNotInRoster, IDStrategicOwnedByNonPM}},
		{name: "should break OWN004 for a person id the roster does not know",
			h: Holding{Level: model.LevelTactical, Owner: owner("ghost", false)}, breaches: []string{IDOwnerNotInRoster}},
		{name: "should break OWN002 for a product manager on a tactical item",
			h: Holding{Level: model.LevelTactical, Owner: owner("pam", false)}, breaches: []string{IDTacticalOwnedByNonPO}},
		{name: "should break OWN007 for another team's product owner and name the team's",
			h: Holding{Level: model.LevelTactical, Team: "payments", Owner: owner("bob", false)}, breaches: []string{IDOwnerOutsideTeam}, want: "pat"},
		{name: "should judge today's roles at the zero time",
			h: Holding{Level: model.LevelTactical, Owner: owner("eve", false)}},
		{name: "should judge the roles dated for At",
			h: Holding{Level: model.LevelTactical, Owner: owner("eve", false), At: day("2026-03-01")}, breaches: []string{IDTacticalOwnedByNonPO}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j := JudgeOwnership(roster, tc.h)
			if got := j.Breaches(); !slices.Equal(got, tc.breaches) && len(got)+len(tc.breaches) > 0 {
				t.Errorf("breaches = %v, want %v", got, tc.breaches)
			}
			if j.OK() != (len(tc.breaches) == 0) {
				t.Errorf("OK() = %v with breaches %v", j.OK(), j.Breaches())
			}
			first := ""
			if len(tc.breaches) > 0 {
				first = tc.breaches[0]
			}
			if j.Rule() != first {
				t.Errorf("Rule() = %q, want %q", j.Rule(), first)
			}
			if j.Want != tc.want {
				t.Errorf("Want = %q, want %q", j.Want, tc.want)
			}
		})
	}
}

func TestEveryBuiltinRuleHasACategory(t *testing.T) {
	for _, d := range Docs(Builtin()) {
		t.Run("should categorise "+d.ID, func(t *testing.T) {
			switch d.Category {
			case model.CategoryOwnership, model.CategoryClassification, model.CategoryStructure, model.CategoryHygiene:
			default:
				t.Errorf("%s has category %q", d.ID, d.Category)
			}
		})
	}
}

func TestIDRanges(t *testing.T) {
	tests := []struct {
		name string
		ids  []string
		want string
	}{
		{"should write nothing for no rules", nil, ""},
		{"should write a run of consecutive numbers as a range", []string{"OWN001", "OWN002", "OWN003", "OWN004", "OWN007"}, "OWN001–OWN004, OWN007"},
		{"should list two consecutive numbers", []string{"OWN001", "OWN002"}, "OWN001, OWN002"},
		{"should not join rules of another prefix", []string{"ACME001", "OWN002"}, "ACME001, OWN002"},
		{"should name the ownership rules as the report says", IDsIn(model.CategoryOwnership), "OWN001–OWN004, OWN007"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IDRanges(tc.ids); got != tc.want {
				t.Errorf("IDRanges(%v) = %q, want %q", tc.ids, got, tc.want)
			}
		})
	}
}
