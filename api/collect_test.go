package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"renke/api"
	"renke/internal/testenv"
	"renke/store"
	"renke/survey"
)

// fixture is a server over a store with one open survey.
type fixture struct {
	t     *testing.T
	srv   *api.Server
	store *store.Store
	sv    *survey.Survey
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := testenv.Store(t)
	log := testConfig()
	srv, err := api.New(api.Deps{Config: log, Store: st, KV: testenv.KV(t)})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	sv, err := survey.NewSurvey("测试县", "测试县社会认可度调查", now.Add(-time.Hour), now.Add(24*time.Hour), survey.DefaultForms())
	if err != nil {
		t.Fatal(err)
	}
	if err := sv.Transition(survey.Open, now); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSurvey(context.Background(), sv); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, srv: srv, store: st, sv: sv}
}

func (f *fixture) issue(sp survey.IssueSpec) []survey.Code {
	f.t.Helper()
	codes, err := sp.Issue(f.sv.ID, time.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.store.InsertCodes(context.Background(), codes); err != nil {
		f.t.Fatal(err)
	}
	return codes
}

var school = survey.School{Code: "S001", Name: "城关第一小学", Township: "城关镇", Urbanicity: survey.Urban}

// answers answers every item of the group's form with opt.
func (f *fixture) answers(g survey.Group, opt string) map[string]string {
	out := map[string]string{}
	for _, it := range f.sv.Forms[g.Form()].Items {
		out[it.ID] = opt
	}
	return out
}

func body(answers map[string]string, band string) []byte {
	m := map[string]any{"answers": answers, "started_at": time.Now().Add(-4 * time.Minute).Format(time.RFC3339)}
	if band != "" {
		m["band"] = band
	}
	b, _ := json.Marshal(m)
	return b
}

// post submits to a code, from addr, with the given cookie; it returns the status and JSON body.
func (f *fixture) post(code string, b []byte, addr string, cookies ...*http.Cookie) (int, map[string]any, []*http.Cookie) {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/codes/"+code+"/responses", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = addr + ":1234"
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(w, req)
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, out, w.Result().Cookies()
}

func TestSubmissionStatuses(t *testing.T) {
	f := newFixture(t)
	otc := f.issue(survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Teacher, School: school, Count: 2})
	good := body(f.answers(survey.Teacher, "1"), "")

	if code, out, _ := f.post(otc[0].Code, good, "10.0.0.1"); code != http.StatusCreated || out["id"] == nil {
		t.Fatalf("first submission: %d %v", code, out)
	}
	if code, out, _ := f.post(otc[0].Code, good, "10.0.0.1"); code != http.StatusConflict || !strings.Contains(out["error"].(string), "已经有人提交过答卷") || out["state"] != "used" {
		t.Fatalf("used one-time code: %d %v", code, out)
	}
	if code, _, _ := f.post("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", good, "10.0.0.1"); code != http.StatusNotFound {
		t.Fatalf("unknown code: %d", code)
	}
	// 422 names the first invalid answer.
	bad := f.answers(survey.Teacher, "1")
	first := f.sv.Forms[survey.StaffForm].Items[0].ID
	bad[first] = "7"
	if code, out, _ := f.post(otc[1].Code, body(bad, ""), "10.0.0.1"); code != http.StatusUnprocessableEntity || out["item"] != first {
		t.Fatalf("option not offered: %d %v", code, out)
	}
	missing := f.answers(survey.Teacher, "1")
	last := f.sv.Forms[survey.StaffForm].Items[len(f.sv.Forms[survey.StaffForm].Items)-1].ID
	delete(missing, last)
	if code, out, _ := f.post(otc[1].Code, body(missing, ""), "10.0.0.1"); code != http.StatusUnprocessableEntity || out["item"] != last {
		t.Fatalf("missing item: %d %v", code, out)
	}
	extra := f.answers(survey.Teacher, "1")
	extra["zz99"] = "1"
	if code, out, _ := f.post(otc[1].Code, body(extra, ""), "10.0.0.1"); code != http.StatusUnprocessableEntity || out["item"] != "zz99" {
		t.Fatalf("unknown item: %d %v", code, out)
	}
	// 413 and 415.
	huge := bytes.Repeat([]byte("x"), 200<<10)
	if code, _, _ := f.post(otc[1].Code, huge, "10.0.0.1"); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d", code)
	}
	req := httptest.NewRequest(http.MethodPost, "/api/v1/codes/"+otc[1].Code+"/responses", bytes.NewReader(good))
	req.Header.Set("Content-Type", "text/plain")
	w := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusUnsupportedMediaType {
		t.Fatalf("wrong content type: %d", w.Code)
	}
	// Nothing of the refused ones was stored.
	if n, _ := f.store.CountOfCode(context.Background(), f.sv.ID, otc[1].Code, time.Now()); n != 0 {
		t.Fatalf("refused submissions stored %d responses", n)
	}
	// 410 once the survey closes.
	from := f.sv.Status
	if err := f.sv.Transition(survey.Closed, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.store.UpdateSurvey(context.Background(), f.sv, from); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3100 * time.Millisecond) // the survey cache's lifetime
	if code, _, _ := f.post(otc[1].Code, good, "10.0.0.1"); code != http.StatusGone {
		t.Fatalf("closed survey: %d", code)
	}
}

