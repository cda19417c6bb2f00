package drift

import (
	"regexp"
	"testing"
)

var refKey = regexp.MustCompile(`^([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+#[0-9]+|[A-Z][A-Z0-9_]*-[0-9]+)$`)

// FuzzLinked checks that no pull request text panics the linked-item
// parser, and that every key it returns is a well-formed item key, each
// once.
func FuzzLinked(f *testing.F) {
	f.Add("Fixes #12 and PAY-3", "closes acme/app#4\nsee https://github.com/acme/app/issues/9", "feature/pay-7-x", "Resolves GH-5")
	f.Add("", "", "", "")
	f.Add("UTF-8 ISO-8601 SHA-256", "#0 #-1 #99999999999999999999", "pay-", "\xff#1")
	f.Add("[PAY-1](https://github.com/acme/app/issues/1)", "https://github.com/acme/app/pull/2 https://evil.example/acme/app/issues/3", "PAY-1/PAY-2", "fix: PAY-1\n\nCo-authored-by: x")
	f.Fuzz(func(t *testing.T, title, body, branch, commit string) {
		refs := Linked(PullRequest{Repo: "acme/app", Title: title, Body: body, Branch: branch, Commits: []string{commit}},
			LinkOptions{JiraProjects: []string{"PAY", "CHK"}, GitHubHosts: []string{"github.com"}})
		seen := map[string]bool{}
		for _, r := range refs {
			if !refKey.MatchString(r.Key) {
				t.Fatalf("ill-formed key %q from %q %q %q %q", r.Key, title, body, branch, commit)
			}
			if seen[r.Key] {
				t.Fatalf("key %q twice", r.Key)
			}
			seen[r.Key] = true
		}
		_ = Keys(refs)
	})
}
