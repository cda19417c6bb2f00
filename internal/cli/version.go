package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Release builds stamp these with -ldflags "-X …" (see .goreleaser.yaml and
// the Dockerfile); go install and go build leave them empty, and the
// module's build info fills in what it knows.
var (
	version = ""
	commit  = ""
	date    = ""
)

// devVersion names a build whose version nothing recorded (a plain go build
// in a clone without VCS stamping).
const devVersion = "0.1.0-dev"

// buildInfo is what one build knows about itself.
type buildInfo struct {
	Version string // without a leading v
	Commit  string // full or short revision; empty when unknown
	Date    string // RFC 3339 time of the commit; empty when unknown
	Dirty   bool   // built from a work tree with local changes
}

// currentBuild returns this binary's build info: the ldflags stamp, else
// debug.ReadBuildInfo.
func currentBuild() buildInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return resolveBuild(version, commit, date, bi)
}

// resolveBuild prefers the ldflags stamp (a release build), then the module
// version Go records for go install module@version (and, since Go 1.24,
// for a build in a VCS checkout), then the VCS settings of a local build.
func resolveBuild(stampVersion, stampCommit, stampDate string, bi *debug.BuildInfo) buildInfo {
	b := buildInfo{Version: strings.TrimPrefix(stampVersion, "v"), Commit: stampCommit, Date: stampDate}
	if bi == nil {
		if b.Version == "" {
			b.Version = devVersion
		}
		return b
	}
	if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		b.Version = strings.TrimPrefix(bi.Main.Version, "v")
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if b.Commit == "" {
				b.Commit = s.Value
			}
		case "vcs.time":
			if b.Date == "" {
				b.Date = s.Value
			}
		case "vcs.modified":
			b.Dirty = s.Value == "true" && stampVersion == ""
		}
	}
	if b.Version == "" {
		b.Version = devVersion
	}
	return b
}

// String is the line pomlint version prints (after "pomlint ").
func (b buildInfo) String() string {
	var extra []string
	if b.Commit != "" {
		c := b.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		if b.Dirty {
			c += "-dirty"
		}
		extra = append(extra, "commit "+c)
	}
	if b.Date != "" {
		extra = append(extra, b.Date)
	}
	extra = append(extra, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
	return fmt.Sprintf("%s (%s)", b.Version, strings.Join(extra, ", "))
}

func (a *App) newVersionCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Long: `Print pomlint's version, the commit it was built from when known, the Go
version and the platform. pomlint --version prints the same line.`,
		Example: "  pomlint version\n  pomlint --version",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintln(a.IO.Out, a.versionLine())
			return nil
		},
	}
	markReadsNoConfig(cmd)
	return cmd
}

// versionLine is the one line version and --version print.
func (a *App) versionLine() string {
	b := a.build
	if b.Version != a.Version {
		// A test (or an embedder) set App.Version: that wins.
		b = buildInfo{Version: a.Version}
	}
	return "pomlint " + b.String()
}
