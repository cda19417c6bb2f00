package cli

import (
	"context"

	"github.com/pomlint/pomlint/internal/app"
	"github.com/pomlint/pomlint/internal/connector/github"
	"github.com/pomlint/pomlint/internal/model"
)

// runFindingsComment is pomlint comment without --base: it reads the items
// (the config's sources now, or --head SNAPSHOT), keeps those the pull
// request references (title, body, commits, branch) and those --item names,
// and keeps one comment with their current findings on the pull request.
func (a *App) runFindingsComment(ctx context.Context, o *commentOptions, pr app.PullRequest, failOn model.Severity) error {
	switch {
	case o.in.data != "":
		return usageError("--data is for the policy preview (--base-config and --head-config)")
	case o.in.head != "" && o.in.fetch.Since != "":
		return usageError("--since fetches items; --head reads them from a snapshot: give one")
	}
	// The pull request client and the pull request come first: a missing
	// token or an unknown pull request fails before any source is read.
	l, err := a.findingsConfig(o)
	if err != nil {
		return err
	}
	core := a.core()
	client, err := core.PRClient(l, o.in.apiURL)
	if err != nil {
		return err
	}
	text, err := core.ReadPullRequest(ctx, client, pr)
	if err != nil {
		return err
	}
	snap, err := a.findingsSnapshot(ctx, o, l)
	if err != nil {
		return err
	}
	keys := core.KeysOf(text, l, nil, snap)
	keys = app.DedupeKeys(append(keys, app.SplitKeys(o.in.items)...))
	fc := app.NewFindingsComment(snap, keys)
	for _, s := range fc.Result.Sources {
		if !s.Complete {
			a.log.Error().Str("source", s.Name).Msg("incomplete: " + s.Error)
		}
	}
	a.log.Info().Strs("items", keys).Int("findings", fc.Findings).Bool("complete", fc.Complete).Msg("findings of the referenced items")
	return a.postComment(ctx, o, pr, &fc.Comment, fc.Result.ExitCode(failOn), func() (*github.PRClient, error) { return client, nil })
}

// findingsConfig is the config of the findings comment: optional with
// --head SNAPSHOT, required when the sources are read now.
func (a *App) findingsConfig(o *commentOptions) (*loaded, error) {
	if o.in.head != "" {
		return a.optionalConfig()
	}
	return a.loadConfig()
}

// findingsSnapshot is what the findings comment is about: --head's
// snapshot, or the sources of config l read and linted now.
func (a *App) findingsSnapshot(ctx context.Context, o *commentOptions, l *loaded) (*model.Snapshot, error) {
	core := a.core()
	if o.in.head != "" {
		return core.ReadSnapshot(o.in.head)
	}
	c, err := core.Collect(ctx, l, o.in.fetch.FetchOptions)
	if err != nil {
		return nil, err
	}
	res, err := core.Lint(ctx, l, c, nil)
	if err != nil {
		return nil, err
	}
	return core.SnapshotOf(res, res.Items), nil
}
