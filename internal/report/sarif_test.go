package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/pomlint/pomlint/internal/model"
)

func TestSARIFGolden(t *testing.T) {
	for _, tc := range fixtures {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := (SARIF{}).Report(&buf, tc.result(t)); err != nil {
				t.Fatal(err)
			}
			assertGolden(t, goldenName(tc.name, "sarif"), buf.Bytes())
			rep, err := sarif.FromBytes(buf.Bytes())
			if err != nil {
				t.Fatalf("parse own output: %v", err)
			}
			if err := rep.Validate(); err != nil {
				t.Errorf("schema: %v", err)
			}
		})
	}
}

// sarifDoc is the part of a SARIF log the assertions look at.
type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name, Version, InformationURI string
				Rules                         []struct {
					ID   string
					Help struct{ Markdown string }
				}
			}
		}
		Invocations []struct {
			ExecutionSuccessful        bool
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			}
		}
		Results []struct {
			RuleID              string
			RuleIndex           int
			PartialFingerprints map[string]string
			Locations           []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI, URIBaseID string }
					Region           struct{ StartLine int }
				}
				LogicalLocations []struct{ Name, FullyQualifiedName string }
			}
			Suppressions []struct{ Kind, Justification string }
		}
	}
}

func parseSARIF(t *testing.T, r *model.Result) sarifDoc {
	t.Helper()
	var buf bytes.Buffer
	if err := (SARIF{}).Report(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc sarifDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("want 1 run, got %d", len(doc.Runs))
	}
	return doc
}

func TestSARIFContents(t *testing.T) {
	t.Run("should describe every rule and point every result at a config line", func(t *testing.T) {
		r := full(t)
		run := parseSARIF(t, r).Runs[0]
		d := run.Tool.Driver
		if d.Name != "pomlint" || d.Version != "0.3.0" || d.InformationURI != InformationURI {
			t.Errorf("driver = %+v", d)
		}
		if len(d.Rules) != len(r.Rules) || !strings.Contains(d.Rules[0].Help.Markdown, "### Why") {
			t.Errorf("rules = %+v", d.Rules)
		}
		if len(run.Results) != len(r.Findings) {
			t.Fatalf("results = %d, findings = %d", len(run.Results), len(r.Findings))
		}
		wantLine := map[string]int{"payments": 52, "checkout": 58, "": 11} // OPS-1 has no team: its source line
		for i, res := range run.Results {
			f := r.Findings[i]
			if d.Rules[res.RuleIndex].ID != res.RuleID || res.RuleID != f.Rule {
				t.Errorf("result %d: ruleId %s, ruleIndex %d", i, res.RuleID, res.RuleIndex)
			}
			if res.PartialFingerprints[SARIFFingerprintKey] != f.Fingerprint {
				t.Errorf("result %d: fingerprints %v", i, res.PartialFingerprints)
			}
			loc := res.Locations[0]
			if loc.PhysicalLocation.ArtifactLocation.URI != "configs/pomlint.yaml" || loc.PhysicalLocation.ArtifactLocation.URIBaseID != "%SRCROOT%" {
				t.Errorf("result %d: artifact %+v", i, loc.PhysicalLocation.ArtifactLocation)
			}
			if got := loc.PhysicalLocation.Region.StartLine; got != wantLine[f.Team] {
				t.Errorf("result %d (team %q): line %d, want %d", i, f.Team, got, wantLine[f.Team])
			}
			if loc.LogicalLocations[0].FullyQualifiedName != f.Source+"/"+f.Item {
				t.Errorf("result %d: logical %+v", i, loc.LogicalLocations)
			}
			if (f.Suppressed != "") != (len(res.Suppressions) == 1 && res.Suppressions[0].Kind == "external") {
				t.Errorf("result %d: suppressed %q, suppressions %+v", i, f.Suppressed, res.Suppressions)
			}
		}
		if !run.Invocations[0].ExecutionSuccessful {
			t.Error("complete run marked unsuccessful")
		}
	})
	t.Run("should fall back to line 1 of the default config without a config file", func(t *testing.T) {
		r := full(t)
		r.Config = model.ConfigOrigin{}
		for _, res := range parseSARIF(t, r).Runs[0].Results {
			pl := res.Locations[0].PhysicalLocation
			if pl.ArtifactLocation.URI != DefaultConfigURI || pl.Region.StartLine != 1 {
				t.Errorf("location = %+v", pl)
			}
		}
	})
	t.Run("should name the failed source and its error when incomplete", func(t *testing.T) {
		inv := parseSARIF(t, incomplete(t)).Runs[0].Invocations[0]
		if inv.ExecutionSuccessful {
			t.Error("incomplete run marked successful")
		}
		if len(inv.ToolExecutionNotifications) != 1 || inv.ToolExecutionNotifications[0].Level != "error" ||
			!strings.Contains(inv.ToolExecutionNotifications[0].Message.Text, "INCOMPLETE run: source jira (jira)") ||
			!strings.Contains(inv.ToolExecutionNotifications[0].Message.Text, "429 Too Many Requests") {
			t.Errorf("notifications = %+v", inv.ToolExecutionNotifications)
		}
	})
	t.Run("should give the same bytes for the same result", func(t *testing.T) {
		var a, b bytes.Buffer
		if err := (SARIF{}).Report(&a, full(t)); err != nil {
			t.Fatal(err)
		}
		if err := (SARIF{}).Report(&b, full(t)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Error("output differs between runs")
		}
	})
}
