package rules

import (
	"fmt"

	"github.com/pomlint/pomlint/internal/model"
)

type strategicOwnedByNonPM struct{}

func (strategicOwnedByNonPM) Doc() model.RuleDoc {
	return model.RuleDoc{
		ID:       IDStrategicOwnedByNonPM,
		Name:     "strategic-owned-by-non-pm",
		Title:    "Strategic item owned by someone who is not a product manager",
		Category: model.CategoryOwnership,
		Severity: model.SeverityError,
		Summary:  "A strategic item (initiative, theme, epic) is owned by a roster person who does not hold the product-manager role.",
		Why: "Roadmap items carry the long-term bets: why this, why now, for which market. That is the product " +
			"manager's accountability. When an epic is owned by a product owner or an engineer, the roadmap " +
			"quietly becomes a list of large backlog items, and nobody answers for the outcome it was meant to reach.",
		Fix: "Make the team's product manager the owner (pomlint suggests them when the team is known), or, if the " +
			"item is really a piece of delivery work, change its type so it is classified as tactical. If the owner " +
			"does act as product manager, add the product-manager role to them in the roster.",
		Example: "acme/payments#12 [Epic] \"Instant payouts\" assigned to bob (product-owner) → " +
			"OWN001: strategic item owned by bob (product-owner, via assignee), not a product manager; suggested owner: alice",
		Since: "0.1.0",
	}
}

func (r strategicOwnedByNonPM) Check(c *Context, it *model.Item, emit func(model.Finding)) error {
	j := judge(c, it)
	if !j.Breaks(IDStrategicOwnedByNonPM) {
		return nil
	}
	p := j.Person
	f := NewFinding(r.Doc(), it, fmt.Sprintf("strategic item owned by %s (%s%s), not a product manager", p.ID, rolesOf(p), via(it)))
	suggestOwner(c, it, &f)
	emit(f)
	return nil
}
