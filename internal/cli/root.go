// Package cli implements pomlint's commands, one file per command. Every
// command takes its streams, clock, environment and HTTP transport from an App
// so tests can run it against buffers and fakes. What a command does lives
// in package app; a command here parses its flags, calls app, renders what
// it returns and turns errors into exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/pomlint/pomlint/internal/app"
	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/connector/file"
	"github.com/pomlint/pomlint/internal/connector/github"
	"github.com/pomlint/pomlint/internal/connector/jira"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/rules"
	"github.com/pomlint/pomlint/internal/safetext"
	"github.com/pomlint/pomlint/internal/suggest"
)

// IOStreams are the streams a command reads and writes.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// OutTTY and ErrTTY say whether Out and ErrOut are terminals (colour,
	// progress bars).
	OutTTY, ErrTTY bool
}

// App holds everything a command depends on. Main builds the real one; tests
// build their own.
type App struct {
	IO      IOStreams
	Now     func() time.Time
	Getenv  func(string) string
	Version string
	// Registry builds connectors by source kind.
	Registry connector.Registry
	// Kinds decode, default and validate each kind's config block
	// (default: DefaultKinds).
	Kinds config.Kinds
	// Transport, when set, replaces the network for every connector (tests
	// point it at fakes).
	Transport http.RoundTripper
	// Clock, when set, replaces the real clock for waits (tests never sleep).
	Clock connector.Clock
	// WorkDir is where relative paths (and the default config) are found.
	WorkDir string
	// Environ lists the environment, to warn about misspelt POMLINT_*
	// variables; nil skips the check.
	Environ func() []string

	// global flag values
	configFile string
	logLevel   string
	logFormat  string
	noColor    bool
	log        zerolog.Logger
	progress   *progress
	term       *sharedLine
	build      buildInfo
}

// Main runs pomlint with the process's arguments and environment and returns
// the exit code.
func Main() int {
	wd, _ := os.Getwd()
	a := &App{
		IO: IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
			OutTTY: term.IsTerminal(int(os.Stdout.Fd())), ErrTTY: term.IsTerminal(int(os.Stderr.Fd()))},
		Now:     time.Now,
		Getenv:  os.Getenv,
		Environ: os.Environ,
		WorkDir: wd,
	}
	return a.RunWithSignals(context.Background(), os.Args[1:])
}

// RunWithSignals is Run with SIGINT (Ctrl-C) and SIGTERM (what CI sends a
// cancelled job) cancelling the run's context: fetches stop, nothing more
// is written, and the exit code is 3 with a message naming the signal.
func (a *App) RunWithSignals(ctx context.Context, args []string) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return a.Run(ctx, args)
}

// DefaultKinds are the kinds of source pomlint ships, in the order config
// messages list them: one line per tracker, its config block and its
// connector.
func DefaultKinds() connector.Kinds {
	return connector.Kinds{
		{Config: github.Kind, New: github.New},
		{Config: jira.Kind, New: jira.New},
		{Config: file.Kind, New: file.New},
	}
}

// DefaultRegistry builds the connectors of DefaultKinds.
func DefaultRegistry() connector.Registry { return DefaultKinds().Registry() }

func (a *App) defaults() {
	if a.Now == nil {
		a.Now = time.Now
	}
	if a.Getenv == nil {
		a.Getenv = func(string) string { return "" }
	}
	if a.Registry == nil {
		a.Registry = DefaultRegistry()
	}
	if a.Kinds == nil {
		a.Kinds = DefaultKinds().Config()
	}
	if a.Version == "" {
		a.build = currentBuild()
		a.Version = a.build.Version
	}
	if a.IO.In == nil {
		a.IO.In = strings.NewReader("")
	}
	if a.IO.Out == nil {
		a.IO.Out = io.Discard
	}
	if a.IO.ErrOut == nil {
		a.IO.ErrOut = io.Discard
	}
}

// Tool names this build in reports.
func (a *App) Tool() model.Tool { return model.Tool{Name: "pomlint", Version: a.Version} }

// exitError carries an exit code through cobra; the application layer
// returns the same type.
type exitError = app.Error

// exitCode returns err as an exit code silently (the command has already
// said what it needs to).
func exitCode(code int) error { return &exitError{Code: code} }

