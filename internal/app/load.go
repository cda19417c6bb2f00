package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/rules"
)

// Loaded is a validated config with its rule set.
type Loaded struct {
	Config *config.Config
	// Rules are the active rules, AllRules include the disabled ones.
	Rules    []rules.Rule
	AllRules []rules.Rule
	// Severity holds the config's severity overrides by rule ID.
	Severity   map[string]model.Severity
	Exceptions []rules.Exception
}

// LoadOptions say which config to load.
type LoadOptions struct {
	// File is the config path as the user gave it (relative to WorkDir);
	// "" discovers .pomlint.yaml or pomlint.yaml from WorkDir up to the
	// repository root.
	File string
}

// Load finds, loads and validates the config and the user rules, gathering
// every problem into one *config.Error.
func (a *App) Load(o LoadOptions) (*Loaded, error) {
	file := o.File
	if file != "" && !filepath.IsAbs(file) && a.WorkDir != "" {
		file = filepath.Join(a.WorkDir, file)
	}
	path, err := a.findConfig(file)
	if err != nil {
		return nil, err
	}
	return a.validated(a.loadFile(path))
}

// validated completes a config file's load: it adds the user rules'
// problems to the file's own and builds the rule set.
func (a *App) validated(cfg *config.Config, err error) (*Loaded, error) {
	var cerr *config.Error
	if err != nil && !errors.As(err, &cerr) {
		return nil, err
	}
	if cfg == nil {
		return nil, err
	}
	if cerr != nil {
		for i := range cerr.Problems {
			cerr.Problems[i].File = a.Rel(cerr.Problems[i].File)
		}
	}
	all, loadProbs, idProbs, err := a.loadRules(cfg)
	if err != nil {
		return nil, err
	}
	if len(loadProbs)+len(idProbs) > 0 {
		if cerr == nil {
			cerr = &config.Error{}
		}
		cerr.Problems = append(append(cerr.Problems, loadProbs...), idProbs...)
	}
	if len(idProbs) > 0 {
		config.SortProblems(cerr.Problems)
	}
	if cerr != nil {
		return nil, cerr
	}
	for _, p := range cfg.InsecureURLs() {
		p.File = a.Rel(p.File)
		a.Log.Warn().Msg(p.String())
	}
	return newLoaded(cfg, all), nil
}

// loadFile is the one place a config file is read.
func (a *App) loadFile(path string) (*config.Config, error) {
	return config.Load(path, a.Kinds, a.getenv)
}

// loadRules loads the config's user rules beside the built-in ones and
// checks the rule IDs the config names. The user rules are checked even
// when the config has problems, so that one validate shows every problem;
// paths that cannot be read are reported by the config already.
func (a *App) loadRules(cfg *config.Config) (all []rules.Rule, loadProbs, idProbs []config.Problem, err error) {
	builtin := rules.Builtin()
	reserved := map[string]bool{}
	for _, r := range builtin {
		reserved[r.Doc().ID] = true
	}
	var paths []string
	for _, p := range cfg.Rules.Paths {
		if _, err := os.Stat(cfg.Path(p)); err == nil {
			paths = append(paths, cfg.Path(p))
		}
	}
	var custom []rules.Rule
	customLoaded := len(paths) == len(cfg.Rules.Paths)
	if len(paths) > 0 {
		custom, err = rules.LoadCustomAs(paths, func(id string) bool { return reserved[id] }, a.ruleFileName(cfg))
		var les rules.LoadErrors
		switch {
		case errors.As(err, &les):
			customLoaded = false
			loadProbs = loadProblems(les)
		case err != nil:
			return nil, nil, nil, err
		}
	}
	all = append(builtin, custom...)
	return all, loadProbs, a.ruleIDProblems(cfg, all, customLoaded), nil
}

// ruleFileName shows a rule file's path in messages: relative to the
// working directory, else as the config names it, else its base name.
func (a *App) ruleFileName(cfg *config.Config) func(string) string {
	return func(p string) string {
		if r := a.Rel(p); r != p || cfg.Dir == "" {
			return r
		}
		if r, err := filepath.Rel(cfg.Dir, p); err == nil && !strings.HasPrefix(r, "..") {
			return r // outside the working directory: as the config names it
		}
		return filepath.Base(p)
	}
}

func loadProblems(les rules.LoadErrors) []config.Problem {
	var out []config.Problem
	for _, le := range les {
		key := ""
		if le.Rule != "" {
			key = "rule " + le.Rule
		}
		out = append(out, config.Problem{File: le.File, Line: le.Line, Key: key, Msg: le.Err.Error()})
	}
	return out
}

