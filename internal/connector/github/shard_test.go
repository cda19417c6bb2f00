package github

import (
	"context"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
)

func TestUnits(t *testing.T) {
	srv := fake.NewGitHub(fake.GitHubGenerate(3, 150), fake.WithGitHubTB(t))
	defer srv.Close()
	newConn := func(t *testing.T, cfg Source) *Connector {
		t.Helper()
		cfg.BaseURL = srv.RESTURL()
		c, err := New(config.Source{Name: "gh", Kind: KindName, Block: &cfg},
			connector.Env{Getenv: func(string) string { return fake.GitHubToken }})
		if err != nil {
			t.Fatal(err)
		}
		return c.(*Connector)
	}
	ctx := context.Background()
	t.Run("should list the organisation's repositories with their open counts", func(t *testing.T) {
		us, err := newConn(t, Source{Orgs: []string{"bench"}}).Units(ctx, connector.FetchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(us) != 3 || us[0].Name != "bench/repo-00" || us[0].Size != 150 {
			t.Fatalf("units = %+v", us)
		}
	})
	t.Run("should not split a source with boards", func(t *testing.T) {
		us, err := newConn(t, Source{Orgs: []string{"bench"}, Projects: []Project{{Org: "bench", Number: 1}}}).Units(ctx, connector.FetchOptions{})
		if err != nil || us != nil {
			t.Fatalf("units = %+v, %v; want nil", us, err)
		}
	})
	t.Run("should read the given repositories only, and the same items as Fetch", func(t *testing.T) {
		c := newConn(t, Source{Orgs: []string{"bench"}})
		us, err := c.Units(ctx, connector.FetchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		part, err := c.FetchUnits(ctx, connector.FetchOptions{}, us[1:2])
		if err != nil {
			t.Fatal(err)
		}
		if len(part) != 150 || !strings.HasPrefix(part[0].Key, "bench/repo-01#") {
			t.Fatalf("read %d items, first %s", len(part), part[0].Key)
		}
		all, err := c.FetchUnits(ctx, connector.FetchOptions{}, us)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := c.Fetch(ctx, connector.FetchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != len(whole) {
			t.Fatalf("all units gave %d items, Fetch %d", len(all), len(whole))
		}
		for i := range all {
			if all[i].Key != whole[i].Key || all[i].Parent != whole[i].Parent {
				t.Fatalf("item %d: %s (parent %s) vs %s (parent %s)", i, all[i].Key, all[i].Parent, whole[i].Key, whole[i].Parent)
			}
		}
	})
	t.Run("should make no request for no unit", func(t *testing.T) {
		c := newConn(t, Source{Orgs: []string{"bench"}})
		before := srv.Requests()
		if items, err := c.FetchUnits(ctx, connector.FetchOptions{}, nil); err != nil || items != nil || srv.Requests() != before {
			t.Fatalf("items %v, err %v, %d requests", items, err, srv.Requests()-before)
		}
	})
}
