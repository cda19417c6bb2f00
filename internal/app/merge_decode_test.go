package app

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/model"
)

// TestReadShardsRefusesCorruptFiles: a file that is not a shard's output is
// a usage error (exit 2, docs/sharding.md) naming the file, never a panic.
func TestReadShardsRefusesCorruptFiles(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"sources of the wrong type", `{"sources": 5}`},
		{"a source count of the wrong type", `{"sources": [{"name": "gh", "items": "x"}]}`},
		{"a shard of the wrong type", `{"shard": [1, 2]}`},
		{"items of the wrong type", `{"items": {"a": 1}}`},
		{"an item of the wrong type", `{"items": [{"key": 5}]}`},
		{"truncated", `{"sources": [{"name": "gh", "items": 2}], "items": [{"source": "gh", "key": "a#1"`},
		{"truncated after a key", `{"sources"`},
		{"not JSON", "sources: 5\n"},
		{"a JSON array", `[1, 2]`},
		{"empty", ``},
	} {
		t.Run("should refuse "+tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "x.json"), []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			a := &App{Kinds: testKinds, WorkDir: dir}
			_, err := a.ReadShards([]string{"x.json"})
			var ae *Error
			if !errors.As(err, &ae) || ae.Code != model.ExitUsage {
				t.Fatalf("err = %v, want a usage error (exit 2)", err)
			}
			if !strings.Contains(err.Error(), "x.json") {
				t.Errorf("err = %v, want it to name the file", err)
			}
		})
	}
}

// TestDecodeShardFileIgnoresAbsurdCounts: the source counts only size the
// item slice, so a negative or huge count neither panics nor allocates it.
func TestDecodeShardFileIgnoresAbsurdCounts(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"negative", `{"sources": [{"name": "gh", "items": -5}], "items": [{"source": "gh", "key": "a#1"}]}`},
		{"huge", `{"sources": [{"name": "gh", "items": 9000000000000000000}, {"name": "j", "items": 9000000000000000000}], "items": [{"source": "gh", "key": "a#1"}]}`},
	} {
		t.Run("should decode a "+tc.name+" count", func(t *testing.T) {
			sf, err := decodeShardFile(strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if len(sf.Items) != 1 || cap(sf.Items) > 2<<20 {
				t.Fatalf("items = %d (cap %d), want 1 with a bounded capacity", len(sf.Items), cap(sf.Items))
			}
		})
	}
}

// FuzzDecodeShardFile: any input decodes or fails with an error.
func FuzzDecodeShardFile(f *testing.F) {
	f.Add([]byte(`{"sources": [{"name": "gh", "kind": "github", "complete": true, "items": 1}], "shard": {"index": 1, "count": 2}, "items": [{"source": "gh", "key": "a#1"}]}`))
	f.Add([]byte(`{"sources": 5}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := decodeShardFile(bytes.NewReader(data))
		if err == nil && sf == nil {
			t.Fatal("nil file without an error")
		}
	})
}
