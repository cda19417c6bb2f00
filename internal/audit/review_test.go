package audit

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/classify"
	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/model"
)

// reviewRun audits items over Q3 2026 with ownership from `from`.
func reviewRun(t *testing.T, kind string, items []model.Item, evs []model.Event, from []string, people []model.Person) *Report {
	t.Helper()
	roster := model.NewRoster(people, nil)
	cfg := &config.Config{
		Classification: config.Classification{
			Strategic: config.LevelMatch{Types: []string{"Epic"}},
			Tactical:  config.LevelMatch{Types: []string{"Story"}},
		},
		Ownership: config.Ownership{From: from},
	}
	byItem := map[string][]model.Event{}
	for _, e := range evs {
		byItem[e.Item] = append(byItem[e.Item], e)
	}
	h := History{}
	h.Add("s", byItem)
	return Run(items, h, Options{From: date("2026-07-01"), To: date("2026-10-01"), Now: date("2026-10-05"),
		Classifier: classify.New(cfg, roster), Roster: roster,
		Sources: []model.SourceStatus{{Name: "s", Kind: kind, Complete: true}}})
}

func hasNote(rep *Report, part string) (string, bool) {
	for _, n := range rep.Notes {
		if strings.Contains(n, part) {
			return n, true
		}
	}
	return "", false
}

func TestClosedStretchesAreNotAlive(t *testing.T) {
	people := []model.Person{{ID: "pat", Roles: []model.Role{model.RoleProductOwner}, Accounts: model.Accounts{model.TrackerGitHub: "pat"}}}
	pat := []model.Account{{Tracker: model.TrackerGitHub, Login: "pat"}}
	tests := []struct {
		name        string
		closed      bool
		updated     string
		evs         []model.Event
		days, okDay float64
		intervals   int
	}{
		{
			name: "should leave out the days between a close and a reopen",
			evs: []model.Event{
				{Item: "a/b#1", At: date("2026-07-11"), Field: "state", From: "open", To: "closed"},
				{Item: "a/b#1", At: date("2026-09-01"), Field: "state", From: "closed", To: "open"},
			},
			// Jul 1–11 (10 days) and Sep 1–Oct 1 (30 days).
			days: 40, okDay: 40, intervals: 2,
		},
		{
			name:   "should end a closed item at its last close even after a reopen",
			closed: true,
			evs: []model.Event{
				{Item: "a/b#1", At: date("2026-07-11"), Field: "state", From: "open", To: "closed"},
				{Item: "a/b#1", At: date("2026-09-01"), Field: "state", From: "closed", To: "open"},
				{Item: "a/b#1", At: date("2026-09-11"), Field: "state", From: "open", To: "closed"},
			},
			days: 20, okDay: 20, intervals: 2,
		},
		{
			name: "should start counting at the reopen of an item closed before the window",
			evs: []model.Event{
				{Item: "a/b#1", At: date("2026-06-15"), Field: "state", From: "open", To: "closed"},
				{Item: "a/b#1", At: date("2026-09-01"), Field: "state", From: "closed", To: "open"},
			},
			days: 30, okDay: 30, intervals: 1,
		},
		{
			name: "should not bridge a closed stretch when the judgement differs around it",
			evs: []model.Event{
				{Item: "a/b#1", At: date("2026-07-11"), Field: "state", From: "open", To: "closed"},
				{Item: "a/b#1", At: date("2026-08-01"), Field: "assignee", ToAccount: &pat[0]},
				{Item: "a/b#1", At: date("2026-09-01"), Field: "state", From: "closed", To: "open"},
			},
			// Jul 1–11 unowned, Sep 1–Oct 1 pat's.
			days: 40, okDay: 30, intervals: 2,
		},
		{
			name:   "should take a closed item without close event as open until its last update",
			closed: true, updated: "2026-08-01",
			days: 31, okDay: 31, intervals: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			it := model.Item{Key: "a/b#1", Source: "s", Tracker: model.TrackerGitHub, Type: "Story", Created: date("2026-06-01"),
				Closed: tc.closed, Assignees: pat}
			if tc.updated != "" {
				it.Updated = date(tc.updated)
			}
			rep := reviewRun(t, "github", []model.Item{it}, tc.evs, []string{"assignee"}, people)
			if len(rep.Items) != 1 {
				t.Fatalf("got %d items, want 1", len(rep.Items))
			}
			got := rep.Items[0]
			if got.ItemDays != tc.days || got.CompliantDays != tc.okDay || len(got.Intervals) != tc.intervals {
				for _, iv := range got.Intervals {
					t.Logf("%s–%s owner=%q rule=%s", iv.From.Format(time.DateOnly), iv.To.Format(time.DateOnly), iv.Owner, iv.Rule)
				}
				t.Errorf("got %v item-days, %v compliant, %d intervals; want %v, %v, %d",
					got.ItemDays, got.CompliantDays, len(got.Intervals), tc.days, tc.okDay, tc.intervals)
			}
		})
	}
}

