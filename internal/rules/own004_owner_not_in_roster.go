package rules

import (
	"fmt"

	"github.com/pomlint/pomlint/internal/model"
)

type ownerNotInRoster struct{}

func (ownerNotInRoster) Doc() model.RuleDoc {
	return model.RuleDoc{
		ID:       IDOwnerNotInRoster,
		Name:     "owner-not-in-roster",
		Title:    "Owner is not in the roster, or is inactive",
		Category: model.CategoryOwnership,
		Severity: model.SeverityWarning,
		Summary:  "The item's owner matches no roster person by GitHub login, Jira account or email, or the tracker reports the owner's account as inactive.",
		Why: "pomlint can only tell a product owner from a product manager through the roster. An owner it " +
			"cannot place is usually an engineer holding an item by accident, someone who left, or a roster that " +
			"has fallen behind the org chart. An inactive account owns nothing in practice.",
		Fix: "Hand the item to the team's product owner or product manager, or add the person to the roster with " +
			"their role and tracker accounts (or import roles from a GitHub team or Jira group).",
		Example: "acme/payments#40 [Task] assigned to dev-dana, who is not in the roster → " +
			"OWN004: owner dev-dana (github, via assignee) matches no roster person; suggested owner: bob",
		Since: "0.1.0",
	}
}

func (r ownerNotInRoster) Check(c *Context, it *model.Item, emit func(model.Finding)) error {
	j := judge(c, it)
	if !j.Breaks(IDOwnerNotInRoster) {
		return nil // the common case: a known, active owner
	}
	a := it.Owner.Account
	// Jira accounts are opaque ids: the display name says who it is.
	where := fmt.Sprintf("%s, via %s", a.Tracker, it.Owner.Via)
	if a.Name != "" && a.Name != a.String() {
		where = a.Name + ", " + where
	}
	var msg string
	switch {
	case j.Person == nil && a.Inactive:
		msg = fmt.Sprintf("owner %s (%s) is inactive on %s and matches no roster person", a.String(), where, a.Tracker)
	case j.Person == nil:
		msg = fmt.Sprintf("owner %s (%s) matches no roster person", a.String(), where)
	default:
		msg = fmt.Sprintf("owner %s (roster %s, %s) is inactive on %s", a.String(), it.Owner.PersonID, where, a.Tracker)
	}
	f := NewFinding(r.Doc(), it, msg)
	suggestOwner(c, it, &f)
	emit(f)
	return nil
}
