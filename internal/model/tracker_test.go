package model

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestAccountsJSON(t *testing.T) {
	tests := []struct {
		name string
		in   Accounts
		want string
	}{
		{name: "should write trackers by name, then email", in: Accounts{AccountEmail: "a@x", TrackerJira: "acc-1", TrackerGitHub: "alice"},
			want: `{"github":"alice","jira":"acc-1","email":"a@x"}`},
		{name: "should place a new tracker by name", in: Accounts{"gitlab": "al", TrackerJira: "acc-1", AccountEmail: "a@x"},
			want: `{"gitlab":"al","jira":"acc-1","email":"a@x"}`},
		{name: "should leave out empty handles", in: Accounts{TrackerGitHub: "", TrackerJira: "acc-1"}, want: `{"jira":"acc-1"}`},
		{name: "should write no accounts as an empty object", in: nil, want: `{}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(Person{ID: "p", Accounts: tc.in})
			if err != nil {
				t.Fatal(err)
			}
			want := `{"id":"p","accounts":` + tc.want + `}`
			if string(b) != want {
				t.Fatalf("got %s, want %s", b, want)
			}
			var back Person
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if len(back.Accounts) != len(tc.in.Kinds()) {
				t.Fatalf("round trip = %v, want %v", back.Accounts, tc.in)
			}
		})
	}
}

func TestTeamMatchJSON(t *testing.T) {
	t.Run("should read and write flat TRACKER_SCOPE keys", func(t *testing.T) {
		in := `{"jira_projects":["PAY"],"jira_components":["API"],"github_repos":["acme/payments"],"labels":["team/pay"]}`
		var m TeamMatch
		if err := json.Unmarshal([]byte(in), &m); err != nil {
			t.Fatal(err)
		}
		want := TeamMatch{Scopes: map[Tracker]map[Scope][]string{
			TrackerJira:   {ScopeProjects: {"PAY"}, ScopeComponents: {"API"}},
			TrackerGitHub: {ScopeRepos: {"acme/payments"}},
		}, Labels: []string{"team/pay"}}
		if !reflect.DeepEqual(m, want) {
			t.Fatalf("got %+v, want %+v", m, want)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(b); got != `{"github_repos":["acme/payments"],"jira_components":["API"],"jira_projects":["PAY"],"labels":["team/pay"]}` {
			t.Fatalf("marshal = %s", got)
		}
	})
	t.Run("should refuse a key that names no scope", func(t *testing.T) {
		var m TeamMatch
		if err := json.Unmarshal([]byte(`{"jira_boards":["X"]}`), &m); err == nil {
			t.Fatal("want an error")
		}
	})
}

func TestRosterLookupAnyTracker(t *testing.T) {
	r := NewRoster([]Person{{ID: "al", Accounts: Accounts{"gitlab": "Al-G", AccountEmail: "al@x"}}}, nil)
	for _, tc := range []struct {
		name string
		acc  Account
	}{
		{"should find a person by a new tracker's login", Account{Tracker: "gitlab", Login: "al-g"}},
		{"should find a person by email from any tracker", Account{Tracker: TrackerJira, Email: "AL@x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if p := r.Lookup(tc.acc); p == nil || p.ID != "al" {
				t.Fatalf("Lookup = %v", p)
			}
		})
	}
	t.Run("should match free text against a new tracker's handle", func(t *testing.T) {
		if p := r.LookupText("@al-g"); p == nil || p.ID != "al" {
			t.Fatalf("LookupText = %v", p)
		}
	})
}
