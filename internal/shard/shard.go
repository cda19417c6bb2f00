// Package shard splits one pomlint run over N CI jobs and puts the parts
// back together.
//
// Partition: the work is the selected sources in config order, each split
// into units where its connector can (GitHub repositories, Jira projects; see
// connector.Partitioner) and whole otherwise. Units are cut into N
// contiguous runs of about equal expected weight (Assign). Every shard plans
// from the same data, so the plans agree; each shard records the plan it
// made and the units it read, so a merge can prove that every unit was read
// even when shards planned from data that changed between their starts.
//
// Merge: a shard's JSON report (or snapshot) carries every item it read.
// The merge re-runs classification and the rules over the union of the
// items, so a parent read by another shard resolves as in an unsharded run,
// and the findings, summary and every report are the unsharded ones.
package shard

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/pomlint/pomlint/internal/model"
)

// Spec is --shard K/N.
type Spec struct {
	Index, Count int
}

// ParseSpec reads "K/N" with 1 ≤ K ≤ N.
func ParseSpec(s string) (Spec, error) {
	k, n, ok := strings.Cut(strings.TrimSpace(s), "/")
	ki, err1 := strconv.Atoi(strings.TrimSpace(k))
	ni, err2 := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil || ni < 1 || ki < 1 || ki > ni {
		return Spec{}, fmt.Errorf("%q is not K/N with 1 ≤ K ≤ N (e.g. 2/7)", s)
	}
	return Spec{Index: ki, Count: ni}, nil
}

func (s Spec) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// pageSize is the items one request reads on both trackers.
const pageSize = 100

// weight is a unit's expected cost in requests, rounded up to a power of
// two so that the counts drifting a little between two shards' starts (an
// issue opened in between) rarely changes a weight, and so the plan.
func weight(size int) int {
	pages := max(1, (size+pageSize-1)/pageSize)
	return 1 << bits.Len(uint(pages-1))
}

// Assign sets Shard (1..n) on every unit: units keep their order and are cut
// into n contiguous runs of about equal weight, a unit going to the shard
// its weight's midpoint falls in. A unit of unknown size weighs the mean of
// the known ones (1 when none is known). With fewer units than shards some
// shards get none.
func Assign(units []model.ShardUnit, n int) {
	known, sum := 0, 0
	for _, u := range units {
		if u.Size >= 0 {
			known++
			sum += weight(u.Size)
		}
	}
	unknown := 1
	if known > 0 {
		unknown = max(1, (sum+known/2)/known)
	}
	ws := make([]int, len(units))
	total := 0
	for i, u := range units {
		ws[i] = unknown
		if u.Size >= 0 {
			ws[i] = weight(u.Size)
		}
		total += ws[i]
	}
	cum := 0
	for i := range units {
		// midpoint × n / total, in integers: (2·cum + w) × n / (2·total)
		k := (2*cum + ws[i]) * n / (2 * total)
		units[i].Shard = min(k, n-1) + 1
		cum += ws[i]
	}
}
