package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/pomlint/pomlint/internal/connector/github"
	"github.com/pomlint/pomlint/internal/drift"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/output"
	"github.com/pomlint/pomlint/internal/report"
)

// DriftMarker is the hidden first line that identifies pomlint's drift
// comment on a pull request.
const DriftMarker = "<!-- pomlint:drift -->"

// FindingsMarker identifies the sticky comment of pomlint comment without
// --base (the current findings of the items a pull request references). It
// differs from the drift comment's marker so that a repository may run both
// workflows without one overwriting the other.
const FindingsMarker = "<!-- pomlint:findings -->"

// ActionsBot is the account the GitHub Actions GITHUB_TOKEN writes as; that
// token may not read GET /user.
const ActionsBot = "github-actions[bot]"

// Comment is one sticky comment: its marker, its body when there is
// something to report, and its all-clear body. Both bodies start with the
// marker.
type Comment struct {
	Marker, Full, AllClear string
	// Clean says there is nothing to report.
	Clean bool
}

// Body is the body the comment should have now.
func (c *Comment) Body() string {
	if c.Clean {
		return c.AllClear
	}
	return c.Full
}

// Summary is the body without the marker, for the job summary.
func (c *Comment) Summary() string { return strings.TrimPrefix(c.Body(), c.Marker+"\n") }

// DriftComment is the drift comment of rep, within GitHub's body limit.
func DriftComment(rep *drift.Report) *Comment {
	head := DriftMarker + "\n"
	return &Comment{
		Marker:   DriftMarker,
		Full:     head + drift.Markdown(rep, report.GitHubBodyLimit-len(head)),
		AllClear: head + drift.MarkdownAllClear(rep),
		Clean:    rep.Clean(),
	}
}

// FindingsComment is the findings comment of the items keys name in snap.
type FindingsComment struct {
	Comment
	// Result is snap narrowed to the referenced items.
	Result *model.Result
	// Missing are the keys no item has.
	Missing []string
	// Complete says every source was read completely; Findings counts the
	// findings not suppressed.
	Complete bool
	Findings int
}

// NewFindingsComment narrows snap to the items keys name and writes the
// comment about their findings. It is clean when every source was read
// completely and the items have no finding that counts.
func NewFindingsComment(snap *model.Snapshot, keys []string) *FindingsComment {
	res, missing := referencedResult(snap, keys)
	fc := &FindingsComment{Result: res, Missing: missing, Complete: true}
	for _, s := range res.Sources {
		fc.Complete = fc.Complete && s.Complete
	}
	for _, f := range res.Findings {
		if f.Suppressed == "" {
			fc.Findings++
		}
	}
	refs := referencesNote(keys, missing)
	head := FindingsMarker + "\n"
	fc.Comment = Comment{
		Marker:   FindingsMarker,
		Full:     head + report.MarkdownLimited(res, report.GitHubBodyLimit-len(head)-len(refs)) + refs,
		AllClear: head + "## ✅ pomlint: no ownership findings in the items this pull request references\n\n" + refs,
		Clean:    fc.Complete && fc.Findings == 0,
	}
	return fc
}

