package rules

import (
	"fmt"

	"github.com/pomlint/pomlint/internal/model"
)

type unclassifiedItem struct{}

func (unclassifiedItem) Doc() model.RuleDoc {
	return model.RuleDoc{
		ID:       IDUnclassifiedItem,
		Name:     "unclassified-item",
		Title:    "Item is neither strategic nor tactical",
		Category: model.CategoryClassification,
		Severity: model.SeverityWarning,
		Summary:  "No issue type, hierarchy level, label or project field puts the item on the roadmap or in the backlog.",
		Why: "Whether an item needs a product manager or a product owner depends on what it is. An item that is " +
			"neither is invisible to the ownership rules: it can be owned by anyone and pomlint cannot say whether " +
			"that is right.",
		Fix: "Give the item an issue type your classification lists (Epic, Story, Task, …) or one of its labels, " +
			"or add the type or label you use to classification.strategic or classification.tactical.",
		Example: "acme/checkout#7 with no type and labels [question] → " +
			"OWN005: not classified: type \"\" and labels [question] match neither strategic nor tactical",
		Since: "0.1.0",
	}
}

func (r unclassifiedItem) Check(c *Context, it *model.Item, emit func(model.Finding)) error {
	if !judge(c, it).Breaks(IDUnclassifiedItem) {
		return nil
	}
	emit(NewFinding(r.Doc(), it, fmt.Sprintf("not classified: type %q and labels %v match neither strategic nor tactical", it.Type, labelsOrNone(it.Labels))))
	return nil
}

func labelsOrNone(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
