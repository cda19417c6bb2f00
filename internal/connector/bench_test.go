package connector_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/connector"
)

// BenchmarkClient measures one GET of the recorded 7 KB GitHub issues page
// through each layer against a local server: the overhead of the plumbing,
// not of the network.
//
//	go test -run '^$' -bench . -benchmem ./internal/connector/
func BenchmarkClient(b *testing.B) {
	rec := issuesPage1(b)
	etag := fmt.Sprint(rec.Headers["etag"])
	for _, bc := range []struct {
		name         string
		cacheControl string // of the server's answers
		client       func(dir string) *http.Client
		wantCache    string
	}{
		{"bare net/http", "private, max-age=0", func(string) *http.Client {
			return &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		}, ""},
		{"retry layer", "private, max-age=0", func(string) *http.Client {
			return connector.NewHTTPClient(connector.HTTPOptions{})
		}, ""},
		{"cache revalidated by 304", "private, max-age=0", func(dir string) *http.Client {
			return connector.NewHTTPClient(connector.HTTPOptions{CacheDir: dir})
		}, connector.CacheRevalidated},
		{"cache fresh (no request)", "private, max-age=600", func(dir string) *http.Client {
			return connector.NewHTTPClient(connector.HTTPOptions{CacheDir: dir})
		}, connector.CacheFresh},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("If-None-Match") == etag {
					w.Header().Set("ETag", etag)
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Header().Set("Date", httpNow())
				serveRecorded(w, rec, bc.cacheControl)
			}))
			defer s.Close()
			c := bc.client(b.TempDir())
			get := func() string {
				req, _ := http.NewRequest(http.MethodGet, s.URL+rec.Path, nil)
				req.Header.Set("Authorization", "Bearer ghp_bench")
				resp, err := c.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				return resp.Header.Get(connector.CacheHeader)
			}
			get() // warm the cache and the connection
			b.ResetTimer()
			for b.Loop() {
				if got := get(); got != bc.wantCache {
					b.Fatalf("%s = %q, want %q", connector.CacheHeader, got, bc.wantCache)
				}
			}
		})
	}
}

// BenchmarkRedact measures redacting a 4 KiB error body with two secrets.
func BenchmarkRedact(b *testing.B) {
	body := strings.Repeat(`{"errorMessages":["Field 'customfield_10020' cannot be set."],"x":"aGVsbG8gd29ybGQ="}`, 60)[:4096]
	secrets := []string{"fake-jira-api-token-value", "po@acme.example:fake-jira-api-token-value"}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		connector.Redact(body, secrets)
	}
}
