package report

import (
	_ "embed" // the page assets
	"html/template"
	"strings"
)

// The lint and audit HTML pages share one stylesheet and the templates of
// their <head>; each keeps its own body template (and the lint page its
// filter script) beside its code.
var (
	//go:embed assets/page.css
	pageCSS string
	//go:embed assets/page.html.tmpl
	pageTemplates string
	//go:embed assets/lint.html.tmpl
	lintTemplate string
	// lintScript is the lint page's only script: it shows the filter bar
	// and hides the findings rows a filter excludes, and opens every
	// <details> for printing. Without it the page shows every row and
	// nothing is lost.
	//
	//go:embed assets/lint.js
	lintScript string
)

// PageStyle is the stylesheet of pomlint's HTML pages followed by extra, a
// page's own rules (for instance its :root grid widths). Charts are laid
// out in Go, so the stylesheet only colours and spaces them.
func PageStyle(extra string) template.CSS {
	css := strings.TrimSuffix(pageCSS, "\n")
	if extra != "" {
		css += "\n" + extra
	}
	return template.CSS(css)
}

// ParsePage parses a page's template text, with funcs, beside the shared
// templates: {{template "page-head" .}} opens the document (its data needs
// a Tool field) up to the <title>, which the page writes, and
// {{template "page-style" .Style}} writes the <style> element (PageStyle)
// and closes <head>.
func ParsePage(name string, funcs template.FuncMap, page string) *template.Template {
	t := template.Must(template.New(name).Funcs(funcs).Parse(page))
	return template.Must(t.Parse(pageTemplates))
}
