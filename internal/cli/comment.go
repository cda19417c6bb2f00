package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/connector/github"
	"github.com/pomlint/pomlint/internal/drift"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/output"
	"github.com/pomlint/pomlint/internal/report"
)

// commentMarker is the hidden first line that identifies pomlint's comment
// on a pull request.
const commentMarker = "<!-- pomlint:drift -->"

// actionsBot is the account the GitHub Actions GITHUB_TOKEN writes as; that
// token may not read GET /user.
const actionsBot = "github-actions[bot]"

type commentOptions struct {
	in         driftInputs
	repo       string
	pr         int
	dryRun     bool
	linkedOnly bool
	failOn     string
	author     string
	formats    []string
	output     string
}

func (a *App) newCommentCmd() *cobra.Command {
	o := &commentOptions{}
	cmd := &cobra.Command{
		Use:   "comment",
		Short: "Keep one sticky ownership comment on a pull request up to date",
		Long: `Without --base: lint the items the pull request references (title, body,
commit messages, branch name; see pomlint drift --help) and keep one comment
with their current findings on it, found by the hidden marker
` + findingsMarker + `. The items come from the config's sources, read now,
or from --head SNAPSHOT; --item KEY adds items by hand. A reference to an item
no source has is listed as such.

With --base (or --base-config and --head-config): compute the ownership drift
(the same inputs as pomlint drift) and keep exactly one comment about it on
the pull request, found by a hidden marker (` + commentMarker + `).

Both comments behave the same way:

  - something to report, no comment yet: the comment is created
  - something to report, comment exists: it is updated in place (not re-posted)
  - clean, comment exists:               it is updated to a short all-clear
  - clean, no comment:                   nothing is posted

pomlint's comment is one that STARTS with the marker AND was written by the
token's own account, so a person quoting the marker is never overwritten.
The account is read from GET /user. With the github source's app: block
(GitHub App installation auth) the app posts as "<app-slug>[bot]", and the
slug is read from GET /app, authenticated as the app with its JWT; if that
fails the command exits 3 rather than guess (give --comment-author
<app-slug>[bot]). The GitHub Actions GITHUB_TOKEN may not call GET /user,
and pomlint then assumes github-actions[bot]. --comment-author LOGIN
overrides all of this.

Clean means, for the drift, that both sides were read completely and no item
or finding changed; for the findings, that every source was read completely
and the referenced items have none. An incomplete run is never clean.
--linked-only narrows the drift to the items the pull request references.

The body stays under GitHub's 65,536-character limit (tables are cut row by
row, with a note of what was left out). When $GITHUB_STEP_SUMMARY is set, the
same Markdown is appended to the job summary — also when the comment cannot
be written.

The token comes from the config's github source (token_env, default
GITHUB_TOKEN) or $GITHUB_TOKEN; the API from that source's base_url or
--api-url. In GitHub Actions the job needs 'permissions: pull-requests: write';
pull requests from forks get a read-only token. A missing write permission
(403/404) is reported clearly and exits 3.

Exit codes: 0 done (and no new finding at or above --fail-on); 1 new findings
at or above --fail-on; 2 usage or config error; 3 a side could not be read
completely, or the pull request could not be read or commented on.`,
		Example: `  # in a pull request workflow: the findings of the items the pull request references
  pomlint comment --repo "$GITHUB_REPOSITORY" --pr "$PR_NUMBER"

  # against last night's snapshot: what changed
  pomlint comment --repo "$GITHUB_REPOSITORY" --pr "$PR_NUMBER" --base nightly.json --linked-only

  # preview the body without posting
  pomlint comment --repo acme/payments --pr 42 --base nightly.json --head now.json --dry-run

  # a pull request that edits the roster: comment what it would change
  pomlint comment --repo acme/policy --pr 7 --base-config base/pomlint.yaml --head-config pomlint.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runComment(cmd, o) },
	}
	o.in.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&o.repo, "repo", "", "the pull request's repository, owner/repo (required)")
	fl.IntVar(&o.pr, "pr", 0, "the pull request number (required)")
	fl.BoolVar(&o.dryRun, "dry-run", false, "print the comment body instead of posting it")
	fl.BoolVar(&o.linkedOnly, "linked-only", false, "compare only the items the pull request references")
	fl.StringVar(&o.failOn, "fail-on", "never", "exit 1 when a NEW finding is at or above: error, warning, note or never")
	fl.StringArrayVarP(&o.formats, "format", "f", nil, "also write the drift report: FMT ("+strings.Join(drift.Formats, ", ")+") or FMT=PATH (repeatable)")
	fl.StringVarP(&o.output, "output", "o", "", "write the report given without =PATH to this file instead of stdout (- is stdout)")
	fl.StringVar(&o.author, "comment-author", "", "the login pomlint's comments are written by (default: the token's account from GET /user; with GitHub App auth <app-slug>[bot] from GET /app; else "+actionsBot+")")
	return cmd
}

func (a *App) runComment(cmd *cobra.Command, o *commentOptions) error {
	if _, _, err := parsePRRef(fmt.Sprintf("%s#%d", o.repo, o.pr)); err != nil || o.repo == "" {
		return usageError("comment: give --repo owner/repo and --pr NUMBER (got --repo %q --pr %d)", o.repo, o.pr)
	}
	failOn, err := parseFailOn(o.failOn)
	if err != nil {
		return err
	}
	targets, err := a.commentReportTargets(o)
	if err != nil {
		return err
	}
	if o.in.base == "" && o.in.baseConfig == "" && o.in.headConfig == "" {
		if len(targets) > 0 {
			return usageError("--format writes the drift report, which needs --base or --base-config/--head-config; without them comment posts the current findings (use pomlint lint --format for a report)")
		}
		return a.runFindingsComment(cmd.Context(), o, failOn)
	}
	if err := a.prepareOutputs(targets); err != nil {
		return err
	}
	ctx := cmd.Context()
	var client *github.PRClient
	clientFor := func(l *loaded) (*github.PRClient, error) {
		if client == nil {
			c, err := a.prClient(l, o.in.apiURL)
			if err != nil {
				return nil, err
			}
			client = c
		}
		return client, nil
	}
	var link linkFunc
	if o.linkedOnly {
		link = func(ctx2 context.Context, l *loaded, base, head *model.Snapshot) ([]string, error) {
			c, err := clientFor(l)
			if err != nil {
				return nil, err
			}
			return a.linkedKeys(ctx2, c, o.repo, o.pr, l, base, head)
		}
	}
	rep, l, err := a.computeDrift(ctx, &o.in, link)
	if err != nil {
		return err
	}
	a.logIncomplete(rep)
	if err := a.writeDriftReports(rep, targets); err != nil {
		return err
	}
	full, allClear := commentBodies(rep)
	summary := strings.TrimPrefix(full, commentMarker+"\n")
	if rep.Clean() {
		summary = strings.TrimPrefix(allClear, commentMarker+"\n")
	}
	if err := a.appendStepSummary(summary); err != nil {
		a.log.Warn().Err(err).Msg("job summary not written")
	}
	code := rep.ExitCode(failOn)

	if o.dryRun {
		body := full
		if rep.Clean() {
			body = allClear
			a.log.Info().Msg("dry run: clean; an existing comment would become this all-clear, and none would be created")
		}
		if _, err := fmt.Fprint(a.IO.Out, body); err != nil {
			return fmt.Errorf("write comment body: %w", err)
		}
		return exitCode(code)
	}

	c, err := clientFor(l)
	if err != nil {
		return err
	}
	if err := a.upsertComment(ctx, c, o, commentMarker, full, allClear, rep.Clean()); err != nil {
		return err
	}
	return exitCode(code)
}

// upsertComment keeps one comment starting with marker on the pull
// request: it creates it with full (unless clean), updates it in place
// (to allClear when clean), and leaves it alone when unchanged. Only the
// comments written by pomlint's own account count (see commentAuthor).
func (a *App) upsertComment(ctx context.Context, c *github.PRClient, o *commentOptions, marker, full, allClear string, clean bool) error {
	author, err := a.commentAuthor(ctx, c, o.author)
	if err != nil {
		return err
	}
	comments, err := c.Comments(ctx, o.repo, o.pr)
	if err != nil {
		return &exitError{code: model.ExitIncomplete, err: err}
	}
	var mine []github.Comment
	for _, cm := range comments {
		if !strings.HasPrefix(cm.Body, marker) {
			continue
		}
		if !strings.EqualFold(cm.User, author) {
			a.log.Info().Str("author", cm.User).Str("url", cm.HTMLURL).Msg("a comment starts with pomlint's marker but is not by " + author + "; left alone (see --comment-author)")
			continue
		}
		mine = append(mine, cm)
	}
	if len(mine) > 1 {
		a.log.Warn().Int("comments", len(mine)).Msg("several pomlint comments on the pull request; updating the oldest")
	}
	target := fmt.Sprintf("%s#%d", o.repo, o.pr)
	switch {
	case len(mine) == 0 && clean:
		a.log.Info().Str("pr", target).Msg("clean: no comment posted")
	case len(mine) == 0:
		made, err := c.CreateComment(ctx, o.repo, o.pr, full)
		if err != nil {
			return a.commentError(err)
		}
		a.log.Info().Str("pr", target).Str("url", made.HTMLURL).Msg("comment created")
	default:
		body := full
		if clean {
			body = allClear
		}
		if mine[0].Body == body {
			a.log.Info().Str("pr", target).Str("url", mine[0].HTMLURL).Msg("comment unchanged")
			break
		}
		upd, err := c.UpdateComment(ctx, o.repo, mine[0].ID, body)
		if err != nil {
			return a.commentError(err)
		}
		a.log.Info().Str("pr", target).Str("url", upd.HTMLURL).Bool("all_clear", clean).Msg("comment updated")
	}
	return nil
}

// commentReportTargets reads comment's --format and --output: no report
// unless asked for, and never on stdout with --dry-run, which prints the
// comment there.
func (a *App) commentReportTargets(o *commentOptions) ([]reportTarget, error) {
	if len(o.formats) == 0 {
		if o.output != "" {
			return nil, usageError("--output %s: give --format FMT to say which report to write there", o.output)
		}
		return nil, nil
	}
	targets, err := parseFormats(o.formats, o.output, "", knownDriftFormat, a.path)
	if err != nil {
		return nil, err
	}
	for _, t := range targets {
		if t.path == "" && o.dryRun {
			return nil, usageError("--format %s: --dry-run prints the comment on stdout; write the report to a file (--format %s=PATH)", t.format, t.format)
		}
	}
	return targets, nil
}

// commentAuthor returns the login whose comments are pomlint's: flag when
// given, else the token's account (GET /user; "<app-slug>[bot]" from GET
// /app with GitHub App auth), else github-actions[bot] for an integration
// token that may not read /user. A GitHub App whose slug cannot be read is
// an error (exit 3), never a guess: a wrong login posts a second comment.
func (a *App) commentAuthor(ctx context.Context, c *github.PRClient, flag string) (string, error) {
	if flag = strings.TrimPrefix(strings.TrimSpace(flag), "@"); flag != "" {
		return flag, nil
	}
	login, err := c.Viewer(ctx)
	switch {
	case errors.Is(err, github.ErrAppLogin):
		return "", &exitError{code: model.ExitIncomplete, err: fmt.Errorf("find whose comments are pomlint's: the GitHub App posts as <app-slug>[bot], and %w; "+
			"pass --comment-author <app-slug>[bot] (the slug ends the app's public page, https://github.com/apps/<app-slug>)", err)}
	case errors.Is(err, github.ErrNoViewer):
		a.log.Info().Msg("the token may not read GET /user (an Actions GITHUB_TOKEN); taking " + actionsBot + "'s comments as pomlint's (otherwise pass --comment-author LOGIN)")
		return actionsBot, nil
	case err != nil:
		return "", &exitError{code: model.ExitIncomplete, err: fmt.Errorf("find whose comments are pomlint's (or pass --comment-author): %w", err)}
	}
	if c.UsesApp() {
		a.log.Info().Str("author", login).Msg("GitHub App auth: taking the app's comments as pomlint's")
	}
	return login, nil
}

// commentError turns a failed write into exit 3 with the error (a missing
// permission says which one).
func (a *App) commentError(err error) error {
	var we *github.WriteError
	if errors.As(err, &we) {
		return &exitError{code: model.ExitIncomplete, err: fmt.Errorf("%w (the Markdown is in the job summary when $GITHUB_STEP_SUMMARY is set)", err)}
	}
	return &exitError{code: model.ExitIncomplete, err: err}
}

// commentBodies returns the full comment body and the all-clear body, both
// starting with the marker and within GitHub's body limit.
func commentBodies(rep *drift.Report) (full, allClear string) {
	head := commentMarker + "\n"
	full = head + drift.Markdown(rep, report.GitHubBodyLimit-len(head))
	allClear = head + drift.MarkdownAllClear(rep)
	return full, allClear
}

// appendStepSummary appends md to $GITHUB_STEP_SUMMARY when it is set.
func (a *App) appendStepSummary(md string) error {
	return output.AppendSummary(a.Getenv("GITHUB_STEP_SUMMARY"), md+"\n")
}
