package report

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/rules"
)

// many is a result with n findings over n/2 items in 40 teams.
func many(t testing.TB, n int) *model.Result {
	r := full(t)
	r.Findings = nil
	r.Items = nil
	for i := 0; i < n; i++ {
		item := fmt.Sprintf("BIG-%05d", i/2)
		team := fmt.Sprintf("team-%02d", (i/2)%40)
		if i%2 == 0 {
			r.Items = append(r.Items, model.Item{Key: item, Source: "jira", Title: "A long title that describes the work item in some detail " + item, Level: model.LevelTactical, Team: team})
		}
		rule, name, sev := "OWN003", "missing-owner", model.SeverityError
		if i%2 == 1 {
			rule, name, sev = "OWN006", "orphan-backlog-item", model.SeverityWarning
		}
		f := model.Finding{Rule: rule, Name: name, Severity: sev, Source: "jira", Item: item, Team: team,
			URL: "https://acme.atlassian.net/browse/" + item, Title: "A long title that describes the work item in some detail " + item,
			Message: "no ownership source (field:Product Owner, assignee) names anyone", Fingerprint: model.Fingerprint(rule, "jira", item)}
		if i%100 == 0 {
			f.Suppressed = "baseline"
		}
		r.Findings = append(r.Findings, f)
	}
	r.Sources = []model.SourceStatus{{Name: "jira", Kind: "jira", Items: n / 2, Complete: true}}
	return r
}

func TestMarkdownLimited(t *testing.T) {
	t.Run("should keep 10,000 findings under 65,536 characters and say what was cut", func(t *testing.T) {
		got := MarkdownLimited(many(t, 10000), GitHubBodyLimit)
		if n := utf8.RuneCountInString(got); n > GitHubBodyLimit || len(got) > GitHubBodyLimit {
			t.Fatalf("%d characters, %d bytes: over the limit", n, len(got))
		}
		shown := strings.Count(got, "<details>")
		if shown == 0 || shown >= 5000 {
			t.Fatalf("%d item details shown", shown)
		}
		// 5,000 items; each shown item has 2 findings; 100 findings are baselined.
		want := fmt.Sprintf("Left out: details of %d items", 5000-shown)
		if !strings.Contains(got, "Shortened to stay under 65536 characters") || !strings.Contains(got, want) {
			t.Errorf("no exact note of what was cut (want %q):\n%s", want, got[len(got)-600:])
		}
		for _, must := range []string{"9900 findings", "### By team", "### By rule", "team-39"} {
			if !strings.Contains(got, must) {
				t.Errorf("missing %q", must)
			}
		}
	})
	t.Run("should count the findings left out exactly", func(t *testing.T) {
		r := many(t, 10000)
		got := MarkdownLimited(r, GitHubBodyLimit)
		shown := strings.Count(got, "<details>")
		// Every item has 2 findings, one baselined in 50 items.
		groups := GroupByItem(r.Findings)
		counted, baselined := 0, 0
		// Same order MarkdownLimited uses: items with a counted error, then
		// with a counted warning, then baselined-only items.
		var ordered []ItemFindings
		for _, sev := range []model.Severity{model.SeverityError, model.SeverityWarning, model.SeverityNote, model.SeverityNone} {
			for _, g := range groups {
				if worstCounted(g) == sev {
					ordered = append(ordered, g)
				}
			}
		}
		for _, g := range ordered[shown:] {
			c := countedIn(g)
			counted += c
			baselined += len(g.Findings) - c
		}
		want := fmt.Sprintf("details of %d items (%d findings, %d baselined)", len(ordered)-shown, counted, baselined)
		if !strings.Contains(got, want) {
			t.Errorf("want %q in the note", want)
		}
	})
	t.Run("should fit a tiny limit by dropping tables too", func(t *testing.T) {
		got := MarkdownLimited(many(t, 200), 2000)
		if len(got) > 2000 {
			t.Fatalf("%d bytes", len(got))
		}
		if !strings.Contains(got, "Left out:") {
			t.Errorf("no note:\n%s", got)
		}
	})
	t.Run("should leave nothing out when it fits", func(t *testing.T) {
		if got := MarkdownLimited(full(t), GitHubBodyLimit); strings.Contains(got, "Left out") {
			t.Error("note without a cut")
		}
	})
}

func BenchmarkMarkdownLimited10k(b *testing.B) {
	r := many(b, 10000)
	b.ResetTimer()
	for b.Loop() {
		_ = MarkdownLimited(r, GitHubBodyLimit)
	}
}

