package drift

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pomlint/pomlint/internal/model"
)

// PullRequest is the text of a pull request that can reference items.
type PullRequest struct {
	// Repo is the pull request's repository, owner/repo: a bare #123
	// refers to an issue in it.
	Repo    string
	Title   string
	Body    string
	Branch  string
	Commits []string // commit messages
}

// Ref is one item a pull request references.
type Ref struct {
	// Key is the item key: owner/repo#123 or PAY-12.
	Key string `json:"key"`
	// Closing is true when a closing keyword (fixes, closes, resolves …)
	// precedes a GitHub reference.
	Closing bool `json:"closing,omitempty"`
	// Where lists the parts of the pull request that mention the item:
	// title, body, commit, branch.
	Where []string `json:"where"`
}

// LinkOptions tune Linked.
type LinkOptions struct {
	// JiraProjects, when not empty, are the only Jira project keys
	// accepted (from the config's jira sources and teams, or the data).
	// When empty, any key of 2-10 characters is accepted except names
	// that look like standards (UTF-8, ISO-8601, SHA-256 …).
	JiraProjects []string
	// GitHubHosts are the web hosts whose issue URLs are GitHub
	// references, besides github.com (a GitHub Enterprise Server host,
	// e.g. ghe.acme.com).
	GitHubHosts []string
}

var (
	// ghRef matches issue URLs, owner/repo#123, #123 and GH-123. The
	// characters around the match and a closing keyword before it are
	// checked by hand (Go's regexp has no look-around).
	ghRef = regexp.MustCompile(`https?://([^\s/]+)/([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+)/issues/([0-9]+)|` +
		`(?:([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+))?#([0-9]+)|` +
		`(?i:GH)-([0-9]+)`)
	// closingBefore matches a closing keyword (fixes, closes, resolves …)
	// at the end of the text before a reference.
	closingBefore = regexp.MustCompile(`(?i)(?:^|[^A-Za-z0-9])(?:close|closes|closed|fix|fixes|fixed|resolve|resolves|resolved):?\s+$`)
	// jiraKey matches PROJ-123: an upper-case project key of 2-10
	// characters, a dash and a number without a leading zero. It must not
	// touch a letter or digit on either side, checked by hand, so "_" and
	// "/" separate (feature/PAY-12_refunds).
	jiraKey = regexp.MustCompile(`([A-Z][A-Z0-9]{1,9})-([1-9][0-9]{0,8})`)
	// codeFence and codeSpan remove code, where references are examples.
	codeFence  = regexp.MustCompile("(?s)```.*?(```|$)|~~~.*?(~~~|$)")
	codeSpanRE = regexp.MustCompile("`[^`\n]*`")
	// htmlComment removes PR template comments.
	htmlComment = regexp.MustCompile(`(?s)<!--.*?(-->|$)`)
)

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// notProjects are upper-case prefixes that look like Jira keys but name
// standards, encodings and identifiers: UTF-8, ISO-8601, SHA-256, CVE-2024-…
var notProjects = map[string]bool{
	"UTF": true, "UCS": true, "ISO": true, "SHA": true, "MD": true, "RFC": true, "CVE": true, "CWE": true, "GHSA": true,
	"GH": true, "HTTP": true, "TLS": true, "SSL": true, "AES": true, "RSA": true, "ECDSA": true, "ED": true, "HMAC": true, "CRC": true,
	"IEEE": true, "ECMA": true, "ES": true, "PEP": true, "JSR": true, "KEP": true, "X": true, "WIN": true, "IPV": true,
	"COVID": true, "MP": true, "H": true, "PCI": true, "SOC": true, "GDPR": true, "OAUTH": true, "WCAG": true, "CP": true,
	"LATIN": true, "BASE": true, "FIPS": true, "NIST": true, "OWASP": true, "PKCS": true, "UUID": true, "ULID": true,
}

