package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"renke/survey"
)

// hostileFixture is the collection fixture plus the surveys a hostile client
// aims at: another open survey (foreign item ids, script in every text), a
// closed one, one whose window has ended and a draft.
type hostileFixture struct {
	*fixture
	pool    []string    // fresh teacher one-time codes of the open survey: {otc} in a target takes one
	used    []string    // the codes taken, in order
	other   survey.Code // a teacher one-time code of the other survey
	closed  survey.Code
	ended   survey.Code
	draft   survey.Code
	surveys []string
}

const xss = `<script>alert(1)</script>`

// scriptForms are the default forms with other item ids and markup in every text.
func scriptForms() map[survey.FormKind]survey.Questionnaire {
	forms := survey.DefaultForms()
	for k, q := range forms {
		q.Title = xss + q.Title
		q.Intro = `<img src=x onerror=alert(2)>` + q.Intro
		q.Labels = map[string]string{"1": `<b onclick=alert(3)>认可</b>`}
		items := make([]survey.Item, len(q.Items))
		for i, it := range q.Items {
			items[i] = survey.Item{ID: "x" + it.ID, Text: xss + it.Text, Dimension: it.Dimension}
		}
		q.Items = items
		forms[k] = q
	}
	return forms
}

// addSurvey stores a survey in the given status with one teacher one-time code.
func (h *hostileFixture) addSurvey(title string, forms map[survey.FormKind]survey.Questionnaire, to []survey.Status, opens, closes time.Time) survey.Code {
	t := h.t
	t.Helper()
	sv, err := survey.NewSurvey("邻县", title, opens, closes, forms)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range to {
		if err := sv.Transition(st, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.store.CreateSurvey(context.Background(), sv); err != nil {
		t.Fatal(err)
	}
	h.surveys = append(h.surveys, sv.ID)
	codes, err := survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Teacher, School: school, Count: 1}.Issue(sv.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := h.store.InsertCodes(context.Background(), codes); err != nil {
		t.Fatal(err)
	}
	return codes[0]
}

func newHostileFixture(t *testing.T) *hostileFixture {
	f := newFixture(t)
	h := &hostileFixture{fixture: f, surveys: []string{f.sv.ID}}
	for _, c := range f.issue(survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Teacher, School: school, Count: 80}) {
		h.pool = append(h.pool, c.Code)
	}
	now := time.Now()
	open := []survey.Status{survey.Open}
	h.other = h.addSurvey(xss+"邻县调查", scriptForms(), open, now.Add(-time.Hour), now.Add(24*time.Hour))
	h.closed = h.addSurvey("已结束的调查", survey.DefaultForms(), []survey.Status{survey.Open, survey.Closed}, now.Add(-time.Hour), now.Add(24*time.Hour))
	h.ended = h.addSurvey("过期的调查", survey.DefaultForms(), open, now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	h.draft = h.addSurvey("草稿调查", survey.DefaultForms(), nil, now.Add(-time.Hour), now.Add(24*time.Hour))
	return h
}

// stored counts the responses of every survey of the fixture.
func (h *hostileFixture) stored() int {
	h.t.Helper()
	n := 0
	for _, id := range h.surveys {
		if err := h.store.EachResponse(context.Background(), id, func(*survey.Response) error { n++; return nil }); err != nil {
			h.t.Fatal(err)
		}
	}
	return n
}

// hostileReq is one request of the catalogue.
type hostileReq struct {
	name   string
	method string
	target string // request URI, sent as is (no cleaning)
	ctype  string
	body   []byte
	want   []int    // acceptable statuses
	item   string   // for 422 on the JSON API: the item the answer names
	absent []string // must not appear in the response body
	has    []string // must appear in the response body
}

// otc is the placeholder of a fresh one-time code in a target: each row gets
// its own, so a row wrongly accepted cannot turn later rows into 409s.
const otc = "{otc}"

func (h *hostileFixture) do(rq hostileReq) *httptest.ResponseRecorder {
	if strings.Contains(rq.target, otc) {
		code := h.pool[0]
		h.pool, h.used = h.pool[1:], append(h.used, code)
		rq.target = strings.ReplaceAll(rq.target, otc, code)
	}
	req := httptest.NewRequest(rq.method, rq.target, bytes.NewReader(rq.body))
	if rq.ctype != "" {
		req.Header.Set("Content-Type", rq.ctype)
	}
	req.RemoteAddr = "192.0.2.66:4321"
	w := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(w, req)
	return w
}

// check runs one row: its status, its body, and that nothing was stored.
func (h *hostileFixture) check(t *testing.T, rq hostileReq) {
	t.Helper()
	before := h.stored()
	w := h.do(rq)
	if !slices.Contains(rq.want, w.Code) {
		t.Errorf("status %d, want one of %v; body %.300s", w.Code, rq.want, w.Body.String())
	}
	if rq.item != "" {
		var out map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || out["item"] != rq.item {
			t.Errorf("item %v, want %q (body %.300s)", out["item"], rq.item, w.Body.String())
		}
	}
	for _, s := range rq.absent {
		if strings.Contains(w.Body.String(), s) {
			t.Errorf("response body contains %q: %.300s", s, w.Body.String())
		}
	}
	for _, s := range rq.has {
		if !strings.Contains(w.Body.String(), s) {
			t.Errorf("response body lacks %q: %.300s", s, w.Body.String())
		}
	}
	if w.Code >= 500 {
		t.Errorf("server error %d on hostile input", w.Code)
	}
	if after := h.stored(); after != before {
		t.Errorf("stored responses went from %d to %d", before, after)
	}
}

// jsonWith is a complete, valid teacher submission with fields replaced or added (raw JSON values).
func (h *hostileFixture) jsonWith(answers map[string]string, extra map[string]string) []byte {
	a, _ := json.Marshal(answers)
	fields := map[string]string{"answers": string(a), "started_at": fmt.Sprintf("%q", time.Now().Add(-4*time.Minute).Format(time.RFC3339))}
	for k, v := range extra {
		fields[k] = v
	}
	var parts []string
	for _, k := range []string{"answers", "started_at", "band"} {
		if v, ok := fields[k]; ok {
			parts = append(parts, fmt.Sprintf("%q: %s", k, v))
			delete(fields, k)
		}
	}
	for k, v := range fields {
		parts = append(parts, fmt.Sprintf("%q: %s", k, v))
	}
	return []byte("{" + strings.Join(parts, ", ") + "}")
}

func TestHostileSubmissionCatalogue(t *testing.T) {
	h := newHostileFixture(t)
	staff := h.sv.Forms[survey.StaffForm].Items
	first := staff[0].ID
	good := h.answers(survey.Teacher, "1")
	with := func(id, v string) map[string]string {
		m := h.answers(survey.Teacher, "1")
		m[id] = v
		return m
	}
	api := func(code string) string { return "/api/v1/codes/" + code + "/responses" }
	js := "application/json"
	ts := func(s string) map[string]string { return map[string]string{"started_at": s} }
	long := strings.Repeat("a", survey.MaxItemIDLen+1)
	many := map[string]string{}
	for i := 0; i <= survey.MaxAnswers; i++ {
		many[fmt.Sprintf("q%03d", i)] = "1"
	}
	var otherAnswers = map[string]string{}
	for _, it := range staff {
		otherAnswers["x"+it.ID] = "1"
	}
	social := h.answers(survey.Parent, "1")
	var socialFirst string
	for id := range social {
		if _, own := good[id]; !own && (socialFirst == "" || id < socialFirst) {
			socialFirst = id
		}
	}
	bad := func(b string) []byte { return []byte(b) }
	// raw is a valid submission with one piece of its JSON text replaced.
	raw := func(answers map[string]string, old, new string) []byte {
		b := h.jsonWith(answers, nil)
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s has no %s", b, old)
		}
		return bytes.Replace(b, []byte(old), []byte(new), 1)
	}
	rows := []hostileReq{
		{name: "malformed JSON, unterminated", target: api(otc), ctype: js, body: bad(`{"answers": {"` + first + `": "1"`), want: []int{400}},
		{name: "malformed JSON, two objects", target: api(otc), ctype: js, body: append(h.jsonWith(good, nil), h.jsonWith(good, nil)...), want: []int{400}},
		{name: "malformed JSON, top-level array", target: api(otc), ctype: js, body: bad(`[` + string(h.jsonWith(good, nil)) + `]`), want: []int{400}},
		{name: "empty body", target: api(otc), ctype: js, want: []int{400}},
		{name: "wrong content type text/plain", target: api(otc), ctype: "text/plain", body: h.jsonWith(good, nil), want: []int{415}},
		{name: "no content type", target: api(otc), body: h.jsonWith(good, nil), want: []int{415}},
		{name: "form content type on the JSON API", target: api(otc), ctype: "application/x-www-form-urlencoded", body: h.jsonWith(good, nil), want: []int{415}},
		{name: "10 MB body", target: api(otc), ctype: js, body: bytes.Repeat([]byte(" "), 10<<20), want: []int{413}},
		{name: "100k nested arrays", target: api(otc), ctype: js, body: bytes.Repeat([]byte("["), 100_000), want: []int{400, 413}},
		{name: "60k nested arrays in an answer", target: api(otc), ctype: js, body: bad(`{"answers": {"` + first + `": ` + strings.Repeat("[", 60_000) + `}}`), want: []int{400, 413}},
		{name: "5k nested objects", target: api(otc), ctype: js, body: bad(strings.Repeat(`{"answers":`, 5_000)), want: []int{400, 413}},
		{name: "Mongo operator as an answer", target: api(otc), ctype: js, body: bad(`{"answers": {"` + first + `": {"$gt": ""}}}`), want: []int{400}},
		{name: "Mongo operator as an item id", target: api(otc), ctype: js, body: bad(`{"answers": {"$gt": "1"}}`), want: []int{422}, item: "$gt"},
		{name: "Mongo $where beside full answers", target: api(otc), ctype: js, body: h.jsonWith(with("$where", "1"), nil), want: []int{422}, item: "$where"},
		{name: "dotted item id", target: api(otc), ctype: js, body: h.jsonWith(with("a.b", "1"), nil), want: []int{422}, item: "a.b"},
		{name: "Mongo operator as band", target: api(otc), ctype: js, body: h.jsonWith(good, map[string]string{"band": `{"$ne": null}`}), want: []int{400}},
		{name: "Mongo operator as started_at", target: api(otc), ctype: js, body: h.jsonWith(good, ts(`{"$gt": ""}`)), want: []int{400}},
		{name: "Mongo $set at top level", target: api(otc), ctype: js, body: h.jsonWith(good, map[string]string{"$set": `{"seq": 1}`}), want: []int{400}},
		{name: "unknown field", target: api(otc), ctype: js, body: h.jsonWith(good, map[string]string{"device_id": `"mine"`}), want: []int{400}},
		{name: "field name in another case", target: api(otc), ctype: js, body: bad(`{"Answers": {}}`), want: []int{400}},
		{name: "answers twice", target: api(otc), ctype: js, body: bad(`{"answers": {}, "answers": {}}`), want: []int{400}},
		{name: "invalid UTF-8 in a value", target: api(otc), ctype: js, body: raw(good, `"`+first+`":"1"`, "\"\xff\""), want: []int{400}},
		{name: "invalid UTF-8 in an item id", target: api(otc), ctype: js, body: raw(good, `"`+first+`"`, "\"\xc3\x28\""), want: []int{400}},
		{name: "lone surrogate escape", target: api(otc), ctype: js, body: raw(good, `"`+first+`":"1"`, `"`+first+`":"\ud800"`), want: []int{422}, item: first},
		{name: "item id over 32 bytes", target: api(otc), ctype: js, body: h.jsonWith(with(long, "1"), nil), want: []int{400}},
		{name: "item id of 60 KB", target: api(otc), ctype: js, body: h.jsonWith(with(strings.Repeat("q", 60_000), "1"), nil), want: []int{400}},
		{name: "201 answers", target: api(otc), ctype: js, body: h.jsonWith(many, nil), want: []int{400}},
		{name: "started_at the zero time", target: api(otc), ctype: js, body: h.jsonWith(good, ts(`"0001-01-01T00:00:00Z"`)), want: []int{400, 422}},
		{name: "started_at just after the zero time", target: api(otc), ctype: js, body: h.jsonWith(good, ts(`"0001-01-01T00:00:00.0001Z"`)), want: []int{400, 422}},
		{name: "started_at 1970", target: api(otc), ctype: js, body: h.jsonWith(good, ts(`"1970-01-01T00:00:00Z"`)), want: []int{422}, item: "started_at"},
		{name: "started_at year 9999", target: api(otc), ctype: js, body: h.jsonWith(good, ts(`"9999-12-31T00:00:00Z"`)), want: []int{422}, item: "started_at"},
		{name: "started_at -1", target: api(otc), ctype: js, body: h.jsonWith(good, ts(`"-1"`)), want: []int{400}},
		{name: "started_at a number", target: api(otc), ctype: js, body: h.jsonWith(good, ts(`1700000000`)), want: []int{400}},
		{name: "started_at month 13", target: api(otc), ctype: js, body: h.jsonWith(good, ts(`"2025-13-45T00:00:00Z"`)), want: []int{400}},
		{name: "started_at 8 days ago", target: api(otc), ctype: js, body: h.jsonWith(good, ts(fmt.Sprintf("%q", time.Now().Add(-8*24*time.Hour).Format(time.RFC3339)))), want: []int{422}, item: "started_at"},
		{name: "started_at 2 minutes ahead", target: api(otc), ctype: js, body: h.jsonWith(good, ts(fmt.Sprintf("%q", time.Now().Add(2*time.Minute).Format(time.RFC3339)))), want: []int{422}, item: "started_at"},
		{name: "another survey's item ids", target: api(otc), ctype: js, body: h.jsonWith(otherAnswers, nil), want: []int{422}, item: "x" + first},
		{name: "another form's item ids", target: api(otc), ctype: js, body: h.jsonWith(social, nil), want: []int{422}, item: socialFirst},
		{name: "code of a closed survey", target: api(h.closed.Code), ctype: js, body: h.jsonWith(good, nil), want: []int{410}},
		{name: "code of a survey past its window", target: api(h.ended.Code), ctype: js, body: h.jsonWith(good, nil), want: []int{410}},
		{name: "code of a draft survey", target: api(h.draft.Code), ctype: js, body: h.jsonWith(good, nil), want: []int{410}},
		{name: "unknown code", target: api(survey.NewToken()), ctype: js, body: h.jsonWith(good, nil), want: []int{404}},
		{name: "code of operators", target: api(url.PathEscape(`{"$gt":""}$ne$ne$ne`)), ctype: js, body: h.jsonWith(good, nil), want: []int{404}},
		{name: "code of 65 characters", target: api(strings.Repeat("a", 65)), ctype: js, body: h.jsonWith(good, nil), want: []int{404}},
		{name: "script as an answer", target: api(otc), ctype: js, body: h.jsonWith(with(first, "<script>"), nil), want: []int{422}, item: first, absent: []string{"<script>"}},
		{name: "script as an item id", target: api(otc), ctype: js, body: h.jsonWith(with(xss, "1"), nil), want: []int{422}, item: xss, absent: []string{"<script>"}},
		{name: "long script as an answer", target: api(otc), ctype: js, body: h.jsonWith(with(first, xss), nil), want: []int{400}, absent: []string{"<script>"}},
		{name: "PUT on the submission route", method: http.MethodPut, target: api(otc), ctype: js, body: h.jsonWith(good, nil), want: []int{405}},
	}
	for _, rq := range rows {
		if rq.method == "" {
			rq.method = http.MethodPost
		}
		t.Run(rq.name, func(t *testing.T) { h.check(t, rq) })
	}
	// The first row's code, refused there, was good: the refusal was the input's doing.
	before := h.stored()
	if code, out, _ := h.post(h.used[0], h.jsonWith(good, nil), "192.0.2.66"); code != http.StatusCreated {
		t.Fatalf("valid submission on a refused row's code: %d %v", code, out)
	}
	if n := h.stored(); n != before+1 {
		t.Fatalf("one valid submission took the store from %d to %d responses", before, n)
	}
}

func TestHostileFormPostCatalogue(t *testing.T) {
	h := newHostileFixture(t)
	page, form := "/s/"+otc, "application/x-www-form-urlencoded"
	first := "a_" + h.sv.Forms[survey.StaffForm].Items[0].ID
	// body is a complete form post with fields set (or, when add, added again).
	body := func(add bool, kv ...string) []byte {
		u := url.Values{"started_at": {time.Now().Add(-3 * time.Minute).Format(time.RFC3339)}}
		for id := range h.answers(survey.Teacher, "1") {
			u.Set("a_"+id, "1")
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if add {
				u.Add(kv[i], kv[i+1])
			} else {
				u.Set(kv[i], kv[i+1])
			}
		}
		return []byte(u.Encode())
	}
	rows := []hostileReq{
		{name: "JSON to the form route", target: page, ctype: "application/json", body: []byte(`{"answers": {}}`), want: []int{415}},
		{name: "item id $gt", target: page, ctype: form, body: body(false, "a_$gt", "1"), want: []int{422}},
		{name: "script as an item id", target: page, ctype: form, body: body(false, "a_"+xss, "1"), want: []int{422},
			absent: []string{xss}, has: []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}},
		{name: "script as an answer", target: page, ctype: form, body: body(false, first, "<script>"), want: []int{422},
			absent: []string{`value="<script>"`}},
		{name: "answer given twice", target: page, ctype: form, body: body(true, first, "2"), want: []int{400}},
		{name: "unknown field", target: page, ctype: form, body: body(false, "device_id", "mine"), want: []int{400}},
		{name: "invalid UTF-8", target: page, ctype: form, body: body(false, "band", "\xff\xfe"), want: []int{400}},
		{name: "bad percent-encoding", target: page, ctype: form, body: []byte("a_x=%zz"), want: []int{400}},
		{name: "started_at the zero time", target: page, ctype: form, body: body(false, "started_at", "0001-01-01T00:00:00Z"), want: []int{400, 422}},
		{name: "started_at -1", target: page, ctype: form, body: body(false, "started_at", "-1"), want: []int{400}},
		{name: "10 MB form", target: page, ctype: form, body: bytes.Repeat([]byte("a"), 10<<20), want: []int{413}},
		{name: "closed survey", target: "/s/" + h.closed.Code, ctype: form, body: body(false), want: []int{410}},
	}
	for _, rq := range rows {
		rq.method = http.MethodPost
		t.Run(rq.name, func(t *testing.T) { h.check(t, rq) })
	}
	before := h.stored()
	if w := h.do(hostileReq{method: http.MethodPost, target: "/s/" + h.used[1], ctype: form, body: body(false)}); w.Code != http.StatusSeeOther {
		t.Fatalf("valid form post on a refused row's code: %d %.300s", w.Code, w.Body.String())
	}
	if n := h.stored(); n != before+1 {
		t.Fatalf("one valid post took the store from %d to %d responses", before, n)
	}
}

