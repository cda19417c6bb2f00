package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	gh "github.com/google/go-github/v60/github"
)

// TestPageCeiling: a listing nothing else bounds (a repository named in
// repos) ends at pageCeiling when the server invents fresh entries on
// every page, whether it chains rel="next" or claims a huge rel="last".
func TestPageCeiling(t *testing.T) {
	linkResp := func(link string) *gh.Response {
		h := http.Header{}
		h.Set("Link", link)
		return &gh.Response{Response: &http.Response{Header: h}}
	}
	tests := []struct {
		name      string
		link      func(n int) string
		wantErr   string
		wantPages int64
	}{
		{name: "should stop an endless rel=next chain of fresh pages at the ceiling",
			link:      func(n int) string { return fmt.Sprintf(`<https://api.example/x?page=%d>; rel="next"`, n+1) },
			wantErr:   fmt.Sprintf("names page %d, more than the %d pages", pageCeiling+1, pageCeiling),
			wantPages: pageCeiling},
		{name: "should stop at page 1 when rel=last claims more than the ceiling",
			link: func(n int) string {
				return `<https://api.example/x?page=2>; rel="next", <https://api.example/x?page=300000>; rel="last"`
			},
			wantErr:   `claims 300000 pages in its rel="last"`,
			wantPages: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pages atomic.Int64
			l := &listing{what: "read issues of acme/big", first: "https://api.example/x?page=1",
				read: func(_ context.Context, _ string, n int) ([]string, *gh.Response, error) {
					pages.Add(1)
					return []string{fmt.Sprint(n)}, linkResp(tt.link(n)), nil
				}}
			err := readListings(context.Background(), 4, []*listing{l})
			if err == nil || !errors.Is(err, errPaging) {
				t.Fatalf("readListings = %v, want a paging error", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "read issues of acme/big") {
				t.Errorf("error %q should name the listing and say %q", err, tt.wantErr)
			}
			if got := pages.Load(); got != tt.wantPages {
				t.Errorf("read %d pages, want %d", got, tt.wantPages)
			}
		})
	}
}
