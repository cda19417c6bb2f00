package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pomlint/pomlint/internal/golden"
)

// repoRoot is the module root, where configs/ lives.
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// testNow is a fixed clock: the demo's expired exception (2026-06-30) has
// expired and its live one (2029-12-31) has not.
var testNow = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

type runResult struct {
	out, err string
	code     int
}

// runCLI runs pomlint in dir with args, fake streams, environment and clock
// (no test ever sleeps on a Retry-After).
func runCLI(t testing.TB, dir string, env map[string]string, args ...string) runResult {
	t.Helper()
	return runPomlint(t, dir, env, nil, args...)
}

func goldenLint(t *testing.T, name, got string) {
	t.Helper()
	golden.AssertString(t, filepath.Join("testdata", "lint", name), got)
}

func TestLintDemo(t *testing.T) {
	root := repoRoot(t)
	t.Run("should print every rule's findings as text and exit 1", func(t *testing.T) {
		r := runCLI(t, root, nil, "lint", "--config", "configs/demo.yaml", "--no-color")
		if r.code != 1 {
			t.Fatalf("exit = %d, want 1\n%s", r.code, r.err)
		}
		for _, id := range []string{"OWN001", "OWN002", "OWN003", "OWN004", "OWN005", "OWN006", "OWN007", "OWN008", "ACME001"} {
			if !strings.Contains(r.out, " "+id+" ") {
				t.Errorf("demo output has no %s finding", id)
			}
		}
		goldenLint(t, "demo.txt", r.out)
	})
	t.Run("should write JSON that validates against the shipped schema", func(t *testing.T) {
		r := runCLI(t, root, nil, "lint", "--config", "configs/demo.yaml", "--format", "json")
		if r.code != 1 {
			t.Fatalf("exit = %d\n%s", r.code, r.err)
		}
		goldenLint(t, "demo.json", r.out)
		validate(t, filepath.Join(root, "configs", "schema", "report.schema.json"), r.out)
		r2 := runCLI(t, root, nil, "lint", "--config", "configs/demo.yaml", "--format", "json")
		if r2.out != r.out {
			t.Error("two runs over the same input gave different bytes")
		}
	})
	t.Run("should validate the demo snapshot against the snapshot schema", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(root, "configs", "demo", "backlog.json"))
		if err != nil {
			t.Fatal(err)
		}
		validate(t, filepath.Join(root, "configs", "schema", "snapshot.schema.json"), string(data))
	})
	t.Run("should write several formats in one run", func(t *testing.T) {
		dir := t.TempDir()
		r := runCLI(t, root, nil, "lint", "-c", "configs/demo.yaml", "--format", "json="+filepath.Join(dir, "r.json"), "--format", "text", "--no-color")
		if r.code != 1 || !strings.Contains(r.out, "23 findings") {
			t.Fatalf("exit %d, out %q", r.code, r.out)
		}
		if b, err := os.ReadFile(filepath.Join(dir, "r.json")); err != nil || !bytes.Contains(b, []byte(`"schema_version": 1`)) {
			t.Fatalf("json report: %v %s", err, b)
		}
	})
	t.Run("should lint only the sources asked for", func(t *testing.T) {
		r := runCLI(t, root, nil, "lint", "-c", "configs/demo.yaml", "--source", "acme-jira", "--format", "json")
		var rep struct {
			Sources []struct{ Name string }
		}
		if err := json.Unmarshal([]byte(r.out), &rep); err != nil || len(rep.Sources) != 1 || rep.Sources[0].Name != "acme-jira" {
			t.Fatalf("sources = %+v (%v)", rep.Sources, err)
		}
	})
	t.Run("should exit 0 with --fail-on never", func(t *testing.T) {
		if r := runCLI(t, root, nil, "lint", "-c", "configs/demo.yaml", "--fail-on", "never"); r.code != 0 {
			t.Fatalf("exit = %d", r.code)
		}
	})
	t.Run("should take --fail-on from POMLINT_FAIL_ON", func(t *testing.T) {
		if r := runCLI(t, root, map[string]string{"POMLINT_FAIL_ON": "never"}, "lint", "-c", "configs/demo.yaml"); r.code != 0 {
			t.Fatalf("exit = %d", r.code)
		}
	})
	t.Run("should log why each item got its level at debug level", func(t *testing.T) {
		r := runCLI(t, root, nil, "lint", "-c", "configs/demo.yaml", "--log-level", "debug", "--log-format", "json", "--source", "acme-jira")
		if !strings.Contains(r.err, `"why_level":"hierarchy level -1 is below epic"`) && !strings.Contains(r.err, `"why_level":"type \"Sub-task\" is tactical"`) {
			t.Errorf("debug log lacks the classification reason:\n%s", r.err[:min(len(r.err), 2000)])
		}
		if !strings.Contains(r.err, `"owner":"5b10ac8d82e05b22cc7d4ef5 from field:Product Owner = roster bob"`) {
			t.Errorf("debug log lacks the ownership reason")
		}
	})
}

