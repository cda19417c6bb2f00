package config_test

import (
	"github.com/pomlint/pomlint/internal/config"
	"strings"
	"testing"
)

func TestLoadEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	t.Run("should trim the spaces around each item of a list variable", func(t *testing.T) {
		cfg, err := config.Load(write(t, validYAML), testKinds, env(map[string]string{"POMLINT_CLASSIFICATION_TACTICAL_TYPES": "Story, Bug"}))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if got := strings.Join(cfg.Classification.Tactical.Types, "|"); got != "Story|Bug" {
			t.Errorf("tactical types = %q, want Story|Bug", got)
		}
	})
	t.Run("should read the variables through getenv only", func(t *testing.T) {
		t.Setenv("POMLINT_OWNERSHIP_FROM", "reporter")
		cfg, err := config.Load(write(t, validYAML), testKinds, env(map[string]string{"POMLINT_RULES_DISABLE": "OWN007"}))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if got := strings.Join(cfg.Ownership.From, "|"); got != "field:Product Owner|assignee" {
			t.Errorf("ownership.from = %q, want the file's (the process environment is not getenv)", got)
		}
		if got := strings.Join(cfg.Rules.Disable, "|"); got != "OWN007" {
			t.Errorf("rules.disable = %q, want OWN007 from getenv", got)
		}
	})
	t.Run("should read no variable with a nil getenv", func(t *testing.T) {
		t.Setenv("POMLINT_RULES_SEVERITY", "OWN006=fatal")
		if _, err := config.Load(write(t, validYAML), testKinds, nil); err != nil {
			t.Fatalf("Load: %v", err)
		}
	})
	t.Run("should name the variable of an unknown rule found after Load", func(t *testing.T) {
		cfg, err := config.Load(write(t, validYAML), testKinds, env(map[string]string{"POMLINT_RULES_DISABLE": "OWN099"}))
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		probs := cfg.CheckRuleIDs(func(id string) bool { return id == "OWN001" || id == "OWN006" }, []string{"OWN001", "OWN006"})
		if len(probs) != 1 || !strings.Contains(probs[0].String(), `POMLINT_RULES_DISABLE → rules.disable[0]: unknown rule "OWN099"`) ||
			!strings.Contains(probs[0].String(), `(from POMLINT_RULES_DISABLE="OWN099")`) || probs[0].File != "" {
			t.Fatalf("problems = %v", probs)
		}
	})
}