// TestHostilePagesAndPaths: markup in a questionnaire renders escaped, and no
// path leaves the embedded assets.
func TestHostilePagesAndPaths(t *testing.T) {
	h := newHostileFixture(t)
	other := h.other.Code
	leak := []string{"module renke", "root:x:0:0", "{{", "package "}
	get := func(name, target string, want []int, absent, has []string) hostileReq {
		return hostileReq{name: name, method: http.MethodGet, target: target, want: want, absent: absent, has: has}
	}
	rows := []hostileReq{
		get("script in questionnaire texts, form page", "/s/"+other, []int{200},
			[]string{xss, "<img src=x", "<b onclick"}, []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;", "&lt;b onclick=alert(3)&gt;"}),
		get("script in questionnaire texts, form JSON", "/api/v1/codes/"+other+"/form", []int{200}, []string{"<script>", "<img", "<b "}, []string{`\u003cscript\u003e`}),
		get("static ../../go.mod", "/static/../../go.mod", []int{400, 404}, leak, nil),
		get("static ..%2f..%2fgo.mod", "/static/..%2f..%2fgo.mod", []int{400, 404}, leak, nil),
		get("static %2e%2e/%2e%2e/go.mod", "/static/%2e%2e/%2e%2e/go.mod", []int{400, 404}, leak, nil),
		get("static %252e%252e double encoding", "/static/%252e%252e/%252e%252e/go.mod", []int{400, 404}, leak, nil),
		get("static ..%5c..%5cgo.mod", "/static/..%5c..%5cgo.mod", []int{400, 404}, leak, nil),
		get("static form.css/../../../../etc/passwd", "/static/form.css/../../../../etc/passwd", []int{400, 404}, leak, nil),
		get("static //etc/passwd", "/static//etc/passwd", []int{400, 404}, leak, nil),
		get("static ../templates/form.html", "/static/../templates/form.html", []int{400, 404}, leak, nil),
		get("static NUL byte", "/static/form.css%00.html", []int{400, 404}, leak, nil),
		get("console static ../../../go.mod", "/console/static/../../../go.mod", []int{400, 404}, leak, nil),
		get("console static ..%2f..%2f..%2fgo.mod", "/console/static/..%2f..%2f..%2fgo.mod", []int{400, 404}, leak, nil),
		get("code ..%2f..%2fetc", "/s/..%2f..%2fetc", []int{404}, leak, nil),
		get("code ../../etc/passwd", "/s/../../etc/passwd", []int{404}, leak, nil),
		get("code of 10 KB", "/s/"+strings.Repeat("%2e", 3000), []int{404}, leak, nil),
		get("form JSON of a traversal code", "/api/v1/codes/..%2f..%2fgo.mod/form", []int{404}, leak, nil),
	}
	for _, rq := range rows {
		t.Run(rq.name, func(t *testing.T) { h.check(t, rq) })
	}
	// The assets themselves are served, so the 404s above are not a broken route.
	if w := h.do(get("", "/static/form.css", nil, nil, nil)); w.Code != http.StatusOK || w.Body.Len() == 0 {
		t.Fatalf("GET /static/form.css: %d", w.Code)
	}
}
