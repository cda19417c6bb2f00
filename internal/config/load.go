package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"
)

// EnvPrefix prefixes every environment variable that sets a config key:
// POMLINT_OWNERSHIP_FROM sets ownership.from.
const EnvPrefix = "POMLINT"

// Load reads file through v (an injected viper instance, so flags bound to v
// by the CLI apply), overlays POMLINT_* environment variables, decodes into a
// Config and validates it. Every problem found is returned at once in an
// *Error.
func Load(v *viper.Viper, file string) (*Config, error) {
	ps := &problems{file: file, lines: map[string]int{}}
	data, err := os.ReadFile(file)
	if err != nil {
		msg := "cannot read config file: " + err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			msg = "config file does not exist"
		}
		return nil, &Error{Problems: []Problem{{File: file, Msg: msg}}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := yamlErrorLine(err)
		return nil, &Error{Problems: []Problem{{File: file, Line: line, Msg: "not valid YAML: " + msg}}}
	}
	if len(root.Content) == 0 {
		return nil, &Error{Problems: []Problem{{File: file, Msg: "the file is empty; it needs at least a sources list"}}}
	}
	checkNode(&root, reflect.TypeOf(Config{}), "", ps)
	structural := append([]Problem(nil), ps.list...)

	var cfg Config
	if len(structural) > 0 {
		// Keep going on what can be read, so that every problem is
		// reported at once; the problems below a broken key are skipped
		// as consequences.
		_ = root.Decode(&cfg)
		ps.list = append(ps.list, applyEnv(&cfg)...)
	} else if err := decodeWithEnv(v, data, &root, &cfg, ps); err != nil {
		// A POMLINT_* value viper could not decode: read the file alone,
		// then the variables one by one, so their problems come with the
		// file's.
		cfg = Config{}
		_ = root.Decode(&cfg)
		ps.list = append(ps.list, applyEnv(&cfg)...)
	}
	ps.list = append(ps.list, applyEnvSeverity(&cfg)...)
	abs, _ := filepath.Abs(file)
	cfg.File = file
	cfg.Dir = filepath.Dir(abs)
	cfg.Lines = entryLines(&cfg, ps.lines)
	cfg.applyDefaults()
	validate(&cfg, ps)
	ps.list = dropConsequences(ps.list, structural)
	attributeToEnv(ps.list)
	if err := ps.err(); err != nil {
		return &cfg, err
	}
	return &cfg, nil
}

// decodeWithEnv reads the file through viper with POMLINT_* variables
// overlaid, into cfg.
func decodeWithEnv(v *viper.Viper, data []byte, root *yaml.Node, cfg *Config, ps *problems) error {
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return &Error{Problems: []Problem{{File: ps.file, Msg: "read config: " + err.Error()}}}
	}
	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_", "-", "_"))
	for _, k := range EnvKeys() {
		_ = v.BindEnv(k) // BindEnv fails only for an empty key
	}
	err := v.Unmarshal(cfg, func(dc *mapstructure.DecoderConfig) {
		dc.ErrorUnused = true
		dc.TagName = "mapstructure"
		dc.DecodeHook = mapstructure.ComposeDecodeHookFunc(
			timeToDateString,
			mapstructure.StringToSliceHookFunc(","),
			mapstructure.StringToBasicTypeHookFunc(),
		)
	})
	if err != nil {
		// The file's own types were checked above, so what fails here is a
		// POMLINT_* value: name the variable.
		return &Error{Problems: envDecodeProblems(err)}
	}
	// viper lower-cases map keys; team slugs, group names and rule IDs keep
	// the case the user wrote.
	var exact Config
	if err := root.Decode(&exact); err == nil {
		cfg.Rules.Severity = exact.Rules.Severity
		if exact.Roster.Import != nil {
			cfg.Roster.Import = exact.Roster.Import
		}
	}
	return nil
}

var (
	yamlLine     = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	decodeKeyErr = regexp.MustCompile(`'([A-Za-z0-9_.\[\]-]+)' (.*)`)
)

// yamlErrorLine splits "yaml: line 3: did not find expected key" into 3 and
// the message.
func yamlErrorLine(err error) (int, string) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, m[2]
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

