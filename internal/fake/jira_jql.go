package fake

//lint:file-ignore ST1005 the fake answers with Jira's own error texts, word for word

import (
	"cmp"
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

// clause reads one FIELD OP VALUE (or FIELD [NOT] IN (…)) clause and
// hands it to the matcher of its operator family.
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
		return p.inClause(opName, get)
	}
	val, ok := p.next()
	if !ok {
		return nil, fmt.Errorf("Error in the JQL Query: Expecting either a value, list or function but got the end of the query.")
	}
	if p.pos < len(p.toks) && p.toks[p.pos].s == "(" && !val.quoted {
		return nil, fmt.Errorf("Unable to find JQL function '%s()'.", val.s)
	}
	c := jqlClause{field: field.s, op: op.s, opName: opName, value: val.s, get: get}
	switch {
	case isTime:
		return c.dateRange()
	case isKeyField(field.s) && strings.ContainsAny(opName, "<>"):
		return c.keyRange(p.keyBound)
	}
	return c.equality()
}

// jqlClause is one FIELD OP VALUE clause, read.
type jqlClause struct {
	field, op, opName, value string
	get                      func(JiraIssue) []string
}

func (c jqlClause) unsupported() error {
	return fmt.Errorf("The operator '%s' is not supported by the '%s' field.", c.op, c.field)
}

// inClause reads the (v1, v2, …) list of IN and NOT IN: an issue matches IN
// when one of its values is in the list, case-insensitively.
func (p *jqlParser) inClause(opName string, get func(JiraIssue) []string) (func(JiraIssue) bool, error) {
	if t, ok := p.next(); !ok || t.s != "(" {
		return nil, fmt.Errorf("Error in the JQL Query: Expecting '(' after '%s'.", opName)
	}
	var vals []string
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

// dateRange compares a date field (created, updated) with >, >=, < or <=;
// no other operator applies to a date.
func (c jqlClause) dateRange() (func(JiraIssue) bool, error) {
	t, err := parseJQLTime(c.value)
	if err != nil {
		return nil, fmt.Errorf("Date value '%s' for field '%s' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.", c.value, c.field)
	}
	m := relational(c.opName, func(is JiraIssue) (int, bool) {
		got, _ := time.Parse(time.RFC3339, c.get(is)[0])
		return got.Compare(t), true
	})
	if m == nil {
		return nil, c.unsupported()
	}
	return m, nil
}

// keyRange compares an issue key with a key bound: only issues of the
// bound's project compare, by issue number, as Jira does. keyBound, when
// set, checks the bound as a real site does.
func (c jqlClause) keyRange(keyBound func(op, field, key string) error) (func(JiraIssue) bool, error) {
	proj, _, _ := strings.Cut(c.value, "-")
	num := issueNumber(c.value)
	if proj == "" || num <= 0 {
		return nil, fmt.Errorf("The issue key '%s' for field '%s' is invalid.", c.value, c.field)
	}
	if keyBound != nil {
		if err := keyBound(c.op, c.field, c.value); err != nil {
			return nil, err
		}
	}
	m := relational(c.opName, func(is JiraIssue) (int, bool) {
		prefix, _, _ := strings.Cut(is.Key, "-")
		if !strings.EqualFold(prefix, proj) {
			return 0, false
		}
		return cmp.Compare(issueNumber(is.Key), num), true
	})
	if m == nil {
		return nil, c.unsupported()
	}
	return m, nil
}

// relational turns a comparison of an issue with a clause's value (false
// when the issue does not compare at all) into the matcher of a relational
// operator; it is nil for any other operator.
func relational(opName string, compare func(JiraIssue) (int, bool)) func(JiraIssue) bool {
	var holds func(c int) bool
	switch opName {
	case ">=":
		holds = func(c int) bool { return c >= 0 }
	case ">":
		holds = func(c int) bool { return c > 0 }
	case "<=":
		holds = func(c int) bool { return c <= 0 }
	case "<":
		holds = func(c int) bool { return c < 0 }
	default:
		return nil
	}
	return func(is JiraIssue) bool { c, ok := compare(is); return ok && holds(c) }
}

// equality is = and != on any field: an issue matches = when one of its
// values equals the clause's, case-insensitively.
func (c jqlClause) equality() (func(JiraIssue) bool, error) {
	eq := func(is JiraIssue) bool {
		return slices.ContainsFunc(c.get(is), func(v string) bool { return strings.EqualFold(v, c.value) })
	}
	switch c.opName {
	case "=":
		return eq, nil
	case "!=":
		return func(is JiraIssue) bool { return !eq(is) }, nil
	}
	return nil, c.unsupported()
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
