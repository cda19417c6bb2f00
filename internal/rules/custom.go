package rules

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/ext"
	"cel.dev/cel-go/interpreter"
	"go.yaml.in/yaml/v3"

	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/suggest"
)

// A user rule file is YAML:
//
//	rules:
//	  - id: ACME001
//	    name: epic-without-milestone
//	    title: Epic without a target milestone
//	    severity: warning
//	    condition: item.level == "strategic" && item.milestone == ""
//	    message: "{{ .item.key }} has no milestone"
//	    why: ...
//	    fix: ...
//	    example: ...
//
// The condition is a CEL expression over `item` (see ItemView); the rule
// fires when it is true. The message is a Go template over the same data.
type ruleFile struct {
	Rules []customSpec `yaml:"rules"`
}

type customSpec struct {
	ID        string `yaml:"id"`
	Name      string `yaml:"name"`
	Title     string `yaml:"title"`
	Severity  string `yaml:"severity"`
	Condition string `yaml:"condition"`
	Message   string `yaml:"message"`
	Why       string `yaml:"why"`
	Fix       string `yaml:"fix"`
	Example   string `yaml:"example"`
}

// LoadError is a user rule that cannot be used: a file that cannot be read or
// parsed, a CEL syntax or type error, a bad template. It names the file and
// rule id; the CLI exits 2 for it.
type LoadError struct {
	File string
	Line int
	Rule string
	Err  error
}

func (e *LoadError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Rule != "" {
		return fmt.Sprintf("%s: rule %s: %v", loc, e.Rule, e.Err)
	}
	return fmt.Sprintf("%s: %v", loc, e.Err)
}

func (e *LoadError) Unwrap() error { return e.Err }

var customID = regexp.MustCompile(`^[A-Z][A-Z0-9_-]*[0-9]+$`)

type customRule struct {
	doc  model.RuleDoc
	prg  cel.Program
	tmpl *template.Template
	expr string
	// memo names the fields the condition depends on; nil when its results
	// cannot be reused (see memo.go).
	memo []func(*ItemView, []byte) []byte
}

