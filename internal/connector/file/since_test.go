package file

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
)

func TestFetchSince(t *testing.T) {
	tests := []struct {
		name    string
		since   time.Time
		notices int
	}{
		{"should say that --since does not narrow a snapshot, and read it whole", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 1},
		{"should say nothing without --since", time.Time{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "s.json"), []byte(snap), 0o644); err != nil {
				t.Fatal(err)
			}
			var got []connector.Notice
			env := connector.Env{ConfigDir: dir, Notify: func(n connector.Notice) { got = append(got, n) }}
			c, err := New(config.Source{Name: "demo", Kind: KindName, Block: &Source{Path: "s.json"}}, env)
			if err != nil {
				t.Fatal(err)
			}
			items, err := c.Fetch(context.Background(), connector.FetchOptions{Since: tt.since})
			if err != nil || len(items) != 2 {
				t.Fatalf("items %d, err %v; want both items", len(items), err)
			}
			if len(got) != tt.notices {
				t.Fatalf("notices = %+v, want %d", got, tt.notices)
			}
			if tt.notices > 0 && (got[0].Source != "demo" || got[0].Level != "warn" || !strings.Contains(got[0].Message, "--since")) {
				t.Errorf("notice = %+v", got[0])
			}
		})
	}
}