// envDecodeProblems turns mapstructure's "'classification.hierarchy'
// strconv.ParseBool: invalid syntax" lines into problems naming the
// environment variable.
func envDecodeProblems(err error) []Problem {
	var out []Problem
	for _, line := range strings.Split(err.Error(), "\n") {
		m := decodeKeyErr.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		key := m[1]
		name := EnvName(strings.Split(key, "[")[0])
		want := m[2]
		switch {
		case strings.Contains(want, "ParseBool"):
			want = "want true or false"
		case strings.Contains(want, "ParseInt"), strings.Contains(want, "ParseUint"):
			want = "want a whole number"
		}
		out = append(out, Problem{Key: name, Msg: fmt.Sprintf("%q is not a valid value for %s: %s", os.Getenv(name), key, want)})
	}
	if len(out) == 0 {
		out = append(out, Problem{Msg: "decode config (check POMLINT_* variables): " + err.Error()})
	}
	return out
}

// dropConsequences removes problems found on or below a key that already has
// a structural problem (a wrong type makes the value empty, which the
// semantic checks would report again).
func dropConsequences(list, structural []Problem) []Problem {
	if len(structural) == 0 {
		return list
	}
	isStructural := make(map[Problem]bool, len(structural))
	for _, s := range structural {
		isStructural[s] = true
	}
	out := list[:0]
	for _, p := range list {
		keep := true
		if !isStructural[p] {
			for _, s := range structural {
				if p.Key != "" && s.Key != "" && (strings.HasPrefix(s.Key, p.Key) || strings.HasPrefix(p.Key, s.Key)) {
					keep = false
					break
				}
			}
		}
		if keep {
			out = append(out, p)
		}
	}
	return out
}

// attributeToEnv points problems with a value that came from a POMLINT_*
// variable at that variable instead of the file.
func attributeToEnv(list []Problem) {
	for i := range list {
		p := &list[i]
		base := p.Key
		if j := strings.IndexByte(base, '['); j >= 0 {
			base = base[:j]
		}
		if base == "" {
			continue
		}
		if name := EnvName(base); os.Getenv(name) != "" {
			p.Msg = fmt.Sprintf("%s (from %s=%q)", p.Msg, name, os.Getenv(name))
			p.File, p.Line = "", 0
			p.Key = name + " → " + p.Key
		}
	}
}

// timeToDateString keeps YAML dates (expires: 2027-01-31), which the YAML
// parser turns into times, as the date strings the config declares.
func timeToDateString(from, to reflect.Type, data any) (any, error) {
	if t, ok := data.(time.Time); ok && to.Kind() == reflect.String {
		if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
			return t.Format(DateLayout), nil
		}
		return t.Format(time.RFC3339), nil
	}
	return data, nil
}

// EnvKeys lists the config keys that POMLINT_* variables can set: every key
// outside a list of entries (sources, people, teams and exceptions are lists,
// and an environment variable cannot address one entry).
func EnvKeys() []string {
	var out []string
	var walk func(t reflect.Type, path string)
	walk = func(t reflect.Type, path string) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		for name, ft := range yamlFields(t) {
			p := join(path, name)
			base := ft
			for base.Kind() == reflect.Pointer {
				base = base.Elem()
			}
			switch {
			case base.Kind() == reflect.Struct:
				walk(base, p)
			case base.Kind() == reflect.Slice && base.Elem().Kind() != reflect.String:
			case base.Kind() == reflect.Map:
			default:
				out = append(out, p)
			}
		}
	}
	walk(reflect.TypeOf(Config{}), "")
	sortStrings(out)
	return out
}

// EnvName is the environment variable that sets key.
func EnvName(key string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(key))
}

func entryLines(cfg *Config, lines map[string]int) map[string]int {
	out := make(map[string]int, len(lines)+len(cfg.Sources)+len(cfg.Roster.People))
	for k, l := range lines {
		out[k] = l // every key path, for messages about any key
	}
	for i, s := range cfg.Sources {
		out["source:"+s.Name] = lines[fmt.Sprintf("sources[%d]", i)]
	}
	for i, p := range cfg.Roster.People {
		out["person:"+p.ID] = lines[fmt.Sprintf("roster.people[%d]", i)]
	}
	for i, t := range cfg.Roster.Teams {
		out["team:"+t.Name] = lines[fmt.Sprintf("roster.teams[%d]", i)]
	}
	for i := range cfg.Exceptions {
		out[fmt.Sprintf("exception:%d", i)] = lines[fmt.Sprintf("exceptions[%d]", i)]
	}
	for k, l := range lines {
		if strings.HasPrefix(k, "rules.severity.") {
			out["rule:"+strings.ToUpper(strings.TrimPrefix(k, "rules.severity."))] = l
		}
	}
	return out
}

