package config

import "os"

// FileKind is kind: file — a snapshot file; its items keep the tracker they
// were read from, so it adds no account kind or team scope.
var FileKind = SourceKind{
	Name:  KindFile,
	Block: func(s *Source) bool { return s.File != nil },
	Validate: func(c *Config, s *Source, key string, r Reporter) {
		validateFileSource(c, s.File, key, r)
	},
}

// validateFileSource checks that a file source names a snapshot file that
// can be read (relative paths are relative to the config file).
func validateFileSource(c *Config, f *FileSource, key string, r Reporter) {
	if f.Path == "" {
		r.Add(key+".path", "a file source needs a path to a snapshot file")
	} else if _, err := os.Stat(c.Path(f.Path)); err != nil {
		r.Add(key+".path", "cannot read %s: %v", f.Path, unwrapPathError(err))
	}
}
