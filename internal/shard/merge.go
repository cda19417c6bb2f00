package shard

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pomlint/pomlint/internal/model"
)

// Part is one shard's output (a JSON report or a snapshot) as merge reads it.
type Part struct {
	// File names the part in messages.
	File    string
	Shard   *model.Shard
	Sources []model.SourceStatus
	Items   []model.Item
}

// MismatchError says the parts do not belong to one run (another config,
// another N, other sources): merging them would be wrong, whatever is
// missing. The CLI exits 2.
type MismatchError struct{ Msg string }

func (e *MismatchError) Error() string { return e.Msg }

// IncompleteError says the parts belong to one run but do not cover it:
// shards are missing, or units planned by a shard were read by none. The
// CLI exits 3 (never a green run on partial data).
type IncompleteError struct {
	Missing []string // "3/7"
	Unread  []string // "gh: acme/payments (planned for shard 2/7 by shard 1/7)"
}

func (e *IncompleteError) Error() string {
	var parts []string
	if len(e.Missing) > 0 {
		parts = append(parts, "missing shard "+strings.Join(e.Missing, ", "))
	}
	if len(e.Unread) > 0 {
		parts = append(parts, fmt.Sprintf("%d planned units read by no shard (the shards planned from data that changed between their starts; run the matrix again): %s",
			len(e.Unread), strings.Join(firstN(e.Unread, 5), "; ")))
	}
	return "incomplete set of shards: " + strings.Join(parts, "; ")
}

func firstN(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(s[:n:n], fmt.Sprintf("… %d more", len(s)-n))
}

// Check verifies that parts are shards of one run made with the config whose
// fingerprint is config, and that together they read every unit planned.
// It sorts parts by shard index.
func Check(parts []Part, config string) error {
	if len(parts) == 0 {
		return &MismatchError{"no shard files given"}
	}
	for _, p := range parts {
		if p.Shard == nil {
			return &MismatchError{fmt.Sprintf("%s is not a shard's output: write it with pomlint lint --shard K/N --format json=FILE (or snapshot --shard K/N)", p.File)}
		}
	}
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].Shard.Index < parts[j].Shard.Index })
	first := parts[0]
	for _, p := range parts {
		s := p.Shard
		switch {
		case s.Config != config:
			return &MismatchError{fmt.Sprintf("%s (shard %d/%d) was made with another configuration or rule set (fingerprint %s, this config %s): merge with the config the shards ran with",
				p.File, s.Index, s.Count, short(s.Config), short(config))}
		case s.Count != first.Shard.Count:
			return &MismatchError{fmt.Sprintf("%s is shard %d/%d but %s is shard %d/%d: the shards come from different matrices",
				p.File, s.Index, s.Count, first.File, first.Shard.Index, first.Shard.Count)}
		case !slices.Equal(s.Sources, first.Shard.Sources):
			return &MismatchError{fmt.Sprintf("%s read sources %s but %s read %s: give every shard the same --source",
				p.File, strings.Join(s.Sources, ","), first.File, strings.Join(first.Shard.Sources, ","))}
		case s.Since != first.Shard.Since:
			return &MismatchError{fmt.Sprintf("%s ran with --since %q but %s with %q: give every shard the same --since", p.File, s.Since, first.File, first.Shard.Since)}
		}
	}
	n := first.Shard.Count
	have := make([]bool, n+1)
	for _, p := range parts {
		if p.Shard.Index >= 1 && p.Shard.Index <= n {
			have[p.Shard.Index] = true
		}
	}
	e := &IncompleteError{}
	for k := 1; k <= n; k++ {
		if !have[k] {
			e.Missing = append(e.Missing, fmt.Sprintf("%d/%d", k, n))
		}
	}
	type unitKey struct{ source, unit string }
	read := map[unitKey]bool{}
	for _, p := range parts {
		for _, u := range p.Shard.Units {
			read[unitKey{u.Source, u.Unit}] = true
		}
	}
	seen := map[unitKey]bool{}
	for _, p := range parts {
		for _, u := range p.Shard.Plan {
			k := unitKey{u.Source, u.Unit}
			if read[k] || seen[k] || !have[u.Shard] {
				continue // a missing shard is reported as missing
			}
			seen[k] = true
			name := u.Unit
			if name == "" {
				name = "(the whole source)"
			}
			e.Unread = append(e.Unread, fmt.Sprintf("%s: %s (planned for shard %d/%d by shard %d/%d)", u.Source, name, u.Shard, n, p.Shard.Index, n))
		}
	}
	if len(e.Missing) > 0 || len(e.Unread) > 0 {
		return e
	}
	return nil
}

