package app

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/model"
)

func TestRosterSuggestion(t *testing.T) {
	roster := model.NewRoster([]model.Person{{ID: "alice", Roles: []model.Role{model.RoleProductManager}, Accounts: model.Accounts{model.TrackerGitHub: "alice-c"}}}, nil)
	owner := func(a model.Account) *model.Owner { return &model.Owner{Account: a, Via: "assignee"} }
	gh := func(login string) model.Account { return model.Account{Tracker: model.TrackerGitHub, Login: login} }
	items := []model.Item{
		{Key: "acme/app#1", Source: "gh", Level: model.LevelTactical, Owner: owner(model.Account{Tracker: model.TrackerGitHub, Login: "zed", Email: "Zed@acme.example"})},
		{Key: "PAY-1", Source: "jira", Level: model.LevelStrategic, Owner: owner(model.Account{Tracker: model.TrackerJira, Login: "5b10", Name: "Zed Zulu", Email: "zed@acme.example"})},
		{Key: "PAY-2", Source: "jira", Level: model.LevelTactical, Owner: owner(model.Account{Tracker: model.TrackerJira, Login: "6c20", Name: "Alice"})},
		{Key: "acme/app#2", Source: "gh", Level: model.LevelTactical, Owner: owner(gh("ålice"))},
		{Key: "acme/app#3", Source: "gh", Closed: true, Level: model.LevelTactical, Owner: owner(gh("closed-only"))},
		{Key: "acme/app#4", Source: "gh", Level: model.LevelStrategic, Owner: &model.Owner{Account: gh("alice-c"), PersonID: "alice"}},
	}
	out, err := RosterSuggestion(&config.Config{}, items, roster)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Roster struct {
			People []struct {
				ID, Name string
				Roles    []string
				Accounts map[string]string
			}
		}
	}
	if err := yaml.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	type person struct{ id, name, github, jira, email string }
	var people []person
	for _, p := range got.Roster.People {
		people = append(people, person{p.ID, p.Name, p.Accounts["github"], p.Accounts["jira"], p.Accounts["email"]})
	}
	want := []person{
		{"alice-2", "Alice", "", "6c20", ""},
		{"zed-zulu", "Zed Zulu", "zed", "5b10", "Zed@acme.example"},
		{"ålice", "", "ålice", "", ""},
	}
	t.Run("should merge one email's accounts, skip closed items and known people, and never reuse a roster id", func(t *testing.T) {
		if len(people) != len(want) {
			t.Fatalf("got %+v\n%s", people, out)
		}
		for i := range want {
			if people[i] != want[i] {
				t.Errorf("person %d: got %+v, want %+v", i, people[i], want[i])
			}
		}
	})
	t.Run("should count the items by level", func(t *testing.T) {
		if !strings.Contains(string(out), "# owns 1 strategic, 1 tactical items\n    - id: zed-zulu") {
			t.Errorf("counts:\n%s", out)
		}
	})
}