// Linked finds the items a pull request references, deduplicated and sorted
// (GitHub keys, then Jira keys, each in natural order):
//
//   - GitHub: closing keywords (fixes #12, Closes acme/app#3, resolves
//     https://github.com/acme/app/issues/4), plain #12, GH-12 and
//     owner/repo#12, in the title, body and commit messages. A bare #12 or
//     GH-12 resolves against pr.Repo. Only issue URLs on github.com or
//     o.GitHubHosts count.
//   - Jira: PROJ-123 keys in the title, body, commit messages (smart
//     commits) and branch name (see Linked's branch rule below).
//
// Code blocks, inline code and HTML comments (PR templates) are skipped.
func Linked(pr PullRequest, o LinkOptions) []Ref {
	l := newLinker(pr.Repo, o)
	title, body := prose(pr.Title), prose(pr.Body)
	l.scanGitHub(title, "title")
	l.scanJira(title, "title")
	l.scanGitHub(body, "body")
	l.scanJira(body, "body")
	for _, c := range pr.Commits {
		c = prose(c)
		l.scanGitHub(c, "commit")
		l.scanJira(c, "commit")
	}
	// Branch names use dashes and slashes (feature/PAY-12-refunds). Some
	// tools lower-case them, but upper-casing every branch would read
	// renovate/node-20.x as NODE-20: only a configured project is matched
	// case-insensitively; without a project list, only keys already
	// upper-case count.
	branch := pr.Branch
	if len(l.allow) > 0 {
		branch = strings.ToUpper(branch)
	}
	l.scanJira(branch, "branch")
	return l.sorted()
}

// linker collects the references of one pull request, keyed by their
// normalised key so that one item mentioned in several places is one Ref.
type linker struct {
	repo  string          // the pull request's owner/repo, for bare #12 and GH-12
	allow map[string]bool // accepted Jira projects; empty accepts any
	hosts map[string]bool // web hosts whose issue URLs are GitHub references
	refs  map[string]*Ref
}

func newLinker(repo string, o LinkOptions) *linker {
	l := &linker{
		repo:  repo,
		allow: map[string]bool{},
		hosts: map[string]bool{"github.com": true, "www.github.com": true},
		refs:  map[string]*Ref{},
	}
	for _, p := range o.JiraProjects {
		if p = strings.ToUpper(strings.TrimSpace(p)); p != "" {
			l.allow[p] = true
		}
	}
	for _, h := range o.GitHubHosts {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			l.hosts[h] = true
		}
	}
	return l
}

// note records that key is mentioned in where, closing or not.
func (l *linker) note(key, where string, closing bool) {
	nk := normKey(key)
	r, ok := l.refs[nk]
	if !ok {
		r = &Ref{Key: key}
		l.refs[nk] = r
	}
	r.Closing = r.Closing || closing
	if !slices.Contains(r.Where, where) {
		r.Where = append(r.Where, where)
	}
}

// prose removes the parts of a text where references are examples or
// template boilerplate: HTML comments, code blocks and inline code.
func prose(s string) string {
	s = htmlComment.ReplaceAllString(s, " ")
	s = codeFence.ReplaceAllString(s, " ")
	return codeSpanRE.ReplaceAllString(s, " ")
}

// scanGitHub notes the GitHub issue references in text.
func (l *linker) scanGitHub(text, where string) {
	for _, m := range ghRef.FindAllStringSubmatchIndex(text, -1) {
		if !standsAlone(text, m[0], m[1]) {
			continue
		}
		key, ok := l.githubKey(text, m)
		if !ok {
			continue
		}
		l.note(key, where, closedBy(text, m[0]))
	}
}

// standsAlone reports whether the GitHub reference text[start:end] is a
// reference of its own: it must not continue a word, a path or an HTML
// entity (&#123;), nor run on into letters (#12abc).
func standsAlone(text string, start, end int) bool {
	if start > 0 {
		if c := text[start-1]; c == '&' || c == '/' || c == '-' || c == '.' || c == '#' || isAlnum(c) {
			return false
		}
	}
	return end >= len(text) || !isAlnum(text[end])
}

// githubKey turns one ghRef match into an owner/repo#n key. It fails for an
// issue URL on a host that is not GitHub (Sentry, GitLab …), an issue
// number of 0 or one that does not fit an int, and a bare #n when the pull
// request's repository is unknown.
func (l *linker) githubKey(text string, m []int) (string, bool) {
	sub := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return text[m[2*i]:m[2*i+1]]
	}
	var owner, repo, num string
	switch {
	case sub(4) != "":
		if !l.hosts[strings.ToLower(sub(1))] {
			return "", false
		}
		owner, repo, num = sub(2), sub(3), sub(4)
	case sub(7) != "":
		owner, repo, num = sub(5), sub(6), sub(7)
	default:
		num = sub(8) // GH-12: an issue of the PR's repository
	}
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 {
		return "", false
	}
	full := owner + "/" + repo
	if owner == "" {
		if l.repo == "" {
			return "", false
		}
		full = l.repo
	}
	return full + "#" + strconv.Itoa(n), true
}

