package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/pomlint/pomlint/internal/markdown"
	"github.com/pomlint/pomlint/internal/model"
)

// InformationURI is the tool's home page, written into SARIF.
const InformationURI = "https://github.com/pomlint/pomlint"

// SARIFFingerprintKey names pomlint's fingerprint in SARIF
// partialFingerprints; GitHub code scanning uses it to track a finding
// across runs.
const SARIFFingerprintKey = "pomlintFingerprint/v1"

// DefaultConfigURI is the location SARIF results point at when the run had no
// config file (GitHub code scanning rejects results without a location).
const DefaultConfigURI = ".pomlint.yaml"

// SARIF writes SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
//
// pomlint findings are about tracker items, not files, so each result points
// at the configuration line that decides it: the finding's team entry, else
// its source entry, else line 1 of the config file. The path is relative to
// the repository root (uriBaseId %SRCROOT%), so run pomlint from the root with
// a relative --config. The item itself is the result's logical location
// (kind "resource", fully qualified as SOURCE/KEY), its URL is in the message
// and in the result's properties.
type SARIF struct{}

// Report writes r as indented SARIF 2.1.0.
func (SARIF) Report(w io.Writer, r *model.Result) error {
	rep := buildSARIF(r)
	var raw bytes.Buffer
	if err := rep.Write(&raw); err != nil {
		return fmt.Errorf("encode sarif report: %w", err)
	}
	out, err := compactSARIF(raw.Bytes())
	if err != nil {
		return fmt.Errorf("encode sarif report: %w", err)
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	return nil
}

// sentinelKeys are SARIF properties whose schema default is -1 ("unset").
// go-sarif writes them even when unset (its int fields are not omitempty),
// which the multitool flags (SARIF2004), so compactSARIF drops them.
var sentinelKeys = map[string]bool{
	"index": true, "parentIndex": true, "rank": true, "byteOffset": true, "charOffset": true,
	"length": true, "id": true, "absoluteAddress": true, "executionOrder": true, "itemCount": true,
	"invocationIndex": true, "resultGraphIndex": true, "runGraphIndex": true,
}

// keepEmpty are arrays GitHub wants present even when empty.
var keepEmpty = map[string]bool{"results": true, "runs": true, "rules": true}

// compactSARIF re-encodes go-sarif's output without unset -1 sentinels and
// empty arrays, indented, with object keys in sorted order so the same result
// gives the same bytes.
func compactSARIF(b []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	var prune func(v any) any
	prune = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if n, ok := e.(json.Number); ok && n == "-1" && sentinelKeys[k] {
					delete(x, k)
					continue
				}
				if a, ok := e.([]any); ok && len(a) == 0 && !keepEmpty[k] {
					delete(x, k)
					continue
				}
				x[k] = prune(e)
			}
		case []any:
			for i := range x {
				x[i] = prune(x[i])
			}
		}
		return v
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(prune(doc)); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func sarifLevel(s model.Severity) string {
	switch s {
	case model.SeverityError:
		return sarif.LevelError
	case model.SeverityWarning:
		return sarif.LevelWarning
	case model.SeverityNote:
		return sarif.LevelNote
	}
	return sarif.LevelNone
}

// configURI turns the config path as the user gave it into a URI relative to
// the repository root.
func configURI(file string) string {
	if file == "" {
		return DefaultConfigURI
	}
	p := filepath.ToSlash(file)
	if filepath.IsAbs(file) {
		// GitHub cannot map an absolute runner path onto the repository;
		// keep it as a file URI so other viewers still find the file.
		return "file://" + p
	}
	p = path.Clean(p)
	return strings.TrimPrefix(p, "./")
}

// configLine is the line a finding maps to: its team entry, else its source
// entry, else 1.
func configLine(c model.ConfigOrigin, f *model.Finding) int {
	if f.Team != "" {
		if n := c.Line("team:" + f.Team); n > 0 {
			return n
		}
	}
	if n := c.Line("source:" + f.Source); n > 0 {
		return n
	}
	return 1
}

