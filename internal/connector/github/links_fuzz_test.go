package github

import (
	"net/http"
	"strings"
	"testing"

	gh "github.com/google/go-github/v60/github"
)

// FuzzParseLinks checks that no Link header panics the pager, and that the
// next and last URLs it returns are ones the header names between < >.
func FuzzParseLinks(f *testing.F) {
	f.Add(`<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last"`)
	f.Add(`<>; rel="next"`)
	f.Add(`<https://x/?page=-3>; rel="last"; rel="next",,;`)
	f.Add("<https://x/?page=99999999999999999999999>; rel=\"last\"")
	f.Add("<\xff>; rel=\"next\"")
	f.Fuzz(func(t *testing.T, header string) {
		resp := &gh.Response{Response: &http.Response{Header: http.Header{"Link": {header}}}}
		l := parseLinks(resp)
		for _, u := range []string{l.next, l.last} {
			if u != "" && !strings.Contains(header, "<"+u+">") {
				t.Fatalf("URL %q is not in the header %q", u, header)
			}
		}
		if l.lastPage < 0 || (l.last == "" && l.lastPage != 0) {
			t.Fatalf("lastPage %d with last %q", l.lastPage, l.last)
		}
	})
}
