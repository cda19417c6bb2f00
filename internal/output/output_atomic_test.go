package output

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteIsAtomic fails the write between the complete temporary file and
// the rename: the previous file must be whole and no temporary file left.
// The hook also sees both files at that moment, so a write that stopped
// going through a temporary file (or wrote the target first) fails here.
func TestWriteIsAtomic(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(p string, data []byte) error
	}{
		{"WriteFile", func(p string, data []byte) error { return WriteFile(p, data, ModeShared) }},
		{"WriteNew", func(p string, data []byte) error { return WriteNew(p, data, ModeShared) }},
	} {
		t.Run("should keep the previous file whole when "+tc.name+" fails before the rename", func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "report.json")
			old := strings.Repeat("old ", 1000)
			if tc.name == "WriteFile" {
				if err := os.WriteFile(p, []byte(old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data := strings.Repeat("new ", 2000)
			boom := errors.New("disk gone")
			called := false
			defer func(h func(string, string) error) { beforeRename = h }(beforeRename)
			beforeRename = func(tmp, target string) error {
				called = true
				if filepath.Dir(tmp) != dir || tmp == target {
					t.Errorf("temporary file %s, target %s: want a separate file in the same folder", tmp, target)
				}
				if got, err := os.ReadFile(tmp); err != nil || string(got) != data {
					t.Errorf("temporary file holds %d bytes (%v), want the whole new content", len(got), err)
				}
				got, err := os.ReadFile(p)
				if tc.name == "WriteFile" && string(got) != old {
					t.Errorf("the target changed before the rename (%d bytes, %v)", len(got), err)
				}
				if tc.name == "WriteNew" && err == nil {
					t.Error("the target exists before the link")
				}
				return boom
			}
			err := tc.write(p, []byte(data))
			if !called {
				t.Fatal("the write did not go through a temporary file renamed into place")
			}
			if !errors.Is(err, boom) || !strings.Contains(err.Error(), p) {
				t.Fatalf("err = %v, want the failure naming the file", err)
			}
			got, rerr := os.ReadFile(p)
			switch tc.name {
			case "WriteFile":
				if string(got) != old {
					t.Errorf("previous file not intact: %d bytes, %v", len(got), rerr)
				}
			case "WriteNew":
				if rerr == nil {
					t.Errorf("a file was left at the target: %d bytes", len(got))
				}
			}
			assertNoTemp(t, dir)
		})
	}
}
