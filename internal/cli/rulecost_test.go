package cli

import (
	"strings"
	"testing"
)

func TestConfigValidateRunawayRule(t *testing.T) {
	t.Run("should refuse a rule over the CEL cost limit with exit 2, naming it", func(t *testing.T) {
		dir := t.TempDir()
		digits := "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"
		cond := "item.labels.size() >= 0"
		for _, v := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
			cond = digits + ".all(" + v + ", " + cond + ")"
		}
		write(t, dir, "slow.yaml", "rules:\n  - id: SLOW001\n    condition: '"+cond+"'\n    message: m\n")
		write(t, dir, "pomlint.yaml", liveConfig+"rules:\n  paths: [slow.yaml]\n")
		r := runCLI(t, dir, nil, "config", "validate")
		if r.code != 2 {
			t.Fatalf("exit %d, want 2\n%s", r.code, r.err)
		}
		if out := r.out + r.err; !strings.Contains(out, "rule SLOW001") || !strings.Contains(out, "too costly") {
			t.Fatalf("output does not name the rule and the cost:\n%s\n%s", r.out, r.err)
		}
	})
}
