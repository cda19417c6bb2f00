package jira

import (
	"context"
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

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestHistoryMapsResolutionToState(t *testing.T) {
	res := func(day, from, fromS, to, toS string) fake.JiraChange {
		return fake.JiraChange{At: at("2025-02-" + day + "T09:00:00Z"), Field: "resolution", FieldID: "resolution", FieldType: "jira",
			From: from, FromString: fromS, To: to, ToString: toS}
	}
	changes := []fake.JiraChange{
		{At: at("2025-02-01T09:00:00Z"), Field: "status", FieldID: "status", FieldType: "jira", From: "10000", FromString: "To Do", To: "10001", ToString: "Done"},
		res("01", "", "", "10000", "Done"),
		res("05", "10000", "Done", "10001", "Won't Do"),
		res("10", "10001", "Won't Do", "", ""),
	}
	for _, m := range modes() {
		t.Run("should turn a resolution set and cleared into close and reopen in "+m.name, func(t *testing.T) {
			evs, err := historyOf(t, m.mode, changes, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range evs["PAY-3"] {
				got = append(got, e.At.Format("01-02")+" "+e.Field+" "+e.From+"→"+e.To)
			}
			want := "02-01 state open→closed|02-10 state closed→open"
			if strings.Join(got, "|") != want {
				t.Errorf("events = %q, want %q", strings.Join(got, "|"), want)
			}
		})
	}
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