// LoadCustomAs reads user rules from files and directories (*.yaml, *.yml),
// compiling each condition and message once. reserved says whether an ID is
// already taken (by a built-in rule). display turns a file path into the name
// rule docs and errors show (a path relative to the working directory, so
// that reports do not depend on where the repository is checked out); nil
// shows paths as they are.
func LoadCustomAs(paths []string, reserved func(string) bool, display func(string) string) ([]Rule, error) {
	if display == nil {
		display = func(p string) string { return p }
	}
	env, err := NewCELEnv()
	if err != nil {
		return nil, fmt.Errorf("create CEL environment: %w", err)
	}
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, &LoadError{File: display(p), Err: fmt.Errorf("cannot read rule path: %w", unwrapPath(err))}
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(f, ".yaml") || strings.HasSuffix(f, ".yml")) {
				files = append(files, f)
			}
			return nil
		})
		if err != nil {
			return nil, &LoadError{File: display(p), Err: err}
		}
	}
	sort.Strings(files)
	seen := map[string]string{}
	var out []Rule
	var errs LoadErrors
	for _, f := range files {
		rs, fileErrs := loadFile(env, f, display(f), reserved, seen)
		out = append(out, rs...)
		errs = append(errs, fileErrs...)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// LoadErrors is every problem found in the user rule files, so that one run
// of `pomlint config validate` shows them all.
type LoadErrors []*LoadError

func (e LoadErrors) Error() string {
	msgs := make([]string, len(e))
	for i, le := range e {
		msgs[i] = le.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As find each *LoadError.
func (e LoadErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, le := range e {
		out[i] = le
	}
	return out
}

var unknownRuleKey = regexp.MustCompile(`^line (\d+): field (\S+) not found in type rules\.(\w+)$`)

// ruleKeys are the keys a rule file knows, for "did you mean".
var ruleKeys = map[string][]string{
	"ruleFile":   {"rules"},
	"customSpec": {"id", "name", "title", "severity", "condition", "message", "why", "fix", "example"},
}

// decodeErrors turns yaml.v3's "line 31: field conditon not found in type
// rules.customSpec" into file:line problems with a suggestion.
func decodeErrors(file string, err error) []*LoadError {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return []*LoadError{{File: file, Err: errors.New(strings.TrimPrefix(err.Error(), "yaml: "))}}
	}
	var out []*LoadError
	for _, msg := range te.Errors {
		le := &LoadError{File: file}
		if m := unknownRuleKey.FindStringSubmatch(msg); m != nil {
			le.Line, _ = strconv.Atoi(m[1])
			known := ruleKeys[m[3]]
			text := fmt.Sprintf("unknown key %q", m[2])
			if c := suggest.Closest(m[2], known); c != "" {
				text += fmt.Sprintf(" (did you mean %q?)", c)
			}
			le.Err = fmt.Errorf("%s; known keys: %s", text, strings.Join(known, ", "))
		} else if line, rest, ok := strings.Cut(strings.TrimPrefix(msg, "line "), ": "); ok {
			le.Line, _ = strconv.Atoi(line)
			le.Err = errors.New(rest)
		} else {
			le.Err = errors.New(msg)
		}
		out = append(out, le)
	}
	return out
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// NewCELEnv is the CEL environment user rules compile in: one variable,
// `item`, of type ItemView, so that a misspelt field (item.lvl) is a compile
// error, not a surprise at run time.
func NewCELEnv() (*cel.Env, error) {
	return cel.NewEnv(
		ext.NativeTypes(reflect.TypeOf(ItemView{}), reflect.TypeOf(OwnerView{}), reflect.TypeOf(ParentView{}), ext.ParseStructTags(true)),
		cel.Variable("item", cel.ObjectType("rules.ItemView")),
	)
}

// ItemView is the `item` variable user rules see. Every field is always
// present (empty when unknown), so conditions never fail on a missing key.
type ItemView struct {
	Key            string     `cel:"key"`
	Source         string     `cel:"source"`
	Tracker        string     `cel:"tracker"`
	Title          string     `cel:"title"`
	Type           string     `cel:"type"`
	Level          string     `cel:"level"`
	State          string     `cel:"state"`
	Labels         []string   `cel:"labels"`
	Repo           string     `cel:"repo"`
	Project        string     `cel:"project"`
	Components     []string   `cel:"components"`
	Milestone      string     `cel:"milestone"`
	Team           string     `cel:"team"`
	URL            string     `cel:"url"`
	HierarchyLevel int64      `cel:"hierarchy_level"`
	Owner          OwnerView  `cel:"owner"`
	Parent         ParentView `cel:"parent"`
	Assignees      []string   `cel:"assignees"`
}

// OwnerView is item.owner.
type OwnerView struct {
	ID       string   `cel:"id"`
	Login    string   `cel:"login"`
	Name     string   `cel:"name"`
	Via      string   `cel:"via"`
	Roles    []string `cel:"roles"`
	InRoster bool     `cel:"in_roster"`
	Inactive bool     `cel:"inactive"`
	Present  bool     `cel:"present"`
}

// ParentView is item.parent.
type ParentView struct {
	Key   string `cel:"key"`
	Level string `cel:"level"`
	Type  string `cel:"type"`
}

// loadFile compiles the rules of one file, returning every problem it finds
// (a rule with a problem is left out and the next one is checked).
func loadFile(env *cel.Env, path, file string, reserved func(string) bool, seen map[string]string) ([]Rule, []*LoadError) {
	rf, lines, errs := readRuleFile(path, file)
	if rf == nil {
		return nil, errs
	}
	if len(rf.Rules) == 0 {
		return nil, append(errs, &LoadError{File: file, Err: errors.New("no rules: the file needs a top-level `rules:` list")})
	}
	var out []Rule
	for i, s := range rf.Rules {
		line := 0
		if i < len(lines) {
			line = lines[i]
		}
		r, err := buildRule(env, &s, file, reserved, seen)
		if err != nil {
			errs = append(errs, &LoadError{File: file, Line: line, Rule: s.ID, Err: err})
			continue
		}
		out = append(out, r)
	}
	if len(errs) > 0 {
		// A file with problems contributes no rules: half a rule set
		// would lint with rules the user did not mean.
		return nil, errs
	}
	return out, nil
}

// readRuleFile reads and decodes a rule file, with the line of each rule.
// Unknown keys and wrong types are reported in errs but the file is still
// returned, decoded as far as it can be read, so that its rules are checked
// too and every problem shows; the file is nil when it cannot be read at
// all.
func readRuleFile(path, file string) (*ruleFile, []int, []*LoadError) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, []*LoadError{{File: file, Err: unwrapPath(err)}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, nil, []*LoadError{yamlSyntaxError(file, err)}
	}
	var rf ruleFile
	var errs []*LoadError
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&rf); err != nil {
		errs = decodeErrors(file, err)
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, nil, errs
		}
		rf = ruleFile{}
		_ = yaml.Unmarshal(data, &rf)
	}
	return &rf, ruleLines(&root), errs
}

