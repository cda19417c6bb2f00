package cli

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/model"
)

type rosterSuggestOptions struct {
	fetch fetchFlags
}

func (a *App) newRosterCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "roster",
		Short:   "Help build the roster from the trackers",
		Example: "  pomlint roster suggest > people.yaml",
	}
	o := &rosterSuggestOptions{}
	suggest := &cobra.Command{
		Use:   "suggest",
		Short: "Print the owner accounts that match no roster person, as a roster.people stanza to paste",
		Long: `Read the sources, resolve every item's owner as lint does, and print each owner
account that matches no roster person as a roster.people entry ready to paste
into the config: an id derived from the display name (or login), the name and
email the tracker gives, the account (GitHub login, Jira accountId on Cloud or
username on Data Center) and roles: [] to fill in. A comment above each entry
says how many items (by level) the account owns; accounts with the same email
on GitHub and Jira become one person.

Comments at the end name each team's likely product owner and product manager:
whoever owns most of its tactical and of its strategic items, with the
configured one beside it; items no team matches are grouped by Jira project
or GitHub repository.

The output is YAML: paste the entries under roster.people, fill in roles, and
run pomlint config validate. Nothing is written.

Exit codes: 0 done; 2 usage or config error; 3 a source could not be read
completely (the suggestion would miss accounts).`,
		Example: `  pomlint roster suggest
  pomlint roster suggest --source jira > people.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runRosterSuggest(cmd, o) },
	}
	o.fetch.register(suggest)
	cmd.AddCommand(suggest)
	return cmd
}

// ownedItem is an in-scope item and its owner's id: a roster id, or the
// id of the suggested person once ids are given.
type ownedItem struct {
	item   *model.Item
	owner  string
	person *suggested
}

// suggested is one person roster suggest proposes.
type suggested struct {
	id, name, email string
	github, jira    string
	inactive        bool
	// levels counts the items owned, by level.
	levels map[model.Level]int
}

func (a *App) runRosterSuggest(cmd *cobra.Command, o *rosterSuggestOptions) error {
	l, err := a.loadConfig()
	if err != nil {
		return err
	}
	c, err := a.collect(cmd.Context(), l, &o.fetch)
	if err != nil {
		return err
	}
	incomplete := false
	for _, s := range c.sources {
		if !s.Complete {
			incomplete = true
		}
	}
	out, err := rosterSuggestion(l.cfg, c.items, c.roster)
	if err != nil {
		return err
	}
	if _, err := a.IO.Out.Write(out); err != nil {
		return fmt.Errorf("write roster suggestion: %w", err)
	}
	if incomplete {
		return &exitError{code: model.ExitIncomplete, err: fmt.Errorf("a source was not read completely: the suggestion may miss accounts")}
	}
	return nil
}

// rosterSuggestion builds the YAML roster suggest prints.
func rosterSuggestion(cfg *config.Config, items []model.Item, roster *model.Roster) ([]byte, error) {
	lintClosed := map[string]bool{}
	for _, s := range cfg.Sources {
		if s.GitHub != nil && (s.GitHub.State == "closed" || s.GitHub.State == "all") {
			lintClosed[s.Name] = true
		}
	}
	taken := map[string]bool{}
	if roster != nil {
		for _, p := range roster.People {
			taken[strings.ToLower(p.ID)] = true
		}
	}
	var people []*suggested
	byKey := map[string]*suggested{}
	var held []ownedItem
	for i := range items {
		it := &items[i]
		if it.Closed && !lintClosed[it.Source] || it.Owner == nil || it.Owner.Account.IsZero() {
			continue
		}
		if it.Owner.PersonID != "" {
			held = append(held, ownedItem{item: it, owner: it.Owner.PersonID})
			continue
		}
		acc := it.Owner.Account
		keys := accountKeys(acc)
		var s *suggested
		for _, k := range keys {
			if s = byKey[k]; s != nil {
				break
			}
		}
		if s == nil {
			s = &suggested{levels: map[model.Level]int{}}
			people = append(people, s)
		}
		for _, k := range keys {
			byKey[k] = s
		}
		s.name = firstSet(s.name, acc.Name)
		s.email = firstSet(s.email, acc.Email)
		s.inactive = s.inactive || acc.Inactive
		switch acc.Tracker {
		case model.TrackerGitHub:
			s.github = firstSet(s.github, acc.Login)
		case model.TrackerJira:
			s.jira = firstSet(s.jira, acc.Login)
		}
		lvl := it.Level
		if lvl == "" {
			lvl = model.LevelUnknown
		}
		s.levels[lvl]++
		held = append(held, ownedItem{item: it, person: s})
	}
	// Ids in a fixed order: by the handle the id is derived from.
	sort.SliceStable(people, func(i, j int) bool { return personSortKey(people[i]) < personSortKey(people[j]) })
	for _, s := range people {
		s.id = uniqueID(personID(s), taken)
	}
	for i := range held {
		if held[i].person != nil {
			held[i].owner = held[i].person.id
		}
	}
	sort.SliceStable(people, func(i, j int) bool { return people[i].id < people[j].id })

	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, s := range people {
		m := &yaml.Node{Kind: yaml.MappingNode, HeadComment: ownsComment(s)}
		addScalar(m, "id", s.id)
		if s.name != "" {
			addScalar(m, "name", s.name)
		}
		m.Content = append(m.Content, scalar("roles"), &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle,
			LineComment: "fill in: product-owner and/or product-manager"})
		acc := &yaml.Node{Kind: yaml.MappingNode}
		if s.github != "" {
			addScalar(acc, "github", s.github)
		}
		if s.jira != "" {
			addScalar(acc, "jira", s.jira)
		}
		if s.email != "" {
			addScalar(acc, "email", s.email)
		}
		m.Content = append(m.Content, scalar("accounts"), acc)
		seq.Content = append(seq.Content, m)
	}
	head := fmt.Sprintf("%s match no roster person.\nFill in each one's roles, paste the entries under roster.people, and run pomlint config validate.",
		plural(len(people), "owner account"))
	if len(people) == 0 {
		head = "Every owner account matches a roster person: nothing to add."
		seq.Style = yaml.FlowStyle
	}
	doc := &yaml.Node{Kind: yaml.MappingNode, HeadComment: head}
	rosterNode := &yaml.Node{Kind: yaml.MappingNode}
	rosterNode.Content = append(rosterNode.Content, scalar("people"), seq)
	doc.Content = append(doc.Content, scalar("roster"), rosterNode)

	teamLines := teamComments(cfg, held)
	root := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("encode roster suggestion: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode roster suggestion: %w", err)
	}
	if len(teamLines) > 0 {
		buf.WriteString("\n# Likely product owner (most tactical items) and product manager (most strategic items):\n")
		for _, l := range teamLines {
			buf.WriteString("#   " + l + "\n")
		}
	}
	return buf.Bytes(), nil
}

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }

func addScalar(m *yaml.Node, k, v string) { m.Content = append(m.Content, scalar(k), scalar(v)) }

// accountKeys are the identities that make two owner accounts one person:
// the tracker handle and the email.
func accountKeys(a model.Account) []string {
	var keys []string
	if a.Login != "" {
		keys = append(keys, string(a.Tracker)+":"+strings.ToLower(a.Login))
	}
	if a.Email != "" {
		keys = append(keys, "email:"+strings.ToLower(a.Email))
	}
	if len(keys) == 0 {
		keys = append(keys, "name:"+strings.ToLower(a.Name))
	}
	return keys
}

func personSortKey(s *suggested) string {
	return strings.ToLower(firstSet(s.name, s.github, s.jira, s.email)) + "\x00" + s.github + "\x00" + s.jira + "\x00" + s.email
}

// personID derives an id from the display name, else the GitHub login,
// the email's local part or the Jira account: lower case, letters (any
// script: "Zoë Ødegård" is zoë-ødegård) and digits joined by '-'.
func personID(s *suggested) string {
	local, _, _ := strings.Cut(s.email, "@")
	for _, c := range []string{s.name, s.github, local, s.jira} {
		if id := slug(c); id != "" {
			return id
		}
	}
	return "person"
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// uniqueID returns id, or id-2, id-3… when it is taken, and takes it.
func uniqueID(id string, taken map[string]bool) string {
	out := id
	for n := 2; taken[strings.ToLower(out)]; n++ {
		out = fmt.Sprintf("%s-%d", id, n)
	}
	taken[strings.ToLower(out)] = true
	return out
}

func ownsComment(s *suggested) string {
	var parts []string
	for _, l := range []model.Level{model.LevelStrategic, model.LevelTactical, model.LevelUnknown} {
		if n := s.levels[l]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, l))
		}
	}
	c := "owns " + strings.Join(parts, ", ")
	total := 0
	for _, n := range s.levels {
		total += n
	}
	if total == 1 {
		c += " item"
	} else {
		c += " items"
	}
	if s.inactive {
		c += "; the tracker says the account is deactivated"
	}
	return c
}

// teamComments names, per configured team and per group of items no team
// matches (Jira project, GitHub repository), who owns most of its tactical
// and strategic items.
func teamComments(cfg *config.Config, held []ownedItem) []string {
	type tally map[string]int
	type group struct{ tactical, strategic tally }
	groups := map[string]*group{}
	get := func(k string) *group {
		if g := groups[k]; g != nil {
			return g
		}
		g := &group{tactical: tally{}, strategic: tally{}}
		groups[k] = g
		return g
	}
	for _, h := range held {
		k := "team " + h.item.Team
		if h.item.Team == "" {
			k = "unmatched " + itemGroup(h.item)
		}
		switch h.item.Level {
		case model.LevelTactical:
			get(k).tactical[h.owner]++
		case model.LevelStrategic:
			get(k).strategic[h.owner]++
		}
	}
	top := func(t tally) (string, int, int) {
		best, n, total := "", 0, 0
		for id, c := range t {
			total += c
			if c > n || c == n && id < best {
				best, n = id, c
			}
		}
		return best, n, total
	}
	describe := func(g *group, wantPO, wantPM string) string {
		var parts []string
		for _, r := range []struct {
			role, configured string
			t                tally
			level            string
		}{{"product owner", wantPO, g.tactical, "tactical"}, {"product manager", wantPM, g.strategic, "strategic"}} {
			id, n, total := top(r.t)
			if id == "" {
				parts = append(parts, "no "+r.level+" items for a "+r.role)
				continue
			}
			p := fmt.Sprintf("%s %s (%d of %d %s items)", r.role, id, n, total, r.level)
			if r.configured != "" && r.configured != id {
				p += ", configured: " + r.configured
			}
			parts = append(parts, p)
		}
		return strings.Join(parts, "; ")
	}
	var out []string
	for _, t := range cfg.Roster.Teams {
		if g := groups["team "+t.Name]; g != nil {
			out = append(out, fmt.Sprintf("team %s: %s", t.Name, describe(g, t.ProductOwner, t.ProductManager)))
		}
	}
	var rest []string
	for k := range groups {
		if strings.HasPrefix(k, "unmatched ") {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, fmt.Sprintf("no team matches %s: %s", strings.TrimPrefix(k, "unmatched "), describe(groups[k], "", "")))
	}
	return out
}

// itemGroup names what a team would match an item by: its Jira project or
// its GitHub repository.
func itemGroup(it *model.Item) string {
	if i := strings.Index(it.Key, "#"); i > 0 {
		return "repo " + it.Key[:i]
	}
	if p, _, ok := strings.Cut(it.Key, "-"); ok && !strings.Contains(it.Key, "/") {
		return "project " + p
	}
	return "source " + it.Source
}

// firstSet returns the first non-empty string.
func firstSet(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
