package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/app"
	"github.com/pomlint/pomlint/internal/connector"
)

// fetchFlags are the flags of every command that reads sources.
type fetchFlags struct {
	app.FetchOptions
}

func (f *fetchFlags) register(cmd *cobra.Command) {
	f.registerWithoutSince(cmd)
	cmd.Flags().StringVar(&f.Since, "since", "", "fetch only items updated since this date (YYYY-MM-DD) or this long ago (7d, 2w, 72h)")
}

// registerWithoutSince registers the fetch flags of a command that needs
// every item (audit, baseline create): --since would leave some out.
func (f *fetchFlags) registerWithoutSince(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.Sources, "source", nil, "read only this configured source (repeatable; default all sources)")
	fl.StringVar(&f.CacheDir, "cache-dir", "", "HTTP cache directory for conditional requests (default: the user cache dir + /pomlint/http)")
	fl.BoolVar(&f.NoCache, "no-cache", false, "do not use the HTTP cache")
	fl.DurationVar(&f.MaxWait, "max-wait", 15*time.Minute, "longest single wait for a rate limit to reset before giving up (exit 3); 0 never waits")
	fl.DurationVar(&f.Timeout, "timeout", 30*time.Second, "timeout of one HTTP request; 0 for none")
	fl.IntVar(&f.Retries, "retries", 4, "retries of a request that failed transiently (5xx, network); 0 for none")
}

// registerShard adds --shard to a command that reads sources.
func (f *fetchFlags) registerShard(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.Shard, "shard", "", "read only part K of N of the work (e.g. 2/7) for a CI matrix; pomlint merge puts the parts together")
}

// loaded is a validated config with its rule set.
type loaded = app.Loaded

// core is the application layer, wired to this command's logger, clock,
// environment, transport and progress bar.
func (a *App) core() *app.App {
	return &app.App{
		Log:       a.log,
		Now:       a.Now,
		Getenv:    a.Getenv,
		Registry:  a.Registry,
		Kinds:     a.Kinds,
		Transport: a.Transport,
		Clock:     a.Clock,
		WorkDir:   a.WorkDir,
		Tool:      a.Tool(),
		Progress:  a.fetchProgress,
	}
}

// fetchProgress returns the progress bar, made when the first fetch
// starts. It lives as long as the command: connectors keep reporting on it
// after Collect returns (the audit reads history through them).
func (a *App) fetchProgress() connector.Progress {
	if a.progress == nil {
		a.progress = newProgress(a.terminal().Bar(), a.IO.ErrTTY && a.logLevel != "debug")
	}
	return a.progress
}

// configOption is the config --config (or POMLINT_CONFIG) names, "" to
// discover it.
func (a *App) configOption() app.LoadOptions {
	return app.LoadOptions{File: a.configFile}
}

// loadConfig finds, loads and validates the config and the user rules.
func (a *App) loadConfig() (*loaded, error) {
	return a.core().Load(a.configOption())
}

// optionalConfig loads the config when one is named or a default file
// exists, and returns nil otherwise.
func (a *App) optionalConfig() (*loaded, error) {
	return a.core().LoadOptional(a.configOption())
}

// rel shows a path relative to the working directory when that is shorter.
func (a *App) rel(p string) string { return a.core().Rel(p) }

// path resolves a user-given path against the working directory.
func (a *App) path(p string) string { return a.core().Path(p) }
