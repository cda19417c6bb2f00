// Command pomlint lints the ownership of backlogs and roadmaps in GitHub and
// Jira. See README.md.
package main

import (
	"os"

	"github.com/pomlint/pomlint/internal/cli"
)

func main() { os.Exit(cli.Main()) }
