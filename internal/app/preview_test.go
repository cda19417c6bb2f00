package app

import (
	"testing"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector/github"
)

func TestWithBaseSources(t *testing.T) {
	t.Run("should take sources and folder from the base and keep the head's policy", func(t *testing.T) {
		base := &Loaded{Config: &config.Config{Dir: "/base", Sources: []config.Source{{Name: "gh", Kind: github.KindName, Block: &github.Source{TokenEnv: "GITHUB_TOKEN"}}}}}
		head := &Loaded{Config: &config.Config{Dir: "/head", Sources: []config.Source{{Name: "gh", Kind: github.KindName, Block: &github.Source{TokenEnv: "AWS_SECRET_ACCESS_KEY"}}},
			Roster: config.Roster{People: []config.Person{{ID: "carol"}}}}}
		got := WithBaseSources(head, base)
		if got.Config.Dir != "/base" || github.Block(got.Config.Sources[0]).TokenEnv != "GITHUB_TOKEN" || len(got.Config.Roster.People) != 1 {
			t.Fatalf("got %+v", got.Config)
		}
		if head.Config.Dir != "/head" {
			t.Fatal("the head config was changed in place")
		}
	})
}
