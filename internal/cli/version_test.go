package cli

import (
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestResolveBuild(t *testing.T) {
	vcs := func(rev, at, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: at}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name                   string
		stampV, stampC, stampD string
		bi                     *debug.BuildInfo
		want                   buildInfo
	}{
		{
			name:   "should prefer the ldflags stamp of a release build",
			stampV: "v1.4.0", stampC: "0123456789abcdef", stampD: "2026-12-01T10:00:00Z",
			bi:   &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("ffff", "2020-01-01T00:00:00Z", "true")},
			want: buildInfo{Version: "1.4.0", Commit: "0123456789abcdef", Date: "2026-12-01T10:00:00Z"},
		},
		{
			name: "should take the module version of go install module@version",
			bi:   &debug.BuildInfo{Main: debug.Module{Version: "v0.3.1"}},
			want: buildInfo{Version: "0.3.1"},
		},
		{
			name: "should take the pseudo-version and revision of a build in a clone",
			bi:   &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261203064500-abcdef012345"}, Settings: vcs("abcdef0123456789", "2026-12-03T06:45:00Z", "false")},
			want: buildInfo{Version: "0.0.0-20261203064500-abcdef012345", Commit: "abcdef0123456789", Date: "2026-12-03T06:45:00Z"},
		},
		{
			name: "should mark a build from a modified work tree dirty",
			bi:   &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("abcdef0123456789", "2026-12-03T06:45:00Z", "true")},
			want: buildInfo{Version: devVersion, Commit: "abcdef0123456789", Date: "2026-12-03T06:45:00Z", Dirty: true},
		},
		{
			name: "should fall back to the dev version when nothing is known",
			bi:   &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			want: buildInfo{Version: devVersion},
		},
		{
			name: "should fall back to the dev version without build info",
			want: buildInfo{Version: devVersion},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := resolveBuild(tt.stampV, tt.stampC, tt.stampD, tt.bi); got != tt.want {
				t.Errorf("resolveBuild = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestBuildInfoString(t *testing.T) {
	got := buildInfo{Version: "1.4.0", Commit: "0123456789abcdef", Date: "2026-12-01T10:00:00Z", Dirty: true}.String()
	if !strings.HasPrefix(got, "1.4.0 (commit 0123456789ab-dirty, 2026-12-01T10:00:00Z, go") {
		t.Errorf("String = %q", got)
	}
}

func TestVersionFlag(t *testing.T) {
	stamped := func() *App {
		return &App{build: buildInfo{Version: "1.4.0", Commit: "0123456789abcdef"}, Version: "1.4.0"}
	}
	var lines []string
	for _, args := range [][]string{{"version"}, {"--version"}} {
		t.Run("should print the stamped version with "+args[0], func(t *testing.T) {
			a := stamped()
			var out syncBuffer
			a.IO.Out = &out
			if code := a.Run(context.Background(), args); code != 0 {
				t.Fatalf("exit %d", code)
			}
			if !strings.HasPrefix(out.String(), "pomlint 1.4.0 (commit 0123456789ab, go") {
				t.Errorf("output = %q", out.String())
			}
			lines = append(lines, out.String())
		})
	}
	if len(lines) == 2 && lines[0] != lines[1] {
		t.Errorf("version and --version differ: %q vs %q", lines[0], lines[1])
	}
}

// TestReleaseConfigMatchesTheAction guards the release pipeline: -X on a
// variable that no longer exists stamps nothing without a word, and an
// archive renamed in .goreleaser.yaml is one the action cannot download.
func TestReleaseConfigMatchesTheAction(t *testing.T) {
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var gr struct {
		Version int `yaml:"version"`
		Builds  []struct {
			Main    string   `yaml:"main"`
			Binary  string   `yaml:"binary"`
			LDFlags []string `yaml:"ldflags"`
		} `yaml:"builds"`
		Archives []struct {
			NameTemplate string   `yaml:"name_template"`
			Formats      []string `yaml:"formats"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
			Algorithm    string `yaml:"algorithm"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal(data, &gr); err != nil {
		t.Fatal(err)
	}
	if gr.Version != 2 || len(gr.Builds) != 1 || len(gr.Archives) != 1 {
		t.Fatalf("want a v2 config with one build and one archive: %+v", gr)
	}
	t.Run("should stamp the variables version.go declares", func(t *testing.T) {
		ld := strings.Join(gr.Builds[0].LDFlags, " ")
		for _, v := range []string{"version", "commit", "date"} {
			if !strings.Contains(ld, "-X github.com/pomlint/pomlint/internal/cli."+v+"=") {
				t.Errorf("ldflags do not stamp internal/cli.%s: %s", v, ld)
			}
		}
		if gr.Builds[0].Main != "./cmd/pomlint" || gr.Builds[0].Binary != "pomlint" {
			t.Errorf("build = %+v", gr.Builds[0])
		}
	})
	t.Run("should name the archives as the action downloads them", func(t *testing.T) {
		a := gr.Archives[0]
		if a.NameTemplate != "{{ .ProjectName }}_{{ .Os }}_{{ .Arch }}" || len(a.Formats) != 1 || a.Formats[0] != "tar.gz" {
			t.Errorf("archive = %+v, want pomlint_<os>_<arch>.tar.gz", a)
		}
		action, err := os.ReadFile(filepath.Join(root, ".github", "actions", "pomlint", "action.yml"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(action), `--pattern "pomlint_${os}_${arch}.tar.gz"`) {
			t.Error("the action no longer downloads pomlint_${os}_${arch}.tar.gz")
		}
	})
	t.Run("should verify the downloaded archive against the release checksums", func(t *testing.T) {
		c := gr.Checksum
		if c.NameTemplate != "checksums.txt" || c.Algorithm != "sha256" {
			t.Errorf("checksum = %+v, want checksums.txt with sha256", c)
		}
		b, err := os.ReadFile(filepath.Join(root, ".github", "actions", "pomlint", "action.yml"))
		if err != nil {
			t.Fatal(err)
		}
		action := string(b)
		for _, want := range []string{
			`--pattern "` + c.NameTemplate + `"`, // downloaded with the archive
			"sha256sum -c",                       // Linux, Windows (Git Bash)
			"shasum -a 256 -c",                   // macOS
		} {
			if !strings.Contains(action, want) {
				t.Errorf("the action lacks %s", want)
			}
		}
		if i, j := strings.Index(action, "sha256sum -c"), strings.Index(action, "tar -xzf"); i < 0 || j < 0 || i > j {
			t.Error("the action extracts the archive before verifying it")
		}
	})
}
