package api_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"renke/survey"
)

// get serves one request with the given headers and cookies.
func (f *fixture) get(method, target string, header map[string]string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(w, req)
	return w
}

// TestFormJSONSaysTheCodeState: GET /api/v1/codes/<code>/form answers a code
// that cannot be answered with its state instead of the questions.
func TestFormJSONSaysTheCodeState(t *testing.T) {
	f := newFixture(t)
	once := f.issue(survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Teacher, School: school, Count: 1})[0]
	full := f.issue(survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Parent, School: school, Band: survey.BandUpper, Quota: 1})[0]
	opens := time.Now().Add(30 * time.Hour)
	notOpen := f.otherSurvey(survey.Open, opens, opens.Add(24*time.Hour))
	ended := f.otherSurvey(survey.Closed, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))

	state := func(code string, cookies ...*http.Cookie) (int, map[string]any) {
		w := f.get(http.MethodGet, "/api/v1/codes/"+code+"/form", nil, cookies...)
		var out map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("form of %s: %v in %s", code, err, w.Body)
		}
		return w.Code, out
	}
	for _, c := range []string{once.Code, full.Code} {
		if status, out := state(c); status != http.StatusOK || out["items"] == nil {
			t.Fatalf("a free code: %d %v", status, out)
		}
	}
	if status, out := state(notOpen.Code); status != http.StatusGone || out["state"] != "not_open" || out["opens"] == nil || out["items"] != nil {
		t.Errorf("not yet open: %d %v", status, out)
	}
	if status, out := state(ended.Code); status != http.StatusGone || out["state"] != "ended" {
		t.Errorf("ended: %d %v", status, out)
	}
	if code, out, _ := f.post(once.Code, body(f.answers(survey.Teacher, "1"), ""), "10.0.0.1"); code != http.StatusCreated {
		t.Fatalf("use the one-time code: %d %v", code, out)
	}
	if status, out := state(once.Code); status != http.StatusConflict || out["state"] != "used" || !strings.Contains(out["error"].(string), "索取新的二维码") {
		t.Errorf("used: %d %v", status, out)
	}
	code, out, cookies := f.post(full.Code, body(f.answers(survey.Parent, "1"), ""), "10.0.0.2")
	if code != http.StatusCreated {
		t.Fatalf("fill the quota: %d %v", code, out)
	}
	if status, out := state(full.Code); status != http.StatusConflict || out["state"] != "full" {
		t.Errorf("full, another phone: %d %v", status, out)
	}
	if status, out := state(full.Code, cookies...); status != http.StatusConflict || out["state"] != "answered" {
		t.Errorf("full, the phone that answered: %d %v", status, out)
	}
	if status, _ := state("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"); status != http.StatusNotFound {
		t.Errorf("unknown code: %d", status)
	}
}

// TestRespondentTransport: HEAD of a form page, the favicon, and compressed
// text for clients that accept it (and not for those that do not).
func TestRespondentTransport(t *testing.T) {
	f := newFixture(t)
	code := f.issue(survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Parent, School: school, Count: 1})[0].Code
	if w := f.get(http.MethodHead, "/s/"+code, nil); w.Code != http.StatusOK {
		t.Errorf("HEAD /s/<code>: %d", w.Code)
	}
	w := f.get(http.MethodGet, "/favicon.ico", nil)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/x-icon" || w.Body.Len() < 22 || w.Body.Len() > 4096 ||
		!strings.HasPrefix(w.Body.String(), "\x00\x00\x01\x00") {
		t.Errorf("favicon: %d %q, %d bytes", w.Code, w.Header().Get("Content-Type"), w.Body.Len())
	}
	plain := f.get(http.MethodGet, "/s/"+code, nil)
	if plain.Header().Get("Content-Encoding") != "" || !strings.Contains(plain.Body.String(), "<form") {
		t.Fatalf("a client without Accept-Encoding got %q", plain.Header().Get("Content-Encoding"))
	}
	gz := map[string]string{"Accept-Encoding": "gzip"}
	targets := []string{"/s/" + code, "/api/v1/codes/" + code + "/form"}
	for _, l := range strings.Split(plain.Body.String(), `"`) {
		if strings.HasPrefix(l, "/static/") {
			targets = append(targets, l)
		}
	}
	if len(targets) < 4 {
		t.Fatalf("the form page links %d assets, want its CSS and JS", len(targets)-2)
	}
	for _, target := range targets {
		w := f.get(http.MethodGet, target, gz)
		if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: %d, encoding %q", target, w.Code, w.Header().Get("Content-Encoding"))
			continue
		}
		sent := w.Body.Len()
		r, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Errorf("%s: %v", target, err)
			continue
		}
		text, err := io.ReadAll(r)
		if err != nil || len(text) <= sent {
			t.Errorf("%s: %d bytes sent for %d (%v)", target, sent, len(text), err)
		}
	}
	// Console pages carry CSRF tokens: not compressed.
	if w := f.get(http.MethodGet, "/login", gz); w.Code != http.StatusOK || w.Body.Len() < 512 || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("console login page compressed (%q)", w.Header().Get("Content-Encoding"))
	}
}
