// Package connector defines how pomlint reads trackers: the Connector
// interface every source implements, the registry of source kinds the CLI
// builds (internal/app asks it for each configured source's connector), and
// the HTTP plumbing (retries, rate limits, conditional-request cache) that the
// GitHub and Jira connectors share.
//
// Connectors know trackers and nothing about rules: they return model.Items
// with tracker facts filled (key, type, hierarchy level, labels, assignees,
// fields, parent) and leave Level, Owner and Team to classify.
package connector

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/model"
)

// Connector reads the items of one configured source.
type Connector interface {
	// Fetch returns every item of the source. When it cannot read the
	// source completely it returns the items it did read together with a
	// non-nil error; the caller then marks the source incomplete (exit 3).
	Fetch(ctx context.Context, opts FetchOptions) ([]model.Item, error)
}

// RosterImporter is implemented by connectors that can read roles from the
// tracker itself (GitHub org teams, Jira groups).
type RosterImporter interface {
	ImportRoster(ctx context.Context, imp config.RosterImport) ([]model.Membership, error)
}

// HistoryFetcher is implemented by connectors that can read item history for
// the audit: assignee, owner-field, label, type and parent changes between
// from and to. The map is keyed by item key; events are in time order.
type HistoryFetcher interface {
	History(ctx context.Context, items []model.Item, from, to time.Time) (map[string][]model.Event, error)
}

// FetchOptions tune one fetch.
type FetchOptions struct {
	// Since, when not zero, asks for items updated at or after it
	// (incremental fetch); connectors that cannot filter ignore it.
	Since time.Time
	// OwnerFields are the tracker field names the ownership sources and
	// classification need ("Product Owner" from "field:Product Owner").
	OwnerFields []string
	// ProjectFields are the Projects v2 field names they need.
	ProjectFields []string
	// ClosedSince, when not zero, asks for the items closed (updated) at or
	// after it as well, whatever the source's state setting: an audit needs
	// the items that were alive in its window. Connectors whose query is
	// the user's own (Jira's JQL) leave that to the query.
	ClosedSince time.Time
}

// Env is what internal/app hands every connector: HTTP settings, the environment
// (tokens come only from there), a clock, and hooks for progress and notices.
type Env struct {
	HTTP HTTPOptions
	// Getenv reads the environment; tests inject a map.
	Getenv func(string) string
	// ConfigDir resolves relative paths in source settings.
	ConfigDir string
	// Progress reports fetch progress; nil means silent.
	Progress Progress
	// Notify receives notices worth a log line (rate-limit waits, retries,
	// skipped archived repos); nil drops them.
	Notify func(Notice)
}

// Notice is something a connector did that a user may want to see in the log.
type Notice struct {
	Source  string
	Level   string // "info", "warn", "debug"
	Message string
	Fields  map[string]any
}

// Progress receives progress of long fetches: done units out of total (total
// < 0 when unknown). unit names what is counted ("issues", "pages").
type Progress interface {
	Progress(source, unit string, done, total int)
}

// Factory builds a connector for one configured source.
type Factory func(src config.Source, env Env) (Connector, error)

// Registry maps source kinds to factories. The CLI builds it; there is no
// global registry.
type Registry map[string]Factory

// New builds the connector for src.
func (r Registry) New(src config.Source, env Env) (Connector, error) {
	f, ok := r[src.Kind]
	if !ok {
		return nil, fmt.Errorf("source %q: unknown kind %q (known: %v)", src.Name, src.Kind, r.Kinds())
	}
	c, err := f(src, env)
	if err != nil {
		return nil, fmt.Errorf("source %q: %w", src.Name, err)
	}
	return c, nil
}

// Kind is one kind of source a build ships: what the config knows of its
// block and the factory of its connector. A tracker is one Kind in the
// front end's list.
type Kind struct {
	Config config.SourceKind
	New    Factory
}

// Kinds are the kinds of source a build ships, in the order config
// messages list them.
type Kinds []Kind

// Registry returns the factories of ks by kind name.
func (ks Kinds) Registry() Registry {
	r := make(Registry, len(ks))
	for _, k := range ks {
		r[k.Config.Name] = k.New
	}
	return r
}

// Config returns what the config knows of ks, for config.Load.
func (ks Kinds) Config() config.Kinds {
	out := make(config.Kinds, len(ks))
	for i, k := range ks {
		out[i] = k.Config
	}
	return out
}

// Kinds lists the registered kinds, sorted.
func (r Registry) Kinds() []string {
	out := make([]string, 0, len(r))
	for k := range r {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ConfigError marks a fetch failure caused by the configuration rather than
// the tracker (an unknown custom field name, a wrong deployment setting). The
// CLI exits 2 for it instead of 3.
type ConfigError struct {
	Err error
}

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }
