package drift

import (
	"bytes"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pomlint/pomlint/internal/connector/file"
	"github.com/pomlint/pomlint/internal/golden"
	"github.com/pomlint/pomlint/internal/model"
)

// testdata/base.json and head.json are snapshots pomlint snapshot wrote of
// the demo and of the demo with edits (internal/cli/testdata/drift-*.yaml).
func load(t *testing.T, name string) *model.Snapshot {
	t.Helper()
	s, err := file.Read(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// assertGolden compares got with testdata/name, rewriting it under -update.
func assertGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.AssertString(t, filepath.Join("testdata", name), got)
}

func opts() Options {
	return Options{Tool: model.Tool{Name: "pomlint", Version: "0.1.0-test"}, BaseLabel: "base.json", HeadLabel: "head.json"}
}

func TestDiffGolden(t *testing.T) {
	base, head := load(t, "base.json"), load(t, "head.json")
	r := Diff(base, head, opts())
	for _, format := range Formats {
		t.Run("should render the demo drift as "+format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, r, format, 0); err != nil {
				t.Fatal(err)
			}
			assertGolden(t, "drift."+map[string]string{"text": "txt", "json": "json", "markdown": "md"}[format], buf.String())
			var again bytes.Buffer
			_ = Write(&again, Diff(base, head, opts()), format, 0)
			if again.String() != buf.String() {
				t.Error("two diffs of the same snapshots rendered differently")
			}
		})
	}
}

func TestDiff(t *testing.T) {
	base, head := load(t, "base.json"), load(t, "head.json")
	r := Diff(base, head, opts())
	find := func(key string) *ItemDrift {
		for i := range r.Items {
			if r.Items[i].Key == key {
				return &r.Items[i]
			}
		}
		return nil
	}
	for _, tt := range []struct {
		name, key, status string
		changes           []Change
	}{
		{"should report an owner change", "acme/payments#12", StatusChanged, []Change{{FieldOwner, "bob", "alice"}}},
		{"should report a level change", "CHK-15", StatusChanged, []Change{{FieldLevel, "unknown", "tactical"}}},
		{"should report a team change", "acme/payments#14", StatusChanged, []Change{{FieldTeam, "payments", "platform"}}},
		{"should report a removed item", "PAY-78", StatusRemoved, nil},
		{"should report an added item with its owner and role", "PAY-90", StatusAdded, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := find(tt.key)
			if d == nil || d.Status != tt.status || fmt.Sprint(d.Changes) != fmt.Sprint(tt.changes) {
				t.Errorf("item %s = %+v, want %s %v", tt.key, d, tt.status, tt.changes)
			}
		})
	}
	t.Run("should name the added item's owner and role", func(t *testing.T) {
		if d := find("PAY-90"); d.Owner != "frank" || d.OwnerRole != "product-manager" || d.Level != "tactical" {
			t.Errorf("PAY-90 = %+v", d)
		}
	})
	t.Run("should report a role change when the owner stays", func(t *testing.T) {
		h := *head
		h.Roster = model.NewRoster(append([]model.Person(nil), head.Roster.People...), head.Roster.Teams)
		for i := range h.Roster.People {
			if h.Roster.People[i].ID == "bob" {
				h.Roster.People[i].Roles = []model.Role{model.RoleProductManager, model.RoleProductOwner}
			}
		}
		r := Diff(base, &h, opts())
		if r.Summary.OwnerRoleChanged == 0 {
			t.Fatal("no role change reported")
		}
		for _, d := range r.Items {
			for _, c := range d.Changes {
				if c.Field == FieldOwnerRole && (c.From != "product-owner" || c.To != "product-manager+product-owner") {
					t.Errorf("%s: %+v", d.Key, c)
				}
			}
		}
	})
	t.Run("should match findings by fingerprint", func(t *testing.T) {
		var got []string
		for _, f := range r.Findings {
			s := f.Status + " " + f.Rule + " " + f.Item
			if f.Status == FindingSeverity {
				s += " " + f.FromSeverity.String() + ">" + f.Severity.String()
			}
			got = append(got, s)
		}
		want := "new OWN007 acme/payments#14|new OWN002 PAY-90|new OWN006 PAY-90|severity OWN006 acme/payments#25 note>warning|severity OWN006 PAY-77 note>warning|" +
			"resolved OWN001 acme/payments#12|resolved OWN005 CHK-15|resolved OWN003 PAY-78|resolved OWN006 PAY-78"
		if strings.Join(got, "|") != want {
			t.Errorf("findings =\n%s\nwant\n%s", strings.Join(got, "|"), want)
		}
	})
	t.Run("should exit 1 on a new error and 0 on the same snapshot", func(t *testing.T) {
		if c := r.ExitCode(model.SeverityError); c != 1 {
			t.Errorf("ExitCode(error) = %d", c)
		}
		same := Diff(base, base, opts())
		if !same.Clean() || same.ExitCode(model.SeverityNote) != 0 {
			t.Errorf("same snapshot: clean %v, exit %d", same.Clean(), same.ExitCode(model.SeverityNote))
		}
	})
	t.Run("should never be clean or pass when a side is incomplete", func(t *testing.T) {
		b := *base
		b.Sources = append([]model.SourceStatus(nil), base.Sources...)
		b.Sources[0].Complete, b.Sources[0].Error = false, "fetch: 502 Bad Gateway"
		r := Diff(&b, base, opts())
		if r.Clean() || r.ExitCode(model.SeverityNone) != model.ExitIncomplete {
			t.Errorf("clean %v, exit %d", r.Clean(), r.ExitCode(model.SeverityNone))
		}
		for _, s := range []string{Text(r), Markdown(r, 0)} {
			if !strings.Contains(s, "INCOMPLETE") || !strings.Contains(s, "502 Bad Gateway") {
				t.Errorf("the incompleteness is not shown:\n%s", s)
			}
		}
	})
	t.Run("should narrow to linked items, case-insensitively for GitHub", func(t *testing.T) {
		o := opts()
		o.Only = []string{"Acme/Payments#12", "PAY-90", "PAY-999"}
		r := Diff(base, head, o)
		if len(r.Items) != 2 || len(r.Findings) != 3 || fmt.Sprint(r.NotFound) != "[PAY-999]" {
			t.Errorf("items %d, findings %d, not found %v", len(r.Items), len(r.Findings), r.NotFound)
		}
		if !strings.Contains(Markdown(r, 0), "Narrowed to the 3 items this pull request references (not in the data: PAY-999)") {
			t.Error("the Markdown does not say what it was narrowed to")
		}
	})
	t.Run("should be clean when the PR references nothing", func(t *testing.T) {
		o := opts()
		o.Only = []string{}
		if r := Diff(base, head, o); !r.Clean() {
			t.Errorf("not clean: %+v", r.Summary)
		}
	})
}

