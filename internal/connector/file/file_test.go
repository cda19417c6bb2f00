package file

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
)

const snap = `{"schema_version": 1, "tool": {"name": "pomlint", "version": "t"},
 "sources": [{"name": "jira", "kind": "jira", "items": 1, "complete": true}, {"name": "gh", "kind": "github", "items": 1, "complete": true}],
 "items": [
  {"key": "PAY-1", "source": "jira", "tracker": "jira", "title": "Epic", "level": "strategic", "team": "payments",
   "owner": {"account": {"tracker": "jira", "login": "a"}, "person": "alice", "via": "assignee"}},
  {"key": "acme/x#2", "source": "gh", "tracker": "github", "title": "Task"}
 ],
 "events": [
  {"item": "PAY-1", "at": "2026-03-01T00:00:00Z", "field": "assignee", "to_account": {"tracker": "jira", "login": "a"}},
  {"item": "PAY-1", "at": "2025-01-01T00:00:00Z", "field": "assignee", "to_account": {"tracker": "jira", "login": "b"}}
 ]}`

func newConn(t *testing.T, body string, sources ...string) connector.Connector {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "s.json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := New(config.Source{Name: "demo", Kind: KindName, Block: &Source{Path: "s.json", Sources: sources}}, connector.Env{ConfigDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFetch(t *testing.T) {
	t.Run("should read every item, relabelled and with its resolution cleared", func(t *testing.T) {
		items, err := newConn(t, snap).Fetch(context.Background(), connector.FetchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 2 || items[0].Source != "demo" || items[0].Level != "" || items[0].Owner != nil || items[0].Team != "" {
			t.Fatalf("items = %+v", items)
		}
	})
	t.Run("should keep only the selected snapshot sources", func(t *testing.T) {
		items, err := newConn(t, snap, "gh").Fetch(context.Background(), connector.FetchOptions{})
		if err != nil || len(items) != 1 || items[0].Key != "acme/x#2" {
			t.Fatalf("items = %+v, %v", items, err)
		}
	})
	t.Run("should serve events in the window, in time order", func(t *testing.T) {
		c := newConn(t, snap)
		items, _ := c.Fetch(context.Background(), connector.FetchOptions{})
		h, err := c.(connector.HistoryFetcher).History(context.Background(), items, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(h["PAY-1"]) != 1 || h["PAY-1"][0].ToAccount.Login != "a" {
			t.Fatalf("history = %+v", h)
		}
	})
	t.Run("should honour a cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := newConn(t, snap).Fetch(ctx, connector.FetchOptions{}); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestFetchBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
		sources          []string
	}{
		{"should reject invalid JSON with its position", "{\n  \"schema_version\": 1,\n  \"items\": [}", "not valid JSON: line 3", nil},
		{"should call a cut-off file truncated", `{"schema_version": 1, "items": [`, "truncated JSON", nil},
		{"should reject a schema version from the future", `{"schema_version": 3}`, "schema_version 3, this pomlint reads 1 and 2", nil},
		{"should reject a file that is no snapshot", `{"items": []}`, "no schema_version", nil},
		{"should reject an item without a key", `{"schema_version": 1, "items": [{"tracker": "jira", "title": "x"}]}`, "items[0] has no key", nil},
		{"should reject a malformed tracker name", `{"schema_version": 2, "items": [{"key": "X-1", "tracker": "Git Lab", "title": "x"}]}`, "tracker \"Git Lab\" is not a tracker name", nil},
		{"should reject an item without a tracker", `{"schema_version": 2, "items": [{"key": "X-1", "title": "x"}]}`, "tracker \"\" is not a tracker name", nil},
		{"should reject a duplicate item", `{"schema_version": 1, "items": [{"key": "X-1", "tracker": "jira", "title": "x"}, {"key": "X-1", "tracker": "jira", "title": "y"}]}`, "appears twice", nil},
		{"should reject a wrong type", `{"schema_version": 1, "items": [{"key": 5, "tracker": "jira", "title": "x"}]}`, "field items.key: expected a string", nil},
		{"should reject a selection that matches nothing", snap, "has no items from sources [other]", []string{"other"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newConn(t, tc.body, tc.sources...).Fetch(context.Background(), connector.FetchOptions{})
			var ce *connector.ConfigError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a config error containing %q", err, tc.want)
			}
		})
	}
}

func TestFetchIncompleteSnapshot(t *testing.T) {
	body := strings.Replace(snap, `"sources": [{"name": "jira", "kind": "jira", "items": 1, "complete": true}, {"name": "gh", "kind": "github", "items": 1, "complete": true}]`, `"sources": [{"name": "jira", "kind": "jira", "items": 1, "complete": false, "error": "fetch: 429 after 6 retries"}, {"name": "gh", "kind": "github", "items": 1, "complete": true, "error": ""}]`, 1)
	t.Run("should stay incomplete when read back", func(t *testing.T) {
		items, err := newConn(t, body).Fetch(context.Background(), connector.FetchOptions{})
		var ce *connector.ConfigError
		if err == nil || errors.As(err, &ce) || !strings.Contains(err.Error(), "records incomplete source(s): jira (fetch: 429 after 6 retries)") {
			t.Fatalf("err = %v, want a fetch error (exit 3), not a config error", err)
		}
		if len(items) != 2 {
			t.Fatalf("the partial items should still be returned, got %d", len(items))
		}
	})
	t.Run("should be complete when only complete sources are selected", func(t *testing.T) {
		if _, err := newConn(t, body, "gh").Fetch(context.Background(), connector.FetchOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestFetchReadableDecodeErrors(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"should explain a bad time", `{"schema_version": 1, "items": [{"key": "X-1", "tracker": "jira", "title": "x", "created": "yesterday"}]}`, `"yesterday" is not a time: times are RFC 3339`},
		{"should name an unknown field and the schema", `{"schema_version": 1, "items": [{"key": "X-1", "tracker": "jira", "title": "x", "colour": "red"}]}`, `unknown field "colour": a snapshot of schema_version 1 has no such field`},
		{"should say a list was expected", `{"schema_version": 1, "items": [{"key": "X-1", "tracker": "jira", "title": "x", "labels": "bug"}]}`, `field items.labels: expected a list, got JSON string`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newConn(t, tc.body).Fetch(context.Background(), connector.FetchOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
