package rules

import (
	"github.com/pomlint/pomlint/internal/model"
)

type missingOwner struct{}

func (missingOwner) Doc() model.RuleDoc {
	return model.RuleDoc{
		ID:       IDMissingOwner,
		Name:     "missing-owner",
		Title:    "Item without an owner",
		Category: model.CategoryOwnership,
		Severity: model.SeverityError,
		Summary:  "None of the configured ownership sources (owner fields, owner labels, project fields, assignee, reporter) yields anyone for the item.",
		Why: "An item nobody owns is an item nobody orders, refines or closes. On the roadmap it is a bet without " +
			"a sponsor; in the backlog it is work that will be picked up by whoever happens to look. Either way the " +
			"PO/PM split cannot hold if there is no one to hold it.",
		Fix: "Set the owner in the first ownership source your config lists (for example the Product Owner field " +
			"or the assignee). pomlint suggests the team's product owner or product manager when the team is known.",
		Example: "acme/checkout#88 [Bug] \"Card form loses focus\" with no assignee → " +
			"OWN003: no owner: none of field:Product Owner, assignee yielded anyone; suggested owner: carol",
		Since: "0.1.0",
	}
}

func (r missingOwner) Check(c *Context, it *model.Item, emit func(model.Finding)) error {
	if !judge(c, it).Breaks(IDMissingOwner) {
		return nil
	}
	f := NewFinding(r.Doc(), it, "no owner: no ownership source yielded anyone")
	suggestOwner(c, it, &f)
	emit(f)
	return nil
}