func TestMarkdownLimit(t *testing.T) {
	base := &model.Snapshot{SchemaVersion: 1, Sources: []model.SourceStatus{{Name: "gh", Kind: "github", Complete: true}}}
	head := &model.Snapshot{SchemaVersion: 1, Sources: base.Sources}
	for i := range 5000 {
		key := fmt.Sprintf("acme/app#%d", i+1)
		title := strings.Repeat("Ünïcode title with | pipes and <tags> ", 4)
		head.Items = append(head.Items, model.Item{Key: key, Source: "gh", Tracker: model.TrackerGitHub, Title: title, Level: model.LevelTactical,
			URL: "https://github.com/acme/app/issues/" + fmt.Sprint(i+1)})
		head.Findings = append(head.Findings, model.Finding{Rule: "OWN003", Name: "missing-owner", Severity: model.SeverityError, Source: "gh", Item: key,
			Message: "no owner: no ownership source yielded anyone", Fingerprint: model.Fingerprint("OWN003", "gh", key)})
		base.Findings = append(base.Findings, model.Finding{Rule: "OWN004", Name: "owner-not-in-roster", Severity: model.SeverityWarning, Source: "gh", Item: key,
			Message: "owner gone", Fingerprint: model.Fingerprint("OWN004", "gh", key)})
	}
	r := Diff(base, head, opts())
	for _, limit := range []int{0, 20000, 4000} {
		t.Run(fmt.Sprintf("should stay within %d bytes and say what it left out", limit), func(t *testing.T) {
			md := Markdown(r, limit)
			most := limit
			if most == 0 {
				most = 65536
			}
			if len(md) > most || utf8.RuneCountInString(md) > most || !utf8.ValidString(md) {
				t.Fatalf("%d bytes, %d characters, valid UTF-8 %v; limit %d", len(md), utf8.RuneCountInString(md), utf8.ValidString(md), most)
			}
			if !strings.Contains(md, "Shortened to stay under") || !strings.Contains(md, "new findings") || !strings.HasPrefix(md, "## ❌ pomlint drift: 5000 new findings") {
				t.Errorf("no headline or cut note:\n%s", md[max(0, len(md)-600):])
			}
		})
	}
	t.Run("should give a short all-clear", func(t *testing.T) {
		if s := MarkdownAllClear(Diff(base, base, opts())); !strings.HasPrefix(s, "## ✅ pomlint drift: all clear") || len(s) > 400 {
			t.Errorf("all clear = %q", s)
		}
	})
}

