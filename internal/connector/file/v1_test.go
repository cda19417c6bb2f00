package file

import (
	"reflect"
	"testing"
)

func TestDecodeReadsBothSchemaVersions(t *testing.T) {
	const items = `"sources": [{"name": "s", "kind": "file", "complete": true}],
	 "items": [{"key": "PAY-1", "source": "s", "tracker": "jira", "title": "a"},
	           {"key": "acme/x#1", "source": "s", "tracker": "github", "title": "b"},
	           {"key": "grp/app#3", "source": "s", "tracker": "gitlab", "title": "c"}],`
	tests := []struct {
		name    string
		version string
		events  string
		want    []string // field from→to per event
	}{
		{name: "should split a v1 Jira label list change into one event per label", version: "1",
			events: `[{"item": "PAY-1", "at": "2026-07-01T00:00:00Z", "field": "label", "from": "roadmap epic", "to": "epic story team/pay"}]`,
			want:   []string{"label roadmap→", "label →story", "label →team/pay"}},
		{name: "should keep v1 GitHub label events, already one label each", version: "1",
			events: `[{"item": "acme/x#1", "at": "2026-07-01T00:00:00Z", "field": "label", "from": "needs triage"}]`,
			want:   []string{"label needs triage→"}},
		{name: "should read v2 label events as they are, on any tracker", version: "2",
			events: `[{"item": "PAY-1", "at": "2026-07-01T00:00:00Z", "field": "label", "to": "story"},
			          {"item": "grp/app#3", "at": "2026-07-01T00:00:00Z", "field": "label", "from": "a b"}]`,
			want: []string{"label →story", "label a b→"}},
		{name: "should leave other v1 events alone", version: "1",
			events: `[{"item": "PAY-1", "at": "2026-07-01T00:00:00Z", "field": "type", "from": "Epic", "to": "Story"}]`,
			want:   []string{"type Epic→Story"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := `{"schema_version": ` + tc.version + `, "tool": {"name": "pomlint", "version": "t"},` + items + `"events": ` + tc.events + `}`
			snap, err := Decode("s.json", []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range snap.Events {
				got = append(got, e.Field+" "+e.From+"→"+e.To)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("events = %q, want %q", got, tc.want)
			}
		})
	}
}
