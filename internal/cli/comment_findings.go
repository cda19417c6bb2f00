package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/report"
)

// findingsMarker identifies the sticky comment of pomlint comment without
// --base (the current findings of the items a pull request references). It
// differs from the drift comment's marker so that a repository may run both
// workflows without one overwriting the other.
const findingsMarker = "<!-- pomlint:findings -->"

// runFindingsComment is pomlint comment without --base: it reads the items
// (the config's sources now, or --head SNAPSHOT), keeps those the pull
// request references (title, body, commits, branch) and those --item names,
// and keeps one comment with their current findings on the pull request.
func (a *App) runFindingsComment(ctx context.Context, o *commentOptions, failOn model.Severity) error {
	switch {
	case o.in.data != "":
		return usageError("--data is for the policy preview (--base-config and --head-config)")
	case o.in.head != "" && o.in.fetch.since != "":
		return usageError("--since fetches items; --head reads them from a snapshot: give one")
	}
	var snap *model.Snapshot
	var l *loaded
	var err error
	if o.in.head != "" {
		if snap, err = a.readSnapshot(o.in.head); err != nil {
			return err
		}
		if l, err = a.optionalConfig(); err != nil {
			return err
		}
	} else {
		if l, err = a.loadConfig(); err != nil {
			return err
		}
		c, err := a.collect(ctx, l, &o.in.fetch)
		if err != nil {
			return err
		}
		res, err := a.lintItems(ctx, l, c, nil)
		if err != nil {
			return err
		}
		snap = a.snapshotOf(res, res.Items)
	}
	client, err := a.prClient(l, o.in.apiURL)
	if err != nil {
		return err
	}
	keys, err := a.linkedKeys(ctx, client, o.repo, o.pr, l, nil, snap)
	if err != nil {
		return err
	}
	for _, it := range o.in.items {
		for _, k := range strings.Split(it, ",") {
			if k = strings.TrimSpace(k); k != "" {
				keys = append(keys, k)
			}
		}
	}
	keys = dedupeKeys(keys)
	res, missing := referencedResult(snap, keys)
	complete := true
	for _, s := range res.Sources {
		if !s.Complete {
			complete = false
			a.log.Error().Str("source", s.Name).Msg("incomplete: " + s.Error)
		}
	}
	counted := 0
	for _, f := range res.Findings {
		if f.Suppressed == "" {
			counted++
		}
	}
	code := res.ExitCode(failOn)
	clean := complete && counted == 0
	refs := referencesNote(keys, missing)
	head := findingsMarker + "\n"
	full := head + report.MarkdownLimited(res, report.GitHubBodyLimit-len(head)-len(refs)) + refs
	allClear := head + "## ✅ pomlint: no ownership findings in the items this pull request references\n\n" + refs
	body := full
	if clean {
		body = allClear
	}
	if err := a.appendStepSummary(strings.TrimPrefix(body, head)); err != nil {
		a.log.Warn().Err(err).Msg("job summary not written")
	}
	a.log.Info().Strs("items", keys).Int("findings", counted).Bool("complete", complete).Msg("findings of the referenced items")
	if o.dryRun {
		if clean {
			a.log.Info().Msg("dry run: clean; an existing comment would become this all-clear, and none would be created")
		}
		if _, err := fmt.Fprint(a.IO.Out, body); err != nil {
			return fmt.Errorf("write comment body: %w", err)
		}
		return exitCode(code)
	}
	if err := a.upsertComment(ctx, client, o, findingsMarker, full, allClear, clean); err != nil {
		return err
	}
	return exitCode(code)
}

// referencedResult narrows a run to the items keys name (case-insensitive)
// and returns the keys that match no item.
func referencedResult(s *model.Snapshot, keys []string) (*model.Result, []string) {
	want := map[string]bool{}
	for _, k := range keys {
		want[strings.ToLower(k)] = true
	}
	// Sources count the referenced items, and the roster keeps only their
	// teams: the comment is about these items, not every team's figures.
	res := &model.Result{Tool: s.Tool, Sources: append([]model.SourceStatus(nil), s.Sources...), Findings: []model.Finding{}}
	found := map[string]bool{}
	per := map[string]int{}
	for _, it := range s.Items {
		if k := strings.ToLower(it.Key); want[k] {
			res.Items = append(res.Items, it)
			found[k] = true
			per[it.Source]++
		}
	}
	for i := range res.Sources {
		res.Sources[i].Items = per[res.Sources[i].Name]
	}
	if s.Roster != nil {
		teams := map[string]bool{}
		for _, it := range res.Items {
			teams[it.Team] = true
		}
		var keep []model.Team
		for _, t := range s.Roster.Teams {
			if teams[t.Name] {
				keep = append(keep, t)
			}
		}
		res.Roster = model.NewRoster(s.Roster.People, keep)
	}
	for _, f := range s.Findings {
		if want[strings.ToLower(f.Item)] {
			res.Findings = append(res.Findings, f)
		}
	}
	var missing []string
	for _, k := range keys {
		if !found[strings.ToLower(k)] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	return res, missing
}

// referencesNote says which items the comment covers.
func referencesNote(keys, missing []string) string {
	if len(keys) == 0 {
		return "<sub>This pull request references no items (closing keywords, #123, owner/repo#123, issue links, Jira keys in the title, body, commits or branch name).</sub>\n"
	}
	code := func(ks []string) string {
		out := make([]string, len(ks))
		for i, k := range ks {
			out[i] = "`" + strings.ReplaceAll(k, "`", "") + "`"
		}
		return strings.Join(out, ", ")
	}
	note := "<sub>Items this pull request references: " + code(keys) + "."
	if len(missing) > 0 {
		note += " Not in the sources read (closed, out of the JQL or repositories, or not an item): " + code(missing) + "."
	}
	return note + "</sub>\n"
}
