package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/rules"
)

var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func roster() *model.Roster {
	return model.NewRoster([]model.Person{
		{ID: "alice", Roles: []model.Role{model.RoleProductManager}},
		{ID: "bob", Roles: []model.Role{model.RoleProductOwner}},
	}, []model.Team{{Name: "payments", ProductOwner: "bob", ProductManager: "alice"}})
}

func owner(id string) *model.Owner {
	return &model.Owner{Account: model.Account{Tracker: model.TrackerJira, Login: id}, PersonID: id, Via: "assignee"}
}

// items: an epic owned by a PO (OWN001), a story owned by a PM under it
// (OWN002), a closed story with no owner (ignored), an orphan story (OWN006).
func items() []model.Item {
	return []model.Item{
		{Key: "PAY-10", Source: "j", Tracker: model.TrackerJira, Level: model.LevelStrategic, Owner: owner("bob"), Team: "payments"},
		{Key: "PAY-2", Source: "j", Tracker: model.TrackerJira, Level: model.LevelTactical, Owner: owner("alice"), Team: "payments", Parent: "PAY-10"},
		{Key: "PAY-3", Source: "j", Tracker: model.TrackerJira, Level: model.LevelTactical, Closed: true},
		{Key: "PAY-4", Source: "j", Tracker: model.TrackerJira, Level: model.LevelTactical, Owner: owner("bob"), Team: "payments"},
	}
}

func keys(fs []model.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Rule + " " + f.Item + " " + f.Severity.String()
		if f.Suppressed != "" {
			out[i] += " [" + f.Suppressed + "]"
		}
	}
	return out
}

func day(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }

func TestRun(t *testing.T) {
	base := func() Options { return Options{Rules: rules.Builtin(), Roster: roster(), Now: now} }
	for _, tc := range []struct {
		name       string
		opts       func() Options
		want       []string
		wantUnused int
	}{
		{"should report findings sorted by source, natural key, rule and skip closed items", base,
			[]string{"OWN002 PAY-2 error", "OWN006 PAY-4 warning", "OWN001 PAY-10 error"}, 0},
		{"should suppress a finding with a live exception", func() Options {
			o := base()
			o.Exceptions = []rules.Exception{{Rule: "OWN001", Item: "PAY-10", Reason: "interim", Expires: day("2027-01-31")}}
			return o
		}, []string{"OWN002 PAY-2 error", "OWN006 PAY-4 warning"}, 0},
		{"should keep the finding and add OWN008 for an expired exception", func() Options {
			o := base()
			o.Exceptions = []rules.Exception{{Rule: "OWN001", Item: "PAY-10", Reason: "interim", Expires: day("2026-01-31")}}
			return o
		}, []string{"OWN002 PAY-2 error", "OWN006 PAY-4 warning", "OWN001 PAY-10 error", "OWN008 PAY-10 warning"}, 0},
		{"should report an exception that matches nothing as unused", func() Options {
			o := base()
			o.Exceptions = []rules.Exception{{Rule: "OWN003", Item: "PAY-10", Reason: "old"}}
			return o
		}, []string{"OWN002 PAY-2 error", "OWN006 PAY-4 warning", "OWN001 PAY-10 error"}, 1},
		{"should apply severity overrides", func() Options {
			o := base()
			o.Severity = map[string]model.Severity{"OWN006": model.SeverityNote, "OWN001": model.SeverityWarning}
			return o
		}, []string{"OWN002 PAY-2 error", "OWN006 PAY-4 note", "OWN001 PAY-10 warning"}, 0},
		{"should mark baselined findings and keep them out of the count", func() Options {
			o := base()
			o.Baseline = &Baseline{SchemaVersion: 1, Entries: []model.BaselineEntry{{Fingerprint: model.Fingerprint("OWN001", "j", "PAY-10"), Rule: "OWN001", Source: "j", Item: "PAY-10"}}}
			return o
		}, []string{"OWN002 PAY-2 error", "OWN006 PAY-4 warning", "OWN001 PAY-10 error [baseline]"}, 0},
		{"should lint closed items when the source asks", func() Options {
			o := base()
			o.LintClosed = func(string) bool { return true }
			return o
		}, []string{"OWN002 PAY-2 error", "OWN003 PAY-3 error", "OWN006 PAY-3 warning", "OWN006 PAY-4 warning", "OWN001 PAY-10 error"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Run(context.Background(), items(), tc.opts())
			if err != nil {
				t.Fatal(err)
			}
			if got := keys(out.Findings); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("findings\n got %q\nwant %q", got, tc.want)
			}
			if len(out.UnusedExceptions) != tc.wantUnused {
				t.Fatalf("unused exceptions = %+v, want %d", out.UnusedExceptions, tc.wantUnused)
			}
		})
	}
}

