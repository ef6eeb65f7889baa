package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var ginParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// TestConsoleOpenAPIMatchesRoutes keeps openapi.json in sync with the router:
// every /api/v1 route is documented and every documented operation exists.
func TestConsoleOpenAPIMatchesRoutes(t *testing.T) {
	f := newConsoleFixture(t)
	res, body := f.client().get("/api/v1/openapi.json")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q, want 3.x", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
			var op struct {
				Responses map[string]json.RawMessage `json:"responses"`
				Summary   string                     `json:"summary"`
			}
			if err := json.Unmarshal(raw, &op); err != nil || len(op.Responses) == 0 || op.Summary == "" {
				t.Errorf("%s %s: an operation needs a summary and responses", method, path)
			}
		}
	}
	routed := map[string]bool{}
	for _, r := range f.srv.Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") {
			routed[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")] = true
		}
	}
	var missing, stale []string
	for k := range routed {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !routed[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	if len(missing) > 0 {
		t.Errorf("routes missing from openapi.json: %v", missing)
	}
	if len(stale) > 0 {
		t.Errorf("openapi.json documents routes that do not exist: %v", stale)
	}
	for _, must := range []string{"GET /api/v1/codes/{code}/form", "POST /api/v1/codes/{code}/responses"} {
		if !documented[must] {
			t.Errorf("%s must be documented", must)
		}
	}
}
