package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/markdown"
	"github.com/pomlint/pomlint/internal/model"
)

// A policy preview (--base-config A --head-config B) runs a pull request's
// proposed config. The pull request may come from anyone who can open one,
// so its config must not decide where credentials go: which hosts are
// called, with which environment variables, App keys or files. Sources come
// from the base config only, resolved against the base config's folder; a
// head config whose sources differ is refused (exit 2) rather than silently
// ignored, so nobody mistakes the preview for a preview of the source change.
// The head's user rule files must lie inside the head config's folder or
// the base config's rule paths: a rule file that does not parse is quoted
// in the error, and CI logs of public repositories are public.

// Preview is a policy preview: both configs' runs over the same data.
type Preview struct {
	Base, Head *model.Snapshot
	// HeadConfig is the head config, with the base config's sources.
	HeadConfig *Loaded
}

// PolicyPreview runs the base and the head config (o.BaseConfig,
// o.HeadConfig) over the same data: the base config's sources read now, or
// the o.Data snapshot's items.
func (a *App) PolicyPreview(ctx context.Context, o DriftOptions) (*Preview, error) {
	lb, err := a.Load(LoadOptions{File: o.BaseConfig})
	if err != nil {
		return nil, err
	}
	// The head config is the pull request's proposal: it never decides
	// where credentials go.
	if err := a.checkHeadConfig(o.BaseConfig, o.HeadConfig); err != nil {
		return nil, err
	}
	lh, err := a.loadHead(o.HeadConfig)
	if err != nil {
		return nil, err
	}
	lh = WithBaseSources(lh, lb)
	var base, head *model.Snapshot
	switch {
	case o.Data != "":
		data, err := a.ReadSnapshot(o.Data)
		if err != nil {
			return nil, err
		}
		if base, err = a.SnapshotFromData(ctx, lb, data); err != nil {
			return nil, err
		}
		head, err = a.SnapshotFromData(ctx, lh, data)
		if err != nil {
			return nil, err
		}
	case reflect.DeepEqual(lb.Config.Roster.Import, lh.Config.Roster.Import):
		// Same sources, same roster imports: read the trackers once, so
		// both sides judge the very same data.
		if base, head, err = a.previewOnce(ctx, lb, lh, o.Fetch); err != nil {
			return nil, err
		}
	default:
		// The head imports other tracker groups: only a fetch under its
		// config reads them.
		if base, err = a.Snapshot(ctx, lb, o.Fetch, nil); err != nil {
			return nil, err
		}
		if head, err = a.Snapshot(ctx, lh, o.Fetch, nil); err != nil {
			return nil, err
		}
	}
	return &Preview{Base: undated(base), Head: undated(head), HeadConfig: lh}, nil
}

// previewOnce reads the base's sources once and lints what they gave under
// the base config and, reclassified, under the head config.
func (a *App) previewOnce(ctx context.Context, lb, lh *Loaded, ff FetchOptions) (base, head *model.Snapshot, err error) {
	c, err := a.Collect(ctx, lb, ff)
	if err != nil {
		return nil, nil, err
	}
	if base, err = a.lintSnapshot(ctx, lb, c); err != nil {
		return nil, nil, err
	}
	// The head keeps the roster imports the base's fetch read.
	head, err = a.lintSnapshot(ctx, lh, a.Reclassify(lh, c))
	return base, head, err
}

// checkHeadConfig refuses a head config that changes sources or reads rule
// files outside its own folder. It runs before the head's rules are read.
func (a *App) checkHeadConfig(basePath, headPath string) error {
	base, err := a.loadFile(a.Path(basePath))
	if base == nil {
		return err // the full load reports it with every problem
	}
	head, err := a.loadFile(a.Path(headPath))
	if head == nil {
		return err
	}
	if diffs := sourceDiffs(base.Sources, head.Sources); len(diffs) > 0 {
		return usageError("--head-config %s changes sources (%s): a policy preview reads data only through the base config's sources, "+
			"so that a pull request cannot choose the hosts, tokens, App keys or files credentials go to; preview roster, classification, "+
			"ownership, rules and exceptions changes, and let source changes take effect once merged", headPath, strings.Join(diffs, "; "))
	}
	allowed := []string{head.Dir}
	for _, p := range base.Rules.Paths {
		allowed = append(allowed, base.Path(p))
	}
	allowedPath := func(f string) bool {
		for _, dir := range allowed {
			if inside(dir, f) {
				return true
			}
		}
		return false
	}
	for i, p := range head.Rules.Paths {
		if !allowedPath(head.Path(p)) {
			return usageError("--head-config %s: rules.paths[%d] %q is outside the head config's folder and the base config's rule paths; a policy preview reads rule files only from there", headPath, i, p)
		}
		// A folder is read file by file: a file in it may be a symlink to
		// a file elsewhere, checked where it really is.
		for _, f := range ruleFolderFiles(head.Path(p)) {
			if !allowedPath(f) {
				return usageError("--head-config %s: rules.paths[%d] %q holds %s, a symlink to a file outside the head config's folder and the base config's rule paths; a policy preview reads rule files only from there",
					headPath, i, p, filepath.Base(f))
			}
		}
	}
	return nil
}