func buildSARIF(r *model.Result) *sarif.Report {
	rep := sarif.NewReport()
	name := r.Tool.Name
	if name == "" {
		name = "pomlint"
	}
	run := sarif.NewRunWithInformationURI(name, InformationURI)
	if r.Tool.Version != "" {
		run.Tool.Driver.WithVersion(r.Tool.Version)
	}
	uri := configURI(r.Config.File)
	relative := !strings.HasPrefix(uri, "file://")

	for _, d := range r.Rules {
		addSARIFRule(run, d)
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		if run.GetRuleIndex(f.Rule) < 0 {
			// A rule without docs in r.Rules still needs a descriptor.
			addSARIFRule(run, model.RuleDoc{ID: f.Rule, Name: f.Name, Title: f.Name, Severity: f.Severity})
		}
	}

	for i := range r.Findings {
		f := &r.Findings[i]
		msg := fmt.Sprintf("%s: %s", f.Item, f.Message)
		if f.URL != "" {
			msg = fmt.Sprintf("%s: %s (%s)", f.Item, f.Message, f.URL)
		}
		loc := sarif.NewArtifactLocation().WithURI(uri)
		if relative {
			loc.WithURIBaseID("%SRCROOT%")
		}
		logical := sarif.NewLogicalLocation().
			WithName(f.Item).
			WithFullyQualifiedName(f.Source + "/" + f.Item).
			WithKind("resource")
		props := sarif.NewPropertyBag().
			Add("source", f.Source).
			Add("item", f.Item)
		for k, v := range map[string]string{"url": f.URL, "title": f.Title, "level": string(f.Level), "owner": f.Owner, "team": f.Team, "suggestedOwner": f.SuggestedOwner} {
			if v != "" {
				props.Add(k, v)
			}
		}
		res := run.CreateResultForRule(f.Rule).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(msg)).
			WithPartialFingerprints(map[string]string{SARIFFingerprintKey: f.Fingerprint}).
			WithProperties(props).
			AddLocation(sarif.NewLocation().
				WithPhysicalLocation(sarif.NewPhysicalLocation().
					WithArtifactLocation(loc).
					WithRegion(sarif.NewRegion().WithStartLine(configLine(r.Config, f)))).
				AddLogicalLocation(logical))
		if f.Suppressed != "" {
			res.AddSuppression(sarif.NewSuppression().
				WithKind("external").
				WithStatus("accepted").
				WithJustification(fmt.Sprintf("accepted in the pomlint %s file (fingerprint %s)", f.Suppressed, f.Fingerprint)))
		}
	}

	inv := sarif.NewInvocation().WithExecutionSuccessful(r.Complete())
	for _, src := range r.Sources {
		if src.Complete {
			continue
		}
		inv.AddToolExecutionNotification(sarif.NewNotification().
			WithLevel(sarif.LevelError).
			WithMessage(sarif.NewTextMessage(fmt.Sprintf("INCOMPLETE run: source %s (%s) could not be read completely: %s; results are partial",
				src.Name, src.Kind, markdown.OrUnknown(src.Error)))))
	}
	for _, e := range r.StaleBaseline {
		inv.AddToolConfigurationNotification(sarif.NewNotification().
			WithLevel(sarif.LevelNote).
			WithMessage(sarif.NewTextMessage(fmt.Sprintf("baseline entry %s (%s on %s/%s) no longer matches a finding; remove it from the baseline",
				e.Fingerprint, e.Rule, e.Source, e.Item))))
	}
	for _, e := range r.UnusedExceptions {
		inv.AddToolConfigurationNotification(sarif.NewNotification().
			WithLevel(sarif.LevelNote).
			WithMessage(sarif.NewTextMessage(e.Message)))
	}
	run.AddInvocation(inv)
	run.WithProperties(sarif.NewPropertyBag().
		Add("complete", r.Complete()).
		Add("items", r.ItemCount()))
	rep.AddRun(run)
	return rep
}

func addSARIFRule(run *sarif.Run, d model.RuleDoc) {
	rule := run.AddRule(d.ID)
	if d.Name != "" {
		rule.WithName(d.Name)
	}
	short := d.Title
	if short == "" {
		short = d.ID
	}
	rule.WithShortDescription(sarif.NewMultiformatMessageString().WithText(short))
	full := d.Summary
	if full == "" {
		full = short
	}
	rule.WithFullDescription(sarif.NewMultiformatMessageString().WithText(full))
	text, md := ruleHelp(d)
	rule.WithHelp(sarif.NewMultiformatMessageString().WithText(text).WithMarkdown(md))
	rule.WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(d.Severity)))
	props := sarif.NewPropertyBag().AddTag("ownership").AddTag("pomlint")
	if d.Custom {
		props.AddTag("custom")
	}
	// GitHub shows problem.severity (error, warning, recommendation) for
	// non-security results.
	sev := map[model.Severity]string{model.SeverityError: "error", model.SeverityWarning: "warning"}[d.Severity]
	if sev == "" {
		sev = "recommendation"
	}
	props.Add("problem.severity", sev)
	props.Add("precision", "very-high")
	rule.WithProperties(props)
}

// ruleHelp is the rule's help as plain text and Markdown, from its own docs.
func ruleHelp(d model.RuleDoc) (text, md string) {
	var t, m strings.Builder
	title := d.Title
	if title == "" {
		title = d.ID
	}
	fmt.Fprintf(&t, "%s %s: %s\n", d.ID, d.Name, title)
	fmt.Fprintf(&m, "## %s %s\n\n%s\n", d.ID, d.Name, title)
	section := func(name, body string) {
		if body == "" {
			return
		}
		fmt.Fprintf(&t, "\n%s: %s\n", name, body)
		fmt.Fprintf(&m, "\n### %s\n\n%s\n", name, body)
	}
	section("When", d.Summary)
	section("Why", d.Why)
	section("Fix", d.Fix)
	if d.Example != "" {
		fmt.Fprintf(&t, "\nExample: %s\n", d.Example)
		fmt.Fprintf(&m, "\n### Example\n\n```\n%s\n```\n", strings.ReplaceAll(d.Example, "```", "'''"))
	}
	if d.Custom && d.File != "" {
		fmt.Fprintf(&t, "\nDefined in %s.\n", d.File)
		fmt.Fprintf(&m, "\nDefined in `%s`.\n", markdown.CodeSpan(d.File))
	}
	return t.String(), m.String()
}
