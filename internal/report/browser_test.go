package report_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pomlint/pomlint/internal/cli"
)

// chromiumFlags run Debian's chromium headless with no network features
// and nothing that phones home; each run gets a new empty profile.
var chromiumFlags = []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"}

// chromium runs the browser on page with extra flags and returns its stdout
// and its log (stderr, where --enable-logging puts console messages).
func chromium(t *testing.T, page string, extra ...string) (stdout, log string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append(append(append([]string(nil), chromiumFlags...), "--user-data-dir="+t.TempDir()), extra...)
	cmd := exec.CommandContext(ctx, "chromium", append(args, "file://"+page)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", extra, err, errb.String())
	}
	return out.String(), errb.String()
}

// consoleLine is a message the page wrote to the console (chromium logs
// every one, errors and uncaught exceptions included, as INFO:CONSOLE).
var consoleLine = regexp.MustCompile(`(?m)^.*:CONSOLE[:(].*$`)

// a4Page is a PDF page of A4 size (595.28 × 841.89 pt, give or take
// chromium's rounding).
var a4Page = regexp.MustCompile(`/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]`)

// screenshotVersion is the version the screenshots in docs/img show: a
// release's, not the tests' "0.0.0-test", since readers take the images for
// what a release prints.
const screenshotVersion = "1.0.0"

// demoReports renders the demo's lint and audit HTML reports with the same
// runs as the golden tests (a fixed clock) as pomlint version, and returns
// their paths.
func demoReports(t *testing.T, version string) map[string]string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	pages := map[string]string{"lint-report": filepath.Join(dir, "lint.html"), "audit-report": filepath.Join(dir, "audit.html")}
	runs := [][]string{
		{"lint", "--config", "configs/demo.yaml", "--fail-on", "never", "--format", "html=" + pages["lint-report"]},
		{"audit", "--config", "configs/demo.yaml", "--from", "2026-09-01", "--to", "2026-11-27", "--format", "html=" + pages["audit-report"]},
	}
	for _, args := range runs {
		a := &cli.App{WorkDir: root, Version: version, Now: func() time.Time { return now }, Getenv: func(string) string { return "" }}
		if code := a.Run(context.Background(), args); code != 0 {
			t.Fatalf("pomlint %s exited %d", args[0], code)
		}
	}
	return pages
}

// TestHTMLInBrowser opens the demo's lint and audit HTML reports in headless
// Chromium and checks that they render with no console message (no script
// error, no failed load), that the lint report's filter script ran, and
// that printing gives A4 pages. With -update it also rewrites the
// screenshots in docs/img (1280 px wide), which docs/reports.md and
// docs/audit.md show. .ci/run installs chromium; without it the test is
// skipped.
func TestHTMLInBrowser(t *testing.T) {
	if _, err := exec.LookPath("chromium"); err != nil {
		t.Skip("chromium is not installed (apt-get install -y chromium; .ci/run installs it): HTML reports not checked in a browser")
	}
	pages := demoReports(t, "0.0.0-test")
	markers := map[string][]string{
		// The filter script un-hides the filter bar and counts the rows.
		"lint-report":  {`<form class="filters" id="filters">`, `<span id="shown" class="muted">23 of 23 shown</span>`, "Who must act"},
		"audit-report": {"Item-days per owner", "</footer>"},
	}
	for name, page := range pages {
		t.Run("should render "+name+" with no console message", func(t *testing.T) {
			dom, log := chromium(t, page, "--enable-logging=stderr", "--v=0", "--dump-dom")
			if m := consoleLine.FindAllString(log, -1); len(m) > 0 {
				t.Errorf("console messages:\n%s", strings.Join(m, "\n"))
			}
			for _, want := range markers[name] {
				if !strings.Contains(dom, want) {
					t.Errorf("rendered DOM lacks %q", want)
				}
			}
		})
		t.Run("should print "+name+" on A4 pages", func(t *testing.T) {
			pdf := filepath.Join(t.TempDir(), name+".pdf")
			chromium(t, page, "--no-pdf-header-footer", "--print-to-pdf="+pdf)
			b, err := os.ReadFile(pdf)
			if err != nil {
				t.Fatal(err)
			}
			boxes := regexp.MustCompile(`/MediaBox \[[^\]]*\]`).FindAll(b, -1)
			if len(boxes) == 0 {
				t.Fatal("no page in the PDF")
			}
			for _, box := range boxes {
				if !a4Page.Match(box) {
					t.Errorf("page %s is not A4", box)
				}
			}
		})
	}
	if f := flag.Lookup("update"); f == nil || f.Value.String() != "true" {
		return
	}
	for name, page := range demoReports(t, screenshotVersion) {
		out, err := filepath.Abs(filepath.Join("..", "..", "docs", "img", name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			t.Fatal(err)
		}
		chromium(t, page, "--window-size=1280,1800", "--screenshot="+out)
		if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
			t.Fatalf("no screenshot %s: %v", out, err)
		}
	}
}