func validate(t *testing.T, schemaPath, doc string) {
	t.Helper()
	c := jsonschema.NewCompiler()
	// The schemas refer to each other by their $id; serve them from the repo.
	for _, name := range []string{"report.schema.json", "snapshot.schema.json"} {
		f, err := os.Open(filepath.Join(filepath.Dir(schemaPath), name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		if err := c.AddResource("https://github.com/pomlint/pomlint/configs/schema/"+name, doc); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile("https://github.com/pomlint/pomlint/configs/schema/" + filepath.Base(schemaPath))
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("parse document: %v", err)
	}
	if err := sch.Validate(v); err != nil {
		t.Fatalf("document does not validate against %s: %v", filepath.Base(schemaPath), err)
	}
}

// writeTree writes files under a temp dir, with the demo snapshot copied in
// as snap.json, and returns the dir.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	snap, err := os.ReadFile(filepath.Join(repoRoot(t), "configs", "demo", "backlog.json"))
	if err != nil {
		t.Fatal(err)
	}
	files["snap.json"] = firstNonEmpty(files["snap.json"], string(snap))
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

const miniConfig = `sources:
  - name: demo
    kind: file
    file: {path: snap.json}
classification:
  strategic: {types: [Epic]}
  tactical: {types: [Story]}
roster:
  people:
    - {id: bob, roles: [product-owner], accounts: {github: bob-o}}
`

func TestLintBadInput(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		args  []string
		want  string
	}{
		{"should exit 2 on a bad config naming file and line",
			map[string]string{"p.yaml": strings.Replace(miniConfig, "kind: file", "kind: fiel", 1)},
			nil, "p.yaml:3: sources[0].kind: unknown kind \"fiel\""},
		{"should exit 2 on a snapshot that is not valid JSON",
			map[string]string{"p.yaml": miniConfig, "snap.json": `{"schema_version": 1, "items": [`},
			nil, "truncated JSON"},
		{"should exit 2 on a snapshot of another schema version",
			map[string]string{"p.yaml": miniConfig, "snap.json": `{"schema_version": 3, "items": []}`},
			nil, "schema_version 3, this pomlint reads 1 and 2"},
		{"should exit 2 on a rule file with a CEL syntax error",
			map[string]string{"p.yaml": miniConfig + "rules:\n  paths: [r.yaml]\n", "r.yaml": "rules:\n  - id: X001\n    condition: item.level ==\n    message: m\n"},
			nil, "r.yaml:2: rule X001: condition does not compile"},
		{"should exit 2 on an exception for an unknown rule",
			map[string]string{"p.yaml": miniConfig + "exceptions:\n  - {rule: OWN099, item: PAY-1, reason: r}\n"},
			nil, "exceptions[0].rule: unknown rule \"OWN099\""},
		{"should exit 2 on an unknown source name",
			map[string]string{"p.yaml": miniConfig},
			[]string{"--source", "nope"}, "--source nope: no such source in the config (sources: demo)"},
		{"should exit 2 on an unknown format",
			map[string]string{"p.yaml": miniConfig},
			[]string{"--format", "yaml"}, "unknown format \"yaml\""},
		{"should exit 2 on a bad --fail-on",
			map[string]string{"p.yaml": miniConfig},
			[]string{"--fail-on", "fatal"}, "--fail-on \"fatal\""},
		{"should exit 2 on a missing config file",
			map[string]string{},
			nil, "no config file"},
		{"should exit 2 on an unknown flag",
			map[string]string{"p.yaml": miniConfig},
			[]string{"--frmat", "json"}, "unknown flag: --frmat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, tc.files)
			args := []string{"lint"}
			if _, ok := tc.files["p.yaml"]; ok {
				args = append(args, "--config", "p.yaml")
			}
			r := runCLI(t, dir, nil, append(args, tc.args...)...)
			if r.code != 2 {
				t.Fatalf("exit = %d, want 2\nstdout: %s\nstderr: %s", r.code, r.out, r.err)
			}
			if !strings.Contains(r.err, tc.want) {
				t.Fatalf("stderr %q\n does not contain %q", r.err, tc.want)
			}
			if strings.Contains(r.err, "panic") || r.out != "" {
				t.Fatalf("a bad input must give one message and no report; stdout %q", r.out)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	t.Run("should say ok for the demo", func(t *testing.T) {
		r := runCLI(t, repoRoot(t), nil, "config", "validate", "--config", "configs/demo.yaml")
		if r.code != 0 || !strings.HasPrefix(r.out, "ok: configs/demo.yaml: 2 sources, 6 people, 3 teams, 9 active rules (1 user rule), 3 exceptions") {
			t.Fatalf("exit %d, out %q, err %q", r.code, r.out, r.err)
		}
	})
	t.Run("should list every problem at once", func(t *testing.T) {
		bad := strings.Replace(miniConfig, "roles: [product-owner]", "roles: [owner]", 1) +
			"exceptions:\n  - {rule: OWN001, item: X-1, reason: r, expires: someday}\n"
		dir := writeTree(t, map[string]string{"p.yaml": bad})
		r := runCLI(t, dir, nil, "config", "validate", "-c", "p.yaml")
		if r.code != 2 {
			t.Fatalf("exit = %d", r.code)
		}
		for _, w := range []string{"unknown role \"owner\"", "\"someday\" is not a date", "\n2 problems\n"} {
			if !strings.Contains(r.out, w) {
				t.Errorf("output %q lacks %q", r.out, w)
			}
		}
	})
	t.Run("should count one problem in the singular", func(t *testing.T) {
		bad := strings.Replace(miniConfig, "roles: [product-owner]", "roles: [owner]", 1)
		dir := writeTree(t, map[string]string{"p.yaml": bad})
		r := runCLI(t, dir, nil, "config", "validate", "-c", "p.yaml")
		if r.code != 2 || !strings.HasSuffix(r.out, "\n1 problem\n") {
			t.Fatalf("exit %d, out %q", r.code, r.out)
		}
	})
}

func TestRulesCommands(t *testing.T) {
	root := repoRoot(t)
	t.Run("should list the built-in rules", func(t *testing.T) {
		r := runCLI(t, t.TempDir(), nil, "rules", "list")
		if r.code != 0 || !strings.Contains(r.out, "OWN001  strategic-owned-by-non-pm") || strings.Contains(r.out, "ACME001") {
			t.Fatalf("exit %d out %q", r.code, r.out)
		}
	})
	t.Run("should list user rules and overrides with a config", func(t *testing.T) {
		r := runCLI(t, root, nil, "rules", "list", "-c", "configs/demo.yaml")
		if !strings.Contains(r.out, "ACME001") || !strings.Contains(r.out, "note (default warning)") {
			t.Fatalf("out %q", r.out)
		}
	})
	t.Run("should explain a rule from its own documentation", func(t *testing.T) {
		r := runCLI(t, t.TempDir(), nil, "rules", "explain", "own006")
		for _, w := range []string{"OWN006 orphan-backlog-item", "When it fires", "Why", "How to fix", "Example"} {
			if !strings.Contains(r.out, w) {
				t.Errorf("explain lacks %q:\n%s", w, r.out)
			}
		}
	})
	t.Run("should reject an unknown rule", func(t *testing.T) {
		r := runCLI(t, t.TempDir(), nil, "rules", "explain", "OWN999")
		if r.code != 2 || !strings.Contains(r.err, "unknown rule \"OWN999\"") {
			t.Fatalf("exit %d err %q", r.code, r.err)
		}
	})
}

func TestInitWritesAValidStarter(t *testing.T) {
	dir := t.TempDir()
	if r := runCLI(t, dir, nil, "init"); r.code != 0 {
		t.Fatalf("init: exit %d %s", r.code, r.err)
	}
	if r := runCLI(t, dir, nil, "init"); r.code != 2 || !strings.Contains(r.err, "already exists") {
		t.Fatalf("second init: exit %d %s", r.code, r.err)
	}
	r := runCLI(t, dir, nil, "config", "validate")
	if r.code != 0 {
		t.Fatalf("the starter config does not validate: %s", r.out)
	}
}

func TestVersionAndHelp(t *testing.T) {
	if r := runCLI(t, t.TempDir(), nil, "version"); r.code != 0 || !strings.HasPrefix(r.out, "pomlint 0.1.0-test") {
		t.Fatalf("version: %q", r.out)
	}
	for _, cmd := range [][]string{{"lint"}, {"rules", "list"}, {"rules", "explain"}, {"config", "validate"}, {"init"}, {"version"}, {"baseline", "create"}} {
		r := runCLI(t, t.TempDir(), nil, append(cmd, "--help")...)
		if r.code != 0 || !strings.Contains(r.out, "Examples:") {
			t.Errorf("%v --help: exit %d, no example:\n%s", cmd, r.code, r.out)
		}
	}
}

func TestIncompleteSnapshotNeverPasses(t *testing.T) {
	snap, err := os.ReadFile(filepath.Join(repoRoot(t), "configs", "demo", "backlog.json"))
	if err != nil {
		t.Fatal(err)
	}
	partial := strings.Replace(string(snap), `"name": "acme-jira",
      "kind": "jira",
      "items": 39,
      "complete": true,
      "error": ""`, `"name": "acme-jira",
      "kind": "jira",
      "items": 39,
      "complete": false,
      "error": "fetch: rate limit exhausted"`, 1)
	if partial == string(snap) {
		t.Fatal("test setup: the demo snapshot's source entry changed shape")
	}
	dir := writeTree(t, map[string]string{"snap.json": partial, "p.yaml": miniConfig})
	for _, args := range [][]string{
		{"lint", "-c", "p.yaml", "--fail-on", "never", "--no-color"},
		{"baseline", "create", "-c", "p.yaml", "-o", "b.json"},
	} {
		r := runCLI(t, dir, nil, args...)
		if r.code != 3 {
			t.Fatalf("%v: exit %d, want 3\n%s%s", args, r.code, r.out, r.err)
		}
		if args[0] == "lint" && !strings.Contains(r.out, "INCOMPLETE") {
			t.Fatalf("the report does not say the run is incomplete:\n%s", r.out)
		}
	}
}

func TestWarnsAboutUnknownVariables(t *testing.T) {
	var out, errb syncBuffer
	a := &App{
		IO:      IOStreams{Out: &out, ErrOut: &errb},
		Now:     func() time.Time { return testNow },
		Getenv:  func(string) string { return "" },
		Environ: func() []string { return []string{"POMLINT_OWNERSHIP_FROMM=x", "POMLINT_FAIL_ON=never", "PATH=/bin"} },
		WorkDir: repoRoot(t),
	}
	a.Run(context.Background(), []string{"rules", "list"})
	log := errb.String()
	if !strings.Contains(log, "POMLINT_OWNERSHIP_FROMM") || !strings.Contains(log, "POMLINT_OWNERSHIP_FROM ") && !strings.Contains(log, "did_you_mean=POMLINT_OWNERSHIP_FROM") {
		t.Fatalf("no warning naming the misspelt variable and the right one:\n%s", log)
	}
	if strings.Contains(log, "POMLINT_FAIL_ON") {
		t.Fatalf("a known variable was warned about:\n%s", log)
	}
}
