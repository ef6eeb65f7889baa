// Package web holds the respondent pages: html/template templates and the
// static assets they use, embedded in the binary. It renders nothing itself;
// the HTTP handlers fill the page types of pages.go and execute a template.
//
// Templates (execute by name):
//
//	form.html     FormPage     GET /s/<code>, and a refused no-JavaScript POST
//	thanks.html   ThanksPage   GET /s/<code>/thanks
//	message.html  MessagePage  any page that only explains (bad code, closed, quota full)
//
// Static files are served from Static() under StaticPrefix. Templates link
// them with a content hash in the query (form.css?v=…), so they can be cached
// for a long time (Cache-Control: public, max-age=31536000, immutable).
package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"sync"

	"renke/web/asset"
)

// StaticPrefix is the URL path under which Static() must be served.
const StaticPrefix = "/static/"

// ContentSecurityPolicy suits every page of this package: they load only
// their own stylesheet and script, post only to their own origin, and carry
// no inline script or style. Send it as the Content-Security-Policy header.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static/*
var staticFiles embed.FS

// Static is the static/ subtree: form.css and form.js.
func Static() fs.FS {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(fmt.Sprintf("web: embedded static tree: %v", err))
	}
	return sub
}

// AssetURL is the URL of a static file, versioned by its content hash.
func AssetURL(name string) (string, error) { return assetURL(name) }

var assetURL = asset.URLs(Static(), StaticPrefix)

var parsed = sync.OnceValues(func() (*template.Template, error) {
	t, err := template.New("").Funcs(template.FuncMap{"asset": AssetURL}).ParseFS(templateFiles, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse templates: %w", err)
	}
	return t, nil
})

// Templates returns the respondent page templates, parsed once. Execute them
// by file name: form.html, thanks.html, message.html.
func Templates() (*template.Template, error) { return parsed() }

//go:embed favicon.ico
var favicon []byte

// Favicon is the site's icon (a 32×32 PNG in an ICO file), served at /favicon.ico.
func Favicon() []byte { return favicon }
