package fake

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// compileJQL understands the small part of JQL pomlint and its tests send:
// AND, OR, NOT, parentheses, ORDER BY (key/issuekey DESC reverses the
// result, anything else keeps key order), and clauses on project, key,
// issuetype, status, statusCategory, labels, created and updated with =,
// !=, IN, NOT IN, >, >=, <, <=. Relational operators on keys compare the
// issue number within the key's project, as Jira does. Anything else is an
// error worded like Jira's own, so that error paths are exercised with
// real-looking text.
//
// keyBound, when not nil, checks a key used as a bound of a relational
// operator as Jira does: such a bound must be an existing issue the account
// can see and not the old key of a moved issue. It returns Jira's error text
// for a bound that is not.
func compileJQL(jql string, keyBound func(op, field, key string) error) (match func(JiraIssue) bool, desc bool, err error) {
	if loc := orderBy.FindStringIndex(jql); loc != nil {
		desc = keyDesc.MatchString(jql[loc[0]:])
		jql = jql[:loc[0]]
	}
	toks, err := lexJQL(jql)
	if err != nil {
		return nil, false, err
	}
	if len(toks) == 0 {
		return func(JiraIssue) bool { return true }, desc, nil
	}
	p := &jqlParser{toks: toks, keyBound: keyBound}
	m, err := p.or()
	if err != nil {
		return nil, false, err
	}
	if p.pos < len(p.toks) {
		return nil, false, fmt.Errorf("Error in the JQL Query: Expecting either 'OR' or 'AND' but got '%s'.", p.toks[p.pos].s)
	}
	return m, desc, nil
}

var (
	orderBy = regexp.MustCompile(`(?i)\s*\border\s+by\b`)
	keyDesc = regexp.MustCompile(`(?i)^\s*order\s+by\s+(issue)?key\s+desc\b`)
)

type jqlTok struct {
	s      string
	quoted bool
}

func lexJQL(s string) ([]jqlTok, error) {
	var out []jqlTok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '(' || c == ')' || c == ',':
			out = append(out, jqlTok{s: string(c)})
			i++
		case c == '"' || c == '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return nil, fmt.Errorf("Error in the JQL Query: The quoted string '%s' has not been completed.", s[i:])
			}
			out = append(out, jqlTok{s: s[i+1 : i+1+j], quoted: true})
			i += j + 2
		case strings.ContainsRune("!=<>~", rune(c)):
			j := i + 1
			for j < len(s) && strings.ContainsRune("=<>~", rune(s[j])) {
				j++
			}
			out = append(out, jqlTok{s: s[i:j]})
			i = j
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n(),\"'!=<>~", rune(s[j])) {
				j++
			}
			out = append(out, jqlTok{s: s[i:j]})
			i = j
		}
	}
	return out, nil
}

type jqlParser struct {
	toks     []jqlTok
	pos      int
	keyBound func(op, field, key string) error
}

func (p *jqlParser) peekWord(w string) bool {
	return p.pos < len(p.toks) && !p.toks[p.pos].quoted && strings.EqualFold(p.toks[p.pos].s, w)
}

func (p *jqlParser) or() (func(JiraIssue) bool, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.peekWord("OR") {
		p.pos++
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(is JiraIssue) bool { return a(is) || b(is) }
	}
	return l, nil
}

func (p *jqlParser) and() (func(JiraIssue) bool, error) {
	l, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.peekWord("AND") {
		p.pos++
		r, err := p.not()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(is JiraIssue) bool { return a(is) && b(is) }
	}
	return l, nil
}

func (p *jqlParser) not() (func(JiraIssue) bool, error) {
	if p.peekWord("NOT") {
		p.pos++
		m, err := p.not()
		if err != nil {
			return nil, err
		}
		return func(is JiraIssue) bool { return !m(is) }, nil
	}
	if p.pos < len(p.toks) && p.toks[p.pos].s == "(" && !p.toks[p.pos].quoted {
		p.pos++
		m, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.pos >= len(p.toks) || p.toks[p.pos].s != ")" {
			return nil, fmt.Errorf("Error in the JQL Query: Expecting ')' before the end of the query.")
		}
		p.pos++
		return m, nil
	}
	return p.clause()
}

func (p *jqlParser) next() (jqlTok, bool) {
	if p.pos >= len(p.toks) {
		return jqlTok{}, false
	}
	t := p.toks[p.pos]
	p.pos++
	return t, true
}