// ruleFolderFiles lists the files the rule loader reads under a folder in
// rules.paths (as rules.LoadCustomAs walks it): none for a file.
func ruleFolderFiles(p string) []string {
	if st, err := os.Stat(p); err != nil || !st.IsDir() {
		return nil
	}
	var files []string
	_ = filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(f, ".yaml") || strings.HasSuffix(f, ".yml")) {
			files = append(files, f)
		}
		return nil
	})
	return files
}

// loadHead loads the head config as Load does, validated as it runs: with
// the base config's sources. checkHeadConfig made sure the head's sources
// are the base's, which loaded; so the problems under sources are left out,
// as they are the base's sources checked in the head's folder (a file
// source's snapshot, which is never read from there).
func (a *App) loadHead(headPath string) (*Loaded, error) {
	cfg, err := a.loadFile(a.Path(headPath))
	var cerr *config.Error
	if errors.As(err, &cerr) {
		var kept []config.Problem
		for _, p := range cerr.Problems {
			if p.Key != "sources" && !strings.HasPrefix(p.Key, "sources[") {
				kept = append(kept, p)
			}
		}
		cerr.Problems = kept
		if len(kept) == 0 {
			err = nil
		}
	}
	return a.validated(cfg, err)
}

// WithBaseSources returns head with the base config's sources and folder,
// so every connection (and the pull request client) is the base's.
func WithBaseSources(head, base *Loaded) *Loaded {
	cfg := *head.Config
	cfg.Sources = base.Config.Sources
	cfg.Dir = base.Config.Dir
	out := *head
	out.Config = &cfg
	return &out
}

// sourceDiffs lists the differences between two source lists, by source
// name and key ("gh: github.token_env GITHUB_TOKEN → AWS_SECRET_ACCESS_KEY").
func sourceDiffs(base, head []config.Source) []string {
	flat := func(ss []config.Source) map[string]map[string]string {
		out := map[string]map[string]string{}
		for _, s := range ss {
			m := map[string]string{}
			var tree any
			if b, err := yaml.Marshal(s); err == nil && yaml.Unmarshal(b, &tree) == nil {
				flatten("", tree, m)
			}
			out[s.Name] = m
		}
		return out
	}
	b, h := flat(base), flat(head)
	var diffs []string
	for name, hm := range h {
		bm, ok := b[name]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("source %s is not in the base config", name))
			continue
		}
		for _, k := range unionKeys(bm, hm) {
			if bm[k] != hm[k] {
				diffs = append(diffs, fmt.Sprintf("source %s: %s %s → %s", name, k, markdown.OrNone(bm[k]), markdown.OrNone(hm[k])))
			}
		}
	}
	for name := range b {
		if _, ok := h[name]; !ok {
			diffs = append(diffs, fmt.Sprintf("source %s is missing", name))
		}
	}
	sort.Strings(diffs)
	return diffs
}

func flatten(prefix string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			flatten(key, e, out)
		}
	case []any:
		for i, e := range x {
			flatten(fmt.Sprintf("%s[%d]", prefix, i), e, out)
		}
	default:
		out[prefix] = fmt.Sprint(x)
	}
}

func unionKeys(a, b map[string]string) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]string{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// inside reports whether p is dir or under it, symlinks resolved where
// they exist.
func inside(dir, p string) bool {
	real := func(s string) string {
		if r, err := filepath.EvalSymlinks(s); err == nil {
			return r
		}
		return filepath.Clean(s)
	}
	rel, err := filepath.Rel(real(dir), real(p))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
