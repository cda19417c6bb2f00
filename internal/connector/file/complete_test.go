package file

import (
	"strings"
	"testing"
)

func TestDecodeNeverCompletesPartialData(t *testing.T) {
	for _, tc := range []struct {
		name, body, says string
	}{
		{"should refuse a snapshot without sources", `{"schema_version": 1, "items": [{"key": "X-1", "source": "j", "tracker": "jira", "title": "x"}]}`, "no sources"},
		{"should refuse a snapshot with an empty sources list", `{"schema_version": 1, "sources": [], "items": []}`, "no sources"},
		{"should refuse items of a source with no status", `{"schema_version": 1, "sources": [{"name": "gh", "kind": "github", "complete": true}], "items": [{"key": "X-1", "source": "j", "tracker": "jira", "title": "x"}]}`, `source "j", which has no entry in sources`},
		{"should refuse a source status without a name", `{"schema_version": 1, "sources": [{"kind": "github", "complete": true}], "items": []}`, "sources[0] has no name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode("s.json", []byte(tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("err = %v, want %q", err, tc.says)
			}
		})
	}
	t.Run("should read a snapshot whose every item has a status", func(t *testing.T) {
		if _, err := Decode("s.json", []byte(snap)); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzDecode checks that no input panics the snapshot reader, and that
// what it accepts always says, per item, whether its source was complete.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(snap))
	f.Add([]byte(`{"schema_version": 1, "items": []}`))
	f.Add([]byte(`{"schema_version": 1, "sources": [{"name": "a", "complete": false}], "items": [{"key": "K", "source": "a", "tracker": "github"}]}`))
	f.Add([]byte(`{"schema_version": 1, "items": [`))
	f.Add([]byte("{\"schema_version\": 1, \"items\": [{\"key\": \"\xff\", \"tracker\": \"jira\", \"created\": \"x\"}]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Decode("s.json", data)
		if err != nil {
			return
		}
		status := map[string]bool{}
		for _, st := range s.Sources {
			status[st.Name] = true
		}
		if len(s.Sources) == 0 {
			t.Fatalf("accepted a snapshot without sources: %q", data)
		}
		for _, it := range s.Items {
			if !status[it.Source] || it.Key == "" {
				t.Fatalf("accepted item %q of source %q without a status: %q", it.Key, it.Source, data)
			}
		}
	})
}
