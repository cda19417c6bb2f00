package jira

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/fake"
	"github.com/pomlint/pomlint/internal/model"
)

func historyOf(t *testing.T, m fake.JiraMode, changes []fake.JiraChange, tr http.RoundTripper) (map[string][]model.Event, error) {
	t.Helper()
	data := fake.JiraDemoData()
	data.Changelogs = map[string][]fake.JiraChange{"PAY-3": changes}
	h := newHarness(t, setup{mode: m, data: &data, transport: tr})
	return h.conn.History(context.Background(), []model.Item{{Key: "PAY-3", Tracker: model.TrackerJira}}, time.Time{}, time.Time{})
}

// historyRun serves changelogs (by key) over the demo data and reads the
// history of keys.
func historyRun(t *testing.T, s setup, changelogs map[string][]fake.JiraChange, keys ...string) (*harness, map[string][]model.Event, error) {
	t.Helper()
	data := fake.JiraDemoData()
	data.Changelogs = changelogs
	s.data = &data
	h := newHarness(t, s)
	var items []model.Item
	for _, k := range keys {
		items = append(items, model.Item{Key: k, Tracker: model.TrackerJira})
	}
	evs, err := h.conn.History(context.Background(), items, time.Time{}, time.Time{})
	return h, evs, err
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// stateLine renders an item's state events as "MM-DD from→to|...".
func stateLine(evs []model.Event) string {
	var got []string
	for _, e := range evs {
		if e.Field == "state" {
			got = append(got, e.At.Format("01-02")+" "+e.From+"→"+e.To)
		}
	}
	return strings.Join(got, "|")
}

func statusChange(day, from, fromS, to, toS string) fake.JiraChange {
	return fake.JiraChange{At: at("2025-02-" + day + "T09:00:00Z"), Field: "status", FieldID: "status", FieldType: "jira",
		From: from, FromString: fromS, To: to, ToString: toS}
}

func resolutionChange(day, from, fromS, to, toS string) fake.JiraChange {
	return fake.JiraChange{At: at("2025-02-" + day + "T09:00:00Z"), Field: "resolution", FieldID: "resolution", FieldType: "jira",
		From: from, FromString: fromS, To: to, ToString: toS}
}

func TestHistoryMapsStatusCategoryToState(t *testing.T) {
	tests := []struct {
		name    string
		changes []fake.JiraChange
		want    string
	}{
		{name: "should close on a status change to Done",
			changes: []fake.JiraChange{statusChange("01", "3", "In Progress", "10001", "Done")},
			want:    "02-01 open→closed"},
		{name: "should reopen on Done to In Progress",
			changes: []fake.JiraChange{statusChange("01", "1", "To Do", "10001", "Done"), statusChange("09", "10001", "Done", "3", "In Progress")},
			want:    "02-01 open→closed|02-09 closed→open"},
		{name: "should see no state change between two done statuses or two open ones",
			changes: []fake.JiraChange{statusChange("01", "1", "To Do", "3", "In Progress"), statusChange("02", "3", "In Progress", "10001", "Done"),
				statusChange("03", "10001", "Done", "10002", "Won't Do")},
			want: "02-02 open→closed"},
		{name: "should give one close when status and resolution change at the same instant",
			changes: []fake.JiraChange{statusChange("01", "3", "In Progress", "10001", "Done"), resolutionChange("01", "", "", "10000", "Done"),
				resolutionChange("05", "10000", "Done", "", "")},
			want: "02-01 open→closed"},
		{name: "should look an unknown status id up by its name",
			changes: []fake.JiraChange{statusChange("01", "3", "In Progress", "99999", "Done")},
			want:    "02-01 open→closed"},
		{name: "should close on a change from a deleted status into Done and leave out a change to one",
			changes: []fake.JiraChange{statusChange("01", "99998", "Gone", "10001", "Done"), statusChange("04", "10001", "Done", "99999", "Gone")},
			want:    "02-01 open→closed"},
	}
	for _, m := range modes() {
		for _, tc := range tests {
			t.Run(tc.name+" in "+m.name, func(t *testing.T) {
				h, evs, err := historyRun(t, setup{mode: m.mode, strictFake: true}, map[string][]fake.JiraChange{"PAY-3": tc.changes}, "PAY-3")
				if err != nil {
					t.Fatal(err)
				}
				if got := stateLine(evs["PAY-3"]); got != tc.want {
					t.Errorf("state events = %q, want %q", got, tc.want)
				}
				if n := h.srv.RequestsTo("/rest/api/2/status"); n != 1 {
					t.Errorf("%d status list requests, want 1", n)
				}
				if len(h.notes) > 0 && strings.Contains(h.notes[len(h.notes)-1].Message, "status list") {
					t.Errorf("unexpected notice %+v", h.notes[len(h.notes)-1])
				}
			})
		}
	}
}

func TestHistoryFallsBackToResolution(t *testing.T) {
	changes := []fake.JiraChange{
		statusChange("01", "1", "To Do", "10001", "Done"),
		resolutionChange("01", "", "", "10000", "Done"),
		resolutionChange("05", "10000", "Done", "10001", "Won't Do"),
		resolutionChange("10", "10001", "Won't Do", "", ""),
	}
	for _, code := range []int{http.StatusNotFound, http.StatusForbidden} {
		for _, m := range modes() {
			t.Run(fmt.Sprintf("should turn a resolution set and cleared into close and reopen when the status list answers %d in %s", code, m.name), func(t *testing.T) {
				h, evs, err := historyRun(t, setup{mode: m.mode, faults: fake.JiraFaults{StatusList: code}},
					map[string][]fake.JiraChange{"PAY-3": changes, "CHK-2": changes}, "PAY-3", "CHK-2")
				if err != nil {
					t.Fatal(err)
				}
				want := "02-01 open→closed|02-10 closed→open"
				for _, key := range []string{"PAY-3", "CHK-2"} {
					if got := stateLine(evs[key]); got != want {
						t.Errorf("%s state events = %q, want %q", key, got, want)
					}
				}
				if n := h.srv.RequestsTo("/rest/api/2/status"); n != 1 {
					t.Errorf("%d status list requests, want 1", n)
				}
				var notes int
				for _, n := range h.notes {
					if strings.Contains(n.Message, "status list not readable") && n.Level == "warn" {
						notes++
					}
				}
				if notes != 1 {
					t.Errorf("%d fallback notices, want 1: %+v", notes, h.notes)
				}
			})
		}
	}
	t.Run("should fail History on another error reading the status list", func(t *testing.T) {
		_, _, err := historyRun(t, setup{mode: fake.JiraCloud, faults: fake.JiraFaults{StatusList: http.StatusBadRequest}},
			map[string][]fake.JiraChange{"PAY-3": changes}, "PAY-3")
		if err == nil || !strings.Contains(err.Error(), "read status list") || !strings.Contains(err.Error(), "400") {
			t.Errorf("err = %v, want the status list's 400", err)
		}
	})
	t.Run("should ignore a resolution change while the status list is readable", func(t *testing.T) {
		_, evs, err := historyRun(t, setup{mode: fake.JiraCloud, strictFake: true}, map[string][]fake.JiraChange{"PAY-3": changes}, "PAY-3")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := stateLine(evs["PAY-3"]), "02-01 open→closed"; got != want {
			t.Errorf("state events = %q, want %q", got, want)
		}
	})
}

func TestHistoryReadsStatusListOnce(t *testing.T) {
	closing := []fake.JiraChange{statusChange("01", "3", "In Progress", "10001", "Done")}
	logs := map[string][]fake.JiraChange{"PAY-3": closing, "PAY-5": closing, "PAY-6": closing, "CHK-2": closing, "CHK-3": closing}
	keys := []string{"PAY-3", "PAY-5", "PAY-6", "CHK-2", "CHK-3"}
	t.Run("should read the status list once for many items with status changes", func(t *testing.T) {
		h, evs, err := historyRun(t, setup{mode: fake.JiraCloud, strictFake: true, concurrency: 4}, logs, keys...)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if got := stateLine(evs[k]); got != "02-01 open→closed" {
				t.Errorf("%s state events = %q", k, got)
			}
		}
		if n := h.srv.RequestsTo("/rest/api/2/status"); n != 1 {
			t.Errorf("%d status list requests, want 1", n)
		}
	})
	t.Run("should not read the status list without a status change in the period", func(t *testing.T) {
		h := newHarness(t, setup{mode: fake.JiraDataCenter, strictFake: true})
		_, err := h.conn.History(context.Background(), []model.Item{{Key: "PAY-3"}}, time.Time{}, at("2025-03-02T12:00:00Z"))
		if err != nil {
			t.Fatal(err)
		}
		if n := h.srv.RequestsTo("/rest/api/2/status"); n != 0 {
			t.Errorf("%d status list requests, want 0 (PAY-3's status change is after the period)", n)
		}
	})
}

