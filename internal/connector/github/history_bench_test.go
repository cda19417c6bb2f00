package github

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/fake"
	"github.com/pomlint/pomlint/internal/model"
)

// BenchmarkHistory reads the history of repos×perRepo issues from the events
// fake with a real round-trip latency and reports requests and wall time
// against the floor: one listing page per repository (the window's events
// fit in one), in ceil(repos/concurrency) round trips.
//
//	go test ./internal/connector/github -run '^$' -bench History -benchtime 5x
func BenchmarkHistory(b *testing.B) {
	const latency = 20 * time.Millisecond
	for _, tc := range []struct {
		name           string
		repos, perRepo int
	}{{"10repos-20items", 10, 20}, {"40repos-5items", 40, 5}, {"20repos-1item", 20, 1}} {
		b.Run(tc.name, func(b *testing.B) {
			var evs []fake.GitHubEvent
			var items []model.Item
			for r := 0; r < tc.repos; r++ {
				for n := 1; n <= tc.perRepo; n++ {
					key := fmt.Sprintf("bench/r%d#%d", r, n)
					items = append(items, model.Item{Key: key, Source: "gh", Tracker: model.TrackerGitHub})
					evs = append(evs,
						fake.GitHubEvent{Issue: key, Event: "assigned", At: day(-200), Assignee: "old"},
						fake.GitHubEvent{Issue: key, Event: "unassigned", At: day(n), Assignee: "old"},
						fake.GitHubEvent{Issue: key, Event: "assigned", At: day(n), Assignee: "bob-o"},
						fake.GitHubEvent{Issue: key, Event: "labeled", At: day(n + 10), Label: "story"})
				}
			}
			ev := fake.NewGitHubEvents(evs, fake.WithEventsLatency(latency))
			defer ev.Close()
			c := historyConnector(b, ev)
			floorReq := tc.repos
			if tc.perRepo == 1 {
				floorReq = tc.repos // one per-issue read each
			}
			rounds := (floorReq + c.concurrency - 1) / c.concurrency
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				got, err := c.History(context.Background(), items, q3, time.Time{})
				if err != nil || len(got) != len(items) {
					b.Fatalf("got %d histories, err %v", len(got), err)
				}
			}
			el := time.Since(start)
			b.ReportMetric(float64(ev.Requests())/float64(b.N), "requests/op")
			b.ReportMetric(float64(floorReq), "floor-requests")
			b.ReportMetric(float64(len(items)), "per-issue-requests")
			b.ReportMetric(float64(el.Milliseconds())/float64(b.N), "ms/op")
			b.ReportMetric(float64((time.Duration(rounds) * latency).Milliseconds()), "floor-ms")
		})
	}
}
