package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/app"
	"github.com/pomlint/pomlint/internal/connector/github"
	"github.com/pomlint/pomlint/internal/drift"
	"github.com/pomlint/pomlint/internal/model"
)

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

// commentHelp is the long help of pomlint comment.
const commentHelp = `Without --base: lint the items the pull request references (title, body,
commit messages, branch name; see pomlint drift --help) and keep one comment
with their current findings on it, found by the hidden marker
` + app.FindingsMarker + `. The items come from the config's sources, read now,
or from --head SNAPSHOT; --item KEY adds items by hand. A reference to an item
no source has is listed as such.

With --base (or --base-config and --head-config): compute the ownership drift
(the same inputs as pomlint drift) and keep exactly one comment about it on
the pull request, found by a hidden marker (` + app.DriftMarker + `).

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
completely, or the pull request could not be read or commented on.`

func (a *App) newCommentCmd() *cobra.Command {
	o := &commentOptions{}
	cmd := &cobra.Command{
		Use:   "comment",
		Short: "Keep one sticky ownership comment on a pull request up to date",
		Long:  commentHelp,
		Example: `  # in a pull request workflow: the findings of the items the pull request references
  pomlint comment --repo "$GITHUB_REPOSITORY" --pr "$PR_NUMBER"

  # against last night's snapshot: what changed
  pomlint comment --repo "$GITHUB_REPOSITORY" --pr "$PR_NUMBER" --base nightly.json --linked-only

  # preview the body without posting
  pomlint comment --repo acme/payments --pr 42 --base nightly.json --head now.json --dry-run

  # a pull request that edits the roster: comment what it would change
  pomlint comment --repo acme/policy --pr 7 --base-config base/.pomlint.yaml --head-config .pomlint.yaml`,
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
	fl.StringVar(&o.author, "comment-author", "", "the login pomlint's comments are written by (default: the token's account from GET /user; with GitHub App auth <app-slug>[bot] from GET /app; else "+app.ActionsBot+")")
	return cmd
}

func (a *App) runComment(cmd *cobra.Command, o *commentOptions) error {
	pr, err := parsePRRef(fmt.Sprintf("%s#%d", o.repo, o.pr))
	if err != nil || o.repo == "" {
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
		return a.runFindingsComment(cmd.Context(), o, pr, failOn)
	}
	if err := a.prepareOutputs(targets); err != nil {
		return err
	}
	ctx := cmd.Context()
	core := a.core()
	var client *github.PRClient
	clientFor := func(l *loaded) (*github.PRClient, error) {
		if client == nil {
			if client, err = core.PRClient(l, o.in.apiURL); err != nil {
				return nil, err
			}
		}
		return client, nil
	}
	var link app.LinkFunc
	if o.linkedOnly {
		link = func(ctx context.Context, l *loaded, base, head *model.Snapshot) ([]string, error) {
			c, err := clientFor(l)
			if err != nil {
				return nil, err
			}
			return core.LinkedKeys(ctx, c, pr, l, base, head)
		}
	}
	rep, l, err := core.Drift(ctx, a.appDriftOptions(&o.in, link))
	if err != nil {
		return err
	}
	a.logIncomplete(rep)
	if err := a.writeDriftReports(rep, targets); err != nil {
		return err
	}
	return a.postComment(ctx, o, pr, app.DriftComment(rep), rep.ExitCode(failOn), func() (*github.PRClient, error) { return clientFor(l) })
}

// postComment appends the comment to the job summary, then prints it
// (--dry-run) or keeps it on the pull request; code is the exit code when
// that works.
func (a *App) postComment(ctx context.Context, o *commentOptions, pr app.PullRequest, cm *app.Comment, code int, client func() (*github.PRClient, error)) error {
	core := a.core()
	if err := core.AppendStepSummary(cm.Summary()); err != nil {
		a.log.Warn().Err(err).Msg("job summary not written")
	}
	if o.dryRun {
		if cm.Clean {
			a.log.Info().Msg("dry run: clean; an existing comment would become this all-clear, and none would be created")
		}
		if _, err := fmt.Fprint(a.IO.Out, cm.Body()); err != nil {
			return fmt.Errorf("write comment body: %w", err)
		}
		return exitCode(code)
	}
	c, err := client()
	if err != nil {
		return err
	}
	if err := core.UpsertComment(ctx, c, pr, o.author, cm); err != nil {
		return err
	}
	return exitCode(code)
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
