package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/connector/file"
	"github.com/pomlint/pomlint/internal/fake"
	"github.com/pomlint/pomlint/internal/model"
)

func TestSnapshot(t *testing.T) {
	root := repoRoot(t)
	t.Run("should write a snapshot the file source reads back and that lints the same", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "snap.json")
		r := runPomlint(t, root, nil, nil, "snapshot", "--config", "configs/demo.yaml", "--output", out)
		if r.code != 0 {
			t.Fatalf("exit = %d\n%s", r.code, r.err)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		validate(t, filepath.Join(root, "configs", "schema", "snapshot.schema.json"), string(data))
		snap, err := file.Read(out)
		if err != nil {
			t.Fatalf("file.Read: %v", err)
		}
		if snap.SchemaVersion != 2 || !snap.GeneratedAt.Equal(testNow) || snap.Tool.Version != "0.1.0-test" || len(snap.Sources) != 2 {
			t.Errorf("snapshot header = %d %v %+v %d sources", snap.SchemaVersion, snap.GeneratedAt, snap.Tool, len(snap.Sources))
		}
		if len(snap.Items) != 76 || len(snap.Findings) != 23 || snap.Roster == nil || len(snap.Roster.People) != 6 {
			t.Errorf("snapshot has %d items, %d findings, roster %v", len(snap.Items), len(snap.Findings), snap.Roster != nil)
		}
		for _, it := range snap.Items {
			if it.Level == "" {
				t.Errorf("item %s has no level in the snapshot", it.Key)
			}
		}

		// Re-lint the snapshot through a file source: the same findings.
		cfg, err := os.ReadFile(filepath.Join(root, "configs", "demo.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		c := strings.ReplaceAll(string(cfg), "path: demo/backlog.json", "path: "+out)
		c = strings.ReplaceAll(c, "paths: [rules]", "paths: ["+filepath.Join(root, "configs", "rules")+"]")
		cfgPath := filepath.Join(dir, "relint.yaml")
		if err := os.WriteFile(cfgPath, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		again := runPomlint(t, root, nil, nil, "lint", "--config", cfgPath, "--format", "json")
		if again.code != 1 {
			t.Fatalf("re-lint exit = %d\n%s", again.code, again.err)
		}
		var rep struct{ Findings []model.Finding }
		if err := json.Unmarshal([]byte(again.out), &rep); err != nil {
			t.Fatal(err)
		}
		if got, want := fingerprints(rep.Findings), fingerprints(snap.Findings); !reflect.DeepEqual(got, want) {
			t.Errorf("re-linted findings differ:\n got %v\nwant %v", got, want)
		}
	})
	t.Run("should write the same bytes twice", func(t *testing.T) {
		a := runPomlint(t, root, nil, nil, "snapshot", "--config", "configs/demo.yaml", "--output", "-")
		b := runPomlint(t, root, nil, nil, "snapshot", "--config", "configs/demo.yaml", "--output", "-")
		if a.code != 0 || a.out != b.out || !strings.HasPrefix(a.out, "{\n  \"schema_version\": 2,") {
			t.Errorf("exit %d, identical %v, starts %q", a.code, a.out == b.out, a.out[:min(40, len(a.out))])
		}
	})
	t.Run("should exit 3 and still write the snapshot marked incomplete", func(t *testing.T) {
		gh := fake.NewGitHub(fake.GitHubData{Repos: []fake.GitHubRepo{{Owner: "acme", Name: "payments"}}},
			fake.WithGitHubTB(t), fake.WithGitHubFaults(fake.GitHubFaults{ServerErrors: 1000}))
		dir := t.TempDir()
		cfg := `sources:
  - name: demo
    kind: file
    file: {path: ` + filepath.Join(root, "configs", "demo", "backlog.json") + `}
  - name: gh
    kind: github
    github: {base_url: "` + gh.RESTURL() + `", repos: [acme/payments]}
classification:
  strategic: {types: [Epic]}
  tactical: {types: [Story, Task, Bug]}
ownership:
  from: [assignee]
roster:
  people: []
`
		cfgPath := filepath.Join(dir, "pomlint.yaml")
		if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "snap.json")
		r := runPomlint(t, dir, map[string]string{"GITHUB_TOKEN": fake.GitHubToken}, nil, "snapshot", "--config", cfgPath, "--output", out, "--retries", "0", "--no-cache")
		if r.code != 3 {
			t.Fatalf("exit = %d, want 3\n%s", r.code, r.err)
		}
		snap, err := file.Read(out)
		if err != nil {
			t.Fatalf("the incomplete snapshot was not written: %v", err)
		}
		var gs model.SourceStatus
		for _, s := range snap.Sources {
			if s.Name == "gh" {
				gs = s
			}
		}
		if gs.Complete || gs.Error == "" || len(snap.Items) == 0 {
			t.Errorf("gh source = %+v, %d items", gs, len(snap.Items))
		}
		if strings.Contains(r.err+gs.Error, fake.GitHubToken) {
			t.Error("the token leaked into the output")
		}
	})
	t.Run("should require --output", func(t *testing.T) {
		if r := runPomlint(t, root, nil, nil, "snapshot", "--config", "configs/demo.yaml"); r.code != 2 || !strings.Contains(r.err, "--output is required") {
			t.Errorf("exit %d: %s", r.code, r.err)
		}
	})
}

func fingerprints(fs []model.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Fingerprint + " " + f.Rule + " " + f.Item + " " + f.Severity.String()
	}
	sort.Strings(out)
	return out
}
