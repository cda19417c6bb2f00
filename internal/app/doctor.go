package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/markdown"
	"github.com/pomlint/pomlint/internal/model"
)

// DoctorSource is the outcome of one source's checks.
type DoctorSource struct {
	Name   string            `json:"name"`
	Kind   string            `json:"kind"`
	OK     bool              `json:"ok"`
	Checks []connector.Check `json:"checks"`
}

// DoctorReport is what pomlint doctor finds, source by source.
type DoctorReport struct {
	OK      bool           `json:"ok"`
	Sources []DoctorSource `json:"sources"`
}

// DoctorOptions say which sources doctor checks and how long one request
// may take.
type DoctorOptions struct {
	Sources []string
	Timeout time.Duration
}

// Doctor checks every selected source in config order and returns the
// report and the exit code: 2 when a check found a setting to fix, 3 when
// a source cannot be used (3 wins).
func (a *App) Doctor(ctx context.Context, l *Loaded, o DoctorOptions) (*DoctorReport, int, error) {
	srcs, err := SelectSources(l.Config, o.Sources)
	if err != nil {
		return nil, 0, err
	}
	req := connector.CheckRequest{Import: l.Config.Roster.Import}
	for _, os := range l.Config.OwnershipSources() {
		switch os.Kind {
		case "field":
			req.OwnerFields = append(req.OwnerFields, os.Arg)
		case "project-field":
			req.ProjectFields = append(req.ProjectFields, os.Arg)
		}
	}
	if pf := l.Config.Classification.ProjectField; pf != "" {
		req.ProjectFields = append(req.ProjectFields, pf)
	}
	rep := &DoctorReport{OK: true}
	code := model.ExitOK
	for _, src := range srcs {
		ds := DoctorSource{Name: src.Name, Kind: src.Kind}
		ds.Checks = a.checkSource(ctx, l.Config, src, req, o.Timeout)
		if err := ctx.Err(); err != nil {
			return nil, 0, interrupted(err)
		}
		ds.OK = true
		for _, c := range ds.Checks {
			if c.OK {
				continue
			}
			ds.OK, rep.OK = false, false
			switch {
			case c.Kind == connector.ProblemConfig && code == model.ExitOK:
				code = model.ExitUsage
			case c.Kind != connector.ProblemConfig:
				code = model.ExitIncomplete
			}
		}
		rep.Sources = append(rep.Sources, ds)
	}
	return rep, code, nil
}

// checkSource runs one source's checks: the connector's own when it is a
// connector.Checker, else a plain fetch.
func (a *App) checkSource(ctx context.Context, cfg *config.Config, src config.Source, req connector.CheckRequest, timeout time.Duration) []connector.Check {
	env := connector.Env{
		// No retries, no waits, no cache: doctor says at once what is
		// wrong, and reads what the server says now.
		HTTP:      connector.HTTPOptions{Timeout: timeout, MaxRetries: -1, MaxWait: -1, MaxRateLimitRetries: -1, Transport: a.Transport, Clock: a.Clock, Source: src.Name, Notify: a.Notify},
		Getenv:    a.Getenv,
		ConfigDir: cfg.Dir,
		Notify:    a.Notify,
	}
	conn, err := a.Registry.New(src, env)
	if err != nil {
		var ce *connector.ConfigError
		kind := connector.ProblemSource
		if errors.As(err, &ce) {
			kind = connector.ProblemConfig
		}
		return []connector.Check{connector.Fail("setup", kind, strings.TrimPrefix(err.Error(), fmt.Sprintf("source %q: ", src.Name)),
			"fix the source's settings or export the variable it names, then run pomlint doctor again")}
	}
	if ch, ok := conn.(connector.Checker); ok {
		return ch.Check(ctx, req)
	}
	items, err := conn.Fetch(ctx, connector.FetchOptions{OwnerFields: req.OwnerFields, ProjectFields: req.ProjectFields})
	if err != nil {
		kind := connector.ProblemSource
		var ce *connector.ConfigError
		if errors.As(err, &ce) {
			kind = connector.ProblemConfig
		}
		return []connector.Check{connector.Fail("read", kind, connector.ErrorText(err), "fix the source's settings")}
	}
	return []connector.Check{connector.Pass("read", markdown.Plural(len(items), "item"))}
}
