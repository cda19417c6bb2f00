package app

import "github.com/pomlint/pomlint/internal/config"

// testKinds are the config kinds pomlint ships (cli.DefaultKinds), for tests
// that load a config without the CLI.
var testKinds = config.Kinds{config.GitHubKind, config.JiraKind, config.FileKind}
