package rules

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/model"
)

// RunawayCondition nests ten comprehensions over ten numbers: 10^10 steps
// per item, hours without a cost limit.
func runawayCondition() string {
	digits := "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"
	cond := "item.labels.size() >= 0"
	for _, v := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		cond = digits + ".all(" + v + ", " + cond + ")"
	}
	return cond
}

func TestCostLimit(t *testing.T) {
	t.Run("should refuse at load a rule over the cost limit, naming it", func(t *testing.T) {
		p := writeRules(t, "rules:\n  - id: SLOW001\n    condition: '"+runawayCondition()+"'\n    message: m\n")
		_, err := LoadCustomAs([]string{p}, noneReserved, nil)
		var les LoadErrors
		if !errors.As(err, &les) || len(les) != 1 || les[0].Rule != "SLOW001" {
			t.Fatalf("err = %v, want one load error for SLOW001", err)
		}
		if !strings.Contains(err.Error(), "too costly") {
			t.Fatalf("err = %v, want it to say the rule is too costly", err)
		}
	})
	t.Run("should stop a rule when the run's context ends", func(t *testing.T) {
		p := writeRules(t, "rules:\n  - id: LONG001\n    condition: item.labels.all(l, l != \"\")\n    message: m\n")
		rs, err := LoadCustomAs([]string{p}, noneReserved, nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		labels := make([]string, 1000)
		for i := range labels {
			labels[i] = "l"
		}
		c := &Context{Roster: model.NewRoster(nil, nil), Parent: func(*model.Item) *model.Item { return nil }, Ctx: ctx}
		err = rs[0].Check(c, &model.Item{Key: "PAY-1", Labels: labels}, func(model.Finding) {})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("should run an ordinary rule well under the limit", func(t *testing.T) {
		p := writeRules(t, "rules:\n  - id: OK001\n    condition: item.labels.exists(l, l.startsWith(\"team/\")) && item.level == \"tactical\"\n    message: m\n")
		if _, err := LoadCustomAs([]string{p}, noneReserved, nil); err != nil {
			t.Fatal(err)
		}
	})
}
