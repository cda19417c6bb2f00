package github

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shurcooL/githubv4"

	"github.com/pomlint/pomlint/internal/model"
)

// GraphQL shapes for Projects v2. Items come 100 a page with up to 50 field
// values each; an item with more field values is completed with node(id:)
// queries. 100 items × (50 values × 20 users + 100 labels + 20 assignees)
// stays far below GitHub's 500,000-node limit per query. Every nested list
// asks for pageInfo.hasNextPage, so a list cut short is never taken for the
// whole (see boardRead).

type pageInfo struct {
	HasNextPage bool
	EndCursor   githubv4.String
}

type login struct{ Login string }

// more is the pageInfo of a nested list pomlint reads in one page.
type more struct{ HasNextPage bool }

// logins is a nested list of users.
type logins struct {
	PageInfo more
	Nodes    []login
}

type fieldName struct {
	Common struct{ Name string } `graphql:"... on ProjectV2FieldCommon"`
}

type fieldValue struct {
	Typename string `graphql:"__typename"`
	Text     struct {
		Text  string
		Field fieldName
	} `graphql:"... on ProjectV2ItemFieldTextValue"`
	Single struct {
		Name  string
		Field fieldName
	} `graphql:"... on ProjectV2ItemFieldSingleSelectValue"`
	Number struct {
		Number float64
		Field  fieldName
	} `graphql:"... on ProjectV2ItemFieldNumberValue"`
	Date struct {
		Date  string
		Field fieldName
	} `graphql:"... on ProjectV2ItemFieldDateValue"`
	Iteration struct {
		Title string
		Field fieldName
	} `graphql:"... on ProjectV2ItemFieldIterationValue"`
	User struct {
		Users logins `graphql:"users(first: 20)"`
		Field fieldName
	} `graphql:"... on ProjectV2ItemFieldUserValue"`
}

type fieldValues struct {
	PageInfo pageInfo
	Nodes    []fieldValue
}

type boardIssue struct {
	Number     int
	Title      string
	URL        string
	State      string
	CreatedAt  githubv4.DateTime
	UpdatedAt  githubv4.DateTime
	Repository struct{ NameWithOwner string }
	Author     login
	Assignees  logins `graphql:"assignees(first: 20)"`
	Labels     struct {
		PageInfo more
		Nodes    []struct{ Name string }
	} `graphql:"labels(first: 100)"`
	Milestone *struct{ Title string }
	IssueType *struct{ Name string }
	Parent    *struct {
		Number     int
		Repository struct{ NameWithOwner string }
	}
}

type boardDraft struct {
	Title     string
	CreatedAt githubv4.DateTime
	UpdatedAt githubv4.DateTime
	Creator   login
	Assignees logins `graphql:"assignees(first: 20)"`
}

type boardItem struct {
	ID         githubv4.ID
	DatabaseID int64 `graphql:"databaseId"`
	IsArchived bool
	// Type is ISSUE, PULL_REQUEST, DRAFT_ISSUE or REDACTED: an issue or
	// pull request the token cannot read, whose content is null.
	Type    string
	Content struct {
		Typename string     `graphql:"__typename"`
		Issue    boardIssue `graphql:"... on Issue"`
		Draft    boardDraft `graphql:"... on DraftIssue"`
	}
	FieldValues fieldValues `graphql:"fieldValues(first: 50)"`
}

type projectV2 struct {
	Title string
	URL   string
	Items struct {
		PageInfo pageInfo
		Nodes    []boardItem
	} `graphql:"items(first: 100, after: $cursor)"`
}

type orgBoardQuery struct {
	Organization struct {
		ProjectV2 *projectV2 `graphql:"projectV2(number: $number)"`
	} `graphql:"organization(login: $login)"`
}

type userBoardQuery struct {
	User struct {
		ProjectV2 *projectV2 `graphql:"projectV2(number: $number)"`
	} `graphql:"user(login: $login)"`
}

