package fake

import (
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"strings"
	"time"
)

// The REST shapes below follow the recorded octokit fixtures
// (testdata/github/octokit-paginate-issues.json) field by field, plus the
// fields GitHub added since: type, parent_issue_url, sub_issues_summary.

// ghWeb is the web root of html_url links; stable across test servers so
// that golden files do not depend on the port.
const ghWeb = "https://github.com"

type ghUserOut struct {
	Login             string `json:"login"`
	ID                int64  `json:"id"`
	NodeID            string `json:"node_id"`
	AvatarURL         string `json:"avatar_url"`
	GravatarID        string `json:"gravatar_id"`
	URL               string `json:"url"`
	HTMLURL           string `json:"html_url"`
	FollowersURL      string `json:"followers_url"`
	FollowingURL      string `json:"following_url"`
	GistsURL          string `json:"gists_url"`
	StarredURL        string `json:"starred_url"`
	SubscriptionsURL  string `json:"subscriptions_url"`
	OrganizationsURL  string `json:"organizations_url"`
	ReposURL          string `json:"repos_url"`
	EventsURL         string `json:"events_url"`
	ReceivedEventsURL string `json:"received_events_url"`
	Type              string `json:"type"`
	SiteAdmin         bool   `json:"site_admin"`
}

type ghLabelOut struct {
	ID          int64  `json:"id"`
	NodeID      string `json:"node_id"`
	URL         string `json:"url"`
	Name        string `json:"name"`
	Color       string `json:"color"`
	Default     bool   `json:"default"`
	Description string `json:"description"`
}

type ghMilestoneOut struct {
	URL          string     `json:"url"`
	HTMLURL      string     `json:"html_url"`
	LabelsURL    string     `json:"labels_url"`
	ID           int64      `json:"id"`
	NodeID       string     `json:"node_id"`
	Number       int        `json:"number"`
	Title        string     `json:"title"`
	Description  *string    `json:"description"`
	Creator      *ghUserOut `json:"creator"`
	OpenIssues   int        `json:"open_issues"`
	ClosedIssues int        `json:"closed_issues"`
	State        string     `json:"state"`
	CreatedAt    string     `json:"created_at"`
	UpdatedAt    string     `json:"updated_at"`
	DueOn        *string    `json:"due_on"`
	ClosedAt     *string    `json:"closed_at"`
}

