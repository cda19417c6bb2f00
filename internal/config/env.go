package config

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// EnvPrefix prefixes every environment variable that sets a config key:
// POMLINT_OWNERSHIP_FROM sets ownership.from.
const EnvPrefix = "POMLINT"

// SeverityEnv sets rule severities from the environment:
// POMLINT_RULES_SEVERITY=OWN006=note,OWN007=error (a map has no key per
// variable, so it gets one variable of ID=severity pairs).
const SeverityEnv = EnvPrefix + "_RULES_SEVERITY"

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
	slices.Sort(out)
	return out
}

// EnvName is the environment variable that sets key.
func EnvName(key string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(key))
}

// envValues reads, through getenv, the POMLINT_* variables that set config
// keys: the name and value of each one set (an empty value sets nothing).
func envValues(getenv func(string) string) map[string]string {
	out := map[string]string{}
	for _, key := range EnvKeys() {
		if val := getenv(EnvName(key)); val != "" {
			out[EnvName(key)] = val
		}
	}
	return out
}

// applyEnv sets the config keys that the variables in env name over what
// the file says, and returns a problem, naming the variable, for each value
// of the wrong type. It runs whatever state the file is in, so a bad
// variable is reported beside the file's own problems.
func applyEnv(cfg *Config, env map[string]string) []Problem {
	var out []Problem
	for _, key := range EnvKeys() {
		name := EnvName(key)
		val, ok := env[name]
		if !ok {
			continue
		}
		f := fieldByKey(reflect.ValueOf(cfg).Elem(), strings.Split(key, "."))
		if !f.IsValid() {
			continue
		}
		if want := setFromEnv(f, val); want != "" {
			out = append(out, Problem{Key: name, Msg: fmt.Sprintf("%q is not a valid value for %s: want %s", val, key, want)})
		}
	}
	return out
}

// setFromEnv sets f from the text of a variable: a list is comma-separated.
// It returns what was wanted when val does not parse as f's type.
func setFromEnv(f reflect.Value, val string) (want string) {
	switch {
	case f.Kind() == reflect.String:
		f.SetString(val)
	case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
		parts := strings.Split(val, ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		f.Set(reflect.ValueOf(parts))
	case f.Kind() == reflect.Bool, f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Bool:
		b, err := strconv.ParseBool(val)
		if err != nil {
			return "true or false"
		}
		if f.Kind() == reflect.Pointer {
			f.Set(reflect.ValueOf(&b))
		} else {
			f.SetBool(b)
		}
	case f.Kind() == reflect.Int || f.Kind() == reflect.Int64:
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil {
			return "a whole number"
		}
		f.SetInt(n)
	}
	return ""
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

// applyEnvSeverity sets rule severities from val, the value of
// SeverityEnv; the variable wins over the file for the rules it names.
func applyEnvSeverity(cfg *Config, val string) []Problem {
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

// attributeToEnv points problems with a value that came from a POMLINT_*
// variable in env at that variable instead of the file.
func attributeToEnv(list []Problem, env map[string]string) {
	for i := range list {
		p := &list[i]
		base := p.Key
		if j := strings.IndexByte(base, '['); j >= 0 {
			base = base[:j]
		}
		if base == "" {
			continue
		}
		if name := EnvName(base); env[name] != "" {
			p.Msg = fmt.Sprintf("%s (from %s=%q)", p.Msg, name, env[name])
			p.File, p.Line = "", 0
			p.Key = name + " → " + p.Key
		}
	}
}
