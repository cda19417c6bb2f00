package rules

import (
	"fmt"

	"github.com/pomlint/pomlint/internal/model"
)

type expiredException struct{}

func (expiredException) Doc() model.RuleDoc {
	return model.RuleDoc{
		ID:       IDExpiredException,
		Name:     "expired-exception",
		Title:    "An exception for this item has expired",
		Category: model.CategoryHygiene,
		Severity: model.SeverityWarning,
		Summary:  "A configured exception for the item has passed its expiry date; it no longer suppresses its finding, which is reported beside this one.",
		Why: "Exceptions record a deliberate, temporary departure from the PO/PM split — an interim owner while a " +
			"role is open, a migration in progress. Once the date passes, the reason has usually gone too; an " +
			"exception nobody revisits turns a decision into a habit.",
		Fix: "Fix the underlying finding and delete the exception, or, if the reason still holds, extend " +
			"`expires` and update `reason` so the next reader knows why.",
		Example: "exceptions: [{rule: OWN001, item: PAY-42, reason: \"interim owner\", expires: 2026-01-31}] on 2026-02-01 → " +
			"OWN008: exception for OWN001 expired on 2026-01-31 (interim owner); the OWN001 finding is reported again",
		Since: "0.1.0",
	}
}

func (r expiredException) Check(c *Context, it *model.Item, emit func(model.Finding)) error {
	for i := range c.Exceptions {
		e := &c.Exceptions[i]
		if e.Item != it.Key || (e.Source != "" && e.Source != it.Source) || !e.Expired(c.Now) {
			continue
		}
		f := NewFinding(r.Doc(), it, fmt.Sprintf("exception for %s expired on %s (%s); it no longer suppresses %s", e.Rule, e.Expires.Format("2006-01-02"), e.Reason, e.Rule))
		// Several exceptions (for different rules) may expire on one item;
		// the excepted rule keeps their fingerprints distinct and stable.
		f.Fingerprint = model.Fingerprint(f.Rule+"/"+e.Rule, it.Source, it.Key)
		emit(f)
	}
	return nil
}
