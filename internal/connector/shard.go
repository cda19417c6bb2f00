package connector

import (
	"context"

	"github.com/pomlint/pomlint/internal/model"
)

// Unit is one independently readable part of a source: a GitHub repository,
// a Jira project. Size is the number of items expected in it when the
// tracker says (GitHub's open_issues_count, Jira's approximate count), -1
// when unknown.
type Unit struct {
	Name string
	Size int
}

// Partitioner is implemented by connectors that can split their source into
// units, so that sharded runs (pomlint lint --shard K/N) read disjoint parts
// of one source on different CI jobs. A connector that does not implement it
// is one unit, read whole by one shard.
type Partitioner interface {
	// Units lists the parts of the source, in a stable order; nil means
	// the source cannot be split (it is read whole by one shard).
	Units(ctx context.Context, opts FetchOptions) ([]Unit, error)
	// FetchUnits reads the items of the given units (as Units listed
	// them) only. Reading every unit of Units gives the items Fetch gives.
	FetchUnits(ctx context.Context, opts FetchOptions, units []Unit) ([]model.Item, error)
}
