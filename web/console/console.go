// Package console holds the console's pages: html/template templates, the
// static assets they use (stylesheet, a small script and a vendored htmx) and
// the OpenAPI document of the JSON API, all embedded in the binary. It renders
// pages from the data the HTTP handlers give it and does nothing else.
//
// Every page is the layout around one page template; execute it with Render
// and a Frame whose Data is the page's own data. Pages carry no inline script
// or style, so they work under a strict Content-Security-Policy.
package console

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"

	"renke/account"
	"renke/report"
	"renke/survey"
	"renke/web/asset"
)

// StaticPrefix is the URL path under which Static() must be served.
const StaticPrefix = "/console/static/"

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static/*
var staticFiles embed.FS

//go:embed openapi.json
var openAPI []byte

// OpenAPI is the OpenAPI 3 document of the JSON API under /api/v1.
func OpenAPI() []byte { return openAPI }

// Static is the static/ subtree: console.css, console.js and htmx.min.js.
func Static() fs.FS {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(fmt.Sprintf("console: embedded static tree: %v", err))
	}
	return sub
}

// AssetURL is the URL of a static file, versioned by its content hash so it
// can be cached for a long time.
func AssetURL(name string) (string, error) { return assetURL(name) }

var assetURL = asset.URLs(Static(), StaticPrefix)

// Crumb is one step of the breadcrumb trail.
type Crumb struct {
	Label string
	URL   string // empty for the current page
}

// Frame is what the layout needs around every page.
type Frame struct {
	Title  string
	User   *account.User // nil on the login page
	CSRF   string        // the session's CSRF token, for forms and htmx
	Nav    string        // the active navigation item: counties, users, audit, account
	Crumbs []Crumb
	Flash  string // a success message
	Error  string // an error message
	Data   any    // the page's own data
}

// Pages are the parsed page templates.
type Pages struct {
	byName map[string]*template.Template
}

var funcs = template.FuncMap{
	"asset":       AssetURL,
	"when":        When,
	"whenExact":   WhenExact,
	"inputTime":   InputTime,
	"percent":     Percent,
	"num":         Number,
	"levelLegend": survey.LevelLegend,
	"score":       func(p *float64) string { return survey.FormatScore(*p) },
	"rate":        Rate,
	"passProb":    func(p *float64) string { return report.FormatPassProbability(*p) },
	"groupLabel":  func(g survey.Group) string { return g.Label() },
	"can":         func(u *account.User, p string) bool { return u != nil && u.Can(account.Permission(p)) },
	"contains":    func(list []string, s string) bool { return contains(list, s) },
	"pathEscape":  PathEscape,
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Load parses every page template around the layout.
func Load() (*Pages, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("console: parse layout: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("console: list templates: %w", err)
	}
	p := &Pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		name := path.Base(n)
		if strings.HasPrefix(name, "_") {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("console: clone layout: %w", err)
		}
		if _, err := t.ParseFS(templateFiles, n); err != nil {
			return nil, fmt.Errorf("console: parse %s: %w", name, err)
		}
		p.byName[strings.TrimSuffix(name, ".html")] = t
	}
	return p, nil
}

// Render writes page name (its file name without .html) inside the layout.
func (p *Pages) Render(w io.Writer, name string, f Frame) error {
	t, ok := p.byName[name]
	if !ok {
		return fmt.Errorf("console: no page %q", name)
	}
	if err := t.ExecuteTemplate(w, "layout", f); err != nil {
		return fmt.Errorf("console: render %s: %w", name, err)
	}
	return nil
}

// Fragment writes one named template of page name without the layout (the
// part an htmx request replaces).
func (p *Pages) Fragment(w io.Writer, name, fragment string, f Frame) error {
	t, ok := p.byName[name]
	if !ok {
		return fmt.Errorf("console: no page %q", name)
	}
	if err := t.ExecuteTemplate(w, fragment, f); err != nil {
		return fmt.Errorf("console: render %s/%s: %w", name, fragment, err)
	}
	return nil
}