func usageError(format string, args ...any) error {
	return &exitError{Code: model.ExitUsage, Err: fmt.Errorf(format, args...)}
}

// Run executes one command line and returns the exit code.
func (a *App) Run(ctx context.Context, args []string) int {
	a.defaults()
	root := a.newRootCmd()
	root.SetArgs(args)
	root.SetIn(a.IO.In)
	root.SetOut(a.IO.Out)
	root.SetErr(a.IO.ErrOut)
	err := root.ExecuteContext(ctx)
	a.progress.Close()
	if err == nil {
		return model.ExitOK
	}
	if ctx.Err() != nil {
		// Stopped by a signal or a caller: whatever the command made of
		// its cut-short work, the run is incomplete. Files are written
		// whole or not at all (package output).
		fmt.Fprintf(a.IO.ErrOut, "pomlint: interrupted (%v): the run did not finish, so it cannot pass; no file was left half-written\n", context.Cause(ctx))
		return model.ExitIncomplete
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			a.printError(ee.Err)
		}
		return ee.Code
	}
	var ce *config.Error
	var le *rules.LoadError
	switch {
	case errors.As(err, &ce), errors.As(err, &le):
		a.printError(err)
		return model.ExitUsage
	}
	// cobra's own errors (unknown flag, bad args) are usage errors.
	a.printError(err)
	return model.ExitUsage
}

func (a *App) printError(err error) {
	// Errors may quote a server's answer or a tracker's text.
	fmt.Fprintf(a.IO.ErrOut, "pomlint: %s\n", safetext.Text(err.Error()))
}

func (a *App) newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "pomlint",
		Short: "Lint who owns your backlog and your roadmap",
		Long: `pomlint reads work items from GitHub and Jira, classifies each as strategic
(roadmap: initiatives, themes, epics) or tactical (backlog: stories, tasks,
bugs), resolves its owner against a roster, and reports every item whose owner
has the wrong role, no role, or no owner at all: product managers own the
roadmap, product owners own the backlog.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or config
error, 3 a source could not be read completely (never a false green).`,
		Example: `  pomlint lint --config configs/demo.yaml
  pomlint lint --format sarif=pomlint.sarif --format text --fail-on error
  pomlint rules explain OWN001`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// --version prints what pomlint version prints.
		Version: strings.TrimPrefix(a.versionLine(), "pomlint "),
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.setup(cmd)
		},
	}
	pf := root.PersistentFlags()
	pf.StringVarP(&a.configFile, "config", "c", "", "config file (default: .pomlint.yaml, else pomlint.yaml, in the working directory or a parent up to the repository root; env POMLINT_CONFIG)")
	pf.StringVar(&a.logLevel, "log-level", "info", "log level: debug, info, warn, error (env POMLINT_LOG_LEVEL)")
	pf.StringVar(&a.logFormat, "log-format", "console", "log format on stderr: console or json (env POMLINT_LOG_FORMAT)")
	pf.BoolVar(&a.noColor, "no-color", false, "disable colour in output and logs (also NO_COLOR)")
	root.SetVersionTemplate("pomlint {{.Version}}\n")
	root.Flags().BoolP("version", "v", false, "print the version (what pomlint version prints)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageError("%s (see --help)", plainFlagError(err.Error()))
	})
	root.AddCommand(
		a.newLintCmd(),
		a.newRulesCmd(),
		a.newConfigCmd(),
		a.newInitCmd(),
		a.newVersionCmd(),
		a.newBaselineCmd(),
		a.newSnapshotCmd(),
		a.newDriftCmd(),
		a.newCommentCmd(),
		a.newAuditCmd(),
		a.newDoctorCmd(),
		a.newRosterCmd(),
		a.newMergeCmd(),
	)
	// pomlint completion bash|zsh|fish|powershell: cobra's, made now so
	// that it can be marked as reading no config (it takes its writer when
	// made).
	root.SetOut(a.IO.Out)
	root.InitDefaultCompletionCmd()
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		markReadsNoConfig(c)
	}
	hideIgnoredGlobals(root)
	a.registerCompletions(root)
	return root
}

