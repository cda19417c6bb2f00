package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// checkNode walks the YAML tree against the shape of t, recording the line of
// every key path and a problem for every unknown key or wrongly typed value.
// It is what makes the config strict and lets messages name a line.
func checkNode(n *yaml.Node, t reflect.Type, path string, ps *problems) {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return
		}
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if path != "" {
		if _, ok := ps.lines[path]; !ok {
			ps.lines[path] = n.Line
		}
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty value: the zero value, as if the key were absent
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			ps.addAt(path, n.Line, "expected a mapping (key: value), got %s", describe(n))
			return
		}
		fields := yamlFields(t)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := k.Value
			child := join(path, key)
			ps.lines[child] = k.Line
			if seen[key] {
				ps.addAt(child, k.Line, "key %q appears twice", key)
				continue
			}
			seen[key] = true
			ft, ok := fields[key]
			if !ok {
				names := make([]string, 0, len(fields))
				for name := range fields {
					names = append(names, name)
				}
				sort.Strings(names)
				msg := fmt.Sprintf("unknown key %q", key)
				if c := closest(key, names); c != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", c)
				}
				ps.addAt(child, k.Line, "%s; known keys here: %s", msg, strings.Join(names, ", "))
				continue
			}
			checkNode(v, ft, child, ps)
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			ps.addAt(path, n.Line, "expected a mapping, got %s", describe(n))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			child := path + "." + k.Value
			ps.lines[child] = k.Line
			checkNode(v, t.Elem(), child, ps)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			ps.addAt(path, n.Line, "expected a list, got %s", describe(n))
			return
		}
		for i, c := range n.Content {
			checkNode(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i), ps)
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			ps.addAt(path, n.Line, "expected a string, got %s", describe(n))
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			ps.addAt(path, n.Line, "expected true or false, got %s", describe(n))
		}
	case reflect.Int, reflect.Int64:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			ps.addAt(path, n.Line, "expected a whole number, got %s", describe(n))
		}
	}
}

func (ps *problems) addAt(key string, line int, format string, args ...any) {
	ps.list = append(ps.list, Problem{File: ps.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// yamlFields maps the YAML key of each exported field of t to its type.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}
