package connector_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/connector"
)

// recorded is one exchange of an octokit/fixtures recording.
type recorded struct {
	Path     string            `json:"path"`
	Status   int               `json:"status"`
	Response json.RawMessage   `json:"response"`
	Headers  map[string]any    `json:"headers"`
	ReqHead  map[string]string `json:"reqheaders"`
}

// issuesPage1 returns page 1 of the recorded GitHub issues listing.
func issuesPage1(t testing.TB) recorded {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "octokit-paginate-issues.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pages []recorded
	if err := json.Unmarshal(b, &pages); err != nil {
		t.Fatal(err)
	}
	return pages[0]
}

// serveRecorded writes rec's status, headers and body. GitHub also sends
// "Vary: Accept, Authorization, Cookie, X-GitHub-OTP", which the
// normalised recording drops; it is added back because it is what would
// make httpcache store the token.
func serveRecorded(w http.ResponseWriter, rec recorded, cacheControl string) {
	for k, v := range rec.Headers {
		switch strings.ToLower(k) {
		case "content-length", "connection", "date":
			continue
		}
		w.Header().Set(k, fmt.Sprint(v))
	}
	w.Header().Set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
	if cacheControl != "" {
		w.Header().Set("Cache-Control", cacheControl)
	}
	w.WriteHeader(rec.Status)
	w.Write(rec.Response)
}

