package jira

import (
	"context"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
)

func TestUnits(t *testing.T) {
	ctx := context.Background()
	data := fake.JiraGenerate(3, 120)
	for _, tc := range []struct {
		name, jql string
		want      []string
	}{
		{"should list the projects the JQL names", "project in (P1, P2, P3) AND statusCategory != Done ORDER BY key ASC", []string{"P1", "P2", "P3"}},
		{"should list the one project of project =", "project = P2", []string{"P2"}},
		{"should not split a JQL that names no project", "statusCategory != Done", nil},
		{"should not split a JQL with a top-level OR", "project = P1 OR project = P2", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, setup{mode: fake.JiraCloud, deployment: "cloud", jql: tc.jql, data: &data})
			before := h.srv.Requests()
			us, err := h.conn.Units(ctx, connector.FetchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range us {
				got = append(got, u.Name)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") || (tc.want == nil) != (us == nil) {
				t.Fatalf("units = %v, want %v", got, tc.want)
			}
			if h.srv.Requests() != before {
				t.Fatalf("Units made %d requests, want none", h.srv.Requests()-before)
			}
		})
	}
	for _, mode := range []struct {
		name       string
		mode       fake.JiraMode
		deployment string
	}{{"cloud", fake.JiraCloud, "cloud"}, {"datacenter", fake.JiraDataCenter, "datacenter"}} {
		t.Run("should read only the given projects, and all of them as Fetch does, on "+mode.name, func(t *testing.T) {
			h := newHarness(t, setup{mode: mode.mode, deployment: mode.deployment, jql: "project in (P1, P2, P3) ORDER BY key ASC", data: &data})
			us, err := h.conn.Units(ctx, connector.FetchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			part, err := h.conn.FetchUnits(ctx, connector.FetchOptions{}, us[1:2])
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range part {
				if !strings.HasPrefix(it.Key, "P2-") {
					t.Fatalf("read %s outside P2", it.Key)
				}
			}
			if len(part) != 120 {
				t.Fatalf("read %d items of P2, want 120", len(part))
			}
			all, err := h.conn.FetchUnits(ctx, connector.FetchOptions{}, us)
			if err != nil {
				t.Fatal(err)
			}
			whole, err := h.conn.Fetch(ctx, connector.FetchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != len(whole) || all[0].Key != whole[0].Key || all[len(all)-1].Key != whole[len(whole)-1].Key {
				t.Fatalf("all units gave %d items, Fetch %d", len(all), len(whole))
			}
		})
	}
}
