package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"

	"renke/web"
	"renke/web/console"
)

// compressedTypes are the text responses worth compressing on a phone's network.
var compressedTypes = []string{"text/html", "text/css", "text/javascript", "application/javascript",
	"application/json", "image/svg+xml", "text/plain"}

// compressible tells the paths whose responses are compressed: the
// respondent's pages and JSON, and both sets of static assets. Console pages
// and console JSON are left alone: they carry the session's CSRF token next to
// text a visitor can choose, the ground of a BREACH-style guess.
func compressible(path string) bool {
	return strings.HasPrefix(path, "/s/") || strings.HasPrefix(path, web.StaticPrefix) ||
		strings.HasPrefix(path, console.StaticPrefix) || strings.HasPrefix(path, "/api/v1/codes/")
}

// withCompression wraps h so that compressible responses are sent gzip-encoded
// (zstd too, to clients that ask for it) when the client accepts it.
func withCompression(h http.Handler) (http.Handler, error) {
	wrap, err := gzhttp.NewWrapper(gzhttp.ContentTypes(compressedTypes), gzhttp.MinSize(512))
	if err != nil {
		return nil, fmt.Errorf("compression: %w", err)
	}
	gz := wrap(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if compressible(r.URL.Path) {
			gz.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(w, r)
	}), nil
}
