package shard

import (
	"errors"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/model"
)

func TestParseSpec(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Spec
		ok   bool
	}{
		{"1/1", Spec{1, 1}, true},
		{"2/7", Spec{2, 7}, true},
		{" 7/7 ", Spec{7, 7}, true},
		{"0/3", Spec{}, false},
		{"4/3", Spec{}, false},
		{"3", Spec{}, false},
		{"a/b", Spec{}, false},
		{"1/0", Spec{}, false},
	} {
		t.Run("should read "+tc.in, func(t *testing.T) {
			got, err := ParseSpec(tc.in)
			if (err == nil) != tc.ok || got != tc.want {
				t.Fatalf("ParseSpec(%q) = %v, %v", tc.in, got, err)
			}
		})
	}
}

func units(sizes ...int) []model.ShardUnit {
	out := make([]model.ShardUnit, len(sizes))
	for i, s := range sizes {
		out[i] = model.ShardUnit{Source: "gh", Unit: string(rune('a' + i)), Size: s}
	}
	return out
}

func shardsOf(us []model.ShardUnit) []int {
	out := make([]int, len(us))
	for i, u := range us {
		out[i] = u.Shard
	}
	return out
}

func TestAssign(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sizes []int
		n     int
		want  []int
	}{
		{"should put everything in the one shard", []int{100, 5, -1}, 1, []int{1, 1, 1}},
		{"should split equal units evenly", []int{100, 100, 100, 100}, 2, []int{1, 1, 2, 2}},
		{"should balance by size", []int{800, 100, 100, 100, 100, 100, 100, 100, 100}, 2, []int{1, 2, 2, 2, 2, 2, 2, 2, 2}},
		{"should leave shards empty when units are fewer", []int{100, 100, 100}, 7, []int{2, 4, 6}},
		{"should weigh unknown sizes as the mean", []int{-1, -1, -1, -1}, 2, []int{1, 1, 2, 2}},
		{"should not move a unit when a count drifts inside its power of two", []int{1000, 300, 310, 900}, 2, []int{1, 1, 2, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			us := units(tc.sizes...)
			Assign(us, tc.n)
			if got := shardsOf(us); !equal(got, tc.want) {
				t.Fatalf("shards = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("should plan the same after small count drift", func(t *testing.T) {
		a, b := units(1000, 300, 500, 900, 40), units(1001, 301, 499, 905, 41)
		Assign(a, 3)
		Assign(b, 3)
		if !equal(shardsOf(a), shardsOf(b)) {
			t.Fatalf("plans differ: %v vs %v", shardsOf(a), shardsOf(b))
		}
	})
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func part(k, n int, units []string, plan []model.ShardUnit, keys ...string) Part {
	s := &model.Shard{Index: k, Count: n, Config: "sha256:x", Sources: []string{"gh", "jira"}, Plan: plan}
	for _, u := range units {
		s.Units = append(s.Units, model.ShardUnit{Source: "gh", Unit: u, Shard: k})
	}
	p := Part{File: "s" + string(rune('0'+k)) + ".json", Shard: s,
		Sources: []model.SourceStatus{{Name: "gh", Kind: "github", Complete: true}, {Name: "jira", Kind: "jira", Complete: true}}}
	for _, key := range keys {
		src, k, _ := strings.Cut(key, ":")
		p.Items = append(p.Items, model.Item{Source: src, Key: k})
	}
	return p
}

func TestCheck(t *testing.T) {
	plan := []model.ShardUnit{{Source: "gh", Unit: "a", Shard: 1}, {Source: "gh", Unit: "b", Shard: 2}, {Source: "gh", Unit: "c", Shard: 3}}
	full := func() []Part {
		return []Part{part(3, 3, []string{"c"}, plan), part(1, 3, []string{"a"}, plan), part(2, 3, []string{"b"}, plan)}
	}
	t.Run("should accept a complete set in any order", func(t *testing.T) {
		ps := full()
		if err := Check(ps, "sha256:x"); err != nil {
			t.Fatal(err)
		}
		if ps[0].Shard.Index != 1 || ps[2].Shard.Index != 3 {
			t.Fatal("parts not sorted by index")
		}
	})
	t.Run("should name the missing shard", func(t *testing.T) {
		var ie *IncompleteError
		err := Check(full()[:2], "sha256:x")
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "missing shard 2/3") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("should name a unit no shard read", func(t *testing.T) {
		ps := full()
		ps[2].Shard.Units = nil // shard 2 planned b for itself but read nothing
		var ie *IncompleteError
		err := Check(ps, "sha256:x")
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "gh: b (planned for shard 2/3") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("should accept differing plans that were all read", func(t *testing.T) {
		other := []model.ShardUnit{{Source: "gh", Unit: "a", Shard: 1}, {Source: "gh", Unit: "b", Shard: 1}, {Source: "gh", Unit: "c", Shard: 3}}
		ps := full()
		ps[1] = part(1, 3, []string{"a", "b"}, other)
		if err := Check(ps, "sha256:x"); err != nil {
			t.Fatal(err)
		}
	})
	for _, tc := range []struct {
		name   string
		change func(ps []Part)
		want   string
	}{
		{"should refuse another config", func(ps []Part) { ps[1].Shard.Config = "sha256:y" }, "another configuration"},
		{"should refuse another N", func(ps []Part) { ps[1].Shard.Count = 4 }, "different matrices"},
		{"should refuse other sources", func(ps []Part) { ps[1].Shard.Sources = []string{"gh"} }, "same --source"},
		{"should refuse another since", func(ps []Part) { ps[1].Shard.Since = "72h" }, "same --since"},
		{"should refuse a report that is not a shard", func(ps []Part) { ps[1].Shard = nil }, "not a shard"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := full()
			tc.change(ps)
			var me *MismatchError
			if err := Check(ps, "sha256:x"); !errors.As(err, &me) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a mismatch with %q", err, tc.want)
			}
		})
	}
}

func TestCombine(t *testing.T) {
	plan := []model.ShardUnit{{Source: "gh", Unit: "a", Shard: 1}, {Source: "gh", Unit: "b", Shard: 2}}
	p1 := part(1, 2, []string{"a"}, plan, "gh:a#2", "gh:a#10", "jira:P-2")
	p2 := part(2, 2, []string{"b"}, plan, "gh:a#10", "gh:b#1", "jira:P-1", "jira:P-10")
	p2.Sources[1] = model.SourceStatus{Name: "jira", Kind: "jira", Error: "fetch: boom"}
	p1.Shard.Imports = []model.ShardImport{{Source: "gh", Memberships: []model.Membership{{Role: model.RoleProductOwner, Origin: "team"}}}}
	items, sources, ms := Combine([]Part{p1, p2})
	var keys []string
	for _, it := range items {
		keys = append(keys, it.Source+":"+it.Key)
	}
	if got, want := strings.Join(keys, " "), "gh:a#2 gh:a#10 gh:b#1 jira:P-1 jira:P-2 jira:P-10"; got != want {
		t.Errorf("items = %s, want %s (sources in order, keys in natural order, one copy each)", got, want)
	}
	if !sources[0].Complete || sources[1].Complete || sources[1].Error != "fetch: boom" {
		t.Errorf("sources = %+v", sources)
	}
	if len(ms) != 1 || ms[0].Origin != "team" {
		t.Errorf("memberships = %+v", ms)
	}
}

func TestCombineNoticesRemovedItems(t *testing.T) {
	plan := []model.ShardUnit{{Source: "gh", Unit: "a", Shard: 1}, {Source: "gh", Unit: "b", Shard: 2}}
	counted := func(p Part) Part {
		for i := range p.Sources {
			for _, it := range p.Items {
				if it.Source == p.Sources[i].Name {
					p.Sources[i].Items++
				}
			}
		}
		return p
	}
	t.Run("should keep a source complete when every shard holds what it counted", func(t *testing.T) {
		p1 := counted(part(1, 2, []string{"a"}, plan, "gh:a#1", "gh:a#2", "jira:P-1"))
		p2 := counted(part(2, 2, []string{"b"}, plan, "gh:a#2", "gh:b#1"))
		_, sources, _ := Combine([]Part{p1, p2})
		if !sources[0].Complete || !sources[1].Complete {
			t.Fatalf("sources = %+v, want complete (an item read twice is kept once)", sources)
		}
	})
	t.Run("should make a source incomplete when a shard holds fewer items than it counted", func(t *testing.T) {
		p1 := counted(part(1, 2, []string{"a"}, plan, "gh:a#1", "gh:a#2", "jira:P-1"))
		p2 := counted(part(2, 2, []string{"b"}, plan, "gh:b#1", "gh:b#2"))
		p1.Items = p1.Items[1:] // gh:a#1 removed from the file
		_, sources, _ := Combine([]Part{p1, p2})
		if sources[0].Complete || !sources[1].Complete {
			t.Fatalf("sources = %+v, want gh incomplete, jira complete", sources)
		}
		for _, want := range []string{"s1.json", "source gh", "recorded 2", "holds 1"} {
			if !strings.Contains(sources[0].Error, want) {
				t.Errorf("error = %q, want it to contain %q", sources[0].Error, want)
			}
		}
	})
}
