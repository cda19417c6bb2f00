package config

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// checkNode walks the YAML tree against the shape of t, recording the line of
// every key path and a problem for every unknown key or wrongly typed value.
// It is what makes the config strict and lets messages name a line.
func checkNode(n *yaml.Node, t reflect.Type, path string, ps *problems) {
	if n = valueNode(n); n == nil {
		return
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
	switch {
	case t == rosterImportType:
		checkMapping(n, ps.kinds.importKeys(), path, ps)
	case t.Kind() == reflect.Struct:
		checkMapping(n, ps.fields(t), path, ps)
	case t.Kind() == reflect.Map:
		checkMap(n, t, path, ps)
	case t.Kind() == reflect.Slice:
		checkList(n, t, path, ps)
	default:
		checkScalar(n, t.Kind(), path, ps)
	}
}

// valueNode returns the node holding n's value: the root of a document, the
// target of an alias. It is nil for an empty document.
func valueNode(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// fields are the keys of the struct type t with their types: its YAML
// fields and, for a source, one block key per kind.
func (ps *problems) fields(t reflect.Type) map[string]reflect.Type {
	fields := yamlFields(t)
	if t == sourceType {
		for _, k := range ps.kinds {
			fields[k.Name] = reflect.TypeOf(k.NewBlock())
		}
	}
	return fields
}

// checkMapping checks a mapping against fields (key → type): every key
// once, and only those keys.
func checkMapping(n *yaml.Node, fields map[string]reflect.Type, path string, ps *problems) {
	if n.Kind != yaml.MappingNode {
		ps.addAt(path, n.Line, "expected a mapping (key: value), got %s", describe(n))
		return
	}
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
			ps.addAt(child, k.Line, "%s", unknownKey(key, fields))
			continue
		}
		checkNode(v, ft, child, ps)
	}
}

// sourceType is the type of a source, whose keys are its name, its kind and
// one block key per kind, each of the shape the kind gives.
var sourceType = reflect.TypeOf(Source{})

// rosterImportType is the type of roster.import, whose keys are the kinds'
// import keys.
var rosterImportType = reflect.TypeOf(RosterImport{})

// unknownKey is the message for a key that is not one of fields: the
// closest known key as a suggestion, then all of them.
func unknownKey(key string, fields map[string]reflect.Type) string {
	names := slices.Sorted(maps.Keys(fields))
	msg := fmt.Sprintf("unknown key %q", key)
	if c := closest(key, names); c != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", c)
	}
	return fmt.Sprintf("%s; known keys here: %s", msg, strings.Join(names, ", "))
}

// checkMap checks a mapping against the map type t: any keys, each value of
// t's element type.
func checkMap(n *yaml.Node, t reflect.Type, path string, ps *problems) {
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
}

// checkList checks a sequence against the slice type t.
func checkList(n *yaml.Node, t reflect.Type, path string, ps *problems) {
	if n.Kind != yaml.SequenceNode {
		ps.addAt(path, n.Line, "expected a list, got %s", describe(n))
		return
	}
	for i, c := range n.Content {
		checkNode(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i), ps)
	}
}

// scalarKinds are the Go kinds of the config's scalar values: the YAML tag
// a value must resolve to ("" takes any scalar: a string may be written
// unquoted as 42 or yes) and how a problem names what was expected.
var scalarKinds = map[reflect.Kind]struct{ tag, want string }{
	reflect.String: {"", "a string"},
	reflect.Bool:   {"!!bool", "true or false"},
	reflect.Int:    {"!!int", "a whole number"},
	reflect.Int64:  {"!!int", "a whole number"},
}

// checkScalar checks a scalar value against the Go kind k; kinds the
// config does not use are not checked.
func checkScalar(n *yaml.Node, k reflect.Kind, path string, ps *problems) {
	sk, ok := scalarKinds[k]
	if !ok {
		return
	}
	if n.Kind != yaml.ScalarNode || sk.tag != "" && n.Tag != sk.tag {
		ps.addAt(path, n.Line, "expected %s, got %s", sk.want, describe(n))
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
