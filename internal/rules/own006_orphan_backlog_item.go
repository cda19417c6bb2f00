package rules

import (
	"github.com/pomlint/pomlint/internal/model"
)

type orphanBacklogItem struct{}

func (orphanBacklogItem) Doc() model.RuleDoc {
	return model.RuleDoc{
		ID:       IDOrphanBacklogItem,
		Name:     "orphan-backlog-item",
		Title:    "Backlog item with no strategic ancestor",
		Category: model.CategoryStructure,
		Severity: model.SeverityWarning,
		Summary:  "A tactical item has no parent chain leading to a strategic item (epic, theme, initiative).",
		Why: "The product owner orders the backlog so that it serves the roadmap the product manager owns. A story " +
			"that hangs under no epic has no line back to a bet anybody made; it is either a missing link or work " +
			"that nobody on the product side decided to do.",
		Fix: "Set the item's parent (a GitHub sub-issue of an epic, a Jira parent or Epic Link). If the work " +
			"genuinely stands alone, lower this rule's severity (rules.severity: {OWN006: note}) or add an exception.",
		Example: "PAY-77 [Story] \"Export CSV\" with no parent → OWN006: tactical item has no strategic ancestor",
		Since:   "0.1.0",
	}
}

// maxDepth bounds the parent walk so that a cycle in tracker data cannot hang
// the run.
const maxDepth = 32

func (r orphanBacklogItem) Check(c *Context, it *model.Item, emit func(model.Finding)) error {
	if it.Level != model.LevelTactical {
		return nil
	}
	cur := it
	for depth := 0; depth < maxDepth; depth++ {
		if cur.Parent == "" {
			emit(NewFinding(r.Doc(), it, orphanMessage(it, cur)))
			return nil
		}
		if cur.Parent == it.Key || (depth > 0 && cur.Parent == cur.Key) {
			emit(NewFinding(r.Doc(), it, "tactical item's parent chain loops back to itself ("+it.Key+" → … → "+cur.Key+" → "+cur.Parent+") and reaches no strategic item"))
			return nil
		}
		p := parent(c, cur)
		if p == nil {
			// The parent exists but was not read (another project, a closed
			// epic outside the query): it cannot be judged, so it is
			// given the benefit of the doubt rather than a false finding.
			return nil
		}
		if p.Level == model.LevelStrategic {
			return nil
		}
		cur = p
	}
	return nil
}

func orphanMessage(it, top *model.Item) string {
	if it == top {
		return "tactical item has no parent and so no strategic ancestor"
	}
	return "tactical item has no strategic ancestor (its chain ends at " + top.Key + ", which is not strategic)"
}
