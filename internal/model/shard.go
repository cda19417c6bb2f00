package model

// Shard says which part of a sharded run (pomlint lint --shard K/N) a report
// or snapshot holds, and carries what `pomlint merge` needs to put the parts
// back together exactly.
type Shard struct {
	// Index is K and Count is N of --shard K/N (1 ≤ K ≤ N).
	Index int `json:"index"`
	Count int `json:"count"`
	// Config fingerprints the configuration and rules the shard ran with;
	// merge refuses parts whose fingerprints differ.
	Config string `json:"config"`
	// Sources are the sources the run selected, in config order.
	Sources []string `json:"sources"`
	// Since is the --since the run was given ("" for none).
	Since string `json:"since,omitempty"`
	// Units are the units this shard read.
	Units []ShardUnit `json:"units"`
	// Plan is every unit of every selected source with the shard it was
	// assigned to, as this shard planned it.
	Plan []ShardUnit `json:"plan"`
	// Imports are the roster memberships this shard imported, by source.
	Imports []ShardImport `json:"imports,omitempty"`
	// Audit is set by a sharded audit (audit --shard K/N): its window, and
	// the history of the items it read, by source; NoHistory names the
	// snapshot sources that had no events.
	Audit     *ShardAudit    `json:"audit,omitempty"`
	History   []ShardHistory `json:"history,omitempty"`
	NoHistory []string       `json:"no_history,omitempty"`
}

// ShardAudit is the window of a sharded audit, as given on the command line.
type ShardAudit struct {
	From            string `json:"from"`
	To              string `json:"to"`
	ComparePrevious bool   `json:"compare_previous,omitempty"`
}

// ShardHistory is the history one shard read for one source's items.
type ShardHistory struct {
	Source string  `json:"source"`
	Events []Event `json:"events"`
}

// ShardUnit is one part of a source: a repository, a Jira project, or the
// whole source (Unit "").
type ShardUnit struct {
	Source string `json:"source"`
	Unit   string `json:"unit,omitempty"`
	// Size is the expected number of items, -1 when unknown.
	Size  int `json:"size"`
	Shard int `json:"shard"`
}

// ShardImport is the roster memberships one source's import gave.
type ShardImport struct {
	Source      string       `json:"source"`
	Memberships []Membership `json:"memberships"`
}