func TestBaselineLifecycle(t *testing.T) {
	opts := Options{Rules: rules.Builtin(), Roster: roster(), Now: now}
	first, err := Run(context.Background(), items(), opts)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "baseline.json")
	var b strings.Builder
	if err := NewBaseline(model.Tool{Name: "pomlint", Version: "test"}, first.Findings).Write(&b); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, b.String())
	bl, err := LoadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	// Fix PAY-2 (now owned by bob) and break PAY-4's ownership (a new finding).
	its := items()
	its[1].Owner = owner("bob")
	its[3].Owner = nil
	opts.Baseline = bl
	out, err := Run(context.Background(), its, opts)
	if err != nil {
		t.Fatal(err)
	}
	res := &model.Result{Sources: []model.SourceStatus{{Name: "j", Complete: true}}, Findings: out.Findings}
	t.Run("should fail on the new finding only", func(t *testing.T) {
		var counted []string
		for _, f := range res.Counted() {
			counted = append(counted, f.Rule+" "+f.Item)
		}
		if !reflect.DeepEqual(counted, []string{"OWN003 PAY-4"}) {
			t.Fatalf("counted = %v", counted)
		}
		if res.ExitCode(model.SeverityError) != model.ExitFindings {
			t.Fatal("a new error finding must fail the run")
		}
	})
	t.Run("should report the fixed finding as removable", func(t *testing.T) {
		if len(out.StaleBaseline) != 1 || out.StaleBaseline[0].Item != "PAY-2" {
			t.Fatalf("stale = %+v", out.StaleBaseline)
		}
	})
	t.Run("should pass when only baselined findings remain", func(t *testing.T) {
		out, err := Run(context.Background(), items(), opts)
		if err != nil {
			t.Fatal(err)
		}
		r := &model.Result{Sources: []model.SourceStatus{{Name: "j", Complete: true}}, Findings: out.Findings}
		if code := r.ExitCode(model.SeverityNote); code != model.ExitOK {
			t.Fatalf("exit = %d, want 0", code)
		}
	})
	t.Run("should reject a baseline of another schema", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "b.json")
		writeFile(t, p, `{"schema_version": 9, "findings": []}`)
		if _, err := LoadBaseline(p); err == nil || !strings.Contains(err.Error(), "schema_version 9") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestRunHonoursCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, items(), Options{Rules: rules.Builtin(), Roster: roster(), Now: now})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestRunIsDeterministic(t *testing.T) {
	its := synthetic(2000)
	opts := benchOptions(t)
	a, err := Run(context.Background(), its, opts)
	if err != nil {
		t.Fatal(err)
	}
	// The same items in reverse order give the same findings.
	rev := make([]model.Item, len(its))
	for i := range its {
		rev[len(its)-1-i] = its[i]
	}
	b, err := Run(context.Background(), rev, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Findings, b.Findings) {
		t.Fatal("findings depend on item order")
	}
	if len(a.Findings) == 0 {
		t.Fatal("synthetic data produced no findings")
	}
}

func TestRunStopsOnFailingUserRule(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "r.yaml"), `rules:
  - id: X001
    condition: 'item.labels[0] == "x"'
    message: m
`)
	custom, err := rules.LoadCustomAs([]string{dir}, func(string) bool { return false }, nil)
	if err != nil {
		t.Fatal(err)
	}
	its := items()
	its[0].Labels = []string{"x"} // PAY-10 evaluates; PAY-2 has no labels: index out of range
	_, err = Run(context.Background(), its, Options{Rules: custom, Roster: roster(), Now: now})
	if err == nil || !strings.Contains(err.Error(), "rule X001") || !strings.Contains(err.Error(), "on item PAY-2") {
		t.Fatalf("err = %v, want the rule and item named", err)
	}
}

