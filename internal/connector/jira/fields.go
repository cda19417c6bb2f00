package jira

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/suggest"
)

// jiraField is one entry of /rest/api/2/field.
type jiraField struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Custom bool   `json:"custom"`
	Schema struct {
		Type   string `json:"type"`
		Items  string `json:"items"`
		Custom string `json:"custom"`
	} `json:"schema"`
}

// Plugin keys of the Data Center hierarchy fields, matched when a site has
// renamed them.
const (
	epicLinkPlugin   = "com.pyxis.greenhopper.jira:gh-epic-link"
	parentLinkPlugin = "com.atlassian.jpo:jpo-custom-field-parent"
)

func (c *Connector) fields(ctx context.Context) ([]jiraField, error) {
	c.mu.Lock()
	fl := c.fieldList
	c.mu.Unlock()
	if fl != nil {
		return fl, nil
	}
	if err := c.get(ctx, "rest/api/2/field", nil, &fl); err != nil {
		return nil, fmt.Errorf("list jira fields: %w", err)
	}
	if fl == nil {
		fl = []jiraField{}
	}
	c.mu.Lock()
	c.fieldList = fl
	c.mu.Unlock()
	return fl, nil
}

// resolved is a custom field the fetch asks for: the name as configured and
// Jira's field.
type resolved struct {
	Name  string
	Field jiraField
}

// resolveFields maps configured field names to Jira fields: exact name
// first, then a unique case-insensitive match. Unknown names are a
// *connector.ConfigError listing the closest names.
func resolveFields(all []jiraField, names []string) ([]resolved, error) {
	var out []resolved
	var problems []string
	for _, n := range names {
		f, ok := findField(all, n)
		if !ok {
			problems = append(problems, fmt.Sprintf("%q (closest: %s)", n, strings.Join(closest(all, n, 3), ", ")))
			continue
		}
		out = append(out, resolved{Name: n, Field: f})
	}
	if len(problems) > 0 {
		return out, &connector.ConfigError{Err: fmt.Errorf("resolve jira custom fields: unknown field name %s; use the name exactly as Jira shows it",
			strings.Join(problems, "; "))}
	}
	return out, nil
}

func findField(all []jiraField, name string) (jiraField, bool) {
	for _, f := range all {
		if f.Name == name || f.ID == name {
			return f, true
		}
	}
	var hit []jiraField
	for _, f := range all {
		if strings.EqualFold(f.Name, name) {
			hit = append(hit, f)
		}
	}
	if len(hit) == 1 {
		return hit[0], true
	}
	return jiraField{}, false
}

// findPlugin finds a custom field by plugin key, for Epic Link and Parent
// Link, which sites may rename or translate.
func findPlugin(all []jiraField, name, plugin string) (jiraField, bool) {
	if f, ok := findField(all, name); ok && f.Custom {
		return f, true
	}
	for _, f := range all {
		if f.Schema.Custom == plugin {
			return f, true
		}
	}
	return jiraField{}, false
}

// closest returns up to n field names nearest to name by edit distance
// (case-insensitive), quoted, nearest first.
func closest(all []jiraField, name string, n int) []string {
	type cand struct {
		name string
		d    int
	}
	seen := map[string]bool{}
	var cs []cand
	for _, f := range all {
		if seen[f.Name] || f.Name == "" {
			continue
		}
		seen[f.Name] = true
		cs = append(cs, cand{f.Name, suggest.Distance(strings.ToLower(name), strings.ToLower(f.Name))})
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, strconv.Quote(cs[i].name))
	}
	if len(out) == 0 {
		return []string{"no fields visible"}
	}
	return out
}

// jiraUser is a user object as both deployments send it.
type jiraUser struct {
	AccountID    string `json:"accountId"`
	Name         string `json:"name"`
	Key          string `json:"key"`
	EmailAddress string `json:"emailAddress"`
	DisplayName  string `json:"displayName"`
	Active       *bool  `json:"active"`
}

// rawIssue is one search hit. Fields stay raw: custom field ids vary by site.
type rawIssue struct {
	Key    string                     `json:"key"`
	Fields map[string]json.RawMessage `json:"fields"`
	// decoded holds the system fields when the page was decoded in one
	// pass (decode.go); Fields then holds only the custom fields read raw,
	// and values those already mapped (users and options), by field id.
	decoded *issueFields
	values  map[string]model.FieldValue
}

type issueFields struct {
	Summary   string `json:"summary"`
	IssueType *struct {
		Name           string `json:"name"`
		Subtask        bool   `json:"subtask"`
		HierarchyLevel *int   `json:"hierarchyLevel"`
	} `json:"issuetype"`
	Status *struct {
		Name           string `json:"name"`
		StatusCategory struct {
			Key string `json:"key"`
		} `json:"statusCategory"`
	} `json:"status"`
	Assignee   *jiraUser `json:"assignee"`
	Reporter   *jiraUser `json:"reporter"`
	Labels     []string  `json:"labels"`
	Components []struct {
		Name string `json:"name"`
	} `json:"components"`
	Project *struct {
		Key string `json:"key"`
	} `json:"project"`
	Parent *struct {
		Key string `json:"key"`
	} `json:"parent"`
	Created string `json:"created"`
	Updated string `json:"updated"`
}

