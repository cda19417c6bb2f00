package rules

import (
	"fmt"

	"github.com/pomlint/pomlint/internal/model"
)

type ownerOutsideTeam struct{}

func (ownerOutsideTeam) Doc() model.RuleDoc {
	return model.RuleDoc{
		ID:       IDOwnerOutsideTeam,
		Name:     "owner-outside-team",
		Title:    "Owner has the right role but belongs to another team",
		Category: model.CategoryOwnership,
		Severity: model.SeverityWarning,
		Summary:  "The item's team is known and its owner holds the right role, but is not that team's product owner (tactical) or product manager (strategic).",
		Why: "Each team has one product owner ordering its backlog and one product manager shaping its roadmap. " +
			"An item owned by another team's PO is ordered against the wrong backlog; an epic owned by another " +
			"team's PM competes for the wrong roadmap. The role is right, the accountability is not.",
		Fix: "Hand the item to its team's PO or PM, or move it to the team that owns it (repo, Jira project or " +
			"component, or team label).",
		Example: "CHK-5 [Story] in project CHK (team checkout) owned by bob, payments' product owner → " +
			"OWN007: owner bob is a product owner, but the product owner of team checkout is carol; suggested owner: carol",
		Since: "0.1.0",
	}
}

func (r ownerOutsideTeam) Check(c *Context, it *model.Item, emit func(model.Finding)) error {
	j := judge(c, it)
	if !j.Breaks(IDOwnerOutsideTeam) {
		return nil
	}
	p, want := j.Person, j.Want
	what := "product owner"
	if it.Level == model.LevelStrategic {
		what = "product manager"
	}
	f := NewFinding(r.Doc(), it, fmt.Sprintf("owner %s is a %s, but the %s of team %s is %s", p.ID, what, what, it.Team, want))
	f.SuggestedOwner = want
	emit(f)
	return nil
}