// closedBy reports whether a closing keyword (fixes, closes …) ends the
// text before the reference at start. Only the 64 bytes before it are
// searched; a keyword cut at that window's start must not be a word's tail.
func closedBy(text string, start int) bool {
	w0 := max(0, start-64)
	loc := closingBefore.FindStringIndex(text[w0:start])
	return loc != nil && (w0 == 0 || loc[0] > 0 || !isAlnum(text[w0-1]))
}

// scanJira notes the Jira keys in text.
func (l *linker) scanJira(text, where string) {
	for _, m := range jiraKey.FindAllStringSubmatchIndex(text, -1) {
		if m[0] > 0 && isAlnum(text[m[0]-1]) || m[1] < len(text) && isAlnum(text[m[1]]) {
			continue
		}
		if isVersion(text, m[1]) || !l.acceptsProject(text[m[2]:m[3]]) {
			continue
		}
		l.note(text[m[0]:m[1]], where, false)
	}
}

// isVersion reports whether a key ending at end continues as a version
// number: "ABC-1.2" is a version, while "v1-2", "ABC-12-beta" and
// "x/ABC-1" are fine.
func isVersion(text string, end int) bool {
	return end+1 < len(text) && text[end] == '.' && text[end+1] >= '0' && text[end+1] <= '9'
}

// acceptsProject reports whether proj is a Jira project: one of the
// configured projects, or, without a list, any prefix that does not name a
// standard (SHA-256). GH-12 is always a GitHub issue.
func (l *linker) acceptsProject(proj string) bool {
	if proj == "GH" {
		return false
	}
	if len(l.allow) > 0 {
		return l.allow[proj]
	}
	return !notProjects[strings.TrimRight(proj, "0123456789")]
}

// sorted returns the references: GitHub keys first, then Jira keys, each in
// natural order.
func (l *linker) sorted() []Ref {
	out := make([]Ref, 0, len(l.refs))
	for _, r := range l.refs {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		gi, gj := strings.Contains(out[i].Key, "#"), strings.Contains(out[j].Key, "#")
		if gi != gj {
			return gi
		}
		if c := model.CompareKeys(strings.ToLower(out[i].Key), strings.ToLower(out[j].Key)); c != 0 {
			return c < 0
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// Keys returns the keys of refs.
func Keys(refs []Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Key
	}
	return out
}

// JiraProjects collects the Jira project keys an organisation uses: teams'
// jira_projects, `project = X` / `project in (X, Y)` in JQL, and the projects
// of Jira items in the data. The result is sorted and deduplicated.
func JiraProjects(jql []string, teamProjects []string, items []model.Item) []string {
	set := map[string]bool{}
	for _, p := range teamProjects {
		if p = strings.ToUpper(strings.TrimSpace(p)); p != "" {
			set[p] = true
		}
	}
	for _, q := range jql {
		for _, m := range jqlProject.FindAllStringSubmatch(q, -1) {
			for _, p := range strings.Split(m[1]+m[2], ",") {
				p = strings.ToUpper(strings.Trim(strings.TrimSpace(p), `"'()`))
				if projectKey.MatchString(p) {
					set[p] = true
				}
			}
		}
	}
	for i := range items {
		it := &items[i]
		if it.Tracker != model.TrackerJira {
			continue
		}
		p := it.Project
		if p == "" {
			p, _, _ = strings.Cut(it.Key, "-")
		}
		if p = strings.ToUpper(p); projectKey.MatchString(p) {
			set[p] = true
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

var (
	jqlProject = regexp.MustCompile(`(?i)\bproject\s*(?:=\s*("[^"]*"|'[^']*'|[A-Za-z0-9_]+)|in\s*\(([^)]*)\))`)
	projectKey = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,9}$`)
)
