package github

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

// Tests of GitHub behaviour a tidy fake does not show by default: hostile or
// broken paging, secondary limits with a reset, older GHES schemas, and
// organisations of thousands of repositories.

func TestSecondaryLimitWaitsForReset(t *testing.T) {
	t.Run("should wait until X-RateLimit-Reset, not a minute, when a secondary limit says remaining 0", func(t *testing.T) {
		h, c := mustStart(t, setup{data: fake.GitHubDemoData(),
			src: func(gs *config.GitHubSource) { gs.Repos = []string{"acme/payments"} },
			fake: []fake.GitHubOption{
				fake.WithGitHubRateLimit(5000, 5000, epoch.Add(8*time.Minute)),
				fake.WithGitHubFaults(fake.GitHubFaults{Path: "/issues", SecondaryRemainingZero: 1}),
			}})
		items, err := c.Fetch(context.Background(), connector.FetchOptions{})
		if err != nil {
			t.Fatalf("Fetch: %v", err)
		}
		if len(items) != 6 {
			t.Errorf("got %d items, want 6", len(items))
		}
		if got := fmt.Sprint(h.clock.Sleeps()); got != fmt.Sprint([]time.Duration{8*time.Minute + time.Second}) {
			t.Errorf("sleeps = %s, want [8m1s] (until the reset)", got)
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		if len(h.notices) == 0 || !strings.Contains(h.notices[0].Message, "secondary rate limit hit; waiting 8m1s for reset at") {
			t.Errorf("notices = %v, want one naming the wait until the reset", h.notices)
		}
	})
}
