package layout

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// imports maps each package directory of the module (relative, slash
// separated) to what its non-test files import.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from %s: %v", root, err)
	}
	out := map[string][]string{}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "data") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		if toolsOnly(f.Comments) {
			return nil // pins tool versions in go.mod; never built
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		dir := filepath.ToSlash(rel)
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if !slices.Contains(out[dir], p) {
				out[dir] = append(out[dir], p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDriversStayInTheirAdapters checks that only store knows MongoDB, only
// kv knows Redis, only the HTTP adapter (api and below) knows Gin, and the
// embedded servers stay in embedded (and the test environment).
func TestDriversStayInTheirAdapters(t *testing.T) {
	rules := []struct {
		prefix  string
		allowed []string
	}{
		{"go.mongodb.org/", []string{"store"}},
		{"github.com/redis/go-redis", []string{"kv"}},
		{"github.com/go-redis/redis_rate", []string{"kv"}},
		{"github.com/FerretDB/", []string{"embedded"}},
		{"github.com/alicebob/miniredis", []string{"embedded", "internal/testenv"}},
		{"github.com/gin-gonic/", []string{"api"}},
	}
	seen := 0
	for dir, ims := range imports(t) {
		for _, im := range ims {
			for _, r := range rules {
				if !strings.HasPrefix(im, r.prefix) {
					continue
				}
				seen++
				if !slices.ContainsFunc(r.allowed, func(a string) bool { return dir == a || strings.HasPrefix(dir, a+"/") }) {
					t.Errorf("%s imports %s: only %v may", dir, im, r.allowed)
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("no driver import found anywhere: the walk read nothing")
	}
}

// TestAudiencesStayApart checks the HTTP adapter's split by audience: each
// audience package uses only the shared helper (and auth's access checks
// and the shared views where the console and the API both need them), and
// only the api package wires them.
func TestAudiencesStayApart(t *testing.T) {
	may := map[string][]string{
		"api/httpx":        nil,
		"api/respondent":   {"api/httpx"},
		"api/auth":         {"api/httpx"},
		"api/views":        {"api/httpx", "api/auth"},
		"api/consolepages": {"api/httpx", "api/auth", "api/views"},
		"api/jsonapi":      {"api/httpx", "api/auth", "api/views"},
	}
	all := imports(t)
	for pkg, allowed := range may {
		if _, ok := all[pkg]; !ok {
			t.Errorf("package %s not found", pkg)
		}
		for _, im := range all[pkg] {
			rel, ok := strings.CutPrefix(im, "renke/")
			if ok && strings.HasPrefix(rel, "api") && !slices.Contains(allowed, rel) {
				t.Errorf("%s imports %s: it may use only %v of the HTTP adapter", pkg, rel, allowed)
			}
		}
	}
	for dir, ims := range all {
		if strings.HasPrefix(dir, "api") {
			continue
		}
		for _, im := range ims {
			if strings.HasPrefix(im, "renke/api/") {
				t.Errorf("%s imports %s: outside the HTTP adapter only its wiring (renke/api) is used", dir, im)
			}
		}
	}
}

// toolsOnly says whether a file is built only with the "tools" tag.
func toolsOnly(groups []*ast.CommentGroup) bool {
	for _, g := range groups {
		for _, c := range g.List {
			if strings.TrimSpace(c.Text) == "//go:build tools" {
				return true
			}
		}
	}
	return false
}