type itemValuesQuery struct {
	Node *struct {
		Typename string `graphql:"__typename"`
		Item     struct {
			FieldValues fieldValues `graphql:"fieldValues(first: 50, after: $cursor)"`
		} `graphql:"... on ProjectV2Item"`
	} `graphql:"node(id: $id)"`
}

// boardRead is what fetchBoard read of one board.
type boardRead struct {
	items []model.Item
	// cut maps the key of an issue item to the nested list (labels,
	// assignees) that had more entries than one page holds. It matters
	// only when the issue is not also read over REST, which sends them all.
	cut map[string]string
}

// fetchBoard reads every item of board p. Issues become items keyed
// owner/repo#N (merged with REST by Fetch); drafts become items keyed
// org/project-N/draft-ID where ID is the board item's database id; pull
// requests and archived items are skipped.
//
// Nothing is dropped silently. Redacted items (type REDACTED, content
// null: issues or pull requests in repositories the credential cannot
// read) are counted, and once the whole board is read fetchBoard returns
// the readable items with an error naming the board, the count and the
// permission that is missing; so is a user field value or a draft's
// assignee list with more entries than one page. Cut issue labels and
// assignees go to boardRead.cut for Fetch to judge.
func (c *run) fetchBoard(ctx context.Context, p Project) (boardRead, error) {
	owner := p.Org
	if owner == "" {
		owner = p.User
	}
	name := boardName(p)
	vars := map[string]any{
		"login":  githubv4.String(owner),
		"number": githubv4.Int(p.Number),
		"cursor": (*githubv4.String)(nil),
	}
	out := boardRead{cut: map[string]string{}}
	guard := newLoopGuard("")
	var seen, redacted int
	var cutErrs []string
	for page := 1; ; page++ {
		var proj *projectV2
		var err error
		if p.Org != "" {
			var q orgBoardQuery
			err = c.c.gql.Query(ctx, &q, vars)
			proj = q.Organization.ProjectV2
		} else {
			var q userBoardQuery
			err = c.c.gql.Query(ctx, &q, vars)
			proj = q.User.ProjectV2
		}
		if err != nil {
			return out, fmt.Errorf("read project %s (page %d): %w", name, page, c.c.explain(err, accessBoard))
		}
		if proj == nil {
			return out, fmt.Errorf("read project %s: %w", name, c.c.explain(&statusError{Code: 404, Status: "404 Not Found"}, accessBoard))
		}
		if err := guard.cursor(itemIDs(proj.Items.Nodes), proj.Items.PageInfo.HasNextPage, string(proj.Items.PageInfo.EndCursor)); err != nil {
			return out, fmt.Errorf("read project %s (page %d): %w", name, page, err)
		}
		for i := range proj.Items.Nodes {
			bi := &proj.Items.Nodes[i]
			if bi.IsArchived {
				continue
			}
			seen++
			if bi.Type == "REDACTED" || bi.Content.Typename == "" {
				redacted++
				continue
			}
			if bi.FieldValues.PageInfo.HasNextPage {
				if err := c.moreFieldValues(ctx, bi); err != nil {
					return out, fmt.Errorf("read field values of project %s item %d: %w", name, bi.DatabaseID, c.c.explain(err, accessBoard))
				}
			}
			it, ok := c.boardItem(name, proj.URL, bi)
			if !ok {
				continue
			}
			if f := cutUserField(bi.FieldValues.Nodes); f != "" {
				cutErrs = append(cutErrs, fmt.Sprintf("item %s: field %q has more than 20 users", it.Key, f))
			}
			switch {
			case bi.Content.Typename == "DraftIssue" && bi.Content.Draft.Assignees.PageInfo.HasNextPage:
				cutErrs = append(cutErrs, fmt.Sprintf("item %s: more than 20 assignees", it.Key))
			case bi.Content.Typename == "Issue" && bi.Content.Issue.Labels.PageInfo.HasNextPage:
				out.cut[strings.ToLower(it.Key)] = "more than 100 labels"
			case bi.Content.Typename == "Issue" && bi.Content.Issue.Assignees.PageInfo.HasNextPage:
				out.cut[strings.ToLower(it.Key)] = "more than 20 assignees"
			}
			out.items = append(out.items, it)
		}
		c.progress("board items", len(out.items), -1)
		if !proj.Items.PageInfo.HasNextPage {
			break
		}
		vars["cursor"] = githubv4.NewString(proj.Items.PageInfo.EndCursor)
	}
	var problems []string
	if redacted > 0 {
		problems = append(problems, fmt.Sprintf("%d of %d items are redacted: %s cannot read the issues or pull requests behind them; it lacks %s on their repositories",
			redacted, seen, c.c.credential, accessRedacted.perm))
	}
	if len(cutErrs) > 0 {
		problems = append(problems, fmt.Sprintf("%d items have more values than pomlint reads in one page (%s)", len(cutErrs), strings.Join(firstN(cutErrs, 3), "; ")))
	}
	if len(problems) > 0 {
		return out, fmt.Errorf("read project %s: %s", name, strings.Join(problems, "; "))
	}
	return out, nil
}