func TestCache(t *testing.T) {
	const token = "fake-cache-test-token"
	rec := issuesPage1(t)
	etag := fmt.Sprint(rec.Headers["etag"])

	getWith := func(t *testing.T, c *http.Client, url, auth string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body) // to EOF, so httpcache stores it
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		return resp
	}

	t.Run("should serve a 304 from the cache and mark it revalidated", func(t *testing.T) {
		var seen []string
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			seen = append(seen, r.Header.Get("If-None-Match")+"|"+r.Header.Get("Authorization"))
			if r.Header.Get("If-None-Match") == etag {
				w.Header().Set("ETag", etag)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			serveRecorded(w, rec, "private, max-age=0")
		})
		h := newHarness(t, func(o *connector.HTTPOptions) { o.CacheDir = t.TempDir() })
		first := getWith(t, h.client, s.URL+rec.Path, "Bearer "+token)
		second := getWith(t, h.client, s.URL+rec.Path, "Bearer "+token)
		assertRequests(t, s, 2)
		if got := first.Header.Get(connector.CacheHeader); got != connector.CacheMiss {
			t.Errorf("first %s = %q, want miss", connector.CacheHeader, got)
		}
		if got := second.Header.Get(connector.CacheHeader); got != connector.CacheRevalidated || second.Header.Get("X-From-Cache") != "1" {
			t.Errorf("second answer headers = %v, want revalidated and X-From-Cache", second.Header)
		}
		b1, _ := io.ReadAll(first.Body)
		b2, _ := io.ReadAll(second.Body)
		if second.StatusCode != 200 || !bytes.Equal(b1, b2) || !bytes.Equal(b2, rec.Response) {
			t.Errorf("second answer: %d, %d bytes; want 200 and the stored body", second.StatusCode, len(b2))
		}
		// The server still got the credentials, and the validator.
		want := []string{"|Bearer " + token, etag + "|Bearer " + token}
		if len(seen) != 2 || seen[0] != want[0] || seen[1] != want[1] {
			t.Errorf("server saw %q, want %q", seen, want)
		}
	})

	t.Run("should revalidate with If-Modified-Since", func(t *testing.T) {
		const lastModified = "Mon, 02 Mar 2026 09:00:00 GMT"
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-Modified-Since") == lastModified {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Last-Modified", lastModified)
			w.Header().Set("Cache-Control", "no-cache")
			fmt.Fprint(w, `{"id":"10000","key":"PAY-1"}`)
		})
		h := newHarness(t, func(o *connector.HTTPOptions) { o.CacheDir = t.TempDir() })
		getWith(t, h.client, s.URL+"/rest/api/3/issue/PAY-1", "")
		second := getWith(t, h.client, s.URL+"/rest/api/3/issue/PAY-1", "")
		assertRequests(t, s, 2)
		b, _ := io.ReadAll(second.Body)
		if second.Header.Get(connector.CacheHeader) != connector.CacheRevalidated || string(b) != `{"id":"10000","key":"PAY-1"}` {
			t.Errorf("second = %v %q, want revalidated", second.Header, b)
		}
	})

	t.Run("should serve GitHub's max-age=60 answer with no request while fresh", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Date", httpNow())
			serveRecorded(w, rec, "") // the recording's own private, max-age=60
		})
		h := newHarness(t, func(o *connector.HTTPOptions) { o.CacheDir = t.TempDir() })
		getWith(t, h.client, s.URL+rec.Path, "Bearer "+token)
		second := getWith(t, h.client, s.URL+rec.Path, "Bearer "+token)
		assertRequests(t, s, 1)
		if got := second.Header.Get(connector.CacheHeader); got != connector.CacheFresh {
			t.Errorf("%s = %q, want fresh", connector.CacheHeader, got)
		}
	})

	t.Run("should never write a token to disk", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			serveRecorded(w, rec, "private, max-age=0")
		})
		dir := t.TempDir()
		h := newHarness(t, func(o *connector.HTTPOptions) { o.CacheDir = dir })
		basic := "Basic " + basicAuth("po@acme.example", token)
		getWith(t, h.client, s.URL+rec.Path, "Bearer "+token)
		getWith(t, h.client, s.URL+"/other", basic)
		files := 0
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			files++
			b, _ := os.ReadFile(path)
			if bytes.Contains(b, []byte(token)) || bytes.Contains(b, []byte(basic)) || bytes.Contains(b, []byte("X-Varied-Authorization")) {
				t.Errorf("%s holds the credentials", path)
			}
			if info, _ := d.Info(); info.Mode().Perm()&0o077 != 0 {
				t.Errorf("%s is readable by others: %v", path, info.Mode())
			}
			return nil
		})
		if files != 2 {
			t.Errorf("cache holds %d files, want 2", files)
		}
	})

	t.Run("should keep one credential's answers from another", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Date", httpNow())
			w.Header().Set("Cache-Control", "private, max-age=60")
			fmt.Fprintf(w, "for %s", r.Header.Get("Authorization"))
		})
		h := newHarness(t, func(o *connector.HTTPOptions) { o.CacheDir = t.TempDir() })
		a := getWith(t, h.client, s.URL+"/x", "token a")
		b := getWith(t, h.client, s.URL+"/x", "token b")
		ba, _ := io.ReadAll(a.Body)
		bb, _ := io.ReadAll(b.Body)
		if string(ba) != "for token a" || string(bb) != "for token b" {
			t.Errorf("answers %q, %q: want each credential's own", ba, bb)
		}
		assertRequests(t, s, 2)
	})

	t.Run("should not cache POST", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Date", httpNow())
			w.Header().Set("Cache-Control", "private, max-age=60")
			fmt.Fprint(w, `{"data":{}}`)
		})
		dir := t.TempDir()
		h := newHarness(t, func(o *connector.HTTPOptions) { o.CacheDir = dir })
		for range 2 {
			resp, err := h.client.Post(s.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{viewer{login}}"}`))
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.Header.Get(connector.CacheHeader) != "" {
				t.Errorf("POST answer marked %q", resp.Header.Get(connector.CacheHeader))
			}
		}
		assertRequests(t, s, 2)
	})

	t.Run("should still retry below the cache", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			serveRecorded(w, rec, "private, max-age=0")
		})
		h := newHarness(t, func(o *connector.HTTPOptions) { o.CacheDir = t.TempDir() })
		resp := getWith(t, h.client, s.URL+rec.Path, "")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		assertRequests(t, s, 2)
		host := strings.TrimPrefix(s.URL, "http://")
		if rl, ok := connector.RateState(h.client, host, "core"); !ok || rl.Limit != 5000 || rl.Remaining != 4999 {
			t.Errorf("rate state through the cache = %+v, %v", rl, ok)
		}
	})

	t.Run("should hand back the response's request with its credentials", func(t *testing.T) {
		s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {})
		h := newHarness(t, func(o *connector.HTTPOptions) { o.CacheDir = t.TempDir() })
		resp := getWith(t, h.client, s.URL, "token x")
		if resp.Request.Header.Get("Authorization") != "token x" {
			t.Errorf("resp.Request lost its Authorization header")
		}
	})
}

// httpNow is the real time as a Date header: httpcache judges freshness
// by the wall clock, not the injected one.
func httpNow() string { return time.Now().UTC().Format(http.TimeFormat) }