// yamlSyntaxError turns a YAML parse error ("yaml: line 3: …") into a
// LoadError that carries the line on its own.
func yamlSyntaxError(file string, err error) *LoadError {
	le := &LoadError{File: file}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if line, rest, ok := strings.Cut(strings.TrimPrefix(msg, "line "), ": "); ok && line != msg {
		if n, convErr := strconv.Atoi(line); convErr == nil {
			le.Line, msg = n, rest
		}
	}
	le.Err = fmt.Errorf("not valid YAML: %s", msg)
	return le
}

// buildRule checks one rule of file and compiles it. Its ID is recorded in
// seen once the ID and the required fields are valid, even when a later
// step fails, so a second rule with that ID is reported as a duplicate.
func buildRule(env *cel.Env, s *customSpec, file string, reserved func(string) bool, seen map[string]string) (*customRule, error) {
	if err := checkSpec(s, reserved, seen); err != nil {
		return nil, err
	}
	seen[s.ID] = file
	sev := model.SeverityWarning
	if s.Severity != "" {
		var err error
		if sev, err = model.ParseSeverity(s.Severity); err != nil {
			return nil, fmt.Errorf("%v", err)
		}
	}
	checked, prg, err := compileCondition(env, s.Condition)
	if err != nil {
		return nil, err
	}
	tmpl, err := template.New(s.ID).Option("missingkey=error").Parse(s.Message)
	if err != nil {
		return nil, fmt.Errorf("message is not a valid template: %v", err)
	}
	name := s.Name
	if name == "" {
		name = strings.ToLower(s.ID)
	}
	r := &customRule{
		doc: model.RuleDoc{
			ID: s.ID, Name: name, Title: firstNonEmpty(s.Title, name), Severity: sev,
			Summary: "The condition `" + strings.Join(strings.Fields(s.Condition), " ") + "` is true for the item.",
			Why:     s.Why, Fix: s.Fix, Example: s.Example, Custom: true, File: file,
		},
		prg: prg, tmpl: tmpl, expr: s.Condition, memo: memoPlan(checked.NativeRep().Expr()),
	}
	if err := dryRun(r); err != nil {
		return nil, err
	}
	return r, nil
}