func TestHistoryFilesDataCenterUserKeys(t *testing.T) {
	change := fake.JiraChange{At: at("2025-02-01T09:00:00Z"), Field: "assignee", FieldID: "assignee", FieldType: "jira",
		From: "JIRAUSER10200", FromString: "Carl", To: "JIRAUSER10100", ToString: "Pat"}
	tests := []struct {
		name    string
		mode    fake.JiraMode
		wantKey string
	}{
		{name: "should file the changelog's user key as Key on Data Center", mode: fake.JiraDataCenter, wantKey: "JIRAUSER10100"},
		{name: "should leave Key empty on Cloud, whose ids are account ids", mode: fake.JiraCloud},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs, err := historyOf(t, tc.mode, []fake.JiraChange{change}, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := evs["PAY-3"]
			if len(got) != 1 || got[0].ToAccount == nil || got[0].FromAccount == nil {
				t.Fatalf("events = %+v", got)
			}
			to := *got[0].ToAccount
			if to.Key != tc.wantKey || to.Login != "JIRAUSER10100" || to.Name != "Pat" {
				t.Errorf("to = %+v, want key %q, login JIRAUSER10100", to, tc.wantKey)
			}
			if got[0].FromAccount.Key != strings.Replace(tc.wantKey, "10100", "10200", 1) {
				t.Errorf("from = %+v", *got[0].FromAccount)
			}
		})
	}
}

