package jira

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/fake"
)

// BenchmarkFetch reads 5 projects × 2,000 issues from the fake with 30 ms
// latency per request, as one sequential stream (concurrency 1) and with
// the concurrent streams, and reports requests against the floor (one
// request per 100 issues plus the field list; a split Cloud search adds its
// approximate count, Data Center one page per 100 for the page overlap) and
// the speed-up over the
// sequential stream. Each case runs once untimed first, so that the fake
// answers from its caches (query results, encoded issues) and the figures
// measure the client.
//
//	go test -run '^$' -bench BenchmarkFetch -benchtime 3x -count 3 ./internal/connector/jira/
func BenchmarkFetch(b *testing.B) {
	const projects, perProject = 5, 2000
	data := fake.JiraGenerate(projects, perProject)
	for _, m := range []struct {
		name string
		mode fake.JiraMode
	}{{"cloud", fake.JiraCloud}, {"datacenter", fake.JiraDataCenter}} {
		srv := fake.NewJira(data, m.mode, fake.WithJiraLatency(30*time.Millisecond))
		run := func(b *testing.B, conc int) (time.Duration, int) {
			src := config.Source{Name: "bench", Kind: KindName, Block: &Source{
				URL: srv.URL, Deployment: m.name, JQL: "project in (P1, P2, P3, P4, P5)", Concurrency: conc}}
			c, err := New(src, connector.Env{Getenv: func(k string) string {
				return map[string]string{"JIRA_EMAIL": fake.JiraEmail, "JIRA_API_TOKEN": fake.JiraToken}[k]
			}})
			if err != nil {
				b.Fatal(err)
			}
			before := srv.Requests()
			start := time.Now()
			items, err := c.Fetch(context.Background(), connector.FetchOptions{OwnerFields: []string{"Product Owner"}})
			if err != nil || len(items) != projects*perProject {
				b.Fatalf("got %d items, err %v", len(items), err)
			}
			return time.Since(start), srv.Requests() - before
		}
		// Floor: one search page per 100 issues, plus the field list.
		floor := projects*perProject/100 + 1
		var sequential time.Duration
		b.Run(m.name+"/sequential", func(b *testing.B) {
			run(b, 1) // warm the fake's caches (query results, encoded issues)
			var total time.Duration
			var reqs int
			for b.Loop() {
				d, n := run(b, 1)
				total += d
				reqs = n
			}
			sequential = total / time.Duration(b.N)
			b.ReportMetric(float64(reqs), "requests")
			b.ReportMetric(float64(floor), "floor")
			b.ReportMetric(float64(sequential.Milliseconds()), "wall-ms")
		})
		for _, conc := range []int{4, 8} {
			b.Run(fmt.Sprintf("%s/concurrency=%d", m.name, conc), func(b *testing.B) {
				run(b, conc) // warm the fake's caches
				var total time.Duration
				var reqs int
				for b.Loop() {
					d, n := run(b, conc)
					total += d
					reqs = n
				}
				avg := total / time.Duration(b.N)
				b.ReportMetric(float64(reqs), "requests")
				b.ReportMetric(float64(floor), "floor")
				b.ReportMetric(float64(avg.Milliseconds()), "wall-ms")
				if sequential > 0 {
					b.ReportMetric(float64(sequential)/float64(avg), "x-faster")
				}
			})
		}
		srv.Close()
	}
}

