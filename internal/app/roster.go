package app

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/markdown"
	"github.com/pomlint/pomlint/internal/model"
)

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

// RosterSuggestion builds the YAML pomlint roster suggest prints: every
// owner account of the items in scope that matches no roster person, as a
// roster.people entry, and each team's likely product owner and product
// manager.
func RosterSuggestion(cfg *config.Config, items []model.Item, roster *model.Roster) ([]byte, error) {
	people, held := suggestPeople(cfg, items, roster)
	doc := peopleNode(people)
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

// suggestPeople gathers the owner accounts that match no roster person
// into people (one per tracker handle or email), gives them ids, and
// returns every owned item in scope with its owner's id.
func suggestPeople(cfg *config.Config, items []model.Item, roster *model.Roster) ([]*suggested, []ownedItem) {
	lintClosed := cfg.LintsClosed()
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
		s, isNew := personFor(byKey, it.Owner.Account)
		if isNew {
			people = append(people, s)
		}
		s.add(it)
		held = append(held, ownedItem{item: it, person: s})
	}
	giveIDs(people, roster)
	for i := range held {
		if held[i].person != nil {
			held[i].owner = held[i].person.id
		}
	}
	return people, held
}

// personFor returns the suggested person an account belongs to, made new
// when none of its keys is known yet.
func personFor(byKey map[string]*suggested, acc model.Account) (*suggested, bool) {
	keys := accountKeys(acc)
	var s *suggested
	for _, k := range keys {
		if s = byKey[k]; s != nil {
			break
		}
	}
	isNew := s == nil
	if isNew {
		s = &suggested{levels: map[model.Level]int{}}
	}
	for _, k := range keys {
		byKey[k] = s
	}
	return s, isNew
}

// add counts it as owned by s and takes what its owner account says.
func (s *suggested) add(it *model.Item) {
	acc := it.Owner.Account
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
}

// giveIDs gives every person an id no roster person has, in a fixed order
// (by the handle the id is derived from), and sorts people by id.
func giveIDs(people []*suggested, roster *model.Roster) {
	taken := map[string]bool{}
	if roster != nil {
		for _, p := range roster.People {
			taken[strings.ToLower(p.ID)] = true
		}
	}
	sort.SliceStable(people, func(i, j int) bool { return personSortKey(people[i]) < personSortKey(people[j]) })
	for _, s := range people {
		s.id = uniqueID(personID(s), taken)
	}
	sort.SliceStable(people, func(i, j int) bool { return people[i].id < people[j].id })
}

// peopleNode is the roster.people document, with a head comment saying
// what to do with it.
func peopleNode(people []*suggested) *yaml.Node {
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, s := range people {
		seq.Content = append(seq.Content, personNode(s))
	}
	head := fmt.Sprintf("%s match no roster person.\nFill in each one's roles, paste the entries under roster.people, and run pomlint config validate.",
		markdown.Plural(len(people), "owner account"))
	if len(people) == 0 {
		head = "Every owner account matches a roster person: nothing to add."
		seq.Style = yaml.FlowStyle
	}
	doc := &yaml.Node{Kind: yaml.MappingNode, HeadComment: head}
	rosterNode := &yaml.Node{Kind: yaml.MappingNode}
	rosterNode.Content = append(rosterNode.Content, scalar("people"), seq)
	doc.Content = append(doc.Content, scalar("roster"), rosterNode)
	return doc
}

// personNode is one roster.people entry.
func personNode(s *suggested) *yaml.Node {
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
	return m
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
