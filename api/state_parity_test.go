package api_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"renke/survey"
)

// formPost submits the no-JavaScript form of a code; it returns the status and the page.
func (f *fixture) formPost(code string, g survey.Group, band, addr string, cookies ...*http.Cookie) (int, string) {
	v := url.Values{"started_at": {time.Now().Add(-4 * time.Minute).Format(time.RFC3339)}}
	for id, a := range f.answers(g, "1") {
		v.Set("a_"+id, a)
	}
	if band != "" {
		v.Set("band", band)
	}
	req := httptest.NewRequest(http.MethodPost, "/s/"+code, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = addr + ":1234"
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(w, req)
	return w.Code, html.UnescapeString(w.Body.String())
}

// TestRespondentStateParity: each state of a code (not yet open, ended,
// closed early, voided, used, full, answered on this phone) gives the same
// status and the same words on the page, in the form JSON, and to a
// submission through the JSON API and the form.
func TestRespondentStateParity(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := time.Now()
	once := f.issue(survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Teacher, School: school, Count: 1})[0]
	full := f.issue(survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Parent, School: school, Band: survey.BandUpper, Quota: 1})[0]
	voided := f.issue(survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Teacher, School: school, Count: 1})[0]
	if _, err := f.store.VoidCodes(ctx, f.sv.ID, []string{voided.Code}, now); err != nil {
		t.Fatal(err)
	}
	opens := now.Add(30 * time.Hour)
	notOpen := f.otherSurvey(survey.Open, opens, opens.Add(24*time.Hour))
	draft := f.otherSurvey(survey.Draft, opens, opens.Add(24*time.Hour))
	ended := f.otherSurvey(survey.Closed, now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	early := f.otherSurvey(survey.Closed, now.Add(-48*time.Hour), now.Add(24*time.Hour))
	if code, out, _ := f.post(once.Code, body(f.answers(survey.Teacher, "1"), ""), "10.0.0.1"); code != http.StatusCreated {
		t.Fatalf("use the one-time code: %d %v", code, out)
	}
	code, out, phone := f.post(full.Code, body(f.answers(survey.Parent, "1"), ""), "10.0.0.2")
	if code != http.StatusCreated {
		t.Fatalf("fill the quota: %d %v", code, out)
	}

	for _, tc := range []struct {
		name, code, state string
		group             survey.Group
		status            int
		words             string
		cookies           []*http.Cookie
	}{
		{"not yet open", notOpen.Code, "not_open", survey.Parent, http.StatusGone, "问卷将于 " + survey.FormatBeijing(opens) + " 开放", nil},
		{"draft", draft.Code, "not_open", survey.Parent, http.StatusGone, "问卷将于 " + survey.FormatBeijing(opens) + " 开放", nil},
		{"ended", ended.Code, "ended", survey.Parent, http.StatusGone, "本次调查已于 ", nil},
		{"closed early", early.Code, "ended", survey.Parent, http.StatusGone, "本次调查已经结束", nil},
		{"voided", voided.Code, "voided", survey.Teacher, http.StatusGone, survey.ErrVoided.Error(), nil},
		{"used", once.Code, "used", survey.Teacher, http.StatusConflict, "该二维码已经有人提交过答卷", nil},
		{"full", full.Code, "full", survey.Parent, http.StatusConflict, "名额已满", nil},
		{"answered on this phone", full.Code, "answered", survey.Parent, http.StatusConflict, "这台手机上提交过", phone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fw := f.get(http.MethodGet, "/api/v1/codes/"+tc.code+"/form", nil, tc.cookies...)
			var form map[string]any
			if err := json.Unmarshal(fw.Body.Bytes(), &form); err != nil {
				t.Fatalf("form JSON: %v in %s", err, fw.Body)
			}
			msg, _ := form["error"].(string)
			if fw.Code != tc.status || form["state"] != tc.state || !strings.Contains(msg, tc.words) {
				t.Fatalf("form JSON: %d %v, want %d %s %q", fw.Code, form, tc.status, tc.state, tc.words)
			}
			page := f.get(http.MethodGet, "/s/"+tc.code, nil, tc.cookies...)
			if text := html.UnescapeString(page.Body.String()); page.Code != tc.status || !strings.Contains(text, msg) ||
				!strings.Contains(text, form["title"].(string)) {
				t.Errorf("page: %d, want %d with %q and %q: %.400s", page.Code, tc.status, msg, form["title"], text)
			}
			status, post, _ := f.post(tc.code, body(f.answers(tc.group, "1"), ""), "10.0.1.1", tc.cookies...)
			if status != tc.status || post["error"] != msg || post["state"] != tc.state || post["title"] != form["title"] {
				t.Errorf("JSON submission: %d %v, want %d %q", status, post, tc.status, msg)
			}
			status, text := f.formPost(tc.code, tc.group, "", "10.0.1.2", tc.cookies...)
			if status != tc.status || !strings.Contains(text, msg) || !strings.Contains(text, form["title"].(string)) {
				t.Errorf("form submission: %d, want %d with %q: %.400s", status, tc.status, msg, text)
			}
		})
	}
}