func (p *jqlParser) clause() (func(JiraIssue) bool, error) {
	field, ok := p.next()
	if !ok {
		return nil, fmt.Errorf("Error in the JQL Query: Expecting a field name at the end of the query.")
	}
	get, isTime := jqlField(field.s)
	if get == nil {
		return nil, fmt.Errorf("Field '%s' does not exist or you do not have permission to view it.", field.s)
	}
	op, ok := p.next()
	if !ok {
		return nil, fmt.Errorf("Error in the JQL Query: Expecting operator but got the end of the query.")
	}
	opName := strings.ToUpper(op.s)
	if opName == "NOT" && p.peekWord("IN") {
		p.pos++
		opName = "NOT IN"
	}
	if opName == "IN" || opName == "NOT IN" {
		var vals []string
		if t, ok := p.next(); !ok || t.s != "(" {
			return nil, fmt.Errorf("Error in the JQL Query: Expecting '(' after '%s'.", opName)
		}
		for {
			t, ok := p.next()
			if !ok {
				return nil, fmt.Errorf("Error in the JQL Query: Expecting ')' before the end of the query.")
			}
			if t.s == ")" && !t.quoted {
				break
			}
			if t.s == "," && !t.quoted {
				continue
			}
			vals = append(vals, strings.ToLower(t.s))
		}
		in := func(is JiraIssue) bool {
			for _, v := range get(is) {
				if slices.ContainsFunc(vals, func(w string) bool { return strings.EqualFold(v, w) }) {
					return true
				}
			}
			return false
		}
		if opName == "NOT IN" {
			return func(is JiraIssue) bool { return !in(is) }, nil
		}
		return in, nil
	}
	val, ok := p.next()
	if !ok {
		return nil, fmt.Errorf("Error in the JQL Query: Expecting either a value, list or function but got the end of the query.")
	}
	if p.pos < len(p.toks) && p.toks[p.pos].s == "(" && !val.quoted {
		return nil, fmt.Errorf("Unable to find JQL function '%s()'.", val.s)
	}
	if isTime {
		t, err := parseJQLTime(val.s)
		if err != nil {
			return nil, fmt.Errorf("Date value '%s' for field '%s' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.", val.s, field.s)
		}
		cmp := func(is JiraIssue) int {
			got, _ := time.Parse(time.RFC3339, get(is)[0])
			return got.Compare(t)
		}
		switch opName {
		case ">=":
			return func(is JiraIssue) bool { return cmp(is) >= 0 }, nil
		case ">":
			return func(is JiraIssue) bool { return cmp(is) > 0 }, nil
		case "<=":
			return func(is JiraIssue) bool { return cmp(is) <= 0 }, nil
		case "<":
			return func(is JiraIssue) bool { return cmp(is) < 0 }, nil
		}
		return nil, fmt.Errorf("The operator '%s' is not supported by the '%s' field.", op.s, field.s)
	}
	if isKeyField(field.s) && strings.ContainsAny(opName, "<>") {
		proj, _, _ := strings.Cut(val.s, "-")
		num := issueNumber(val.s)
		if proj == "" || num <= 0 {
			return nil, fmt.Errorf("The issue key '%s' for field '%s' is invalid.", val.s, field.s)
		}
		if p.keyBound != nil {
			if err := p.keyBound(op.s, field.s, val.s); err != nil {
				return nil, err
			}
		}
		cmp := func(is JiraIssue) (int, bool) {
			prefix, _, _ := strings.Cut(is.Key, "-")
			if !strings.EqualFold(prefix, proj) {
				return 0, false
			}
			n := issueNumber(is.Key)
			switch {
			case n < num:
				return -1, true
			case n > num:
				return 1, true
			}
			return 0, true
		}
		switch opName {
		case ">=":
			return func(is JiraIssue) bool { c, ok := cmp(is); return ok && c >= 0 }, nil
		case ">":
			return func(is JiraIssue) bool { c, ok := cmp(is); return ok && c > 0 }, nil
		case "<=":
			return func(is JiraIssue) bool { c, ok := cmp(is); return ok && c <= 0 }, nil
		case "<":
			return func(is JiraIssue) bool { c, ok := cmp(is); return ok && c < 0 }, nil
		}
		return nil, fmt.Errorf("The operator '%s' is not supported by the '%s' field.", op.s, field.s)
	}
	want := val.s
	eq := func(is JiraIssue) bool {
		for _, v := range get(is) {
			if strings.EqualFold(v, want) {
				return true
			}
		}
		return false
	}
	switch opName {
	case "=":
		return eq, nil
	case "!=":
		return func(is JiraIssue) bool { return !eq(is) }, nil
	}
	return nil, fmt.Errorf("The operator '%s' is not supported by the '%s' field.", op.s, field.s)
}

func statusCategoryName(key string) string {
	switch key {
	case "new":
		return "To Do"
	case "indeterminate":
		return "In Progress"
	case "done":
		return "Done"
	}
	return ""
}

func isKeyField(name string) bool {
	switch strings.ToLower(name) {
	case "key", "issuekey", "issue", "id":
		return true
	}
	return false
}

// jqlField returns the values a clause compares for a field, and whether the
// field is a date (its single value then is RFC 3339).
func jqlField(name string) (func(JiraIssue) []string, bool) {
	switch strings.ToLower(name) {
	case "project":
		return func(is JiraIssue) []string { return []string{is.Project()} }, false
	case "key", "issuekey", "issue", "id":
		return func(is JiraIssue) []string { return []string{is.Key} }, false
	case "issuetype", "type":
		return func(is JiraIssue) []string { return []string{is.Type} }, false
	case "status":
		return func(is JiraIssue) []string { return []string{is.Status} }, false
	case "statuscategory":
		return func(is JiraIssue) []string { return []string{is.StatusCategory, statusCategoryName(is.StatusCategory)} }, false
	case "labels":
		return func(is JiraIssue) []string { return is.Labels }, false
	case "updated":
		return func(is JiraIssue) []string { return []string{is.Updated.UTC().Format(time.RFC3339)} }, true
	case "created":
		return func(is JiraIssue) []string { return []string{is.Created.UTC().Format(time.RFC3339)} }, true
	}
	return nil, false
}

// parseJQLTime reads the absolute date formats JQL accepts, in UTC (the
// fake's users all have UTC as their profile time zone).
func parseJQLTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006/01/02 15:04", "2006-01-02 15:04", "2006/01/02", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date %q", s)
}