func TestDataCenterAssigneeKey(t *testing.T) {
	people := []model.Person{
		{ID: "pat", Roles: []model.Role{model.RoleProductOwner}, Accounts: model.Accounts{model.TrackerJira: "pat"}},
		{ID: "carl", Roles: []model.Role{model.RoleProductManager}, Accounts: model.Accounts{model.TrackerJira: "carl"}},
	}
	tests := []struct {
		name      string
		assignees []model.Account
		from, to  *model.Account
		first     string
	}{
		{
			name:      "should replace the current assignee named by key in the changelog",
			assignees: []model.Account{{Tracker: model.TrackerJira, Login: "pat", Key: "JIRAUSER10100", Name: "Pat"}},
			from:      &model.Account{Tracker: model.TrackerJira, Key: "JIRAUSER10200", Name: "Carl"},
			to:        &model.Account{Tracker: model.TrackerJira, Key: "JIRAUSER10100", Name: "Pat"},
			first:     "JIRAUSER10200",
		},
		{
			name:      "should match a key the Jira connector also files as login",
			assignees: []model.Account{{Tracker: model.TrackerJira, Login: "pat", Key: "JIRAUSER10100", Name: "Pat"}},
			from:      &model.Account{Tracker: model.TrackerJira, Login: "JIRAUSER10200", Key: "JIRAUSER10200", Name: "Carl"},
			to:        &model.Account{Tracker: model.TrackerJira, Login: "JIRAUSER10100", Key: "JIRAUSER10100", Name: "Pat"},
			first:     "JIRAUSER10200",
		},
		{
			name:      "should match a key equal to the username when the assignee has no key",
			assignees: []model.Account{{Tracker: model.TrackerJira, Login: "pat"}},
			from:      &model.Account{Tracker: model.TrackerJira, Key: "carl", Name: "Carl"},
			to:        &model.Account{Tracker: model.TrackerJira, Key: "pat", Name: "Pat Doe"},
			first:     "carl",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			it := model.Item{Key: "PAY-1", Source: "s", Tracker: model.TrackerJira, Type: "Story", Created: date("2026-06-01"), Assignees: tc.assignees}
			ev := model.Event{Item: "PAY-1", At: date("2026-08-01"), Field: "assignee", FromAccount: tc.from, ToAccount: tc.to}
			rep := reviewRun(t, "jira", []model.Item{it}, []model.Event{ev}, []string{"assignee"}, people)
			ivs := rep.Items[0].Intervals
			if len(ivs) != 2 || ivs[0].Owner != tc.first || ivs[1].Owner != "pat" || !ivs[1].Compliant {
				for _, iv := range ivs {
					t.Logf("%s–%s owner=%q rule=%s", iv.From.Format(time.DateOnly), iv.To.Format(time.DateOnly), iv.Owner, iv.Rule)
				}
				t.Errorf("want %s's until Aug 1, then pat's", tc.first)
			}
		})
	}
}

func TestKeyOnlyAccountTakesTheUsernameOtherItemsShow(t *testing.T) {
	people := []model.Person{
		{ID: "pat", Roles: []model.Role{model.RoleProductOwner}, Accounts: model.Accounts{model.TrackerJira: "pat"}},
		{ID: "carl", Roles: []model.Role{model.RoleProductManager}, Accounts: model.Accounts{model.TrackerJira: "carl"}},
	}
	pat := model.Account{Tracker: model.TrackerJira, Login: "pat", Key: "JIRAUSER10100"}
	carl := model.Account{Tracker: model.TrackerJira, Login: "carl", Key: "JIRAUSER10200"}
	items := []model.Item{
		{Key: "PAY-1", Source: "s", Tracker: model.TrackerJira, Type: "Story", Created: date("2026-06-01"), Assignees: []model.Account{pat}},
		{Key: "PAY-2", Source: "s", Tracker: model.TrackerJira, Type: "Epic", Created: date("2026-06-01"), Assignees: []model.Account{carl}},
	}
	ev := model.Event{Item: "PAY-1", At: date("2026-08-01"), Field: "assignee",
		FromAccount: &model.Account{Tracker: model.TrackerJira, Login: "JIRAUSER10200", Key: "JIRAUSER10200"},
		ToAccount:   &model.Account{Tracker: model.TrackerJira, Login: "JIRAUSER10100", Key: "JIRAUSER10100"}}
	rep := reviewRun(t, "jira", items, []model.Event{ev}, []string{"assignee"}, people)
	if got := rep.Items[0].Intervals[0]; got.Owner != "carl" || !got.InRoster || got.Rule != RuleTacticalNotPO {
		t.Errorf("should resolve the key-only account to roster person carl, got owner %q rule %s", got.Owner, got.Rule)
	}
}