func TestSharedCodeQuotaAndDevices(t *testing.T) {
	f := newFixture(t)
	shared := f.issue(survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Parent, School: school, Band: survey.BandUpper, Quota: 30})[0]
	good := body(f.answers(survey.Parent, "2"), "")
	// One device answers once.
	code, _, cookies := f.post(shared.Code, good, "10.0.0.2")
	if code != http.StatusCreated || len(cookies) == 0 {
		t.Fatalf("first: %d, cookies %v", code, cookies)
	}
	if code, out, _ := f.post(shared.Code, good, "10.0.0.2", cookies...); code != http.StatusConflict || !strings.Contains(out["error"].(string), "已经") {
		t.Fatalf("same device again: %d %v", code, out)
	}
	// A forged device cookie is ignored: it counts as a new device.
	forged := &http.Cookie{Name: "renke_dev", Value: "attacker.AAAAAAAAAAAAAAAAAAAAAA"}
	if code, _, _ := f.post(shared.Code, good, "10.0.0.2", forged); code != http.StatusCreated {
		t.Fatalf("forged cookie: %d", code)
	}
	// 60 devices race for the remaining 28 places: exactly 28 get in.
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[int]int{}
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			code, _, _ := f.post(shared.Code, good, fmt.Sprintf("10.1.0.%d", i))
			mu.Lock()
			got[code]++
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	if got[http.StatusCreated] != 28 || got[http.StatusConflict] != 32 {
		t.Fatalf("quota race: %v, want 28 created and 32 conflicts", got)
	}
	if n, _ := f.store.CountOfCode(context.Background(), f.sv.ID, shared.Code, time.Now()); n != 30 {
		t.Fatalf("stored %d for a quota of 30", n)
	}
}

func TestRateLimitPerAddress(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.PerAddr = 3
	st := testenv.Store(t)
	srv, err := api.New(api.Deps{Config: cfg, Store: st, KV: testenv.KV(t)})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, srv: srv, store: st}
	now := time.Now()
	f.sv, _ = survey.NewSurvey("限流县", "限流", now.Add(-time.Hour), now.Add(time.Hour), survey.DefaultForms())
	_ = f.sv.Transition(survey.Open, now)
	if err := st.CreateSurvey(context.Background(), f.sv); err != nil {
		t.Fatal(err)
	}
	shared := f.issue(survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Public, Urbanicity: survey.Rural, Quota: 100})[0]
	addr := fmt.Sprintf("10.9.%d.%d", now.UnixNano()%200, now.Nanosecond()%200)
	statuses := []int{}
	for i := 0; i < 5; i++ {
		code, _, _ := f.post(shared.Code, body(f.answers(survey.Public, "1"), ""), addr)
		statuses = append(statuses, code)
	}
	if fmt.Sprint(statuses) != "[201 201 201 429 429]" {
		t.Fatalf("five submissions from one address with a limit of 3: %v", statuses)
	}
}
