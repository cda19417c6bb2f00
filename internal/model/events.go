package model

import (
	"slices"
	"strings"
	"time"
)

// LabelEvents are the "label" events of a change of item's labels from
// before to after at at: one per label removed (From), then one per label
// added (To), compared case-insensitively. A tracker that records whole
// label lists (Jira's changelog) reports its changes through this.
func LabelEvents(item string, at time.Time, before, after []string) []Event {
	has := func(list []string, l string) bool {
		return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, l) })
	}
	var out []Event
	for _, l := range before {
		if !has(after, l) {
			out = append(out, Event{Item: item, At: at, Field: "label", From: l})
		}
	}
	for _, l := range after {
		if !has(before, l) {
			out = append(out, Event{Item: item, At: at, Field: "label", To: l})
		}
	}
	return out
}