// decodeFields decodes the system fields one by one from the raw map, so a
// page is parsed once rather than re-encoded per issue.
func decodeFields(raw map[string]json.RawMessage) (issueFields, error) {
	var f issueFields
	targets := map[string]any{"summary": &f.Summary, "issuetype": &f.IssueType, "status": &f.Status, "assignee": &f.Assignee,
		"reporter": &f.Reporter, "labels": &f.Labels, "components": &f.Components, "project": &f.Project, "parent": &f.Parent,
		"created": &f.Created, "updated": &f.Updated}
	for name, dst := range targets {
		if v, ok := raw[name]; ok && len(v) > 0 && string(v) != "null" {
			if err := json.Unmarshal(v, dst); err != nil {
				return f, fmt.Errorf("field %s: %w", name, err)
			}
		}
	}
	return f, nil
}

// systemFields are the fields every search asks for.
var systemFields = []string{"summary", "issuetype", "status", "assignee", "reporter", "labels", "components", "project", "parent", "created", "updated"}

// mapping holds what decoding needs besides the issue.
type mapping struct {
	mappingTypes
	cloud      bool
	base       string
	source     string
	custom     []resolved
	epicLink   string // field ids on Data Center, "" when absent
	parentLink string
}

func (m *mapping) item(ri rawIssue) (model.Item, error) {
	var f issueFields
	var err error
	if ri.decoded != nil {
		f = *ri.decoded
	} else if f, err = decodeFields(ri.Fields); err != nil {
		return model.Item{}, fmt.Errorf("decode jira issue %s: %w", ri.Key, err)
	}
	it := model.Item{Key: ri.Key, Source: m.source, Tracker: model.TrackerJira, URL: m.base + "/browse/" + ri.Key, Title: f.Summary, Labels: f.Labels}
	if f.IssueType != nil {
		it.Type = f.IssueType.Name
		it.HierarchyLevel = f.IssueType.HierarchyLevel
		if it.HierarchyLevel == nil {
			it.HierarchyLevel = derivedLevel(f.IssueType.Name, f.IssueType.Subtask)
		}
	}
	if f.Status != nil {
		it.State = f.Status.Name
		it.Closed = f.Status.StatusCategory.Key == "done"
	}
	if f.Assignee != nil {
		it.Assignees = []model.Account{account(f.Assignee, m.cloud)}
	}
	if f.Reporter != nil {
		a := account(f.Reporter, m.cloud)
		it.Reporter = &a
	}
	for _, c := range f.Components {
		it.Components = append(it.Components, c.Name)
	}
	if f.Project != nil {
		it.Project = f.Project.Key
	}
	if f.Parent != nil {
		it.Parent = f.Parent.Key
	}
	if it.Parent == "" {
		for _, id := range []string{m.epicLink, m.parentLink} {
			if id == "" {
				continue
			}
			if k := linkKey(ri.Fields[id]); k != "" {
				it.Parent = k
				break
			}
		}
	}
	if it.Created, err = parseTime(f.Created); err != nil {
		return it, fmt.Errorf("decode jira issue %s created: %w", ri.Key, err)
	}
	if it.Updated, err = parseTime(f.Updated); err != nil {
		return it, fmt.Errorf("decode jira issue %s updated: %w", ri.Key, err)
	}
	for _, r := range m.custom {
		v, ok := ri.values[r.Field.ID]
		if !ok {
			v = fieldValue(ri.Fields[r.Field.ID], m.cloud)
		}
		if v.IsZero() {
			continue
		}
		if it.Fields == nil {
			it.Fields = map[string]model.FieldValue{}
		}
		it.Fields[r.Name] = v
	}
	return it, nil
}

// derivedLevel classifies Data Center issue types, which carry no
// hierarchyLevel: sub-task types are -1 and Epic is 1 everywhere; Story,
// Task and Bug are Jira's base-level defaults (0). Other names may sit at
// any level of an Advanced Roadmaps hierarchy, so they stay unknown (nil)
// and classification falls back to the configured type names.
func derivedLevel(name string, subtask bool) *int {
	v := 0
	switch {
	case subtask:
		v = -1
	case strings.EqualFold(name, "Epic"):
		v = 1
	case strings.EqualFold(name, "Story"), strings.EqualFold(name, "Task"), strings.EqualFold(name, "Bug"):
		v = 0
	default:
		return nil
	}
	return &v
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unknown time format %q", s)
}

// linkKey reads an Epic Link (a key string) or Parent Link (a key string, or
// an object with key or data.key) value.
func linkKey(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var o struct {
		Key  string `json:"key"`
		Data struct {
			Key string `json:"key"`
		} `json:"data"`
	}
	if json.Unmarshal(raw, &o) == nil {
		if o.Key != "" {
			return o.Key
		}
		return o.Data.Key
	}
	return ""
}

// fieldValue maps a custom field value by its shape: users (user pickers,
// single or multi) become Users; strings, numbers and options become Text
// (arrays joined with ", ").
func fieldValue(raw json.RawMessage, cloud bool) model.FieldValue {
	var v model.FieldValue
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return v
	}
	switch raw[0] {
	case '[':
		var arr []json.RawMessage
		if json.Unmarshal(raw, &arr) != nil {
			break
		}
		var texts []string
		for _, e := range arr {
			ev := fieldValue(e, cloud)
			v.Users = append(v.Users, ev.Users...)
			if ev.Text != "" {
				texts = append(texts, ev.Text)
			}
		}
		v.Text = strings.Join(texts, ", ")
		return v
	case '{':
		var o jiraObject
		if json.Unmarshal(raw, &o) != nil {
			return v
		}
		return o.value(cloud)
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			v.Text = s
			return v
		}
	}
	v.Text = string(raw) // numbers, booleans
	return v
}