func BenchmarkDiff(b *testing.B) {
	base := &model.Snapshot{SchemaVersion: 1}
	head := &model.Snapshot{SchemaVersion: 1}
	for i := range 100_000 {
		key := fmt.Sprintf("PAY-%d", i+1)
		it := model.Item{Key: key, Source: "jira", Tracker: model.TrackerJira, Level: model.LevelTactical, Team: "payments",
			Owner: &model.Owner{PersonID: "bob"}}
		base.Items = append(base.Items, it)
		if i%10 == 0 {
			it.Owner = &model.Owner{PersonID: "alice"}
		}
		head.Items = append(head.Items, it)
		f := model.Finding{Rule: "OWN006", Severity: model.SeverityNote, Source: "jira", Item: key, Fingerprint: model.Fingerprint("OWN006", "jira", key)}
		if i%3 == 0 {
			base.Findings = append(base.Findings, f)
		}
		if i%5 == 0 {
			head.Findings = append(head.Findings, f)
		}
	}
	b.Run("diff", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = Diff(base, head, Options{})
		}
	})
	r := Diff(base, head, Options{})
	b.Run("markdown", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = Markdown(r, 0)
		}
	})
}

func TestDiffOwnerAcrossRosterEdits(t *testing.T) {
	gh := func(login string) model.Account { return model.Account{Tracker: model.TrackerGitHub, Login: login} }
	bob := &model.Roster{People: []model.Person{{ID: "bob", Roles: []model.Role{model.RoleProductOwner}, Accounts: model.Accounts{model.TrackerGitHub: "bob-gh"}}}}
	robert := &model.Roster{People: []model.Person{{ID: "robert", Roles: []model.Role{model.RoleProductManager}, Accounts: model.Accounts{model.TrackerGitHub: "bob-gh"}}}}
	snap := func(r *model.Roster, o *model.Owner) *model.Snapshot {
		return &model.Snapshot{SchemaVersion: 1, Sources: []model.SourceStatus{{Name: "gh", Kind: "github", Complete: true}}, Roster: r,
			Items: []model.Item{{Key: "acme/app#1", Source: "gh", Level: model.LevelTactical, Owner: o}}}
	}
	for _, tt := range []struct {
		name       string
		base, head *model.Snapshot
		want       []Change
	}{
		{"should report a role change when the roster drops the owner's person",
			snap(bob, &model.Owner{Account: gh("bob-gh"), PersonID: "bob", Via: "assignee"}), snap(&model.Roster{}, &model.Owner{Account: gh("bob-gh"), Via: "assignee"}),
			[]Change{{Field: FieldOwnerRole, From: "product-owner", To: RoleNotInRoster}}},
		{"should report a role change when the roster adds the owner's account",
			snap(&model.Roster{}, &model.Owner{Account: gh("Bob-GH"), Via: "assignee"}), snap(bob, &model.Owner{Account: gh("bob-gh"), PersonID: "bob", Via: "assignee"}),
			[]Change{{Field: FieldOwnerRole, From: RoleNotInRoster, To: "product-owner"}}},
		{"should report a role change when the roster renames the person behind the account",
			snap(bob, &model.Owner{Account: gh("bob-gh"), PersonID: "bob", Via: "assignee"}), snap(robert, &model.Owner{Account: gh("bob-gh"), PersonID: "robert", Via: "assignee"}),
			[]Change{{Field: FieldOwnerRole, From: "product-owner", To: "product-manager"}}},
		{"should still report an owner change for another account",
			snap(bob, &model.Owner{Account: gh("bob-gh"), PersonID: "bob", Via: "assignee"}), snap(&model.Roster{}, &model.Owner{Account: gh("alice-gh"), Via: "assignee"}),
			[]Change{{Field: FieldOwner, From: "bob", To: "alice-gh"}}},
		{"should not take the same login on another tracker for the same owner",
			snap(nil, &model.Owner{Account: gh("bob"), Via: "assignee"}), snap(nil, &model.Owner{Account: model.Account{Tracker: model.TrackerJira, Login: "bob"}, Via: "assignee"}),
			[]Change{{Field: FieldOwner, From: "bob", To: "bob"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := Diff(tt.base, tt.head, Options{})
			if len(r.Items) != 1 || !reflect.DeepEqual(r.Items[0].Changes, tt.want) {
				t.Fatalf("changes = %+v, want %+v", r.Items, tt.want)
			}
		})
	}
}
