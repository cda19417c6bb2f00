package github

import (
	"context"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
)

// BenchmarkFetchOrg reads an organisation of 10 repositories × 1,000 open
// issues from the fake with 30 ms latency per request. It reports the
// requests made against the floor (one per 100 issues per repository plus
// the repository listing), the speed-up over a sequential fetch
// (concurrency 1) of the same data, a cold run that fills a new cache, and
// for a warm re-run with the cache the share of requests answered 304.
//
//	go test -run '^$' -bench FetchOrg -benchtime 3x ./internal/connector/github/
func BenchmarkFetchOrg(b *testing.B) {
	const repos, perRepo = 10, 1000
	floor := repos*(perRepo/perPage) + 1
	srv := fake.NewGitHub(fake.GitHubGenerate(repos, perRepo), fake.WithGitHubTB(b),
		fake.WithGitHubLatency(30*time.Millisecond), fake.WithGitHubCacheControl("private, max-age=0"))

	newConn := func(b *testing.B, conc int, cacheDir string) connector.Connector {
		b.Helper()
		src := config.Source{Name: "bench", Kind: KindName, Block: &Source{
			BaseURL: srv.RESTURL(), Orgs: []string{"bench"}, Concurrency: conc,
		}}
		c, err := New(src, connector.Env{
			HTTP:   connector.HTTPOptions{CacheDir: cacheDir},
			Getenv: func(string) string { return fake.GitHubToken },
		})
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	fetch := func(b *testing.B, c connector.Connector) {
		b.Helper()
		items, err := c.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(items) != repos*perRepo {
			b.Fatalf("got %d items, want %d", len(items), repos*perRepo)
		}
	}

	var sequential time.Duration
	for _, conc := range []int{1, DefaultConcurrency, 16} {
		b.Run("concurrency="+itoa(conc), func(b *testing.B) {
			c := newConn(b, conc, "")
			srv.ResetCounters()
			start := time.Now()
			for b.Loop() {
				fetch(b, c)
			}
			per := time.Since(start) / time.Duration(b.N)
			if conc == 1 {
				sequential = per
			}
			reqs := float64(srv.Requests()) / float64(b.N)
			b.ReportMetric(reqs, "requests/op")
			b.ReportMetric(float64(floor), "floor")
			b.ReportMetric(reqs/float64(floor), "x-floor")
			if sequential > 0 {
				b.ReportMetric(float64(sequential)/float64(per), "x-faster-than-sequential")
			}
		})
	}

	b.Run("cold-cache", func(b *testing.B) {
		srv.ResetCounters()
		for b.Loop() {
			fetch(b, newConn(b, DefaultConcurrency, b.TempDir()))
		}
		b.ReportMetric(float64(srv.Requests())/float64(b.N), "requests/op")
	})

	b.Run("warm-cache", func(b *testing.B) {
		dir := b.TempDir()
		fetch(b, newConn(b, DefaultConcurrency, dir)) // cold run fills the cache
		srv.ResetCounters()
		for b.Loop() {
			fetch(b, newConn(b, DefaultConcurrency, dir))
		}
		b.ReportMetric(float64(srv.Requests())/float64(b.N), "requests/op")
		b.ReportMetric(100*float64(srv.NotModified())/float64(srv.Requests()), "%304")
	})
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// BenchmarkFetchSparseOrg reads an organisation of 2,000 repositories of
// which 100 have open issues (3 each), with 30 ms latency per request, and
// reports the requests made: the 20 pages of the repository listing and one
// page per repository with open issues, since repositories whose
// open_issues_count is 0 are skipped with state open.
//
//	go test -run '^$' -bench FetchSparseOrg -benchtime 3x ./internal/connector/github/
func BenchmarkFetchSparseOrg(b *testing.B) {
	const repos, open = 2000, 100
	srv := fake.NewGitHub(sparseOrg(repos, open), fake.WithGitHubTB(b), fake.WithGitHubLatency(30*time.Millisecond))
	src := config.Source{Name: "bench", Kind: KindName, Block: &Source{BaseURL: srv.RESTURL(), Orgs: []string{"bench"}}}
	c, err := New(src, connector.Env{Getenv: func(string) string { return fake.GitHubToken }})
	if err != nil {
		b.Fatal(err)
	}
	srv.ResetCounters()
	for b.Loop() {
		items, err := c.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(items) != open*3 {
			b.Fatalf("got %d items, want %d", len(items), open*3)
		}
	}
	b.ReportMetric(float64(srv.Requests())/float64(b.N), "requests/op")
	b.ReportMetric(float64(repos/perPage+open), "floor")
}
