package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/connector/file"
)

const previewSnapshot = `{"schema_version": 1, "tool": {"name": "pomlint", "version": "0.1.0"}, "generated_at": "2026-11-27T02:00:00Z",
"sources": [{"name": "f", "kind": "github", "items": 1, "complete": true}],
"items": [{"key": "acme/app#1", "source": "f", "tracker": "github", "url": "https://github.com/acme/app/issues/1", "title": "one", "type": "Story", "state": "open"}]}`

// TestPolicyPreviewSeparateCheckouts: the head's file sources are the
// base's and are read from the base's folder, so they are not looked for in
// the head's (a pull request checked out beside the base has no data file).
func TestPolicyPreviewSeparateCheckouts(t *testing.T) {
	t.Run("should not look for the head's file sources in the head's folder", func(t *testing.T) {
		dir := t.TempDir()
		previewWrite(t, filepath.Join(dir, "base", "pomlint.yaml"), previewTestConfig)
		previewWrite(t, filepath.Join(dir, "base", "backlog.json"), previewSnapshot)
		previewWrite(t, filepath.Join(dir, "head", "pomlint.yaml"), previewTestConfig)
		a := &App{Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) },
			Registry: connector.Registry{file.KindName: file.New}, Kinds: testKinds, WorkDir: dir}
		p, err := a.PolicyPreview(context.Background(), DriftOptions{BaseConfig: "base/pomlint.yaml", HeadConfig: "head/pomlint.yaml"})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Head.Items) != 1 || p.HeadConfig.Config.Dir != filepath.Join(dir, "base") {
			t.Fatalf("head items %d, folder %s: want the base's data", len(p.Head.Items), p.HeadConfig.Config.Dir)
		}
	})
	t.Run("should still report the head's own problems", func(t *testing.T) {
		dir := t.TempDir()
		previewWrite(t, filepath.Join(dir, "base", "pomlint.yaml"), previewTestConfig)
		previewWrite(t, filepath.Join(dir, "base", "backlog.json"), previewSnapshot)
		previewWrite(t, filepath.Join(dir, "head", "pomlint.yaml"), previewTestConfig+"exceptions:\n  - {rule: OWN001, item: x, source: nope}\n")
		a := &App{Registry: connector.Registry{file.KindName: file.New}, Kinds: testKinds, WorkDir: dir}
		_, err := a.PolicyPreview(context.Background(), DriftOptions{BaseConfig: "base/pomlint.yaml", HeadConfig: "head/pomlint.yaml"})
		if err == nil {
			t.Fatal("a head config with an unknown exception source was accepted")
		}
	})
}