func TestHistoryNormalisesLabelListsToOneEventPerLabel(t *testing.T) {
	labels := func(from, to string) fake.JiraChange {
		return fake.JiraChange{At: at("2025-02-01T09:00:00Z"), Field: "labels", FieldID: "labels", FieldType: "jira", FromString: from, ToString: to}
	}
	tests := []struct {
		name   string
		change fake.JiraChange
		want   string
	}{
		{name: "should give one event per added label", change: labels("roadmap", "roadmap team/pay story"), want: "+team/pay|+story"},
		{name: "should give one event per removed label", change: labels("roadmap story", ""), want: "-roadmap|-story"},
		{name: "should give a removal and an addition for a swap", change: labels("epic", "story"), want: "-epic|+story"},
		{name: "should see no change in a case-only rewrite", change: labels("Story", "story"), want: ""},
	}
	for _, m := range modes() {
		for _, tc := range tests {
			t.Run(tc.name+" in "+m.name, func(t *testing.T) {
				_, evs, err := historyRun(t, setup{mode: m.mode}, map[string][]fake.JiraChange{"PAY-3": {tc.change}}, "PAY-3")
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, e := range evs["PAY-3"] {
					if e.Field != "label" {
						continue
					}
					switch {
					case e.From != "" && e.To == "":
						got = append(got, "-"+e.From)
					case e.To != "" && e.From == "":
						got = append(got, "+"+e.To)
					default:
						got = append(got, "?"+e.From+"→"+e.To)
					}
				}
				if g := strings.Join(got, "|"); g != tc.want {
					t.Errorf("label events = %q, want %q", g, tc.want)
				}
			})
		}
	}
}
