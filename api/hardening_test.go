package api_test

import (
	"net/http"
	"strings"
	"testing"

	"renke/survey"
)

// TestJSONCharsetRefused: a JSON body declared in another charset than UTF-8
// is refused with 415 and a Chinese message on every JSON endpoint, and
// stores nothing; UTF-8 spelled in any case still passes.
func TestJSONCharsetRefused(t *testing.T) {
	h := newHostileFixture(t)
	body := h.jsonWith(h.answers(survey.Teacher, "1"), nil)
	api := "/api/v1/codes/" + otc + "/responses"
	rows := []hostileReq{
		{name: "submission iso-8859-1", target: api, ctype: "application/json; charset=iso-8859-1", body: body, want: []int{415}, has: []string{"UTF-8"}},
		{name: "submission gbk", target: api, ctype: "application/json;charset=GBK", body: body, want: []int{415}, has: []string{"UTF-8"}},
		{name: "submission utf-16", target: api, ctype: `application/json; charset="utf-16"`, body: body, want: []int{415}},
		{name: "console login latin1", target: "/api/v1/session", ctype: "application/json; charset=latin1", body: []byte(`{"username":"a","password":"b"}`), want: []int{415}, has: []string{"UTF-8"}},
	}
	for _, rq := range rows {
		rq.method = http.MethodPost
		t.Run(rq.name, func(t *testing.T) { h.check(t, rq) })
	}
	before := h.stored()
	w := h.do(hostileReq{method: http.MethodPost, target: api, ctype: "application/json; charset=UTF-8", body: body})
	if w.Code != http.StatusCreated {
		t.Fatalf("UTF-8 declared in capitals: %d %.300s", w.Code, w.Body.String())
	}
	if n := h.stored(); n != before+1 {
		t.Fatalf("a valid UTF-8 submission took the store from %d to %d", before, n)
	}
}

// TestStaticNoListing: neither asset tree lists its files; the files are served.
func TestStaticNoListing(t *testing.T) {
	h := newHostileFixture(t)
	for _, target := range []string{"/static/", "/static", "/static/.", "/static/./", "/console/static/", "/console/static/."} {
		w := h.do(hostileReq{method: http.MethodGet, target: target})
		if w.Code == http.StatusOK || w.Code >= 500 {
			t.Errorf("GET %s: %d %.300s", target, w.Code, w.Body.String())
		}
		for _, leak := range []string{"form.css", "form.js", "console.css", "htmx"} {
			if strings.Contains(w.Body.String(), leak) {
				t.Errorf("GET %s lists %s: %.300s", target, leak, w.Body.String())
			}
		}
	}
	for _, target := range []string{"/static/form.css", "/static/form.js"} {
		if w := h.do(hostileReq{method: http.MethodGet, target: target}); w.Code != http.StatusOK || w.Body.Len() == 0 {
			t.Errorf("GET %s: %d", target, w.Code)
		}
	}
}

// TestPrivacyNoticeServed: the respondent page carries the notice and its
// link; the full page is served under the respondent pages' policy.
func TestPrivacyNoticeServed(t *testing.T) {
	h := newHostileFixture(t)
	w := h.do(hostileReq{method: http.MethodGet, target: "/s/" + h.pool[0]})
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `id="privacy"`) || !strings.Contains(w.Body.String(), `href="/privacy"`) {
		t.Fatalf("form page: %d, notice or link missing", w.Code)
	}
	w = h.do(hostileReq{method: http.MethodGet, target: "/privacy"})
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "设备随机编号") || w.Header().Get("Content-Security-Policy") == "" {
		t.Fatalf("privacy page: %d %.200s", w.Code, w.Body.String())
	}
}
