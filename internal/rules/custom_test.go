package rules

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/model"
)

func writeRules(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func noneReserved(id string) bool { return id == "OWN001" }

func TestLoadCustomValid(t *testing.T) {
	p := writeRules(t, `rules:
  - id: ACME001
    name: epic-without-milestone
    title: Epic without a milestone
    severity: note
    condition: item.level == "strategic" && item.milestone == "" && !("product-owner" in item.owner.roles)
    message: "{{ .item.key }} ({{ .item.owner.id }}) has no milestone"
    why: because
    fix: set it
    example: x
  - id: ACME002
    condition: item.parent.level == "tactical" && size(item.labels) > 0 && item.hierarchy_level < 0
    message: "sub-task {{ .item.key }} under {{ .item.parent.key }}"
`)
	rs, err := LoadCustomAs([]string{filepath.Dir(p)}, noneReserved, nil)
	if err != nil {
		t.Fatalf("LoadCustomAs: %v", err)
	}
	if len(rs) != 2 {
		t.Fatalf("got %d rules", len(rs))
	}
	d := rs[0].Doc()
	if d.ID != "ACME001" || d.Severity != model.SeverityNote || !d.Custom || d.File != p || d.Why != "because" {
		t.Errorf("doc = %+v", d)
	}
	if rs[1].Doc().Severity != model.SeverityWarning {
		t.Errorf("default severity of a user rule should be warning")
	}
	epic := model.Item{Key: "E-1", Source: "s", Level: model.LevelStrategic, Owner: &model.Owner{PersonID: "alice", Via: "assignee"}}
	sub := model.Item{Key: "S-2", Source: "s", Level: model.LevelTactical, Parent: "S-1", Labels: []string{"x"}, HierarchyLevel: new(int)}
	*sub.HierarchyLevel = -1
	story := model.Item{Key: "S-1", Source: "s", Level: model.LevelTactical}
	c := &Context{
		Roster: model.NewRoster([]model.Person{{ID: "alice", Roles: []model.Role{model.RoleProductManager}}}, nil),
		Parent: func(it *model.Item) *model.Item {
			if it.Parent == "S-1" {
				return &story
			}
			return nil
		},
		Now: time.Now(),
	}
	for _, tc := range []struct {
		name string
		rule Rule
		it   *model.Item
		want string
	}{
		{"should fire and render the message", rs[0], &epic, "E-1 (alice) has no milestone"},
		{"should see the parent's level", rs[1], &sub, "sub-task S-2 under S-1"},
		{"should not fire when the condition is false", rs[0], &story, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []model.Finding
			if err := tc.rule.Check(c, tc.it, func(f model.Finding) { got = append(got, f) }); err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("fired: %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Message != tc.want {
				t.Fatalf("findings = %+v, want message %q", got, tc.want)
			}
		})
	}
}

func TestLoadCustomInvalid(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"should reject a CEL syntax error", `rules:
  - id: X001
    condition: item.level == "strategic" &&
    message: m
`, "rule X001: condition does not compile"},
		{"should reject a misspelt field at load time", `rules:
  - id: X001
    condition: item.lvl == "strategic"
    message: m
`, "undefined field 'lvl'"},
		{"should reject a non-boolean condition", `rules:
  - id: X001
    condition: item.key
    message: m
`, "must be a boolean expression"},
		{"should reject a bad template", `rules:
  - id: X001
    condition: "true"
    message: "{{ .item.key "
`, "message is not a valid template"},
		{"should reject a template naming a missing field", `rules:
  - id: X001
    condition: "true"
    message: "{{ .item.nope }}"
`, "map has no entry for key \"nope\""},
		{"should reject a built-in id", `rules:
  - id: OWN001
    condition: "true"
    message: m
`, "reserved for built-in rules"},
		{"should reject a lower-case id", `rules:
  - id: acme1
    condition: "true"
    message: m
`, "must be upper-case"},
		{"should reject an unknown key", `rules:
  - id: X001
    conditon: "true"
    message: m
`, "rules.yaml:3: unknown key \"conditon\" (did you mean \"condition\"?)"},
		{"should reject a bad severity", `rules:
  - id: X001
    severity: fatal
    condition: "true"
    message: m
`, "unknown severity \"fatal\""},
		{"should reject a file without rules", `other: 1`, "unknown key \"other\"; known keys: rules"},
		{"should reject duplicate ids", `rules:
  - {id: X001, condition: "true", message: m}
  - {id: X001, condition: "true", message: m}
`, "already used"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeRules(t, tc.body)
			_, err := LoadCustomAs([]string{p}, noneReserved, nil)
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a *LoadError", err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("err = %q, want it to name the file and contain %q", err, tc.want)
			}
		})
	}
}

func TestCustomRuleFailingAtRunTime(t *testing.T) {
	p := writeRules(t, `rules:
  - id: X001
    condition: item.labels[0] == "x"
    message: m
`)
	// The dry run item has a label, so this loads; an item without labels
	// makes the index fail at run time.
	rs, err := LoadCustomAs([]string{p}, noneReserved, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &Context{Roster: model.NewRoster(nil, nil), Parent: func(*model.Item) *model.Item { return nil }}
	err = rs[0].Check(c, &model.Item{Key: "PAY-9"}, func(model.Finding) { t.Fatal("must not emit") })
	if err == nil || !strings.Contains(err.Error(), "rule X001") || !strings.Contains(err.Error(), "on item PAY-9") {
		t.Fatalf("err = %v, want the rule and item named", err)
	}
}

func TestLoadCustomReportsEveryProblem(t *testing.T) {
	p := writeRules(t, `rules:
  - id: X001
    condition: item.lvl == "x"
    message: m
  - id: X002
    condition: "true"
    message: "{{ .item.key "
  - id: X003
    condition: item.level == "strategic"
    message: fine
`)
	_, err := LoadCustomAs([]string{p}, noneReserved, nil)
	var les LoadErrors
	if !errors.As(err, &les) || len(les) != 2 {
		t.Fatalf("err = %v, want both broken rules reported", err)
	}
	if les[0].Rule != "X001" || les[0].Line != 2 || les[1].Rule != "X002" || les[1].Line != 5 {
		t.Fatalf("problems = %q", err)
	}
}
