package jira

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestAPIErrorKeepsRunesWhole cuts long Jira error texts made of
// multi-byte characters at every byte offset: the message an APIError
// carries is valid UTF-8, whatever the cut.
func TestAPIErrorKeepsRunesWhole(t *testing.T) {
	tests := []struct {
		name string
		body func(pad string) string
	}{
		{"should keep a JSON message's runes whole", func(pad string) string {
			return `{"message":"` + pad + strings.Repeat("é", 400) + `","status-code":500}`
		}},
		{"should keep a plain-text body's runes whole", func(pad string) string {
			return pad + strings.Repeat("検索", 200)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Connector{}
			for pad := range 4 {
				body := tt.body(strings.Repeat("x", pad))
				err := c.apiError(&http.Response{StatusCode: http.StatusInternalServerError}, "GET", "rest/api/2/search", []byte(body))
				ae, ok := err.(*APIError)
				if !ok {
					t.Fatalf("error %T, want *APIError", err)
				}
				for _, m := range ae.Messages {
					if !utf8.ValidString(m) {
						t.Errorf("pad %d: message %q is cut mid-rune", pad, m)
					}
					if !strings.HasSuffix(m, "…") {
						t.Errorf("pad %d: message %q does not mark the cut", pad, m)
					}
				}
			}
		})
	}
}