// referencedResult narrows a run to the items keys name (case-insensitive)
// and returns the keys that match no item.
func referencedResult(s *model.Snapshot, keys []string) (*model.Result, []string) {
	want := map[string]bool{}
	for _, k := range keys {
		want[strings.ToLower(k)] = true
	}
	// Sources count the referenced items, and the roster keeps only their
	// teams: the comment is about these items, not every team's figures.
	res := &model.Result{Tool: s.Tool, Sources: append([]model.SourceStatus(nil), s.Sources...), Findings: []model.Finding{}}
	found := map[string]bool{}
	per := map[string]int{}
	for _, it := range s.Items {
		if k := strings.ToLower(it.Key); want[k] {
			res.Items = append(res.Items, it)
			found[k] = true
			per[it.Source]++
		}
	}
	for i := range res.Sources {
		res.Sources[i].Items = per[res.Sources[i].Name]
	}
	if s.Roster != nil {
		res.Roster = model.NewRoster(s.Roster.People, teamsOf(s.Roster.Teams, res.Items))
	}
	for _, f := range s.Findings {
		if want[strings.ToLower(f.Item)] {
			res.Findings = append(res.Findings, f)
		}
	}
	var missing []string
	for _, k := range keys {
		if !found[strings.ToLower(k)] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	return res, missing
}

// teamsOf keeps the teams some item belongs to.
func teamsOf(all []model.Team, items []model.Item) []model.Team {
	teams := map[string]bool{}
	for _, it := range items {
		teams[it.Team] = true
	}
	var keep []model.Team
	for _, t := range all {
		if teams[t.Name] {
			keep = append(keep, t)
		}
	}
	return keep
}

// referencesNote says which items the comment covers.
func referencesNote(keys, missing []string) string {
	if len(keys) == 0 {
		return "<sub>This pull request references no items (closing keywords, #123, owner/repo#123, issue links, Jira keys in the title, body, commits or branch name).</sub>\n"
	}
	code := func(ks []string) string {
		out := make([]string, len(ks))
		for i, k := range ks {
			out[i] = "`" + strings.ReplaceAll(k, "`", "") + "`"
		}
		return strings.Join(out, ", ")
	}
	note := "<sub>Items this pull request references: " + code(keys) + "."
	if len(missing) > 0 {
		note += " Not in the sources read (closed, out of the JQL or repositories, or not an item): " + code(missing) + "."
	}
	return note + "</sub>\n"
}

// AppendStepSummary appends md to $GITHUB_STEP_SUMMARY when it is set.
func (a *App) AppendStepSummary(md string) error {
	return output.AppendSummary(a.getenv("GITHUB_STEP_SUMMARY"), md+"\n")
}

// UpsertComment keeps one comment starting with cm.Marker on pull request
// pr: it creates it (unless clean), updates it in place (to the all-clear
// when clean), and leaves it alone when unchanged. Only the comments
// written by pomlint's own account count: author when given, else the
// token's account (see CommentAuthor).
func (a *App) UpsertComment(ctx context.Context, c *github.PRClient, pr PullRequest, author string, cm *Comment) error {
	author, err := a.CommentAuthor(ctx, c, author)
	if err != nil {
		return err
	}
	mine, err := a.ownComments(ctx, c, pr, author, cm.Marker)
	if err != nil {
		return err
	}
	switch {
	case len(mine) == 0 && cm.Clean:
		a.Log.Info().Str("pr", pr.String()).Msg("clean: no comment posted")
	case len(mine) == 0:
		made, err := c.CreateComment(ctx, pr.Repo, pr.Number, cm.Full)
		if err != nil {
			return commentError(err)
		}
		a.Log.Info().Str("pr", pr.String()).Str("url", made.HTMLURL).Msg("comment created")
	case mine[0].Body == cm.Body():
		a.Log.Info().Str("pr", pr.String()).Str("url", mine[0].HTMLURL).Msg("comment unchanged")
	default:
		upd, err := c.UpdateComment(ctx, pr.Repo, mine[0].ID, cm.Body())
		if err != nil {
			return commentError(err)
		}
		a.Log.Info().Str("pr", pr.String()).Str("url", upd.HTMLURL).Bool("all_clear", cm.Clean).Msg("comment updated")
	}
	return nil
}

// ownComments lists the pull request's comments that start with marker and
// were written by author, oldest first.
func (a *App) ownComments(ctx context.Context, c *github.PRClient, pr PullRequest, author, marker string) ([]github.Comment, error) {
	comments, err := c.Comments(ctx, pr.Repo, pr.Number)
	if err != nil {
		return nil, incomplete(err)
	}
	var mine []github.Comment
	for _, cm := range comments {
		if !strings.HasPrefix(cm.Body, marker) {
			continue
		}
		if !strings.EqualFold(cm.User, author) {
			a.Log.Info().Str("author", cm.User).Str("url", cm.HTMLURL).Msg("a comment starts with pomlint's marker but is not by " + author + "; left alone (see --comment-author)")
			continue
		}
		mine = append(mine, cm)
	}
	if len(mine) > 1 {
		a.Log.Warn().Int("comments", len(mine)).Msg("several pomlint comments on the pull request; updating the oldest")
	}
	return mine, nil
}

// CommentAuthor returns the login whose comments are pomlint's: given when
// set, else the token's account (GET /user; "<app-slug>[bot]" from GET
// /app with GitHub App auth), else github-actions[bot] for an integration
// token that may not read /user. A GitHub App whose slug cannot be read is
// an error (exit 3), never a guess: a wrong login posts a second comment.
func (a *App) CommentAuthor(ctx context.Context, c *github.PRClient, given string) (string, error) {
	if given = strings.TrimPrefix(strings.TrimSpace(given), "@"); given != "" {
		return given, nil
	}
	login, err := c.Viewer(ctx)
	switch {
	case errors.Is(err, github.ErrAppLogin):
		return "", incomplete(fmt.Errorf("find whose comments are pomlint's: the GitHub App posts as <app-slug>[bot], and %w; "+
			"pass --comment-author <app-slug>[bot] (the slug ends the app's public page, https://github.com/apps/<app-slug>)", err))
	case errors.Is(err, github.ErrNoViewer):
		a.Log.Info().Msg("the token may not read GET /user (an Actions GITHUB_TOKEN); taking " + ActionsBot + "'s comments as pomlint's (otherwise pass --comment-author LOGIN)")
		return ActionsBot, nil
	case err != nil:
		return "", incomplete(fmt.Errorf("find whose comments are pomlint's (or pass --comment-author): %w", err))
	}
	if c.UsesApp() {
		a.Log.Info().Str("author", login).Msg("GitHub App auth: taking the app's comments as pomlint's")
	}
	return login, nil
}

// commentError turns a failed write into exit 3 with the error (a missing
// permission says which one).
func commentError(err error) error {
	var we *github.WriteError
	if errors.As(err, &we) {
		return incomplete(fmt.Errorf("%w (the Markdown is in the job summary when $GITHUB_STEP_SUMMARY is set)", err))
	}
	return incomplete(err)
}
