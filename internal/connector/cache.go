package connector

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"path/filepath"
	"sync"

	"github.com/gregjones/httpcache"
	"github.com/peterbourgon/diskv"
)

// CacheHeader is set on every GET answer that went through the disk cache:
//
//	CacheMiss         the answer came from the server (and may now be stored)
//	CacheFresh        served from disk without any request (still fresh by
//	                  its Cache-Control max-age: GitHub sends max-age=60)
//	CacheRevalidated  the server answered 304 Not Modified to a conditional
//	                  request (If-None-Match / If-Modified-Since) and the
//	                  stored body was served
//
// httpcache's own "X-From-Cache: 1" is also set on the last two; go-github
// then leaves its rate-limit state alone.
const CacheHeader = "X-Pomlint-Cache"

// Values of CacheHeader.
const (
	CacheMiss        = "miss"
	CacheFresh       = "fresh"
	CacheRevalidated = "revalidated"
)

// cacheVersion names the on-disk layout, so a change can start afresh.
const cacheVersion = "v1"

// cacheTransport is the outermost layer: an RFC 7234 private cache on disk
// (gregjones/httpcache + diskcache) for GET requests only.
//
// httpcache keys entries by URL alone and, for a response that says
// "Vary: Authorization" (GitHub's do), writes the request's Authorization
// value into the stored response as X-Varied-Authorization — a token in
// clear on disk. So this layer removes Authorization before httpcache sees
// the request and puts it back below it, and instead keeps one cache
// directory per (source, credential): the directory name is a SHA-256 of
// both, so no token is stored, and one token's answers are never served to
// another.
type cacheTransport struct {
	dir    string
	source string
	retry  *Transport

	mu     sync.Mutex
	spaces map[string]*httpcache.Transport
}

func newCacheTransport(dir, source string, retry *Transport) *cacheTransport {
	return &cacheTransport{dir: dir, source: source, retry: retry, spaces: map[string]*httpcache.Transport{}}
}

// cacheProbe carries, through httpcache, the credentials it must not see and
// whether the server answered 304.
type cacheProbe struct {
	auth        []string
	notModified bool
}

type cacheProbeKey struct{}

// RoundTrip serves GET requests through the cache and sends others on.
func (c *cacheTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet || req.Header.Get("Range") != "" {
		return c.retry.RoundTrip(req)
	}
	auth := req.Header.Values("Authorization")
	probe := &cacheProbe{auth: auth}
	r := req.Clone(context.WithValue(req.Context(), cacheProbeKey{}, probe))
	r.Header.Del("Authorization")
	resp, err := c.space(auth).RoundTrip(r)
	if err != nil {
		return nil, err
	}
	switch {
	case probe.notModified:
		resp.Header.Set(CacheHeader, CacheRevalidated)
	case resp.Header.Get(httpcache.XFromCache) != "":
		resp.Header.Set(CacheHeader, CacheFresh)
	default:
		resp.Header.Set(CacheHeader, CacheMiss)
	}
	resp.Request = req
	return resp, nil
}

// space returns the httpcache transport of one (source, credential).
func (c *cacheTransport) space(auth []string) *httpcache.Transport {
	h := sha256.New()
	h.Write([]byte("pomlint http cache\x00" + c.source))
	for _, a := range auth {
		h.Write([]byte("\x00" + a))
	}
	name := hex.EncodeToString(h.Sum(nil))[:32]

	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.spaces[name]; ok {
		return t
	}
	d := diskv.New(diskv.Options{
		BasePath:     filepath.Join(c.dir, cacheVersion, name),
		TempDir:      filepath.Join(c.dir, cacheVersion, "tmp"), // atomic writes: concurrent runs never read half a file
		CacheSizeMax: 16 << 20,                                  // in-memory copy of hot entries
		PathPerm:     0o700,                                     // answers may be private issues
		FilePerm:     0o600,
	})
	store := &diskStore{d: d, confirmed: map[string]bool{}}
	t := httpcache.NewTransport(store)
	t.Transport = reauth{next: c.retry, store: store}
	c.spaces[name] = t
	return t
}

// reauth sits below httpcache: it restores the Authorization header the
// cache layer removed and notes a 304.
type reauth struct {
	next  http.RoundTripper
	store *diskStore
}

func (a reauth) RoundTrip(req *http.Request) (*http.Response, error) {
	probe, _ := req.Context().Value(cacheProbeKey{}).(*cacheProbe)
	if probe != nil && len(probe.auth) > 0 {
		req = req.Clone(req.Context())
		req.Header["Authorization"] = probe.auth
	}
	resp, err := a.next.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusNotModified {
		if probe != nil {
			probe.notModified = true
		}
		// httpcache re-stores the whole entry after a 304 only to refresh
		// its headers; diskStore skips that write. httpcache's key for a
		// GET is the URL.
		a.store.confirm(req.URL.String())
	}
	return resp, err
}

// diskStore is httpcache's diskcache without its fsync on every write:
// httpcache re-stores an entry after each 304, and an fsync there cost
// ~5 ms per revalidated request. Writes still go through TempDir and a
// rename, so a reader never sees half an entry; an entry lost in a crash is
// only a cache miss.
//
// It also skips the write httpcache makes after every 304 (the unchanged
// body again, to refresh Date and X-RateLimit-*): on a warm run that was a
// 100-300 KB rewrite per page under diskv's single write lock. The entry
// keeps its old Date, so it is revalidated (a free 304) rather than served
// fresh within max-age.
type diskStore struct {
	d *diskv.Diskv

	mu        sync.Mutex
	confirmed map[string]bool // keys a 304 just confirmed
}

// confirm marks key as revalidated: its next Set rewrites nothing new.
func (s *diskStore) confirm(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.confirmed[key] = true
}

func (s *diskStore) Get(key string) ([]byte, bool) {
	b, err := s.d.Read(storeKey(key))
	return b, err == nil
}

func (s *diskStore) Set(key string, b []byte) {
	s.mu.Lock()
	skip := s.confirmed[key]
	delete(s.confirmed, key)
	s.mu.Unlock()
	if !skip {
		_ = s.d.Write(storeKey(key), b)
	}
}

func (s *diskStore) Delete(key string) {
	s.mu.Lock()
	delete(s.confirmed, key)
	s.mu.Unlock()
	_ = s.d.Erase(storeKey(key))
}

// storeKey names the file of a cache key (the request URL, which may hold
// query parameters best kept out of file names).
func storeKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