type ghTypeOut struct {
	ID          int64  `json:"id"`
	NodeID      string `json:"node_id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Color       string `json:"color"`
	CreatedAt   string `json:"created_at"`
	UpdatedAt   string `json:"updated_at"`
	IsEnabled   bool   `json:"is_enabled"`
}

type ghReactionsOut struct {
	URL        string `json:"url"`
	TotalCount int    `json:"total_count"`
	PlusOne    int    `json:"+1"`
	MinusOne   int    `json:"-1"`
	Laugh      int    `json:"laugh"`
	Hooray     int    `json:"hooray"`
	Confused   int    `json:"confused"`
	Heart      int    `json:"heart"`
	Rocket     int    `json:"rocket"`
	Eyes       int    `json:"eyes"`
}

type ghPullOut struct {
	URL      string  `json:"url"`
	HTMLURL  string  `json:"html_url"`
	DiffURL  string  `json:"diff_url"`
	PatchURL string  `json:"patch_url"`
	MergedAt *string `json:"merged_at"`
}

type ghSubSummaryOut struct {
	Total            int `json:"total"`
	Completed        int `json:"completed"`
	PercentCompleted int `json:"percent_completed"`
}

type ghIssueOut struct {
	URL                   string          `json:"url"`
	RepositoryURL         string          `json:"repository_url"`
	LabelsURL             string          `json:"labels_url"`
	CommentsURL           string          `json:"comments_url"`
	EventsURL             string          `json:"events_url"`
	HTMLURL               string          `json:"html_url"`
	ID                    int64           `json:"id"`
	NodeID                string          `json:"node_id"`
	Number                int             `json:"number"`
	Title                 string          `json:"title"`
	User                  *ghUserOut      `json:"user"`
	Labels                []ghLabelOut    `json:"labels"`
	State                 string          `json:"state"`
	Locked                bool            `json:"locked"`
	Assignee              *ghUserOut      `json:"assignee"`
	Assignees             []ghUserOut     `json:"assignees"`
	Milestone             *ghMilestoneOut `json:"milestone"`
	Comments              int             `json:"comments"`
	CreatedAt             string          `json:"created_at"`
	UpdatedAt             string          `json:"updated_at"`
	ClosedAt              *string         `json:"closed_at"`
	AuthorAssociation     string          `json:"author_association"`
	ActiveLockReason      *string         `json:"active_lock_reason"`
	PullRequest           *ghPullOut      `json:"pull_request,omitempty"`
	Body                  *string         `json:"body"`
	Reactions             ghReactionsOut  `json:"reactions"`
	TimelineURL           string          `json:"timeline_url"`
	PerformedViaGitHubApp *string         `json:"performed_via_github_app"`
	StateReason           *string         `json:"state_reason"`
	Type                  *ghTypeOut      `json:"type"`
	SubIssuesSummary      ghSubSummaryOut `json:"sub_issues_summary"`
	ParentIssueURL        *string         `json:"parent_issue_url"`
}

// ghID derives a stable numeric id from a name.
func ghID(s string) int64 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return int64(h.Sum32()%9_000_000) + 1_000_000
}

func ghNodeID(kind string, id int64) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("0%d:%s%d", len(kind), kind, id)))
}

func ghTime(t time.Time) string {
	if t.IsZero() {
		t = time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	}
	return t.UTC().Format(time.RFC3339)
}

func (g *GitHub) api() string { return g.URL + g.prefix }

func (g *GitHub) userJSON(login string) ghUserOut {
	id := ghID("user:" + login)
	u := g.api() + "/users/" + login
	return ghUserOut{
		Login: login, ID: id, NodeID: ghNodeID("User", id),
		AvatarURL:         fmt.Sprintf("https://avatars.githubusercontent.com/u/%d?v=4", id),
		URL:               u,
		HTMLURL:           ghWeb + "/" + login,
		FollowersURL:      u + "/followers",
		FollowingURL:      u + "/following{/other_user}",
		GistsURL:          u + "/gists{/gist_id}",
		StarredURL:        u + "/starred{/owner}{/repo}",
		SubscriptionsURL:  u + "/subscriptions",
		OrganizationsURL:  u + "/orgs",
		ReposURL:          u + "/repos",
		EventsURL:         u + "/events{/privacy}",
		ReceivedEventsURL: u + "/received_events",
		Type:              "User",
	}
}

var ghTypeColors = map[string]string{"Epic": "purple", "Feature": "blue", "Task": "yellow", "Bug": "red", "Initiative": "green"}

func (g *GitHub) issueJSON(repo *ghRepo, is *GitHubIssue) ghIssueOut {
	full := repo.FullName()
	api := g.api() + "/repos/" + full
	iu := fmt.Sprintf("%s/issues/%d", api, is.Number)
	id := ghID(fmt.Sprintf("issue:%s#%d", full, is.Number))
	state := is.State
	if state == "" {
		state = "open"
	}
	author := is.Author
	if author == "" {
		author = "octokit-fixture-user-a"
	}
	user := g.userJSON(author)
	out := ghIssueOut{
		URL: iu, RepositoryURL: api, LabelsURL: iu + "/labels{/name}", CommentsURL: iu + "/comments",
		EventsURL: iu + "/events", HTMLURL: fmt.Sprintf("%s/%s/issues/%d", ghWeb, full, is.Number),
		ID: id, NodeID: ghNodeID("Issue", id), Number: is.Number, Title: is.Title, User: &user,
		Labels: []ghLabelOut{}, State: state, Assignees: []ghUserOut{},
		CreatedAt: ghTime(is.Created), UpdatedAt: ghTime(is.Updated), AuthorAssociation: "MEMBER",
		Reactions:   ghReactionsOut{URL: iu + "/reactions"},
		TimelineURL: iu + "/timeline",
	}
	if state == "closed" {
		c := ghTime(is.Updated)
		out.ClosedAt = &c
		r := "completed"
		out.StateReason = &r
	}
	for _, l := range is.Labels {
		lid := ghID("label:" + full + ":" + l)
		out.Labels = append(out.Labels, ghLabelOut{ID: lid, NodeID: ghNodeID("Label", lid), URL: api + "/labels/" + l, Name: l, Color: "ededed"})
	}
	for i, a := range is.Assignees {
		u := g.userJSON(a)
		if i == 0 {
			first := u
			out.Assignee = &first
		}
		out.Assignees = append(out.Assignees, u)
	}
	if is.Milestone != "" {
		mid := ghID("milestone:" + full + ":" + is.Milestone)
		creator := g.userJSON(author)
		out.Milestone = &ghMilestoneOut{
			URL: api + "/milestones/1", HTMLURL: ghWeb + "/" + full + "/milestone/1", LabelsURL: api + "/milestones/1/labels",
			ID: mid, NodeID: ghNodeID("Milestone", mid), Number: 1, Title: is.Milestone, Creator: &creator,
			State: "open", CreatedAt: ghTime(is.Created), UpdatedAt: ghTime(is.Updated),
		}
	}
	if is.PullRequest {
		pu := fmt.Sprintf("%s/pulls/%d", api, is.Number)
		web := fmt.Sprintf("%s/%s/pull/%d", ghWeb, full, is.Number)
		out.PullRequest = &ghPullOut{URL: pu, HTMLURL: web, DiffURL: web + ".diff", PatchURL: web + ".patch"}
		out.HTMLURL = web
	}
	if is.Type != "" {
		tid := ghID("type:" + repo.Owner + ":" + is.Type)
		color := ghTypeColors[is.Type]
		if color == "" {
			color = "gray"
		}
		out.Type = &ghTypeOut{ID: tid, NodeID: ghNodeID("IssueType", tid), Name: is.Type, Description: is.Type, Color: color,
			CreatedAt: "2024-12-11T14:39:09Z", UpdatedAt: "2024-12-11T14:39:09Z", IsEnabled: true}
	}
	for _, ci := range repo.children[is.Number] {
		out.SubIssuesSummary.Total++
		if repo.issues[ci].State == "closed" {
			out.SubIssuesSummary.Completed++
		}
	}
	out.SubIssuesSummary.Total += len(repo.extChild[is.Number])
	if t := out.SubIssuesSummary.Total; t > 0 {
		out.SubIssuesSummary.PercentCompleted = 100 * out.SubIssuesSummary.Completed / t
	}
	if is.Parent != "" {
		prepo, pn := splitIssueKey(is.Parent)
		u := fmt.Sprintf("%s/repos/%s/issues/%d", g.api(), prepo, pn)
		out.ParentIssueURL = &u
	}
	return out
}

type ghRepoOut struct {
	ID              int64     `json:"id"`
	NodeID          string    `json:"node_id"`
	Name            string    `json:"name"`
	FullName        string    `json:"full_name"`
	Private         bool      `json:"private"`
	Owner           ghUserOut `json:"owner"`
	HTMLURL         string    `json:"html_url"`
	Description     *string   `json:"description"`
	Fork            bool      `json:"fork"`
	URL             string    `json:"url"`
	IssuesURL       string    `json:"issues_url"`
	CreatedAt       string    `json:"created_at"`
	UpdatedAt       string    `json:"updated_at"`
	PushedAt        string    `json:"pushed_at"`
	HasIssues       bool      `json:"has_issues"`
	HasProjects     bool      `json:"has_projects"`
	Archived        bool      `json:"archived"`
	Disabled        bool      `json:"disabled"`
	OpenIssuesCount int       `json:"open_issues_count"`
	OpenIssues      int       `json:"open_issues"`
	Visibility      string    `json:"visibility"`
	DefaultBranch   string    `json:"default_branch"`
}

func (g *GitHub) repoJSON(r *ghRepo) ghRepoOut {
	owner := g.userJSON(r.Owner)
	owner.Type = "Organization"
	open := 0
	for i := range r.issues {
		if r.issues[i].State != "closed" {
			open++
		}
	}
	api := g.api() + "/repos/" + r.FullName()
	return ghRepoOut{
		ID: r.ID, NodeID: ghNodeID("Repository", r.ID), Name: r.Name, FullName: r.FullName(), Private: true, Owner: owner,
		HTMLURL: ghWeb + "/" + r.FullName(), URL: api, IssuesURL: api + "/issues{/number}",
		CreatedAt: "2024-01-02T10:00:00Z", UpdatedAt: "2025-03-01T10:00:00Z", PushedAt: "2025-03-01T10:00:00Z",
		HasIssues: !r.IssuesDisabled, HasProjects: true, Archived: r.Archived, OpenIssuesCount: open, OpenIssues: open,
		Visibility: "private", DefaultBranch: "main",
	}
}

// issueByKey finds an issue of the data by owner/repo#N.
func (g *GitHub) issueByKey(key string) (*ghRepo, *GitHubIssue) {
	repo, n := splitIssueKey(key)
	r, ok := g.repos[strings.ToLower(repo)]
	if !ok {
		return nil, nil
	}
	for i := range r.issues {
		if r.issues[i].Number == n {
			return r, &r.issues[i]
		}
	}
	return r, nil
}
