package rules

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/pomlint/pomlint/internal/model"
)

func TestMemoPlan(t *testing.T) {
	env, err := NewCELEnv()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cond string
		want int // fields keyed; -1 = not memoised
	}{
		{`item.level == "strategic" && item.milestone == ""`, 2},
		{`"product-owner" in item.owner.roles && item.owner.present`, 2},
		{`item.labels.exists(l, l.startsWith("team/")) && item.parent.level == "tactical"`, 2},
		{`item.level == "tactical" && item.level != ""`, 1},
		{`item.key.startsWith("PAY-")`, -1},  // high-cardinality field used as a whole
		{`item.title.contains("spike")`, -1}, // high-cardinality field used as a whole
		{`item.parent.key != ""`, 1},         // only compared with a literal
		{`item.key == "PAY-1" || item.key == "PAY-2"`, 1},
		{`item.parent.key != "" && item.parent.key.size() > 3`, -1}, // also used otherwise
		{`has(item.milestone)`, -1},                                 // presence test
		{`[item].size() == 1`, -1},                                  // item as a whole
		{`item.labels.exists(item, item == "x")`, -1},               // a variable shadowing item
		{`true`, -1},
	} {
		t.Run(tc.cond, func(t *testing.T) {
			ast, iss := env.Compile(tc.cond)
			if iss.Err() != nil {
				t.Fatal(iss.Err())
			}
			plan := memoPlan(ast.NativeRep().Expr())
			got := len(plan)
			if plan == nil {
				got = -1
			}
			if got != tc.want {
				t.Fatalf("plan keys %d fields, want %d", got, tc.want)
			}
		})
	}
}

// TestMemoMatchesEvaluation checks that reusing results gives exactly the
// findings that evaluating every item gives.
func TestMemoMatchesEvaluation(t *testing.T) {
	p := writeRules(t, `rules:
  - id: M001
    condition: item.level == "tactical" && !("product-owner" in item.owner.roles) && item.parent.level != "strategic"
    message: "{{ .item.key }}"
  - id: M002
    condition: item.labels.exists(l, l == "x") || item.team == "t3"
    message: "{{ .item.key }}"
  - id: M003
    condition: item.parent.key != "" && item.key != "K-7" && item.parent.level == "tactical"
    message: "{{ .item.key }}"
`)
	rs, err := LoadCustomAs([]string{p}, noneReserved, nil)
	if err != nil {
		t.Fatal(err)
	}
	roster := model.NewRoster([]model.Person{
		{ID: "po", Roles: []model.Role{model.RoleProductOwner}},
		{ID: "pm", Roles: []model.Role{model.RoleProductManager}},
	}, nil)
	items := make([]model.Item, 500)
	for i := range items {
		it := &items[i]
		it.Key = fmt.Sprintf("K-%d", i)
		it.Level = []model.Level{model.LevelStrategic, model.LevelTactical, model.LevelUnknown}[i%3]
		it.Team = fmt.Sprintf("t%d", i%5)
		if i%4 == 0 {
			it.Labels = []string{"x"}
		}
		if i%7 != 0 {
			it.Owner = &model.Owner{PersonID: []string{"po", "pm", ""}[i%3], Via: "assignee"}
		}
		if i > 0 {
			it.Parent = fmt.Sprintf("K-%d", i-1-(i%2))
		}
	}
	byKey := map[string]*model.Item{}
	for i := range items {
		byKey[items[i].Key] = &items[i]
	}
	run := func(memo bool) []string {
		c := &Context{Roster: roster, Parent: func(it *model.Item) *model.Item { return byKey[it.Parent] }}
		var got []string
		for _, r := range rs {
			cr := r.(*customRule)
			saved := cr.memo
			if !memo {
				cr.memo = nil
			}
			for i := range items {
				if err := cr.Check(c, &items[i], func(f model.Finding) { got = append(got, f.Rule+" "+f.Item) }); err != nil {
					t.Fatal(err)
				}
			}
			cr.memo = saved
		}
		return got
	}
	for _, r := range rs {
		if r.(*customRule).memo == nil {
			t.Fatalf("%s should be memoised", r.Doc().ID)
		}
	}
	with, without := run(true), run(false)
	if len(with) == 0 || !reflect.DeepEqual(with, without) {
		t.Fatalf("memoised findings differ from evaluated ones:\n%v\n%v", with, without)
	}
}