// setup sets the flags that were not given from their POMLINT_* variables
// (POMLINT_FAIL_ON for --fail-on), and builds the logger.
func (a *App) setup(cmd *cobra.Command) error {
	if err := refuseIgnoredGlobals(cmd); err != nil {
		return err
	}
	var bindErr error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Changed {
			return
		}
		env := config.EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if val := a.Getenv(env); val != "" {
			for _, part := range splitEnvList(f, val) {
				if err := f.Value.Set(part); err != nil && bindErr == nil {
					bindErr = usageError("%s=%q: %s", env, val, plainFlagError(": " + err.Error())[2:])
				}
			}
			f.Changed = true
		}
	})
	if bindErr != nil {
		return bindErr
	}
	if a.Getenv("NO_COLOR") != "" {
		a.noColor = true
	}
	lvl, err := zerolog.ParseLevel(strings.ToLower(a.logLevel))
	if err != nil || a.logLevel == "" {
		return usageError("--log-level %q: want debug, info, warn or error", a.logLevel)
	}
	// Sources log from their own goroutines: one write per event,
	// serialised with the progress bar's so a log line never shares its line,
	// and made safe for a terminal or CI log (safetext).
	errOut := safeJSON{a.terminal()}
	if a.IO.OutTTY && a.IO.ErrTTY {
		a.IO.Out = a.term.Beside(a.IO.Out)
	}
	var w io.Writer
	switch strings.ToLower(a.logFormat) {
	case "json":
		w = errOut
	case "console":
		w = safeConsole(zerolog.ConsoleWriter{Out: errOut, NoColor: a.noColor || !a.IO.ErrTTY, TimeFormat: "15:04:05"})
	default:
		return usageError("--log-format %q: want console or json", a.logFormat)
	}
	a.log = zerolog.New(w).Level(lvl).With().Timestamp().Logger()
	a.warnUnknownEnv(cmd.Root())
	return nil
}

// terminal returns the serialised stderr the logger and the progress bar
// share.
func (a *App) terminal() *sharedLine {
	if a.term == nil {
		a.term = newSharedLine(a.IO.ErrOut)
	}
	return a.term
}

// warnUnknownEnv logs POMLINT_* variables that set nothing: a misspelt one
// would otherwise be ignored without a word.
func (a *App) warnUnknownEnv(root *cobra.Command) {
	if a.Environ == nil {
		return
	}
	known := map[string]bool{config.SeverityEnv: true}
	for _, k := range config.EnvKeys() {
		known[config.EnvName(k)] = true
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, fs := range []*pflag.FlagSet{c.Flags(), c.PersistentFlags()} {
			fs.VisitAll(func(f *pflag.Flag) {
				known[config.EnvPrefix+"_"+strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))] = true
			})
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	names := make([]string, 0, len(known))
	for n := range known {
		names = append(names, n)
	}
	for _, kv := range a.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, config.EnvPrefix+"_") || known[name] {
			continue
		}
		ev := a.log.Warn().Str("variable", name)
		if c := suggest.Closest(name, names); c != "" {
			ev = ev.Str("did_you_mean", c)
		}
		ev.Msg("unknown POMLINT_* variable: it sets nothing")
	}
}

// splitEnvList splits comma-separated env values for repeatable flags.
func splitEnvList(f *pflag.Flag, val string) []string {
	if strings.HasSuffix(f.Value.Type(), "Slice") || strings.HasSuffix(f.Value.Type(), "Array") {
		return strings.Split(val, ",")
	}
	return []string{val}
}

var strconvError = regexp.MustCompile(`: (strconv\.Parse(Int|Uint|Float|Bool)|time: (invalid|missing unit in) duration)[^)]*$`)

// plainFlagError replaces the Go parse error at the end of a pflag message
// with what the flag wants.
func plainFlagError(msg string) string {
	m := strconvError.FindStringSubmatchIndex(msg)
	if m == nil {
		return msg
	}
	want := "want a whole number"
	switch {
	case strings.Contains(msg[m[0]:], "ParseBool"):
		want = "want true or false"
	case strings.Contains(msg[m[0]:], "ParseFloat"):
		want = "want a number"
	case strings.Contains(msg[m[0]:], "duration"):
		want = "want a duration such as 30s, 15m or 2h"
	}
	return msg[:m[0]] + ": " + want
}
