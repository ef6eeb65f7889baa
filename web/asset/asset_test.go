package asset_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"renke/web/asset"
)

func TestURLs(t *testing.T) {
	fsys := fstest.MapFS{"a.css": {Data: []byte("body{}")}, "b.js": {Data: []byte("1")}}
	url := asset.URLs(fsys, "/static/")
	a, err := url("a.css")
	if err != nil || !strings.HasPrefix(a, "/static/a.css?v=") || len(a) != len("/static/a.css?v=")+10 {
		t.Fatalf("a.css: %q, %v", a, err)
	}
	b, _ := url("b.js")
	if strings.TrimPrefix(a, "/static/a.css") == strings.TrimPrefix(b, "/static/b.js") {
		t.Errorf("different contents share a version: %q %q", a, b)
	}
	// The same content gives the same version wherever it is served.
	again, _ := asset.URLs(fstest.MapFS{"a.css": {Data: []byte("body{}")}}, "/x/")("a.css")
	if strings.TrimPrefix(again, "/x/a.css") != strings.TrimPrefix(a, "/static/a.css") {
		t.Errorf("same content, different versions: %q %q", again, a)
	}
	if _, err := url("missing.css"); err == nil {
		t.Error("a missing file has a URL")
	}
}
