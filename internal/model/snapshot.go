package model

import "time"

// SnapshotSchemaVersion is the version of the snapshot format this build
// writes. See configs/schema/snapshot.schema.json. Version 2 opened the
// tracker vocabulary (any tracker name, its accounts and TRACKER_SCOPE team
// matches) and records label changes as one label per event on every
// tracker.
const SnapshotSchemaVersion = 2

// OldestSnapshotSchemaVersion is the oldest snapshot version this build
// still reads (and upgrades as it reads).
const OldestSnapshotSchemaVersion = 1

// SourceStatus says how much of one source a run saw.
type SourceStatus struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Items    int    `json:"items"`
	Complete bool   `json:"complete"`
	Error    string `json:"error"`
}

// Tool names the program that wrote a report or snapshot.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Snapshot is everything one run saw: items (with their resolution), the
// roster, findings and each source's completeness. It is what
// `pomlint snapshot` writes and what the file source reads.
type Snapshot struct {
	SchemaVersion int            `json:"schema_version"`
	Tool          Tool           `json:"tool"`
	GeneratedAt   time.Time      `json:"generated_at,omitzero"`
	Sources       []SourceStatus `json:"sources"`
	Items         []Item         `json:"items"`
	Roster        *Roster        `json:"roster,omitempty"`
	Findings      []Finding      `json:"findings,omitempty"`
	// Events is item history (for audits of snapshot data and the demo);
	// live sources read history from the tracker instead.
	Events []Event `json:"events,omitempty"`
	// Shard is set when a sharded run (snapshot --shard K/N) wrote the
	// snapshot: it holds that part only.
	Shard *Shard `json:"shard,omitempty"`
}

// Event is one change in an item's history, as the audit needs it: an
// assignee, owner field, label, type, parent or state change. Field names the
// ownership source or attribute that changed ("assignee", "field:Product
// Owner", "project-field:Owner", "label", "type", "parent", "state" with
// open/closed); From and To are the account or text before and after. Every
// connector speaks this one vocabulary: a "label" event removes one label
// (From) or adds one (To), whatever the tracker records.
type Event struct {
	Item  string    `json:"item"`
	At    time.Time `json:"at"`
	Field string    `json:"field"`
	// For account changes.
	FromAccount *Account `json:"from_account,omitempty"`
	ToAccount   *Account `json:"to_account,omitempty"`
	// For text changes (labels, types, parents, text fields).
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}