// checkSpec checks a rule's ID (present, well formed, not a built-in's,
// not used by an earlier rule) and that it has a condition and a message.
func checkSpec(s *customSpec, reserved func(string) bool, seen map[string]string) error {
	switch {
	case s.ID == "":
		return errors.New("a rule needs an id")
	case !customID.MatchString(s.ID):
		return fmt.Errorf("id %q must be upper-case letters and digits ending in a number, e.g. ACME001", s.ID)
	case reserved(s.ID) || strings.HasPrefix(s.ID, "OWN"):
		return fmt.Errorf("id %q is reserved for built-in rules (OWN…); pick your own prefix", s.ID)
	case seen[s.ID] != "":
		return fmt.Errorf("id %q is already used in %s", s.ID, seen[s.ID])
	case strings.TrimSpace(s.Condition) == "":
		return errors.New("a rule needs a condition (a CEL expression over item)")
	case strings.TrimSpace(s.Message) == "":
		return errors.New("a rule needs a message")
	}
	return nil
}

// compileCondition compiles a rule's condition, which must be a boolean
// CEL expression, and prepares its program.
func compileCondition(env *cel.Env, condition string) (*cel.Ast, cel.Program, error) {
	checked, iss := env.Compile(condition)
	if iss.Err() != nil {
		return nil, nil, fmt.Errorf("condition does not compile: %s", celProblem(iss.Err()))
	}
	if !checked.OutputType().IsExactType(types.BoolType) {
		return nil, nil, fmt.Errorf("condition must be a boolean expression, it is %s", checked.OutputType())
	}
	prg, err := env.Program(checked, cel.EvalOptions(cel.OptOptimize),
		cel.CostLimit(CostLimit), cel.InterruptCheckFrequency(interruptEvery))
	if err != nil {
		return nil, nil, fmt.Errorf("condition cannot be prepared: %v", err)
	}
	return checked, prg, nil
}

// dryRun evaluates r's condition and renders its message over a fully
// populated item. It catches run-time mistakes in the condition and
// template now, as config errors, rather than in the middle of a run.
func dryRun(r *customRule) error {
	view, vars := SampleVariables()
	act, err := cel.NewActivation(map[string]any{"item": view})
	if err != nil {
		return fmt.Errorf("%v", err)
	}
	if _, err := r.eval(context.Background(), act); err != nil {
		return fmt.Errorf("%v", err)
	}
	if _, err := r.render(vars); err != nil {
		return fmt.Errorf("%v", err)
	}
	return nil
}

func ruleLines(root *yaml.Node) []int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "rules" && m.Content[i+1].Kind == yaml.SequenceNode {
			var out []int
			for _, c := range m.Content[i+1].Content {
				out = append(out, c.Line)
			}
			return out
		}
	}
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func (r *customRule) Doc() model.RuleDoc { return r.doc }

// CostLimit is the most a user rule's condition may cost on one item, in
// CEL's cost units (about one per operation, list element or comprehension
// step). Real conditions cost tens to hundreds; a condition that loops over
// its own loops would otherwise hold a run for minutes. Going over it is a
// rule error: at load, on the sample item (exit 2 from config validate),
// and on a real item during a run.
const CostLimit = 1_000_000

// interruptEvery is how many comprehension steps pass between two checks of
// the run's context, so a cancelled run (Ctrl-C, SIGTERM) stops a long
// condition.
const interruptEvery = 100

func (r *customRule) eval(ctx context.Context, act interpreter.Activation) (bool, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	v, _, err := r.prg.ContextEval(ctx, act)
	if err != nil {
		var ce interpreter.EvalCancelledError
		if errors.As(err, &ce) && ce.Cause == interpreter.CostLimitExceeded {
			return false, fmt.Errorf("condition %q is too costly: it went over the limit of %d CEL cost units on one item; loop over fewer lists or nest fewer comprehensions", r.expr, CostLimit)
		}
		if ctx.Err() != nil {
			return false, fmt.Errorf("condition %q: %w", r.expr, ctx.Err())
		}
		return false, fmt.Errorf("condition %q: %v", r.expr, err)
	}
	b, ok := v.Value().(bool)
	if !ok {
		return false, fmt.Errorf("condition %q gave %v, not true or false", r.expr, v.Value())
	}
	return b, nil
}

