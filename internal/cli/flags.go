package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/pomlint/pomlint/internal/audit"
	"github.com/pomlint/pomlint/internal/drift"
	"github.com/pomlint/pomlint/internal/report"
	"github.com/pomlint/pomlint/internal/rules"
)

// readsNoConfig marks a command (and its subcommands) that reads no config
// and writes no logs: its help does not list the global config and log
// flags, and --config is refused rather than ignored.
const readsNoConfig = "pomlint.io/reads-no-config"

// globalsIgnored are the global flags such a command does not use.
var globalsIgnored = []string{"config", "log-level", "log-format", "no-color"}

func markReadsNoConfig(cmd *cobra.Command) {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[readsNoConfig] = "true"
}

func ignoresGlobals(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if c.Annotations[readsNoConfig] == "true" {
			return true
		}
	}
	return false
}

// refuseIgnoredGlobals is a usage error when a command that reads no
// config was given --config on its command line.
func refuseIgnoredGlobals(cmd *cobra.Command) error {
	if ignoresGlobals(cmd) && cmd.Flags().Changed("config") {
		return usageError("%s reads no config: drop --config", cmd.CommandPath())
	}
	return nil
}

// hideIgnoredGlobals makes help leave out the global flags a command does
// not use, so that --help never lists a flag the command ignores or
// refuses.
func hideIgnoredGlobals(root *cobra.Command) {
	help := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		if ignoresGlobals(c) {
			for _, name := range globalsIgnored {
				if f := root.PersistentFlags().Lookup(name); f != nil && !f.Hidden {
					f.Hidden = true
					defer func() { f.Hidden = false }()
				}
			}
		}
		help(c, args)
	})
}

// Flag value completion (pomlint completion bash|zsh|fish|powershell).

var (
	failOnValues    = []string{"error", "warning", "note", "never"}
	logLevelValues  = []string{"debug", "info", "warn", "error"}
	logFormatValues = []string{"console", "json"}
)

// fixed completes a flag with a fixed list of values, never with files.
func fixed(values ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
}

// completeFormats completes --format: a format name, or after FMT= a file.
func completeFormats(formats []string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if strings.Contains(toComplete, "=") {
			return nil, cobra.ShellCompDirectiveDefault
		}
		return append([]cobra.Completion(nil), formats...), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeSources completes --source with the names of the config's
// sources (the config --config names, or the one discovery finds).
func (a *App) completeSources(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	l, err := a.loadConfig()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	out := make([]cobra.Completion, 0, len(l.Config.Sources))
	for _, s := range l.Config.Sources {
		out = append(out, cobra.CompletionWithDesc(s.Name, s.Kind))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeRuleIDs completes a rule ID: the built-in rules, and the config's
// user rules when a config is found.
func (a *App) completeRuleIDs(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	rs := rules.Builtin()
	if l, err := a.loadConfig(); err == nil {
		rs = l.AllRules
	}
	var out []cobra.Completion
	for _, d := range rules.Docs(rs) {
		out = append(out, cobra.CompletionWithDesc(d.ID, d.Name))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// registerCompletions wires value completion for every enumerated flag of
// the command tree under root, by flag name.
func (a *App) registerCompletions(root *cobra.Command) {
	reg := func(c *cobra.Command, name string, fn cobra.CompletionFunc) {
		if c.Flags().Lookup(name) != nil || (c == root && c.PersistentFlags().Lookup(name) != nil) {
			_ = c.RegisterFlagCompletionFunc(name, fn) // the flag exists: cannot fail
		}
	}
	reg(root, "log-level", fixed(logLevelValues...))
	reg(root, "log-format", fixed(logFormatValues...))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		reg(c, "fail-on", fixed(failOnValues...))
		reg(c, "source", a.completeSources)
		switch c.Name() {
		case "lint", "merge":
			reg(c, "format", completeFormats(report.Formats))
		case "audit":
			reg(c, "format", completeFormats(audit.Formats()))
		case "drift", "comment":
			reg(c, "format", completeFormats(drift.Formats))
		case "doctor":
			reg(c, "format", fixed("text", "json"))
		case "explain":
			c.ValidArgsFunction = a.completeRuleIDs
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
