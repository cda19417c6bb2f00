package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads file, checks it against the shape of Config (unknown keys and
// wrongly typed values are problems with their line), decodes it, sets the
// keys that POMLINT_* variables name over the file (getenv reads them; nil
// reads none), applies the defaults and validates. Every problem found is
// returned at once in an *Error, with the config read so far. kinds are
// the kinds of source the build knows: they default, validate and name the
// URLs of each source's block.
//
// There is one path, whatever state the file is in: the YAML tree is
// decoded even when it has problems, so a bad variable is reported beside
// the file's own problems. Flags do not set config keys; a command's flags
// are its own options.
func Load(file string, kinds Kinds, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	root, err := readYAML(file)
	if err != nil {
		return nil, err
	}
	ps := &problems{file: file, lines: map[string]int{}, kinds: kinds}
	checkNode(root, reflect.TypeOf(Config{}), "", ps)
	structural := slices.Clone(ps.list)

	var cfg Config
	// Decoding goes on past a wrongly typed value (it is left empty and
	// reported above), so that every problem is reported at once.
	_ = root.Decode(&cfg)
	cfg.kinds = kinds
	decodeBlocks(root, cfg.Sources, kinds)
	cfg.env = envValues(getenv)
	ps.list = append(ps.list, applyEnv(&cfg, cfg.env)...)
	ps.list = append(ps.list, applyEnvSeverity(&cfg, getenv(SeverityEnv))...)
	abs, _ := filepath.Abs(file)
	cfg.File = file
	cfg.Dir = filepath.Dir(abs)
	cfg.Lines = entryLines(&cfg, ps.lines)
	cfg.applyDefaults()
	validate(&cfg, ps)
	ps.list = dropConsequences(ps.list, structural)
	attributeToEnv(ps.list, cfg.env)
	if err := ps.err(); err != nil {
		return &cfg, err
	}
	return &cfg, nil
}

// decodeBlocks decodes the block of each source's kind into the type the
// kind owns (Source.Block), and notes the blocks of other kinds the source
// carries. Like the rest of decoding it goes on past a wrongly typed value.
func decodeBlocks(root *yaml.Node, sources []Source, kinds Kinds) {
	list := mappingValue(valueNode(root), "sources")
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	for i := 0; i < len(sources) && i < len(list.Content); i++ {
		n := valueNode(list.Content[i])
		if n.Kind != yaml.MappingNode {
			continue
		}
		s := &sources[i]
		for j := 0; j+1 < len(n.Content); j += 2 {
			k, ok := kinds.Lookup(n.Content[j].Value)
			v := valueNode(n.Content[j+1])
			if !ok || v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				continue // an empty block is no block, as for any key
			}
			if k.Name != s.Kind {
				s.others = append(s.others, k.Name)
				continue
			}
			b := k.NewBlock()
			_ = v.Decode(b)
			s.Block = b
		}
	}
}

// mappingValue returns the value of key in the mapping n (nil when n is
// not a mapping or has no such key).
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return valueNode(n.Content[i+1])
		}
	}
	return nil
}

// readYAML reads and parses file into its YAML tree; a file that cannot be
// read, does not parse or is empty is an *Error.
func readYAML(file string) (*yaml.Node, error) {
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
	return &root, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

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
	applyKindDefaults(c)
	if len(c.Ownership.From) == 0 {
		c.Ownership.From = []string{"assignee"}
	}
	if c.Classification.Hierarchy == nil {
		t := true
		c.Classification.Hierarchy = &t
	}
}