// synthetic builds n items across two sources, shaped like a real backlog:
// one epic per ten items with stories and sub-tasks under it, most of them
// owned by the right person, and one item in ten wrong in some way (owned by
// the wrong role, by nobody, by someone outside the roster, unclassified or
// orphaned) so that every rule has work to do.
func synthetic(n int) []model.Item {
	its := make([]model.Item, 0, n)
	stranger := &model.Owner{Account: model.Account{Tracker: model.TrackerGitHub, Login: "dev"}, Via: "assignee"}
	for i := 0; i < n; i++ {
		src := "gh"
		if (i/10)%2 == 1 {
			src = "jira"
		}
		it := model.Item{Key: fmt.Sprintf("K-%d", i), Source: src, Tracker: model.TrackerGitHub, Title: "item", Team: "payments", Labels: []string{"l"}}
		epic := i - i%10
		switch i % 10 {
		case 0:
			it.Level, it.Owner, it.Milestone = model.LevelStrategic, owner("alice"), "2027 Q1"
		case 1, 2, 3, 4, 5:
			it.Level, it.Owner, it.Parent = model.LevelTactical, owner("bob"), fmt.Sprintf("K-%d", epic)
		default:
			it.Level, it.Owner, it.Parent = model.LevelTactical, owner("bob"), fmt.Sprintf("K-%d", epic+1)
		}
		switch (i / 10) % 10 {
		case 3: // one item of this group goes wrong
			switch i % 10 {
			case 0:
				it.Owner, it.Milestone = owner("bob"), "" // OWN001, BENCH001
			case 2:
				it.Owner = owner("alice") // OWN002
			case 4:
				it.Owner = nil // OWN003
			case 6:
				it.Owner = stranger // OWN004
			case 8:
				it.Level = model.LevelUnknown // OWN005
			case 9:
				it.Parent = "" // OWN006
			}
		}
		its = append(its, it)
	}
	return its
}

func benchOptions(tb testing.TB) Options {
	custom, err := rules.LoadCustomAs([]string{"testdata/bench-rules.yaml"}, func(string) bool { return false }, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return Options{
		Rules:      append(rules.Builtin(), custom...),
		Roster:     roster(),
		Now:        now,
		Severity:   map[string]model.Severity{"OWN006": model.SeverityNote},
		Exceptions: []rules.Exception{{Rule: "OWN001", Item: "K-10", Reason: "r", Expires: day("2027-01-01")}},
	}
}

// BenchmarkEngine runs the built-in rules plus two CEL rules over 100k
// synthetic items on one core and reports ns and bytes per item.
//
//	go test -run '^$' -bench Engine -benchmem -cpu 1 ./internal/engine/
func BenchmarkEngine(b *testing.B) {
	const n = 100_000
	its := synthetic(n)
	opts := benchOptions(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), its, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	el := b.Elapsed()
	b.ReportMetric(float64(el.Nanoseconds())/float64(b.N)/n, "ns/item")
	var ms testingMem
	ms.read(b, func() {
		if _, err := Run(context.Background(), its, opts); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(float64(ms.bytes)/n, "B/item")
}

func TestUnusedExceptionsInAPartialRun(t *testing.T) {
	opts := Options{Rules: rules.Builtin(), Roster: roster(), Now: now, Exceptions: []rules.Exception{
		{Rule: "OWN001", Item: "CHK-9", Reason: "item of a source not read"},
		{Rule: "OWN003", Item: "PAY-10", Reason: "item read, finding gone"},
	}}
	for _, tc := range []struct {
		name    string
		partial bool
		want    []string
	}{
		{"should report both in a full run", false, []string{"CHK-9", "PAY-10"}},
		{"should report only exceptions of items read in a partial run", true, []string{"PAY-10"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts.Partial = tc.partial
			out, err := Run(context.Background(), items(), opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range out.UnusedExceptions {
				got = append(got, u.Item)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("unused = %v, want %v", got, tc.want)
			}
		})
	}
}
