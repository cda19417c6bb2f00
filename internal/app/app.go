// Package app is pomlint's application layer: loading the config and its
// rules, collecting items from every source, linting, snapshots, item
// history for the audit, drift and the policy preview, sharded runs and the
// sticky pull request comment. It takes everything it depends on (logger,
// clock, environment, HTTP transport, connector registry) from an App, so a
// test or another front end can run it without a command line. Package cli
// keeps flags, streams, exit codes and the choice of what to render.
package app

import (
	"fmt"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
)

// App holds what the application layer depends on. The zero value of an
// optional field means "none" (no transport override, a silent logger).
type App struct {
	// Log receives what a run did (sources read, rules run, comments
	// written).
	Log zerolog.Logger
	// Now is the clock of the run (dates, --since, snapshot times).
	Now func() time.Time
	// Getenv reads the environment (tokens, $GITHUB_STEP_SUMMARY).
	Getenv func(string) string
	// Registry builds connectors by source kind.
	Registry connector.Registry
	// Kinds decode, default and validate each kind's config block.
	Kinds config.Kinds
	// Transport, when set, replaces the network for every connector.
	Transport http.RoundTripper
	// Clock, when set, replaces the real clock for waits.
	Clock connector.Clock
	// WorkDir is where relative paths and the default config are found.
	WorkDir string
	// Tool names this build in reports and snapshots.
	Tool model.Tool
	// Progress returns where connectors report fetch progress; nil (or a
	// nil result) is silent. It is called when a fetch starts, so a front
	// end may make its progress bar only then.
	Progress func() connector.Progress
}

// Error is an error with the exit code it stands for (model.ExitUsage,
// model.ExitIncomplete). The front end prints Err when it is not nil.
type Error struct {
	Code int
	Err  error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// usageError is a usage or config problem: exit 2.
func usageError(format string, args ...any) error {
	return &Error{Code: model.ExitUsage, Err: fmt.Errorf(format, args...)}
}

// incomplete is a run that could not see everything: exit 3.
func incomplete(err error) error {
	return &Error{Code: model.ExitIncomplete, Err: err}
}

// interrupted is a run whose context ended.
func interrupted(err error) error {
	return incomplete(fmt.Errorf("interrupted: %w", err))
}

func (a *App) now() time.Time {
	if a.Now == nil {
		return time.Now()
	}
	return a.Now()
}

func (a *App) getenv(k string) string {
	if a.Getenv == nil {
		return ""
	}
	return a.Getenv(k)
}

func (a *App) progress() connector.Progress {
	if a.Progress == nil {
		return nil
	}
	return a.Progress()
}

// Path resolves a user-given path against the working directory.
func (a *App) Path(p string) string {
	if p == "" || filepath.IsAbs(p) || a.WorkDir == "" {
		return p
	}
	return filepath.Join(a.WorkDir, p)
}

// Rel shows a path relative to the working directory when that is shorter.
func (a *App) Rel(p string) string {
	if p == "" || a.WorkDir == "" || !filepath.IsAbs(p) {
		return p
	}
	if r, err := filepath.Rel(a.WorkDir, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// Notify logs a connector's notice (rate-limit waits, retries, skipped
// repositories) with its fields in a fixed order.
func (a *App) Notify(n connector.Notice) {
	ev := a.Log.Info()
	switch n.Level {
	case "warn":
		ev = a.Log.Warn()
	case "debug":
		ev = a.Log.Debug()
	}
	if n.Source != "" {
		ev = ev.Str("source", n.Source)
	}
	keys := make([]string, 0, len(n.Fields))
	for k := range n.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ev = ev.Interface(k, n.Fields[k])
	}
	ev.Msg(n.Message)
}

// SplitKeys splits repeated, comma-separated item keys and drops empty ones.
func SplitKeys(values []string) []string {
	var out []string
	for _, it := range values {
		for _, k := range strings.Split(it, ",") {
			if k = strings.TrimSpace(k); k != "" {
				out = append(out, k)
			}
		}
	}
	return out
}

// DedupeKeys drops repeated item keys (case-insensitive), keeping the first.
func DedupeKeys(keys []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, k := range keys {
		if n := strings.ToLower(k); !seen[n] {
			seen[n] = true
			out = append(out, k)
		}
	}
	return out
}
