package audit

import (
	"slices"
	"testing"

	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/rules"
)

// lintOwnership runs the built-in rules on it as lint does and returns the
// ownership and classification rules that fired.
func lintOwnership(t *testing.T, it *model.Item, roster *model.Roster) []string {
	t.Helper()
	c := &rules.Context{Roster: roster, Parent: func(*model.Item) *model.Item { return nil }, Now: date("2026-10-05")}
	var fired []string
	for _, r := range rules.Builtin() {
		d := r.Doc()
		if d.Category != model.CategoryOwnership && d.Category != model.CategoryClassification {
			continue
		}
		if err := r.Check(c, it, func(f model.Finding) { fired = append(fired, f.Rule) }); err != nil {
			t.Fatal(err)
		}
	}
	return fired
}

// TestAuditJudgesOwnershipAsLintDoes holds one owner for the whole window
// and checks that the audit's verdict on every item-day is lint's verdict
// on the item today: compliant exactly when lint reports no ownership or
// classification finding, and filed under a rule lint reports.
func TestAuditJudgesOwnershipAsLintDoes(t *testing.T) {
	people := []model.Person{
		{ID: "pat", Roles: []model.Role{model.RoleProductOwner}, Accounts: model.Accounts{model.TrackerGitHub: "pat"}},
		{ID: "pam", Roles: []model.Role{model.RoleProductManager}, Accounts: model.Accounts{model.TrackerGitHub: "pam"}},
	}
	tests := []struct {
		name     string
		typ      string
		assignee *model.Account
		rule     string // the audit's rule, "" when compliant
	}{
		{name: "should count an active product owner's story as correctly owned", typ: "Story",
			assignee: &model.Account{Tracker: model.TrackerGitHub, Login: "pat"}},
		{name: "should count a story held by an inactive roster product owner as OWN004", typ: "Story",
			assignee: &model.Account{Tracker: model.TrackerGitHub, Login: "pat", Inactive: true}, rule: RuleNotInRoster},
		{name: "should count an epic held by an inactive roster product owner as OWN004 first", typ: "Epic",
			assignee: &model.Account{Tracker: model.TrackerGitHub, Login: "pat", Inactive: true}, rule: RuleNotInRoster},
		{name: "should count an epic held by a product owner as OWN001", typ: "Epic",
			assignee: &model.Account{Tracker: model.TrackerGitHub, Login: "pat"}, rule: RuleStrategicNotPM},
		{name: "should count an owner outside the roster as OWN004", typ: "Story",
			assignee: &model.Account{Tracker: model.TrackerGitHub, Login: "dev-dana"}, rule: RuleNotInRoster},
		{name: "should count an unowned item as OWN003", typ: "Story", rule: RuleMissingOwner},
		{name: "should count an unclassified item as OWN005", typ: "Question",
			assignee: &model.Account{Tracker: model.TrackerGitHub, Login: "pam"}, rule: RuleUnclassified},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			it := model.Item{Key: "a/b#1", Source: "s", Tracker: model.TrackerGitHub, Type: tc.typ, Created: date("2026-06-01")}
			if tc.assignee != nil {
				it.Assignees = []model.Account{*tc.assignee}
			}
			rep := reviewRun(t, "github", []model.Item{it}, nil, []string{"assignee"}, people)
			if len(rep.Items) != 1 || len(rep.Items[0].Intervals) != 1 {
				t.Fatalf("got %+v, want one item with one interval", rep.Items)
			}
			got := rep.Items[0]
			iv := got.Intervals[0]
			wantOK := 92.0
			if tc.rule != "" {
				wantOK = 0
			}
			if iv.Rule != tc.rule || iv.Compliant != (tc.rule == "") || got.CompliantDays != wantOK || got.ItemDays != 92 {
				t.Errorf("audit: rule %q compliant %v, %v of %v item-days compliant; want rule %q, %v of 92",
					iv.Rule, iv.Compliant, got.CompliantDays, got.ItemDays, tc.rule, wantOK)
			}

			// Lint, on the item as the classifier resolves it today.
			roster := model.NewRoster(people, nil)
			today := it
			today.Level = model.Level(iv.Level)
			if tc.assignee != nil {
				o := &model.Owner{Account: *tc.assignee, Via: "assignee"}
				if p := roster.Lookup(*tc.assignee); p != nil {
					o.PersonID = p.ID
				}
				today.Owner = o
			}
			fired := lintOwnership(t, &today, roster)
			switch {
			case tc.rule == "" && len(fired) > 0:
				t.Errorf("lint reports %v on an item the audit counts as correctly owned", fired)
			case tc.rule != "" && !slices.Contains(fired, tc.rule):
				t.Errorf("lint reports %v, want it to report the audit's rule %s", fired, tc.rule)
			}
		})
	}
}
