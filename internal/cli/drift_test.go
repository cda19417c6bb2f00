package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/pomlint/pomlint/internal/drift"
	"github.com/pomlint/pomlint/internal/golden"
)

// driftSnapshots writes (under -update) or checks the base and head
// snapshots of the drift goldens: the demo (testdata/drift-demo.yaml) and the
// demo with item edits and OWN006 back to warning (testdata/drift-head.yaml).
func driftSnapshots(t *testing.T) (base, head string) {
	t.Helper()
	base, head = filepath.Join("testdata", "drift", "base.json"), filepath.Join("testdata", "drift", "head.json")
	if golden.Update() {
		for cfg, out := range map[string]string{"testdata/drift-demo.yaml": base, "testdata/drift-head.yaml": head} {
			if r := runPomlint(t, ".", nil, nil, "snapshot", "--config", cfg, "--output", out); r.code != 0 {
				t.Fatalf("snapshot %s: exit %d\n%s", cfg, r.code, r.err)
			}
		}
	}
	return base, head
}

func TestDriftSnapshots(t *testing.T) {
	base, head := driftSnapshots(t)
	for _, tt := range []struct {
		format, golden string
	}{
		{"text", "drift.txt"},
		{"json", "drift.json"},
		{"markdown", "drift.md"},
	} {
		t.Run("should render the drift between two snapshots as "+tt.format, func(t *testing.T) {
			r := runPomlint(t, ".", nil, nil, "drift", "--base", base, "--head", head, "--format", tt.format)
			if r.code != 1 {
				t.Fatalf("exit = %d, want 1 (a new error)\n%s", r.code, r.err)
			}
			goldenDrift(t, tt.golden, r.out)
		})
	}
	t.Run("should count every kind of change", func(t *testing.T) {
		r := runPomlint(t, ".", nil, nil, "drift", "--base", base, "--head", head, "--format", "json")
		var rep drift.Report
		if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
			t.Fatal(err)
		}
		s := rep.Summary
		got := []int{s.ItemsAdded, s.ItemsRemoved, s.OwnerChanged, s.LevelChanged, s.TeamChanged, s.NewFindings, s.NewBySeverity["error"], s.Resolved, s.Reseveritied}
		want := []int{1, 1, 1, 1, 1, 3, 1, 4, 2}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("summary = %+v, want added/removed/owner/level/team/new/new errors/resolved/reseveritied %v", s, want)
			}
		}
	})
	t.Run("should fail only on new findings at or above --fail-on", func(t *testing.T) {
		for failOn, want := range map[string]int{"error": 1, "warning": 1, "note": 1, "never": 0} {
			if r := runPomlint(t, ".", nil, nil, "drift", "--base", base, "--head", head, "--fail-on", failOn); r.code != want {
				t.Errorf("--fail-on %s: exit %d, want %d", failOn, r.code, want)
			}
		}
		// The base has 10 errors, but none is new against itself.
		if r := runPomlint(t, ".", nil, nil, "drift", "--base", base, "--head", base, "--fail-on", "note"); r.code != 0 || !strings.Contains(r.out, "No ownership drift.") {
			t.Errorf("base against itself: exit %d\n%s", r.code, r.out)
		}
	})
	t.Run("should narrow to --item keys and name those not in the data", func(t *testing.T) {
		r := runPomlint(t, ".", nil, nil, "drift", "--base", base, "--head", head, "--item", "PAY-90", "--item", "ACME/payments#12,NOPE-1", "--format", "json", "--fail-on", "never")
		var rep drift.Report
		if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, r.err)
		}
		if len(rep.Items) != 2 || rep.Items[0].Key != "acme/payments#12" || rep.Items[1].Key != "PAY-90" || len(rep.NotFound) != 1 || rep.NotFound[0] != "NOPE-1" {
			t.Errorf("items %+v, not found %v", rep.Items, rep.NotFound)
		}
	})
	t.Run("should write the report to --output", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "d.md")
		r := runPomlint(t, ".", nil, nil, "drift", "--base", base, "--head", head, "--format", "markdown", "--output", out)
		b, err := os.ReadFile(out)
		if r.code != 1 || err != nil || !strings.HasPrefix(string(b), "## ❌ pomlint drift: 3 new findings") || r.out != "" {
			t.Errorf("exit %d, %v, %q", r.code, err, string(b)[:min(60, len(b))])
		}
	})
	t.Run("should exit 3 when a snapshot is marked incomplete", func(t *testing.T) {
		data, err := os.ReadFile(head)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "partial.json")
		partial := strings.Replace(string(data), `"complete": true,
      "error": ""`, `"complete": false,
      "error": "fetch: 502 Bad Gateway"`, 1)
		if err := os.WriteFile(p, []byte(partial), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runPomlint(t, ".", nil, nil, "drift", "--base", base, "--head", p, "--fail-on", "never", "--format", "markdown")
		if r.code != 3 || !strings.Contains(r.out, "INCOMPLETE") || !strings.Contains(r.out, "502 Bad Gateway") {
			t.Errorf("exit %d\n%s", r.code, r.out)
		}
	})
	t.Run("should compare a snapshot against live data", func(t *testing.T) {
		r := runPomlint(t, ".", nil, nil, "drift", "--config", "testdata/drift-head.yaml", "--base", base, "--format", "json")
		var rep drift.Report
		if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, r.err)
		}
		if r.code != 1 || rep.Head.Label != "live" || rep.Summary.NewFindings != 3 || rep.Summary.Resolved != 4 {
			t.Errorf("exit %d, head %q, summary %+v", r.code, rep.Head.Label, rep.Summary)
		}
	})
	t.Run("should compare only the sources fetched with --source against a full base", func(t *testing.T) {
		r := runPomlint(t, ".", nil, nil, "drift", "--config", "testdata/drift-head.yaml", "--base", base, "--source", "acme-jira", "--format", "json", "--fail-on", "never")
		var rep drift.Report
		if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, r.err)
		}
		// PAY-78 really went; acme-github's items were not fetched, not removed.
		if r.code != 0 || rep.Summary.ItemsRemoved != 1 || rep.Summary.ItemsAdded != 1 || rep.Summary.LevelChanged != 1 || rep.Summary.OwnerChanged != 0 {
			t.Errorf("exit %d, summary %+v, want only acme-jira's changes", r.code, rep.Summary)
		}
		for _, d := range rep.Items {
			if d.Source != "acme-jira" {
				t.Errorf("item %s of %s in a drift of acme-jira", d.Key, d.Source)
			}
		}
		for _, f := range rep.Findings {
			if f.Source != "acme-jira" {
				t.Errorf("finding %s on %s of %s in a drift of acme-jira", f.Rule, f.Item, f.Source)
			}
		}
	})
	for _, tt := range []struct {
		name string
		args []string
		says string
	}{
		{"should refuse --since: items not fetched are not removed", []string{"drift", "--config", "testdata/drift-head.yaml", "--base", "testdata/drift/base.json", "--since", "72h"}, "--since cannot be used when comparing with a snapshot"},
		{"should refuse a drift without a base", []string{"drift", "--head", "x.json"}, "give --base SNAPSHOT"},
		{"should refuse half a policy preview", []string{"drift", "--base-config", "a.yaml"}, "needs both --base-config and --head-config"},
		{"should refuse mixing snapshots and configs", []string{"drift", "--base", "a.json", "--base-config", "a.yaml", "--head-config", "b.yaml"}, "give one pair"},
		{"should refuse an unknown format", []string{"drift", "--base", "a.json", "--format", "sarif"}, "--format \"sarif\""},
		{"should name a missing snapshot", []string{"drift", "--base", "missing.json", "--head", "missing.json"}, "read snapshot missing.json"},
		{"should refuse a malformed PR reference", []string{"drift", "--base", "a.json", "--linked-from-pr", "acme#x"}, "want owner/repo#NUMBER"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runPomlint(t, ".", nil, nil, tt.args...)
			if r.code != 2 || !strings.Contains(r.err, tt.says) {
				t.Errorf("exit %d, stderr %q, want 2 and %q", r.code, r.err, tt.says)
			}
		})
	}
}

