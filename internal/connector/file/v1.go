package file

import (
	"strings"

	"github.com/pomlint/pomlint/internal/model"
)

// upgradeV1 brings a schema_version 1 snapshot to the version 2 vocabulary.
// Version 1 stored a Jira label change as the connector read it from the
// changelog: the whole label lists before and after, space-separated (Jira
// labels have no spaces). Version 2 has one label per event on every
// tracker, so the audit replays history the same way whatever the tracker.
// This is a frozen record of what version 1 files hold; no new tracker
// needs an entry here.
func upgradeV1(snap *model.Snapshot) {
	listed := map[string]bool{} // item keys whose label events were lists
	for _, it := range snap.Items {
		if it.Tracker == model.TrackerJira {
			listed[it.Key] = true
		}
	}
	if len(listed) == 0 {
		return
	}
	out := make([]model.Event, 0, len(snap.Events))
	for _, e := range snap.Events {
		if e.Field != "label" || !listed[e.Item] {
			out = append(out, e)
			continue
		}
		out = append(out, model.LabelEvents(e.Item, e.At, strings.Fields(e.From), strings.Fields(e.To))...)
	}
	snap.Events = out
}