func short(fp string) string {
	if len(fp) > 19 {
		return fp[:19]
	}
	return fp
}

// Combine puts checked parts together as an unsharded run would have
// collected them: the selected sources in config order with their status
// (complete only when every shard read its part completely), every item once
// (by source and key), a source's items in key order, and the roster
// memberships in source order.
func Combine(parts []Part) ([]model.Item, []model.SourceStatus, []model.Membership) {
	names := parts[0].Shard.Sources
	pos := make(map[string]int, len(names))
	for i, n := range names {
		pos[n] = i
	}
	statuses := make([]model.SourceStatus, len(names))
	errs := make([][]string, len(names))
	for i, n := range names {
		statuses[i] = model.SourceStatus{Name: n, Complete: true}
	}
	total := 0
	for _, p := range parts {
		total += len(p.Items)
		for _, st := range p.Sources {
			i, ok := pos[st.Name]
			if !ok {
				continue
			}
			s := &statuses[i]
			if s.Kind == "" {
				s.Kind = st.Kind
			}
			s.Complete = s.Complete && st.Complete
			if st.Error != "" && !slices.Contains(errs[i], st.Error) {
				errs[i] = append(errs[i], st.Error)
			}
		}
	}
	// A shard holds every item it counted for a source: fewer means items
	// were removed from its file, and the merged set would look complete
	// without them.
	for _, p := range parts {
		held := map[string]int{}
		for _, it := range p.Items {
			held[it.Source]++
		}
		for _, st := range p.Sources {
			i, ok := pos[st.Name]
			if !ok || held[st.Name] >= st.Items {
				continue
			}
			statuses[i].Complete = false
			errs[i] = append(errs[i], fmt.Sprintf("%s (shard %d/%d) recorded %d items for source %s but holds %d",
				p.File, p.Shard.Index, p.Shard.Count, st.Items, st.Name, held[st.Name]))
		}
	}
	for i := range statuses {
		statuses[i].Error = strings.Join(errs[i], "; ")
	}
	// Each part holds a source's items as one run in key order (collect
	// sorts them); runs are merged, not the whole re-sorted, and an item
	// read by two shards meets its copy at the head of the merge.
	runs := make([][][]model.Item, len(names))
	for _, p := range parts {
		for _, run := range sourceRuns(p.Items) {
			if i, ok := pos[run[0].Source]; ok {
				runs[i] = append(runs[i], run)
			}
		}
	}
	items := make([]model.Item, 0, total)
	for i, rs := range runs {
		n := len(items)
		items = mergeRuns(items, rs)
		statuses[i].Items = len(items) - n // items read, as collect counts them
	}
	var ms []model.Membership
	for _, n := range names {
		for _, p := range parts {
			if imp := importOf(p.Shard, n); imp != nil {
				ms = append(ms, imp.Memberships...)
				break
			}
		}
	}
	return items, statuses, ms
}

func importOf(s *model.Shard, source string) *model.ShardImport {
	for i := range s.Imports {
		if s.Imports[i].Source == source {
			return &s.Imports[i]
		}
	}
	return nil
}

// sourceRuns cuts items into maximal runs of one source, each sorted by key.
func sourceRuns(items []model.Item) [][]model.Item {
	var out [][]model.Item
	for start := 0; start < len(items); {
		end := start + 1
		for end < len(items) && items[end].Source == items[start].Source {
			end++
		}
		run := items[start:end]
		if !slices.IsSortedFunc(run, func(a, b model.Item) int { return model.CompareKeys(a.Key, b.Key) }) {
			sort.SliceStable(run, func(x, y int) bool { return model.CompareKeys(run[x].Key, run[y].Key) < 0 })
		}
		out = append(out, run)
		start = end
	}
	return out
}

// mergeRuns appends the items of sorted runs to out in key order, earlier
// runs first among equal keys, keeping one item per key.
func mergeRuns(out []model.Item, runs [][]model.Item) []model.Item {
	heads := make([]int, len(runs))
	first := len(out)
	for {
		best := -1
		for r, h := range heads {
			if h == len(runs[r]) {
				continue
			}
			if best < 0 || model.CompareKeys(runs[r][h].Key, runs[best][heads[best]].Key) < 0 {
				best = r
			}
		}
		if best < 0 {
			return out
		}
		it := &runs[best][heads[best]]
		heads[best]++
		if len(out) > first && out[len(out)-1].Key == it.Key {
			continue // read by two shards
		}
		out = append(out, *it)
	}
}