func TestClosedGuessNoteCountsAuditedItemsOnly(t *testing.T) {
	items := []model.Item{{Key: "PAY-9", Source: "s", Tracker: model.TrackerJira, Type: "Story",
		Created: date("2026-06-01"), Updated: date("2026-08-01"), Closed: true}}
	for i := 0; i < 5; i++ {
		items = append(items, model.Item{Key: "PAY-" + string(rune('1'+i)), Source: "s", Tracker: model.TrackerJira, Type: "Story",
			Created: date("2025-01-01"), Updated: date("2025-03-01"), Closed: true})
	}
	rep := reviewRun(t, "jira", items, nil, []string{"assignee"}, nil)
	if len(rep.Items) != 1 {
		t.Fatalf("got %d items, want 1", len(rep.Items))
	}
	n, ok := hasNote(rep, "No close event in the history of")
	if !ok || !strings.Contains(n, "of 1 closed item;") {
		t.Errorf("should count the one audited item, got %q", n)
	}
}

func TestNoteOwnershipWithoutHistory(t *testing.T) {
	people := []model.Person{{ID: "pat", Roles: []model.Role{model.RoleProductOwner}, Accounts: model.Accounts{model.TrackerGitHub: "pat"}}}
	items := []model.Item{
		{Key: "a/b#1", Source: "s", Tracker: model.TrackerGitHub, Type: "Story", Created: date("2026-06-01"),
			ProjectFields: map[string]model.FieldValue{"Owner": {Text: "pat"}}},
		{Key: "org/project-1/draft-7", Source: "s", Tracker: model.TrackerGitHub, Type: "Story", Created: date("2026-06-01"),
			ProjectFields: map[string]model.FieldValue{"Owner": {Text: "pat"}}},
	}
	tests := []struct {
		name, kind string
		want       []string
	}{
		{name: "should name project fields and drafts on a GitHub source", kind: "github", want: []string{
			"Ownership from project-field:Owner has no history on 1 source (s)",
			"No history for 1 Projects v2 draft on source s",
		}},
		{name: "should say nothing for a snapshot, which carries its own events", kind: "file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := reviewRun(t, tc.kind, items, nil, []string{"project-field:Owner"}, people)
			if !rep.Complete {
				t.Errorf("the run should stay complete")
			}
			for _, w := range tc.want {
				if _, ok := hasNote(rep, w); !ok {
					t.Errorf("missing note %q in %q", w, rep.Notes)
				}
			}
			if len(tc.want) == 0 {
				if n, ok := hasNote(rep, "no history"); ok {
					t.Errorf("unexpected note %q", n)
				}
			}
		})
	}
}

func TestNoteRolesSinceWithoutEffect(t *testing.T) {
	po := []model.Role{model.RoleProductOwner}
	pm := []model.Role{model.RoleProductManager}
	tests := []struct {
		name   string
		person model.Person
		want   bool
	}{
		{name: "should flag one entry equal to the current roles",
			person: model.Person{ID: "pat", Roles: po, RolesSince: []model.DatedRoles{{Since: date("2026-08-01"), Roles: po}}}, want: true},
		{name: "should not flag an entry stating the earlier roles",
			person: model.Person{ID: "pat", Roles: po, RolesSince: []model.DatedRoles{{Since: date("2026-01-01"), Roles: pm}, {Since: date("2026-08-01"), Roles: po}}}},
		{name: "should not flag one entry that differs from the current roles",
			person: model.Person{ID: "pat", Roles: po, RolesSince: []model.DatedRoles{{Since: date("2026-01-01"), Roles: pm}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := reviewRun(t, "jira", nil, nil, []string{"assignee"}, []model.Person{tc.person})
			_, got := hasNote(rep, "roles_since of pat has one entry")
			if got != tc.want {
				t.Errorf("note present %v, want %v: %q", got, tc.want, rep.Notes)
			}
		})
	}
}

func TestCSVDefusesFormulas(t *testing.T) {
	people := []model.Person{{ID: "pat", Roles: []model.Role{model.RoleProductOwner}, Accounts: model.Accounts{model.TrackerGitHub: "pat"}}}
	titles := []string{"=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain"}
	var items []model.Item
	for i, title := range titles {
		items = append(items, model.Item{Key: "a/b#" + string(rune('1'+i)), Source: "s", Tracker: model.TrackerGitHub, Type: "Story",
			Title: title, Created: date("2026-06-01"), Assignees: []model.Account{{Tracker: model.TrackerGitHub, Login: "pat"}}})
	}
	rep := reviewRun(t, "github", items, nil, []string{"assignee"}, people)
	var buf bytes.Buffer
	if err := CSV(&buf, rep); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range rows[1:] {
		if r[0] == "item" {
			got[r[7]] = true
		}
	}
	for _, title := range titles {
		want := "'" + title
		if title == "plain" {
			want = title
		}
		t.Run("should write "+want, func(t *testing.T) {
			if !got[want] {
				t.Errorf("no item row with title %q in %v", want, got)
			}
		})
	}
}