func TestDriftPolicyPreview(t *testing.T) {
	t.Run("should show what a roster edit does to the demo", func(t *testing.T) {
		r := runPomlint(t, ".", nil, nil, "drift", "--base-config", "testdata/drift-demo.yaml", "--head-config", "testdata/drift-roster-edit.yaml", "--format", "json")
		if r.code != 0 {
			t.Fatalf("exit = %d, want 0 (the edit adds warnings only)\n%s", r.code, r.err)
		}
		var rep drift.Report
		if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
			t.Fatal(err)
		}
		s := rep.Summary
		// Carol and Frank gain a role: 22 items' owners change role; 5
		// findings resolve (OWN001 CHK-13, OWN002 acme/platform#46,
		// CHK-12, PLAT-6, OWN007 PLAT-8) and 8 OWN007 warnings appear
		// (Frank now platform's PM; Carol and Frank outside their teams).
		if s.OwnerRoleChanged != 22 || s.Resolved != 5 || s.NewFindings != 8 || s.NewBySeverity["warning"] != 8 || s.OwnerChanged != 0 || s.ItemsAdded != 0 {
			t.Errorf("summary = %+v", s)
		}
		md := runPomlint(t, ".", nil, nil, "drift", "--base-config", "testdata/drift-demo.yaml", "--head-config", "testdata/drift-roster-edit.yaml", "--format", "markdown")
		goldenDrift(t, "policy.md", md.out)
	})
	t.Run("should run both configs over one snapshot with --data", func(t *testing.T) {
		base, _ := driftSnapshots(t)
		r := runPomlint(t, ".", nil, nil, "drift", "--base-config", "testdata/drift-demo.yaml", "--head-config", "testdata/drift-roster-edit.yaml", "--data", base, "--format", "json")
		var rep drift.Report
		if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, r.err)
		}
		if s := rep.Summary; r.code != 0 || s.OwnerRoleChanged != 22 || s.Resolved != 5 || s.NewFindings != 8 || !strings.HasSuffix(rep.Head.Label, "on "+base) {
			t.Errorf("exit %d, summary %+v, head %q", r.code, s, rep.Head.Label)
		}
	})
	t.Run("should show nothing for the same config twice", func(t *testing.T) {
		r := runPomlint(t, ".", nil, nil, "drift", "--base-config", "testdata/drift-demo.yaml", "--head-config", "testdata/drift-demo.yaml")
		if r.code != 0 || !strings.Contains(r.out, "No ownership drift.") {
			t.Errorf("exit %d\n%s", r.code, r.out)
		}
	})
}

func TestDriftExampleWorkflow(t *testing.T) {
	t.Run("should run one drift job per pull request at a time", func(t *testing.T) {
		raw, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", "drift-example.yml"))
		if err != nil {
			t.Fatal(err)
		}
		var wf struct {
			Jobs map[string]struct {
				Concurrency struct {
					Group            string `yaml:"group"`
					CancelInProgress bool   `yaml:"cancel-in-progress"`
				} `yaml:"concurrency"`
			} `yaml:"jobs"`
		}
		if err := yaml.Unmarshal(raw, &wf); err != nil {
			t.Fatal(err)
		}
		c := wf.Jobs["drift"].Concurrency
		if !strings.Contains(c.Group, "github.event.pull_request.number") {
			t.Errorf("drift job concurrency group = %q: two pushes to one pull request may both create a comment", c.Group)
		}
	})
}
