package cli

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// hostile is text an attacker puts in an issue title, a login or a server
// answer: it clears the screen, starts a workflow command on a new line,
// raises a legacy one mid-line, and hides with C1 and bidi controls.
const hostile = "Fix\x1b[2J\x1b[H\r\n::add-mask::secret\n  ::error::fake ##[error]boom \u009b31m \u202eexe.txt"

// assertSafe fails when out holds a raw control character (other than LF
// and tab), a line that is a workflow command pomlint did not write, or a
// legacy command marker.
func assertSafe(t *testing.T, what, out string) {
	t.Helper()
	for _, c := range out {
		if (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == 0x202e {
			t.Fatalf("%s: raw %U in output:\n%s", what, c, out)
		}
	}
	if strings.Contains(out, "##[") {
		t.Fatalf("%s: a legacy workflow command survived:\n%s", what, out)
	}
	for _, line := range strings.Split(out, "\n") {
		l := strings.TrimLeftFunc(line, unicode.IsSpace)
		if !strings.HasPrefix(l, "::") {
			continue
		}
		ours := false
		for _, p := range []string{"::error title=", "::warning title=", "::notice title="} {
			ours = ours || strings.HasPrefix(l, p)
		}
		if !ours {
			t.Fatalf("%s: a workflow command pomlint did not write:\n%s", what, line)
		}
	}
}

func TestHostileTrackerText(t *testing.T) {
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, "configs", "demo", "backlog.json"))
	if err != nil {
		t.Fatal(err)
	}
	var snap map[string]any
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	for _, it := range snap["items"].([]any) {
		m := it.(map[string]any)
		m["title"] = hostile
		if as, ok := m["assignees"].([]any); ok && len(as) > 0 {
			as[0].(map[string]any)["login"] = "mallory" + hostile
		}
	}
	dir := t.TempDir()
	b, _ := json.Marshal(snap)
	write(t, dir, "backlog.json", string(b))
	cfg, _ := os.ReadFile(filepath.Join(root, "configs", "demo.yaml"))
	c := strings.ReplaceAll(string(cfg), "demo/backlog.json", "backlog.json")
	c = strings.Replace(c, "paths: [rules]", "paths: ['"+filepath.Join(root, "configs", "rules")+"']", 1)
	write(t, dir, "p.yaml", c)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"should print the text report safely", []string{"--format", "text", "--no-color"}},
		{"should print GitHub annotations safely", []string{"--format", "github"}},
		{"should print a JSON report safely", []string{"--format", "json"}},
		{"should print SARIF safely", []string{"--format", "sarif"}},
		{"should print Markdown safely", []string{"--format", "markdown"}},
		{"should print CSV safely", []string{"--format", "csv"}},
		{"should print JUnit XML safely", []string{"--format", "junit"}},
		{"should print HTML safely", []string{"--format", "html"}},
		{"should log safely on the console", []string{"--format", "json=r.json", "--log-level", "debug"}},
		{"should log safely as JSON", []string{"--format", "json=r.json", "--log-level", "debug", "--log-format", "json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"lint", "-c", "p.yaml", "--fail-on", "never"}, tc.args...)
			r := runCLI(t, dir, nil, args...)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.err)
			}
			out := r.out
			if tc.args[1] == "csv" {
				out = assertSafeCSV(t, out)
			}
			assertSafe(t, "stdout", out)
			assertSafe(t, "stderr", r.err)
			if !strings.Contains(r.out+r.err, `\x1b[2J`) && !strings.Contains(r.out+r.err, `\u001b[2J`) {
				t.Fatalf("the title is not shown with visible escapes:\n%s%s", r.out, r.err)
			}
		})
	}
}

// assertSafeCSV checks a CSV report: records end in CRLF (RFC 4180);
// inside a field no line break or control character may stay raw. It
// returns out with LF line ends, for assertSafe.
func assertSafeCSV(t *testing.T, out string) string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("read the CSV report: %v\n%s", err, out)
	}
	for _, row := range rows {
		for _, cell := range row {
			if strings.ContainsAny(cell, "\r\n") {
				t.Fatalf("a raw line break in CSV field %q", cell)
			}
			assertSafe(t, "CSV field", cell)
		}
	}
	return strings.ReplaceAll(out, "\r\n", "\n")
}

func TestHostileAuditText(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "audit", "q3.json"))
	if err != nil {
		t.Fatal(err)
	}
	var snap map[string]any
	if err := json.Unmarshal(data, &snap); err != nil {
		t.Fatal(err)
	}
	for _, it := range snap["items"].([]any) {
		m := it.(map[string]any)
		m["title"] = hostile
		if as, ok := m["assignees"].([]any); ok && len(as) > 0 {
			as[0].(map[string]any)["login"] = "mallory" + hostile
		}
	}
	dir := t.TempDir()
	b, _ := json.Marshal(snap)
	write(t, dir, "q3.json", string(b))
	cfg, err := os.ReadFile(filepath.Join("testdata", "audit", "pomlint.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, "pomlint.yaml", string(cfg))
	for _, format := range []string{"markdown", "csv", "json", "html"} {
		t.Run("should print the "+format+" audit safely", func(t *testing.T) {
			r := runCLI(t, dir, nil, "audit", "--from", "2026-07-01", "--to", "2026-09-30", "--format", format)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.err)
			}
			out := r.out
			if format == "csv" {
				out = assertSafeCSV(t, out)
			}
			assertSafe(t, "stdout", out)
			assertSafe(t, "stderr", r.err)
			visible := false
			for _, esc := range []string{`\x1b[2J`, `\u001b[2J`, `\\x1b\[2J` /* Markdown-escaped */} {
				visible = visible || strings.Contains(out, esc)
			}
			if !visible {
				t.Fatalf("the title is not shown with visible escapes:\n%s", out)
			}
		})
	}
}

// hostileServer answers every request with an error whose body is hostile.
type hostileServer struct{}

func (hostileServer) RoundTrip(r *http.Request) (*http.Response, error) {
	body, _ := json.Marshal(map[string]string{"message": hostile})
	return &http.Response{StatusCode: 400, Status: "400 Bad Request", Request: r,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(string(body)))}, nil
}

func TestHostileServerText(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "pomlint.yaml", liveConfig)
	for _, format := range []string{"console", "json"} {
		t.Run("should print a server's error text safely with "+format+" logs", func(t *testing.T) {
			r := runPomlint(t, dir, map[string]string{"GITHUB_TOKEN": "t"}, hostileServer{}, "lint", "--no-cache", "--retries", "0", "--no-color", "--log-format", format)
			if r.code != 3 {
				t.Fatalf("exit %d, want 3\n%s", r.code, r.err)
			}
			assertSafe(t, "stdout", r.out)
			assertSafe(t, "stderr", r.err)
			if !strings.Contains(r.out, "add-mask") {
				t.Fatalf("the server's message is not shown at all:\n%s", r.out)
			}
		})
	}
}