// ruleIDProblems checks the rule IDs the config names. With some user rules
// not loaded, their IDs are unknown here: then only the reserved OWN… IDs
// can be checked.
func (a *App) ruleIDProblems(cfg *config.Config, all []rules.Rule, customLoaded bool) []config.Problem {
	ids := make([]string, 0, len(all))
	known := map[string]bool{}
	for _, r := range all {
		ids = append(ids, r.Doc().ID)
		known[r.Doc().ID] = true
	}
	probs := cfg.CheckRuleIDs(func(id string) bool {
		return known[id] || (!customLoaded && !strings.HasPrefix(id, "OWN"))
	}, ids)
	for i := range probs {
		probs[i].File = a.Rel(probs[i].File)
	}
	return probs
}

// newLoaded applies the config's disable list, severities and exceptions to
// the rules.
func newLoaded(cfg *config.Config, all []rules.Rule) *Loaded {
	l := &Loaded{Config: cfg, AllRules: all, Severity: map[string]model.Severity{}}
	disabled := map[string]bool{}
	for _, id := range cfg.Rules.Disable {
		disabled[strings.ToUpper(id)] = true
	}
	for _, r := range all {
		if !disabled[r.Doc().ID] {
			l.Rules = append(l.Rules, r)
		}
	}
	for k, v := range cfg.Rules.Severity {
		s, _ := model.ParseSeverity(v) // validated
		l.Severity[strings.ToUpper(k)] = s
	}
	for i, e := range cfg.Exceptions {
		x := rules.Exception{Index: i, Rule: strings.ToUpper(e.Rule), Item: e.Item, Source: e.Source, Reason: e.Reason}
		if e.Expires != "" {
			x.Expires, _ = config.ParseDate(e.Expires) // validated
		}
		l.Exceptions = append(l.Exceptions, x)
	}
	return l
}

// RuleDocs are the active rules' documentation with the severity each runs
// at: the config's override when there is one.
func (l *Loaded) RuleDocs() []model.RuleDoc {
	docs := rules.Docs(l.Rules)
	for i := range docs {
		if s, ok := l.Severity[docs[i].ID]; ok {
			docs[i].Severity = s
		}
	}
	return docs
}

// findConfig returns file when given, else the config discovered from the
// working directory up to the repository root, saying which one was used
// when both default names exist in one directory.
func (a *App) findConfig(file string) (string, error) {
	if file != "" {
		return file, nil
	}
	d, err := config.Discover(a.WorkDir)
	if err != nil {
		return "", err
	}
	if d.Shadowed != "" {
		a.Log.Warn().Str("used", a.Rel(d.Path)).Str("ignored", a.Rel(d.Shadowed)).
			Msg("both " + config.DefaultFiles[0] + " and " + config.DefaultFiles[1] + " exist; using " + config.DefaultFiles[0] + " (remove the other, or pass --config)")
	} else {
		a.Log.Debug().Str("config", a.Rel(d.Path)).Msg("config found")
	}
	return d.Path, nil
}

// LoadOptional loads the config when one is named or a default file
// exists, and returns nil otherwise.
func (a *App) LoadOptional(o LoadOptions) (*Loaded, error) {
	if o.File == "" {
		if _, err := config.Find("", a.WorkDir); err != nil {
			return nil, nil
		}
	}
	return a.Load(o)
}

// Roster builds the roster the config declares (a new one on each call:
// a run adds its roster imports to it).
func (l *Loaded) Roster() *model.Roster { return RosterFromConfig(l.Config) }

// RosterFromConfig builds the model roster the config declares.
func RosterFromConfig(cfg *config.Config) *model.Roster {
	people := make([]model.Person, 0, len(cfg.Roster.People))
	for _, p := range cfg.Roster.People {
		mp := model.Person{ID: p.ID, Name: p.Name, Accounts: p.Accounts.Model()}
		for _, r := range p.Roles {
			mp.Roles = append(mp.Roles, model.Role(r))
		}
		for _, rs := range p.RolesSince {
			t, _ := config.ParseDate(rs.Since)
			d := model.DatedRoles{Since: t}
			for _, r := range rs.Roles {
				d.Roles = append(d.Roles, model.Role(r))
			}
			mp.RolesSince = append(mp.RolesSince, d)
		}
		people = append(people, mp)
	}
	teams := make([]model.Team, 0, len(cfg.Roster.Teams))
	for _, t := range cfg.Roster.Teams {
		teams = append(teams, model.Team{Name: t.Name, ProductOwner: t.ProductOwner, ProductManager: t.ProductManager,
			Match: t.Match.Model()})
	}
	return model.NewRoster(people, teams)
}
