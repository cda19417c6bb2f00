package drift

import (
	"regexp"
	"testing"

	"github.com/pomlint/pomlint/internal/model"
)

// codeOrURL matches the parts of Markdown where GitHub resolves neither
// mentions nor references: code spans, <code> elements and link targets.
var codeOrURL = regexp.MustCompile("`[^`]*`|<code>.*?</code>|\\]\\([^)]*\\)|href=\"[^\"]*\"")

// pings matches what GitHub would turn into a notification or an issue
// link: @name, #12 (also after a backslash) and GH-12.
var pings = regexp.MustCompile(`(@|&#64;)[A-Za-z0-9]|#[0-9]|(?i:gh)-[0-9]`)

func TestMarkdownMentionsNobody(t *testing.T) {
	it := model.Item{Key: "acme/app#1", Source: "gh", Title: "Follow-up for @alice from #12 and GH-7", Level: "tactical", Team: "@acme/payments",
		Owner: &model.Owner{Account: model.Account{Tracker: model.TrackerGitHub, Login: "carol"}, PersonID: "carol", Via: "assignee"}}
	f := model.Finding{Rule: "OWN004", Name: "owner-not-in-roster", Severity: model.SeverityWarning, Source: "gh", Item: "acme/app#1",
		Owner: "@dave", Team: "acme/app#3", Message: "owner @bob-x (github, via label:owner/) matches no roster person; see #12", SuggestedOwner: "@erin"}
	base := &model.Snapshot{SchemaVersion: 1, Sources: []model.SourceStatus{{Name: "gh", Kind: "github", Complete: true}}}
	head := &model.Snapshot{SchemaVersion: 1, Sources: base.Sources, Items: []model.Item{it}, Findings: []model.Finding{f}}
	for name, md := range map[string]string{
		"should mention and link nobody in the full Markdown":   Markdown(Diff(base, head, Options{}), 0),
		"should mention and link nobody in the all-clear":       MarkdownAllClear(Diff(head, head, Options{})),
		"should mention and link nobody in a size-limited body": Markdown(Diff(base, head, Options{}), 2000),
	} {
		t.Run(name, func(t *testing.T) {
			if got := pings.FindAllString(codeOrURL.ReplaceAllString(md, ""), -1); len(got) > 0 {
				t.Errorf("GitHub would resolve %q in:\n%s", got, md)
			}
		})
	}
}