// cutUserField names the first user field whose user list was cut.
func cutUserField(nodes []fieldValue) string {
	for _, n := range nodes {
		if n.Typename == "ProjectV2ItemFieldUserValue" && n.User.Users.PageInfo.HasNextPage {
			return n.User.Field.Common.Name
		}
	}
	return ""
}

// firstN is the first n of s, with a count of the rest.
func firstN(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(append([]string(nil), s[:n]...), fmt.Sprintf("and %d more", len(s)-n))
}

// boardName is owner/project-N, as errors and draft keys name a board.
func boardName(p Project) string {
	owner := p.Org
	if owner == "" {
		owner = p.User
	}
	return fmt.Sprintf("%s/project-%d", owner, p.Number)
}

// errNullNode is the cause when node(id:) returned no item.
var errNullNode = errors.New("project item not returned")

// itemIDs are the ids of a page of board items, for loop detection.
func itemIDs(nodes []boardItem) []string {
	ids := make([]string, len(nodes))
	for i := range nodes {
		ids[i] = fmt.Sprint(nodes[i].ID)
	}
	return ids
}

// moreFieldValues pages through the rest of an item's field values.
func (c *run) moreFieldValues(ctx context.Context, bi *boardItem) error {
	cursor := bi.FieldValues.PageInfo.EndCursor
	guard := newLoopGuard("")
	guard.urls[string(cursor)] = true
	for {
		var q itemValuesQuery
		if err := c.c.gql.Query(ctx, &q, map[string]any{"id": bi.ID, "cursor": githubv4.NewString(cursor)}); err != nil {
			return err
		}
		if q.Node == nil || q.Node.Typename != "ProjectV2Item" {
			// Not "no more values": the item is gone or unreadable, and
			// its remaining values would be lost.
			return fmt.Errorf("node %v came back null or not a ProjectV2Item: %w", bi.ID, errNullNode)
		}
		fv := q.Node.Item.FieldValues
		if err := guard.cursor(nil, fv.PageInfo.HasNextPage, string(fv.PageInfo.EndCursor)); err != nil {
			return err
		}
		bi.FieldValues.Nodes = append(bi.FieldValues.Nodes, fv.Nodes...)
		if !fv.PageInfo.HasNextPage {
			return nil
		}
		cursor = fv.PageInfo.EndCursor
	}
}

