package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"renke/internal/testenv"
)

func TestReadyzFollowsRedis(t *testing.T) {
	r := testenv.OwnRedis(t)
	srv := newServer(t, testenv.KVAt(t, r.URL))
	get := func() (int, map[string]string) {
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		var body map[string]string
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatalf("readyz body %q: %v", w.Body.String(), err)
		}
		return w.Code, body
	}
	if code, body := get(); code != http.StatusOK || body["mongo"] != "ok" || body["redis"] != "ok" {
		t.Fatalf("both up: %d %v", code, body)
	}
	r.Stop()
	code, body := get()
	if code != http.StatusServiceUnavailable || body["mongo"] != "ok" || body["redis"] == "ok" {
		t.Fatalf("redis stopped: %d %v", code, body)
	}
	r.Start()
	if code, body := get(); code != http.StatusOK {
		t.Fatalf("redis back: %d %v", code, body)
	}
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if w.Code != 200 || !contains(w.Body.String(), `renke_http_requests_total{method="GET",route="/readyz",status="503"} 1`) {
		t.Fatalf("metrics do not count the readiness checks by route and status:\n%.2000s", w.Body.String())
	}
}
