package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pomlint/pomlint/internal/markdown"
	"github.com/pomlint/pomlint/internal/model"
)

// JUnit writes JUnit XML for CI test viewers: one <testsuite> per source, one
// <testcase> per item (classname = source, name = item key and title), one
// <failure> per counted finding (type = rule ID). Baselined findings do not
// fail the test case; they are listed in its <system-out>. A source that could
// not be read completely gets an extra test case with an <error>.
//
// Line breaks in tracker text become spaces and other control characters
// visible escapes (\x1b, \u009b), never raw: the XML holds no character
// XML 1.0 forbids, and none is hidden as U+FFFD.
type JUnit struct {
	// Now stamps each suite's timestamp; nil writes none.
	Now func() time.Time
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Classname string         `xml:"classname,attr"`
	Name      string         `xml:"name,attr"`
	Time      string         `xml:"time,attr"`
	Failures  []junitProblem `xml:"failure"`
	Error     *junitProblem  `xml:"error"`
	SystemOut string         `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// Report writes the JUnit XML report.
func (j *JUnit) Report(w io.Writer, r *model.Result) error {
	// encoding/xml writes U+FFFD for the controls XML 1.0 forbids, hiding
	// them, and C1 controls raw: show them all as escapes instead.
	r = visibleCopy(r)
	out := junitSuites{Name: "pomlint"}
	stamp := ""
	if j.Now != nil {
		stamp = j.Now().UTC().Format("2006-01-02T15:04:05")
	}
	// Sources in result order; items in Items order, then any item only a
	// finding names.
	bySource := map[string]int{}
	addSuite := func(name, kind string) *junitSuite {
		if i, ok := bySource[name]; ok {
			return &out.Suites[i]
		}
		bySource[name] = len(out.Suites)
		s := junitSuite{Name: name, Time: "0", Timestamp: stamp}
		if kind != "" {
			s.Properties = []junitProperty{{Name: "kind", Value: kind}}
		}
		out.Suites = append(out.Suites, s)
		return &out.Suites[len(out.Suites)-1]
	}
	for _, src := range r.Sources {
		s := addSuite(src.Name, src.Kind)
		s.Properties = append(s.Properties, junitProperty{Name: "complete", Value: fmt.Sprint(src.Complete)})
		if !src.Complete {
			s.Cases = append(s.Cases, junitCase{
				Classname: src.Name, Name: "source read completely", Time: "0",
				Error: &junitProblem{
					Message: "INCOMPLETE: source could not be read completely: " + markdown.OrUnknown(src.Error),
					Type:    "incomplete",
					Text:    fmt.Sprintf("Source %s (%s) could not be read completely: %s\nResults are partial; the run fails with exit code 3.", src.Name, src.Kind, markdown.OrUnknown(src.Error)),
				},
			})
		}
	}
	caseIdx := map[string]int{} // source + "\x00" + key → index in its suite
	addCase := func(source, key, title string) *junitCase {
		s := addSuite(source, "")
		k := source + "\x00" + key
		if i, ok := caseIdx[k]; ok {
			return &s.Cases[i]
		}
		name := key
		if t := strings.TrimSpace(title); t != "" {
			name += " " + t
		}
		caseIdx[k] = len(s.Cases)
		s.Cases = append(s.Cases, junitCase{Classname: source, Name: name, Time: "0"})
		return &s.Cases[len(s.Cases)-1]
	}
	for i := range r.Items {
		it := &r.Items[i]
		addCase(it.Source, it.Key, it.Title)
	}
	for _, f := range r.Findings {
		c := addCase(f.Source, f.Item, f.Title)
		detail := fmt.Sprintf("%s %s (%s): %s", f.Rule, f.Name, f.Severity, f.Message)
		if f.URL != "" {
			detail += "\nItem: " + f.URL
		}
		if f.SuggestedOwner != "" {
			detail += "\nSuggested owner: " + f.SuggestedOwner
		}
		detail += "\nFingerprint: " + f.Fingerprint
		if f.Suppressed != "" {
			c.SystemOut += fmt.Sprintf("accepted by the %s: %s\n", f.Suppressed, detail)
			continue
		}
		c.Failures = append(c.Failures, junitProblem{Message: f.Message, Type: f.Rule, Text: detail})
	}
	for i := range out.Suites {
		s := &out.Suites[i]
		s.Tests = len(s.Cases)
		for _, c := range s.Cases {
			if len(c.Failures) > 0 {
				s.Failures++
			}
			if c.Error != nil {
				s.Errors++
			}
		}
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	return nil
}