// boardItem converts a board item; ok is false for items that are not
// pomlint items (pull requests). fetchBoard has counted redacted ones.
func (c *run) boardItem(board, boardURL string, bi *boardItem) (model.Item, bool) {
	var it model.Item
	switch bi.Content.Typename {
	case "Issue":
		is := &bi.Content.Issue
		repo := is.Repository.NameWithOwner
		it = model.Item{
			Key:     fmt.Sprintf("%s#%d", repo, is.Number),
			URL:     is.URL,
			Title:   is.Title,
			State:   strings.ToLower(is.State),
			Closed:  strings.EqualFold(is.State, "closed"),
			Repo:    repo,
			Created: is.CreatedAt.Time,
			Updated: is.UpdatedAt.Time,
		}
		if is.IssueType != nil {
			it.Type = is.IssueType.Name
		}
		for _, l := range is.Labels.Nodes {
			it.Labels = append(it.Labels, l.Name)
		}
		it.Assignees = accounts(is.Assignees.Nodes)
		if is.Author.Login != "" {
			it.Reporter = &model.Account{Tracker: model.TrackerGitHub, Login: is.Author.Login}
		}
		if is.Milestone != nil {
			it.Milestone = is.Milestone.Title
		}
		if is.Parent != nil && is.Parent.Number > 0 {
			it.Parent = fmt.Sprintf("%s#%d", is.Parent.Repository.NameWithOwner, is.Parent.Number)
		}
	case "DraftIssue":
		d := &bi.Content.Draft
		id := strconv.FormatInt(bi.DatabaseID, 10)
		it = model.Item{
			Key:       board + "/draft-" + id,
			Title:     d.Title,
			State:     "draft",
			Created:   d.CreatedAt.Time,
			Updated:   d.UpdatedAt.Time,
			Assignees: accounts(d.Assignees.Nodes),
		}
		if boardURL != "" {
			it.URL = boardURL + "?pane=issue&itemId=" + id
		}
		if d.Creator.Login != "" {
			it.Reporter = &model.Account{Tracker: model.TrackerGitHub, Login: d.Creator.Login}
		}
	default:
		return model.Item{}, false
	}
	it.Source = c.name
	it.Tracker = model.TrackerGitHub
	it.ProjectFields = c.projectFields(bi.FieldValues.Nodes)
	return it, true
}

// projectFields maps field values by field name, keeping only the fields the
// run asked for (all when FetchOptions.ProjectFields is empty). Text, single
// select, number, date and iteration values become Text; user fields Users.
// The built-in Title field is left out unless asked for.
func (c *run) projectFields(nodes []fieldValue) map[string]model.FieldValue {
	want := func(name string) bool {
		if len(c.opts.ProjectFields) == 0 {
			return true
		}
		for _, f := range c.opts.ProjectFields {
			if strings.EqualFold(f, name) {
				return true
			}
		}
		return false
	}
	out := map[string]model.FieldValue{}
	for _, n := range nodes {
		var name string
		var v model.FieldValue
		switch n.Typename {
		case "ProjectV2ItemFieldTextValue":
			name, v.Text = n.Text.Field.Common.Name, n.Text.Text
		case "ProjectV2ItemFieldSingleSelectValue":
			name, v.Text = n.Single.Field.Common.Name, n.Single.Name
		case "ProjectV2ItemFieldNumberValue":
			name, v.Text = n.Number.Field.Common.Name, strconv.FormatFloat(n.Number.Number, 'f', -1, 64)
		case "ProjectV2ItemFieldDateValue":
			name, v.Text = n.Date.Field.Common.Name, n.Date.Date
		case "ProjectV2ItemFieldIterationValue":
			name, v.Text = n.Iteration.Field.Common.Name, n.Iteration.Title
		case "ProjectV2ItemFieldUserValue":
			name, v.Users = n.User.Field.Common.Name, accounts(n.User.Users.Nodes)
		default:
			continue
		}
		if name == "" || v.IsZero() || !want(name) {
			continue
		}
		if name == "Title" && len(c.opts.ProjectFields) == 0 {
			// The built-in Title field repeats the item's title.
			continue
		}
		out[name] = v
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func accounts(ls []login) []model.Account {
	var out []model.Account
	for _, l := range ls {
		if l.Login != "" {
			out = append(out, model.Account{Tracker: model.TrackerGitHub, Login: l.Login})
		}
	}
	return out
}
