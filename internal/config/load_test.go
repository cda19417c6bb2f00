package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector/github"
)

const validYAML = `sources:
  - name: gh
    kind: github
    github:
      repos: [acme/payments]
  - name: snap
    kind: file
    file: {path: snap.json}
classification:
  strategic: {types: [Epic]}
  tactical: {types: [Story]}
ownership:
  from: ["field:Product Owner", assignee]
roster:
  people:
    - id: alice
      roles: [product-manager]
      accounts: {github: alice-c}
    - id: bob
      roles: [product-owner]
      accounts: {github: bob-o, email: bob@acme.example}
  teams:
    - name: payments
      product_owner: bob
      product_manager: alice
      match: {github_repos: [acme/payments]}
rules:
  severity: {OWN006: note}
exceptions:
  - {rule: OWN001, item: PAY-42, reason: interim, expires: 2027-01-31}
`

func write(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "snap.json"), []byte(`{"schema_version":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "pomlint.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadValid(t *testing.T) {
	p := write(t, validYAML)
	cfg, err := config.Load(p, testKinds, os.Getenv)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := github.Block(cfg.Sources[0]).TokenEnv; got != "GITHUB_TOKEN" {
		t.Errorf("default token_env = %q", got)
	}
	if got := github.Block(cfg.Sources[0]).State; got != "open" {
		t.Errorf("default state = %q", got)
	}
	if cfg.Exceptions[0].Expires != "2027-01-31" {
		t.Errorf("expires = %q, want the date as written", cfg.Exceptions[0].Expires)
	}
	if cfg.Rules.Severity["OWN006"] != "note" {
		t.Errorf("severity map lost its key case: %v", cfg.Rules.Severity)
	}
	if cfg.Lines["team:payments"] != 23 || cfg.Lines["source:gh"] != 2 {
		t.Errorf("entry lines = %v", cfg.Lines)
	}
}

func TestLoadEnvOverride(t *testing.T) {
	t.Setenv("POMLINT_OWNERSHIP_FROM", "reporter,assignee")
	t.Setenv("POMLINT_CLASSIFICATION_TACTICAL_TYPES", "Story,Bug")
	cfg, err := config.Load(write(t, validYAML), testKinds, os.Getenv)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got := strings.Join(cfg.Ownership.From, "|"); got != "reporter|assignee" {
		t.Errorf("ownership.from = %q, want the env value", got)
	}
	if got := strings.Join(cfg.Classification.Tactical.Types, "|"); got != "Story|Bug" {
		t.Errorf("tactical types = %q", got)
	}
}

func TestLoadBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want []string // substrings, each of which must appear in one problem
	}{
		{"should reject an unknown key with its line and a suggestion", strings.Replace(validYAML, "      repos:", "      repoz:", 1), []string{"pomlint.yaml:5: sources[0].github.repoz: unknown key \"repoz\" (did you mean \"repos\"?)"}},
		{"should reject a wrong type", strings.Replace(validYAML, "repos: [acme/payments]", "repos: acme/payments", 1), []string{":5: sources[0].github.repos: expected a list"}},
		{"should reject a non-number concurrency", strings.Replace(validYAML, "repos: [acme/payments]", "repos: [acme/payments]\n      concurrency: lots", 1), []string{"concurrency: expected a whole number"}},
		{"should reject duplicate source names", strings.Replace(validYAML, "name: snap", "name: gh", 1), []string{"duplicate source name \"gh\""}},
		{"should reject a team pointing at an unknown person", strings.Replace(validYAML, "product_owner: bob", "product_owner: bobb", 1), []string{"unknown person \"bobb\" (did you mean \"bob\"?)"}},
		{"should reject a PO without the role", strings.Replace(validYAML, "product_owner: bob", "product_owner: alice", 1), []string{"\"alice\" does not hold the product-owner role"}},
		{"should reject a malformed date", strings.Replace(validYAML, "expires: 2027-01-31", "expires: 31/01/2027", 1), []string{"exceptions[0].expires: \"31/01/2027\" is not a date (want YYYY-MM-DD)"}},
		{"should reject an unreadable snapshot path", strings.Replace(validYAML, "snap.json", "missing.json", 1), []string{"cannot read missing.json: no such file or directory"}},
		{"should reject an unknown role", strings.Replace(validYAML, "roles: [product-manager]", "roles: [product-manger]", 1), []string{"unknown role \"product-manger\""}},
		{"should reject an unknown ownership source", strings.Replace(validYAML, "assignee]", "asignee]", 1), []string{"ownership.from[1]: unknown ownership source \"asignee\""}},
		{"should reject a shared account", strings.Replace(validYAML, "github: alice-c", "github: bob-o", 1), []string{"github account \"bob-o\" also belongs to"}},
		{"should reject invalid YAML", "sources: [\n  - name: x", []string{"not valid YAML"}},
		{"should reject an empty file", "", []string{"the file is empty"}},
		{"should reject a missing kind block", strings.Replace(validYAML, "    github:\n      repos: [acme/payments]\n", "", 1), []string{"a github source needs a \"github\" block"}},
		{"should report every problem at once", strings.Replace(strings.Replace(validYAML, "product_owner: bob", "product_owner: nobody", 1), "expires: 2027-01-31", "expires: soon", 1), []string{"unknown person \"nobody\"", "\"soon\" is not a date"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, tc.body)
			_, err := config.Load(p, testKinds, os.Getenv)
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Load error = %v, want a *config.Error", err)
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q\n does not contain %q", msg, w)
				}
			}
			for _, pr := range ce.Problems {
				if pr.File != p {
					t.Errorf("problem %q does not name the file", pr)
				}
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := config.Load(filepath.Join(t.TempDir(), "nope.yaml"), testKinds, os.Getenv)
	if err == nil || !strings.Contains(err.Error(), "nope.yaml: config file does not exist") {
		t.Fatalf("err = %v", err)
	}
}

func TestCheckRuleIDs(t *testing.T) {
	cfg, err := config.Load(write(t, strings.Replace(validYAML, "rule: OWN001", "rule: OWN010", 1)), testKinds, os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{"OWN001": true, "OWN006": true}
	probs := cfg.CheckRuleIDs(func(id string) bool { return known[id] }, []string{"OWN001", "OWN006"})
	if len(probs) != 1 || !strings.Contains(probs[0].String(), "exceptions[0].rule: unknown rule \"OWN010\" (did you mean \"OWN001\"?)") {
		t.Fatalf("problems = %v", probs)
	}
}

func TestParseOwnershipSource(t *testing.T) {
	for _, tc := range []struct {
		in, kind, arg string
		ok            bool
	}{
		{"assignee", "assignee", "", true},
		{"reporter", "reporter", "", true},
		{"field:Product Owner", "field", "Product Owner", true},
		{"label:owner/", "label", "owner/", true},
		{"project-field:Owner", "project-field", "Owner", true},
		{"field:", "", "", false},
		{"assignee:x", "", "", false},
		{"owner", "", "", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			o, err := config.ParseOwnershipSource(tc.in)
			if (err == nil) != tc.ok || o.Kind != tc.kind || o.Arg != tc.arg {
				t.Fatalf("got %+v, %v", o, err)
			}
		})
	}
}

func TestLoadEnvProblemsComeWithTheFiles(t *testing.T) {
	t.Setenv("POMLINT_CLASSIFICATION_HIERARCHY", "maybe")
	t.Setenv("POMLINT_RULES_SEVERITY", "OWN006=fatal")
	for _, tc := range []struct {
		name string
		body string
		want []string
	}{
		{"should report a bad variable beside the file's structural problems", strings.Replace(validYAML, "      repos:", "      repoz:", 1),
			[]string{`POMLINT_CLASSIFICATION_HIERARCHY: "maybe" is not a valid value for classification.hierarchy: want true or false`, `unknown key "repoz"`, `POMLINT_RULES_SEVERITY: "OWN006=fatal"`}},
		{"should report a bad variable beside the file's semantic problems", strings.Replace(validYAML, "expires: 2027-01-31", "expires: soon", 1),
			[]string{`POMLINT_CLASSIFICATION_HIERARCHY: "maybe"`, `"soon" is not a date`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Load(write(t, tc.body), testKinds, os.Getenv)
			if err == nil {
				t.Fatal("want problems")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\n lacks %q", err, w)
				}
			}
		})
	}
}

func TestLoadSeverityFromEnv(t *testing.T) {
	t.Setenv("POMLINT_RULES_SEVERITY", "own006=error, OWN007=note")
	cfg, err := config.Load(write(t, validYAML), testKinds, os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Rules.Severity["OWN006"] != "error" || cfg.Rules.Severity["OWN007"] != "note" {
		t.Fatalf("severity = %v", cfg.Rules.Severity)
	}
}