// Path resolves p against the config file's directory.
func (c *Config) Path(p string) string {
	if p == "" || filepath.IsAbs(p) || c.Dir == "" {
		return p
	}
	return filepath.Join(c.Dir, p)
}

func (c *Config) applyDefaults() {
	for i := range c.Sources {
		s := &c.Sources[i]
		if g := s.GitHub; g != nil {
			if g.BaseURL == "" {
				g.BaseURL = "https://api.github.com/"
			}
			if g.TokenEnv == "" && g.App == nil {
				g.TokenEnv = "GITHUB_TOKEN"
			}
			if g.State == "" {
				g.State = "open"
			}
		}
		if j := s.Jira; j != nil {
			if j.TokenEnv == "" {
				j.TokenEnv = "JIRA_API_TOKEN"
			}
			if j.EmailEnv == "" && j.Deployment != DeploymentDataCenter {
				j.EmailEnv = "JIRA_EMAIL"
			}
		}
	}
	if len(c.Ownership.From) == 0 {
		c.Ownership.From = []string{"assignee"}
	}
	if c.Classification.Hierarchy == nil {
		t := true
		c.Classification.Hierarchy = &t
	}
}

// SeverityEnv sets rule severities from the environment:
// POMLINT_RULES_SEVERITY=OWN006=note,OWN007=error (a map has no key per
// variable, so it gets one variable of ID=severity pairs).
const SeverityEnv = EnvPrefix + "_RULES_SEVERITY"

func applyEnvSeverity(cfg *Config) []Problem {
	val := os.Getenv(SeverityEnv)
	if strings.TrimSpace(val) == "" {
		return nil
	}
	var out []Problem
	for _, pair := range strings.Split(val, ",") {
		id, sev, ok := strings.Cut(strings.TrimSpace(pair), "=")
		id, sev = strings.ToUpper(strings.TrimSpace(id)), strings.TrimSpace(sev)
		if !ok || id == "" || (sev != "error" && sev != "warning" && sev != "note") {
			out = append(out, Problem{Key: SeverityEnv, Msg: fmt.Sprintf("%q: want RULE=SEVERITY pairs separated by commas, e.g. OWN006=note,OWN007=error (severity error, warning or note)", pair)})
			continue
		}
		if cfg.Rules.Severity == nil {
			cfg.Rules.Severity = map[string]string{}
		}
		for k := range cfg.Rules.Severity {
			if strings.EqualFold(k, id) {
				delete(cfg.Rules.Severity, k) // the variable wins over the file
			}
		}
		cfg.Rules.Severity[id] = sev
	}
	return out
}

// applyEnv sets config keys from POMLINT_* variables without viper, for the
// paths where viper could not decode (a broken file or value), and returns
// a problem for each value of the wrong type.
func applyEnv(cfg *Config) []Problem {
	var out []Problem
	for _, key := range EnvKeys() {
		name := EnvName(key)
		val := os.Getenv(name)
		if val == "" {
			continue
		}
		f := fieldByKey(reflect.ValueOf(cfg).Elem(), strings.Split(key, "."))
		if !f.IsValid() {
			continue
		}
		bad := func(want string) {
			out = append(out, Problem{Key: name, Msg: fmt.Sprintf("%q is not a valid value for %s: want %s", val, key, want)})
		}
		switch {
		case f.Kind() == reflect.String:
			f.SetString(val)
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			parts := strings.Split(val, ",")
			for i := range parts {
				parts[i] = strings.TrimSpace(parts[i])
			}
			f.Set(reflect.ValueOf(parts))
		case f.Kind() == reflect.Bool:
			b, err := strconv.ParseBool(val)
			if err != nil {
				bad("true or false")
				continue
			}
			f.SetBool(b)
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Bool:
			b, err := strconv.ParseBool(val)
			if err != nil {
				bad("true or false")
				continue
			}
			f.Set(reflect.ValueOf(&b))
		case f.Kind() == reflect.Int || f.Kind() == reflect.Int64:
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				bad("a whole number")
				continue
			}
			f.SetInt(n)
		}
	}
	return out
}

// fieldByKey finds the struct field at a YAML key path, allocating nil
// pointers on the way.
func fieldByKey(v reflect.Value, path []string) reflect.Value {
	for _, name := range path {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return reflect.Value{}
		}
		t := v.Type()
		found := false
		for i := 0; i < t.NumField(); i++ {
			tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			if tag == name {
				v, found = v.Field(i), true
				break
			}
		}
		if !found {
			return reflect.Value{}
		}
	}
	return v
}