// decide evaluates the condition on it, or reuses the result for the same
// values of the fields the condition names.
func (r *customRule) decide(c *Context, it *model.Item) (bool, error) {
	if r.memo == nil {
		return r.eval(c.Ctx, c.activation(it))
	}
	c.memoBuf = memoKey(c.memoBuf, r.memo, c.View(it))
	results := c.memo[r]
	if v, ok := results[string(c.memoBuf)]; ok {
		return v, nil
	}
	v, err := r.eval(c.Ctx, c.activation(it))
	if err != nil {
		return false, err
	}
	if results == nil {
		if c.memo == nil {
			c.memo = map[*customRule]map[string]bool{}
		}
		results = map[string]bool{}
		c.memo[r] = results
	}
	if len(results) < memoLimit {
		results[string(c.memoBuf)] = v
	}
	return v, nil
}

func (r *customRule) render(vars map[string]any) (string, error) {
	var b strings.Builder
	if err := r.tmpl.Execute(&b, vars); err != nil {
		return "", fmt.Errorf("message: %v", err)
	}
	return b.String(), nil
}

func (r *customRule) Check(c *Context, it *model.Item, emit func(model.Finding)) error {
	ok, err := r.decide(c, it)
	if err != nil {
		return fmt.Errorf("rule %s (%s) on item %s: %w", r.doc.ID, r.doc.File, it.Key, err)
	}
	if !ok {
		return nil
	}
	msg, err := r.render(templateData(c.View(it)))
	if err != nil {
		return fmt.Errorf("rule %s (%s) on item %s: %w", r.doc.ID, r.doc.File, it.Key, err)
	}
	f := NewFinding(r.doc, it, msg)
	suggestOwner(c, it, &f)
	emit(f)
	return nil
}

// activation binds `item` to the view of it; it is built once per context
// and reused, since the view pointer does not change.
func (c *Context) activation(it *model.Item) interpreter.Activation {
	v := c.View(it)
	if c.act == nil {
		c.act = itemActivation{v}
	}
	return c.act
}

// itemActivation binds `item` to the view, without the map lookup a general
// activation makes at every `item.` of every condition.
type itemActivation struct{ view *ItemView }

// ResolveName resolves `item`.
func (a itemActivation) ResolveName(name string) (any, bool) {
	if name == "item" {
		return a.view, true
	}
	return nil, false
}

// Parent is nil: `item` is the only variable.
func (a itemActivation) Parent() interpreter.Activation { return nil }

// View returns the CEL view of it, built once per item and shared by every
// user rule. The view is reused from item to item to keep the engine free of
// per-item garbage.
func (c *Context) View(it *model.Item) *ItemView {
	if c.viewFor == it && c.view != nil {
		return c.view
	}
	if c.view == nil {
		c.view = &ItemView{}
	}
	c.viewFor = it
	fillView(c, it, c.view)
	return c.view
}

func fillView(c *Context, it *model.Item, v *ItemView) {
	hl := int64(-99)
	if it.HierarchyLevel != nil {
		hl = int64(*it.HierarchyLevel)
	}
	*v = ItemView{
		Key: it.Key, Source: it.Source, Tracker: string(it.Tracker), Title: it.Title, Type: it.Type,
		Level: string(it.Level), State: it.State, Labels: nonNilStrings(it.Labels), Repo: it.Repo,
		Project: it.Project, Components: nonNilStrings(it.Components), Milestone: it.Milestone,
		Team: it.Team, URL: it.URL, HierarchyLevel: hl, Assignees: v.Assignees[:0],
		Owner: OwnerView{Roles: v.Owner.Roles[:0]},
	}
	if o := it.Owner; o != nil {
		v.Owner.Present = true
		v.Owner.Login = o.Account.String()
		v.Owner.Name = o.Account.Name
		v.Owner.Via = o.Via
		v.Owner.Inactive = o.Account.Inactive
		if p := owner(c, it); p != nil {
			v.Owner.ID = p.ID
			v.Owner.InRoster = true
			if p.Name != "" {
				v.Owner.Name = p.Name
			}
			for _, r := range p.Roles {
				v.Owner.Roles = append(v.Owner.Roles, string(r))
			}
		}
	}
	if v.Owner.Roles == nil {
		v.Owner.Roles = []string{}
	}
	if it.Parent != "" {
		v.Parent.Key = it.Parent
		if p := parent(c, it); p != nil {
			v.Parent.Level = string(p.Level)
			v.Parent.Type = p.Type
		}
	}
	for _, a := range it.Assignees {
		v.Assignees = append(v.Assignees, a.String())
	}
	if v.Assignees == nil {
		v.Assignees = []string{}
	}
}

