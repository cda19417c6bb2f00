package rules

import (
	"fmt"

	"github.com/pomlint/pomlint/internal/model"
)

type tacticalOwnedByNonPO struct{}

func (tacticalOwnedByNonPO) Doc() model.RuleDoc {
	return model.RuleDoc{
		ID:       IDTacticalOwnedByNonPO,
		Name:     "tactical-owned-by-non-po",
		Title:    "Tactical item owned by someone who is not a product owner",
		Category: model.CategoryOwnership,
		Severity: model.SeverityError,
		Summary:  "A tactical item (story, task, bug, spike, sub-task) is owned by a roster person who does not hold the product-owner role.",
		Why: "The product owner owns the backlog: writes the items, orders them and answers the team's questions " +
			"day to day. A story owned by a product manager waits for someone who is thinking a quarter ahead; " +
			"a story owned by someone without a product role has nobody ordering it against the rest.",
		Fix: "Make the team's product owner the owner (pomlint suggests them when the team is known). If the owner " +
			"really does order this backlog, add the product-owner role to them in the roster; a person may hold both roles.",
		Example: "PAY-31 [Story] \"Retry failed payouts\" with Product Owner = alice (product-manager) → " +
			"OWN002: tactical item owned by alice (product-manager, via field:Product Owner), not a product owner; suggested owner: bob",
		Since: "0.1.0",
	}
}

func (r tacticalOwnedByNonPO) Check(c *Context, it *model.Item, emit func(model.Finding)) error {
	j := judge(c, it)
	if !j.Breaks(IDTacticalOwnedByNonPO) {
		return nil
	}
	p := j.Person
	f := NewFinding(r.Doc(), it, fmt.Sprintf("tactical item owned by %s (%s%s), not a product owner", p.ID, rolesOf(p), via(it)))
	suggestOwner(c, it, &f)
	emit(f)
	return nil
}
