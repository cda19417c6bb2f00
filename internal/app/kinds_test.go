package app

import (
	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector/file"
	"github.com/pomlint/pomlint/internal/connector/github"
	"github.com/pomlint/pomlint/internal/connector/jira"
)

// testKinds are the config kinds pomlint ships (cli.DefaultKinds), for tests
// that load a config without the CLI.
var testKinds = config.Kinds{github.Kind, jira.Kind, file.Kind}
