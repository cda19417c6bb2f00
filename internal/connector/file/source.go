package file

import (
	"os"

	"github.com/pomlint/pomlint/internal/config"
)

// KindName is the kind: of a snapshot file source.
const KindName = "file"

// Source is the file: block of a kind: file source, which reads a snapshot
// file.
type Source struct {
	Path string `yaml:"path"`
	// Sources, when set, keeps only the snapshot items whose source is
	// listed (a snapshot may hold several sources).
	Sources []string `yaml:"sources,omitempty"`
}

// Block returns the file: block of src (nil when it has none).
func Block(src config.Source) *Source { return config.BlockOf[Source](src) }

// Kind is kind: file — a snapshot file; its items keep the tracker they
// were read from, so it adds no account kind or team scope.
var Kind = config.SourceKind{
	Name:     KindName,
	NewBlock: func() any { return &Source{} },
	Validate: func(c *config.Config, s *config.Source, key string, r config.Reporter) {
		validate(c, Block(*s), key, r)
	},
}

// validate checks that a file source names a snapshot file that can be
// read (relative paths are relative to the config file).
func validate(c *config.Config, f *Source, key string, r config.Reporter) {
	if f.Path == "" {
		r.Add(key+".path", "a file source needs a path to a snapshot file")
	} else if _, err := os.Stat(c.Path(f.Path)); err != nil {
		r.Add(key+".path", "cannot read %s: %v", f.Path, config.UnwrapPathError(err))
	}
}