// BenchmarkJiraCloudGaps reads key numbers of which a third are missing
// (gapData: drawn at random with a fixed seed, half moved away, half deleted), so
// that computed key-range bounds land on keys Jira refuses, from the fake
// with 30 ms latency per request, as one sequential stream and at the
// default concurrency (8): 5 projects × 2,000 key numbers (split by
// project), and one project of 20,000 key numbers (split by key ranges). It
// reports requests against the floor (one request per 100 issues, plus the
// field list: what the sequential stream sends), the key bounds Jira
// refused, and the speed-up over the sequential stream.
//
//	go test -run '^$' -bench BenchmarkJiraCloudGaps -benchtime 3x -count 3 ./internal/connector/jira/
func BenchmarkJiraCloudGaps(b *testing.B) {
	for _, tc := range []struct {
		name                 string
		projects, perProject int
	}{{"5x2000", 5, 2000}, {"1x20000", 1, 20000}} {
		data, visible := gapData(tc.projects, tc.perProject, false)
		srv := fake.NewJira(data, fake.JiraCloud, fake.WithJiraLatency(30*time.Millisecond))
		var ps []string
		for p := 1; p <= tc.projects; p++ {
			ps = append(ps, fmt.Sprintf("P%d", p))
		}
		jql := "project in (" + strings.Join(ps, ", ") + ")"
		floor := (visible+99)/100 + 1 // what one stream needs, with the field list
		run := func(b *testing.B, conc int) (time.Duration, int, int) {
			src := config.Source{Name: "bench", Kind: KindName, Block: &Source{
				URL: srv.URL, Deployment: "cloud", JQL: jql, Concurrency: conc}}
			c, err := New(src, connector.Env{Getenv: func(k string) string {
				return map[string]string{"JIRA_EMAIL": fake.JiraEmail, "JIRA_API_TOKEN": fake.JiraToken}[k]
			}})
			if err != nil {
				b.Fatal(err)
			}
			before, q0 := srv.Requests(), len(srv.Queries())
			start := time.Now()
			items, err := c.Fetch(context.Background(), connector.FetchOptions{OwnerFields: []string{"Product Owner"}})
			if err != nil || len(items) != visible {
				b.Fatalf("got %d items, err %v, want %d", len(items), err, visible)
			}
			d := time.Since(start)
			return d, srv.Requests() - before, countRefused(srv.Queries()[q0:], data)
		}
		var sequential time.Duration
		for _, conc := range []int{1, 0} {
			name := tc.name + "/sequential"
			if conc == 0 {
				name = tc.name + "/concurrency=default"
			}
			b.Run(name, func(b *testing.B) {
				run(b, conc) // warm the fake's caches
				var total time.Duration
				var reqs, refused int
				for b.Loop() {
					d, n, r := run(b, conc)
					total += d
					reqs, refused = n, r
				}
				avg := total / time.Duration(b.N)
				if conc == 1 {
					sequential = avg
				} else if sequential > 0 {
					b.ReportMetric(float64(sequential)/float64(avg), "x-faster")
				}
				b.ReportMetric(float64(reqs), "requests")
				b.ReportMetric(float64(floor), "floor")
				b.ReportMetric(float64(refused), "refused")
				b.ReportMetric(float64(avg.Milliseconds()), "wall-ms")
			})
		}
		srv.Close()
	}
}

// countRefused counts the queries whose key bound names a key that is not
// an issue of data (deleted or moved): Jira refuses each.
func countRefused(queries []string, data fake.JiraData) int {
	exists := map[string]bool{}
	for _, is := range data.Issues {
		exists[is.Key] = !is.Hidden
	}
	n := 0
	for _, q := range queries {
		for _, op := range []string{`issuekey >= "`, `issuekey < "`} {
			if _, rest, ok := strings.Cut(q, op); ok {
				if k, _, _ := strings.Cut(rest, `"`); !exists[k] {
					n++
					break
				}
			}
		}
	}
	return n
}

// BenchmarkJiraDCWindow reads 12,000 issues (2 projects × 6,000) from a
// fake Data Center that enforces the 10,000-issue search result window,
// with 30 ms latency per request, as one sequential stream and at the
// default concurrency: the second window starts after the last issue of
// the first. It reports requests against the floor (one page per 99
// issues, for the one-issue overlap, plus the field list).
//
//	go test -run '^$' -bench BenchmarkJiraDCWindow -benchtime 2x -count 3 ./internal/connector/jira/
func BenchmarkJiraDCWindow(b *testing.B) {
	const projects, perProject = 2, 6000
	data := fake.JiraGenerate(projects, perProject)
	srv := fake.NewJira(data, fake.JiraDataCenter, fake.WithJiraLatency(30*time.Millisecond))
	defer srv.Close()
	floor := (projects*perProject+98)/99 + 1
	run := func(b *testing.B, conc int) (time.Duration, int) {
		src := config.Source{Name: "bench", Kind: KindName, Block: &Source{
			URL: srv.URL, Deployment: "datacenter", JQL: "project in (P1, P2)", Concurrency: conc}}
		c, err := New(src, connector.Env{Getenv: func(k string) string {
			return map[string]string{"JIRA_API_TOKEN": fake.JiraToken}[k]
		}})
		if err != nil {
			b.Fatal(err)
		}
		before := srv.Requests()
		start := time.Now()
		items, err := c.Fetch(context.Background(), connector.FetchOptions{OwnerFields: []string{"Product Owner"}})
		if err != nil || len(items) != projects*perProject {
			b.Fatalf("got %d items, err %v", len(items), err)
		}
		return time.Since(start), srv.Requests() - before
	}
	var sequential time.Duration
	for _, conc := range []int{1, 0} {
		name := "sequential"
		if conc == 0 {
			name = "concurrency=default"
		}
		b.Run(name, func(b *testing.B) {
			run(b, conc) // warm the fake's caches
			var total time.Duration
			var reqs int
			for b.Loop() {
				d, n := run(b, conc)
				total += d
				reqs = n
			}
			avg := total / time.Duration(b.N)
			if conc == 1 {
				sequential = avg
			} else if sequential > 0 {
				b.ReportMetric(float64(sequential)/float64(avg), "x-faster")
			}
			b.ReportMetric(float64(reqs), "requests")
			b.ReportMetric(float64(floor), "floor")
			b.ReportMetric(float64(avg.Milliseconds()), "wall-ms")
		})
	}
}