// templateData is the data of message templates: {"item": {...}} with the
// view's CEL field names (key, level, owner.roles, …), read from the view so
// that conditions and messages see the same values.
func templateData(v *ItemView) map[string]any {
	return map[string]any{"item": map[string]any{
		"key": v.Key, "source": v.Source, "tracker": v.Tracker, "title": v.Title,
		"type": v.Type, "level": v.Level, "state": v.State, "labels": v.Labels,
		"repo": v.Repo, "project": v.Project, "components": v.Components,
		"milestone": v.Milestone, "team": v.Team, "url": v.URL, "hierarchy_level": v.HierarchyLevel,
		"owner": map[string]any{
			"id": v.Owner.ID, "login": v.Owner.Login, "name": v.Owner.Name, "via": v.Owner.Via,
			"roles": v.Owner.Roles, "in_roster": v.Owner.InRoster, "inactive": v.Owner.Inactive, "present": v.Owner.Present,
		},
		"parent":    map[string]any{"key": v.Parent.Key, "level": v.Parent.Level, "type": v.Parent.Type},
		"assignees": v.Assignees,
	}}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// SampleVariables is a fully populated item, as a CEL view and as template
// data, used to dry-run user rules when they load.
func SampleVariables() (*ItemView, map[string]any) {
	one := 1
	it := &model.Item{
		Key: "acme/payments#1", Source: "sample", Tracker: model.TrackerGitHub, Title: "Sample", Type: "Epic",
		Level: model.LevelStrategic, State: "open", Labels: []string{"roadmap"}, Repo: "acme/payments",
		Project: "PAY", Components: []string{"api"}, Milestone: "Q1", Team: "payments", URL: "https://example.invalid/1",
		HierarchyLevel: &one, Parent: "acme/payments#0",
		Owner:     &model.Owner{Account: model.Account{Tracker: model.TrackerGitHub, Login: "sample"}, PersonID: "sample", Via: "assignee"},
		Assignees: []model.Account{{Tracker: model.TrackerGitHub, Login: "sample"}},
	}
	r := model.NewRoster([]model.Person{{ID: "sample", Name: "Sample", Roles: []model.Role{model.RoleProductManager}}}, nil)
	parent := &model.Item{Key: "acme/payments#0", Level: model.LevelStrategic, Type: "Initiative"}
	c := &Context{Roster: r, Parent: func(*model.Item) *model.Item { return parent }}
	view := &ItemView{}
	fillView(c, it, view)
	return view, templateData(view)
}

var celErrorLine = regexp.MustCompile(`^ERROR: <input>:(\d+):(\d+): (.*)$`)

// celProblem rewrites CEL's "ERROR: <input>:1:5: undefined field 'lvl'"
// report as "undefined field 'lvl' (condition line 1, column 5)", keeping
// its source snippet indented under the message.
func celProblem(err error) string {
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimSpace(err.Error()), "\n") {
		if m := celErrorLine.FindStringSubmatch(line); m != nil {
			if i > 0 {
				b.WriteString("\n    ")
			}
			fmt.Fprintf(&b, "%s (condition line %s, column %s)", m[3], m[1], m[2])
			continue
		}
		b.WriteString("\n      " + strings.TrimPrefix(line, " | "))
	}
	return b.String()
}