func BenchmarkSARIF10k(b *testing.B) {
	r := many(b, 10000)
	b.ResetTimer()
	for b.Loop() {
		var sb strings.Builder
		if err := (SARIF{}).Report(&sb, r); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMarkdownReportMentionsNobody(t *testing.T) {
	codeOrURL := regexp.MustCompile("`[^`]*`|<code>.*?</code>|\\]\\([^)]*\\)|href=\"[^\"]*\"")
	pings := regexp.MustCompile(`(@|&#64;)[A-Za-z0-9]|#[0-9]|(?i:gh)-[0-9]`)
	r := full(t)
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Title = "Follow-up for @alice from #12 and GH-7"
		f.Message = "owner @bob-x (github, via label:owner/) matches no roster person; see acme/app#3"
		f.Owner, f.Team, f.SuggestedOwner = "@dave", "@acme/payments", "@erin"
	}
	t.Run("should mention and link nobody in the lint Markdown report", func(t *testing.T) {
		md := MarkdownLimited(r, GitHubBodyLimit)
		if got := pings.FindAllString(codeOrURL.ReplaceAllString(md, ""), -1); len(got) > 0 {
			t.Errorf("GitHub would resolve %q in:\n%s", got, md)
		}
	})
}

func TestSummariseCountsCorrectlyOwnedByCategory(t *testing.T) {
	items := []model.Item{
		{Source: "s", Key: "A", Level: model.LevelTactical, Team: "t"},
		{Source: "s", Key: "B", Level: model.LevelTactical, Team: "t"},
		{Source: "s", Key: "C", Level: model.LevelTactical, Team: "t"},
		{Source: "s", Key: "D", Level: model.LevelUnknown, Team: "t"},
	}
	findings := []model.Finding{
		{Rule: "OWN004", Source: "s", Item: "B", Team: "t", Severity: model.SeverityWarning, Suppressed: "baseline"},
		{Rule: "OWN006", Source: "s", Item: "C", Team: "t", Severity: model.SeverityWarning},
		{Rule: "ACME001", Source: "s", Item: "A", Team: "t", Severity: model.SeverityError},
	}
	for _, tc := range []struct {
		name  string
		rules []model.RuleDoc
	}{
		{"should count by the categories of the result's rule docs", rules.Docs(rules.Builtin())},
		{"should fall back to the built-in categories without rule docs", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &model.Result{Items: items, Findings: findings, Rules: tc.rules}
			s := Summarise(r)
			if len(s.Teams) != 1 || s.Teams[0].CorrectlyOwned != 2 || s.Teams[0].Items != 4 {
				t.Fatalf("teams = %+v, want t with 2 of 4 correctly owned (A: custom rule only, C: orphan only)", s.Teams)
			}
		})
	}
}

func TestMarkdownFindingsTable(t *testing.T) {
	got := MarkdownLimited(full(t), GitHubBodyLimit)
	for _, tc := range []struct{ name, want string }{
		{"should have a findings table with an owner column", "| severity | item | owner | team | rule |\n"},
		{"should name the owner by display name", "| warning | [CHK-3](https://acme.atlassian.net/browse/CHK-3) Guest checkout address form | Bob Okafor | checkout | OWN007 owner-outside-team |\n"},
		{"should name the suggested owner of an unowned item", "| – (suggested: Bob Okafor) | payments | OWN003 missing-owner |\n"},
		{"should list baselined findings as baseline", "| baseline | [PAY-42](https://acme.atlassian.net/browse/PAY-42) Instant payouts | Bob Okafor | payments | OWN001 strategic-owned-by-non-pm |\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(got, tc.want) {
				t.Errorf("want %q in:\n%s", tc.want, got)
			}
		})
	}
	t.Run("should list findings by severity, errors first and baselined last", func(t *testing.T) {
		i := strings.Index(got, "| severity | item |")
		if i < 0 {
			t.Fatal("no findings table")
		}
		table := got[i:]
		table = table[:strings.Index(table, "\n\n")]
		last := 3
		rank := map[string]int{"error": 3, "warning": 2, "note": 1, "baseline": 0}
		for _, row := range strings.Split(table, "\n")[2:] {
			sev := strings.Fields(strings.TrimPrefix(row, "| "))[0]
			if rank[sev] > last {
				t.Fatalf("%q after a less serious finding:\n%s", row, table)
			}
			last = rank[sev]
		}
	})
	t.Run("should mark findings the earlier run did not have", func(t *testing.T) {
		r := full(t)
		got := markdownReport(r, GitHubBodyLimit, time.Time{}, TrendFromBaseline("b.json", r))
		if !strings.Contains(got, "| error · **new** | [PAY-43]") || strings.Contains(got, "| baseline · **new**") {
			t.Errorf("new findings not marked, or a baselined one marked:\n%s", got)
		}
	})
	t.Run("should cut the findings table to fit and say so", func(t *testing.T) {
		got := MarkdownLimited(many(t, 10000), GitHubBodyLimit)
		if !strings.Contains(got, "| severity | item | owner |") || !regexp.MustCompile(`\d+ findings from the findings table`).MatchString(got) {
			t.Errorf("no cut findings table or no note:\n%s", got[len(got)-600:])
		}
	})
}
