package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/golden"
	"github.com/pomlint/pomlint/internal/model"
)

// fixture is testdata/result.json: a model.Result plus the fields the
// Result's JSON form leaves out (items, roster, rules, config).
type fixture struct {
	Tool             model.Tool              `json:"tool"`
	Config           model.ConfigOrigin      `json:"config"`
	Sources          []model.SourceStatus    `json:"sources"`
	Roster           *model.Roster           `json:"roster"`
	Items            []model.Item            `json:"items"`
	Findings         []model.Finding         `json:"findings"`
	Rules            []model.RuleDoc         `json:"rules"`
	UnusedExceptions []model.UnusedException `json:"unused_exceptions"`
	StaleBaseline    []model.BaselineEntry   `json:"stale_baseline"`
}

// loadResult reads a hand-built result from testdata; fingerprints left
// empty are computed as the engine would.
func loadResult(t testing.TB, name string) *model.Result {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	var fx fixture
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fx); err != nil {
		t.Fatalf("decode fixture %s: %v", name, err)
	}
	for i := range fx.Findings {
		f := &fx.Findings[i]
		if f.Fingerprint == "" {
			f.Fingerprint = model.Fingerprint(f.Rule, f.Source, f.Item)
		}
	}
	r := &model.Result{
		Tool: fx.Tool, Sources: fx.Sources, Items: fx.Items, Findings: fx.Findings, Rules: fx.Rules,
		UnusedExceptions: fx.UnusedExceptions, StaleBaseline: fx.StaleBaseline, Config: fx.Config,
	}
	if fx.Roster != nil {
		r.Roster = model.NewRoster(fx.Roster.People, fx.Roster.Teams)
	}
	return r
}

// full is the realistic fixture.
func full(t testing.TB) *model.Result { return loadResult(t, "result.json") }

// incomplete is the fixture with the jira source cut short.
func incomplete(t testing.TB) *model.Result {
	r := loadResult(t, "result.json")
	r.Sources[1].Complete = false
	r.Sources[1].Error = "search jira \"project in (PAY, CHK)\": GET https://acme.atlassian.net/rest/api/3/search/jql: 429 Too Many Requests, rate limit still exhausted after 5 retries"
	return r
}

// empty is a clean run: one complete source, no items, no findings.
func empty(testing.TB) *model.Result {
	return &model.Result{
		Tool:    model.Tool{Name: "pomlint", Version: "0.3.0"},
		Sources: []model.SourceStatus{{Name: "gh", Kind: "github", Complete: true}},
	}
}

// fixtures are the results every format's golden test renders.
var fixtures = []struct {
	name   string
	result func(testing.TB) *model.Result
}{
	{"should render the realistic result", full},
	{"should say an incomplete run is incomplete", incomplete},
	{"should render an empty result", empty},
}

// assertGolden compares got with testdata/golden/name, rewriting it under
// -update.
func assertGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Assert(t, filepath.Join("testdata", "golden", name), got)
}

// goldenName turns a test name into a file name: "should x y" → "x-y.ext".
func goldenName(name, ext string) string {
	name = strings.TrimPrefix(name, "should ")
	var b strings.Builder
	for _, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			b.WriteRune(c + 'a' - 'A')
		default:
			if s := b.String(); s != "" && s[len(s)-1] != '-' {
				b.WriteByte('-')
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-") + "." + ext
}
