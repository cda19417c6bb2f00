package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/app"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/report"
)

// BenchmarkMerge merges 7 shards of 100,000 items each (a GitHub-shaped
// backlog: an epic per ten tasks, parents in the same shard, one item in a
// hundred owned by the wrong person) into a JSON
// report: decoding, classification, the rules and the report.
//
//	go test ./internal/cli -run '^$' -bench Merge -benchtime 3x
func BenchmarkMerge(b *testing.B) {
	const shards, per = 7, 100_000
	dir := b.TempDir()
	benchWrite(b, dir, "empty.json", `{"schema_version": 1, "tool": {"name": "pomlint", "version": "x"}, "sources": [], "items": []}`)
	benchWrite(b, dir, "pomlint.yaml", `sources:
  - {name: gh, kind: file, file: {path: empty.json}}
classification:
  strategic: {types: [Epic]}
  tactical: {types: [Task]}
ownership:
  from: [assignee]
roster:
  people:
    - {id: alice, roles: [product-manager], accounts: {github: alice-c}}
    - {id: bob, roles: [product-owner], accounts: {github: bob-b}}
  teams:
    - {name: payments, product_owner: bob, product_manager: alice, match: {labels: [team/payments]}}
`)
	a := &App{WorkDir: dir, Now: func() time.Time { return testNow }, Version: "0.1.0-test"}
	a.defaults()
	a.configFile = "pomlint.yaml"
	l, err := a.loadConfig()
	if err != nil {
		b.Fatal(err)
	}
	fp := app.ConfigFingerprint(l)
	var plan []model.ShardUnit
	for k := 1; k <= shards; k++ {
		plan = append(plan, model.ShardUnit{Source: "gh", Unit: fmt.Sprintf("bench/repo-%d", k), Size: per, Shard: k})
	}
	logins := []string{"alice-c", "bob-b", "carol-d"}
	created := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	args := []string{"merge", "--format", "json=" + filepath.Join(dir, "merged.json")}
	for k := 1; k <= shards; k++ {
		repo := fmt.Sprintf("bench/repo-%d", k)
		items := make([]model.Item, per)
		for i := range items {
			n := i + 1
			it := model.Item{Key: fmt.Sprintf("%s#%d", repo, n), Source: "gh", Tracker: model.TrackerGitHub,
				URL: fmt.Sprintf("https://github.com/%s/issues/%d", repo, n), Title: fmt.Sprintf("Issue %d of %s", n, repo),
				Type: "Task", State: "open", Labels: []string{"team/payments"}, Repo: repo,
				Assignees: []model.Account{{Tracker: model.TrackerGitHub, Login: "bob-b"}},
				Created:   created.Add(time.Duration(n) * time.Minute), Updated: created.Add(time.Duration(n) * time.Hour)}
			if n%10 == 1 {
				it.Type, it.Assignees[0].Login = "Epic", "alice-c"
			} else {
				it.Parent = fmt.Sprintf("%s#%d", repo, n-(n-1)%10)
			}
			if n%100 == 50 { // one in a hundred owned by someone else
				it.Assignees[0].Login = logins[(n/100)%len(logins)]
			}
			items[i] = it
		}
		var buf bytes.Buffer
		res := &model.Result{Tool: a.Tool(), Sources: []model.SourceStatus{{Name: "gh", Kind: "file", Items: per, Complete: true}},
			Shard:      &model.Shard{Index: k, Count: shards, Config: fp, Sources: []string{"gh"}, Units: plan[k-1 : k], Plan: plan},
			ShardItems: items}
		if err := (report.JSON{}).Report(&buf, res); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		p := filepath.Join(dir, fmt.Sprintf("shard-%d.json", k))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
		args = append(args, p)
	}
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		r := runCLI(b, dir, nil, args...)
		if r.code != 1 {
			b.Fatalf("merge exit %d\n%s", r.code, r.err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/merge")
	// On a machine shared with other work the wall time says little; the
	// CPU time the process spent says what the merge costs.
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/merge")
}

// cpuTime is the user + system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchWrite(b *testing.B, dir, name, body string) {
	b.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		b.Fatal(err)
	}
}
