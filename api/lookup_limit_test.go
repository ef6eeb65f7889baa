package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"renke/api"
	"renke/internal/testenv"
	"renke/survey"
)

// TestUnknownCodeLookupsAreLimited: looking up codes that do not exist (the
// page, the form JSON, a submission) counts against the address's budget, so
// codes cannot be guessed at thousands a minute (issue 17).
func TestUnknownCodeLookupsAreLimited(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.PerAddr = 4
	srv, err := api.New(api.Deps{Config: cfg, Store: testenv.Store(t), KV: testenv.KV(t)})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	addr := randomAddr(60)
	get := func(path, from string) int {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.RemoteAddr = from + ":40000"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	var got []int
	for i := 0; i < 2; i++ {
		got = append(got, get(fmt.Sprintf("/s/guess%016d", i), addr))
		got = append(got, get(fmt.Sprintf("/api/v1/codes/guess%016d/form", i), addr))
	}
	got = append(got, stuffPost(h, "guess0000000000000009", []byte(`{"answers":{}}`), addr, nil).status)
	got = append(got, get("/s/guess0000000000000010", addr))
	if fmt.Sprint(got) != "[404 404 404 404 429 429]" {
		t.Fatalf("six unknown-code lookups from one address with a budget of 4: %v", got)
	}
	if s := get("/s/guess0000000000000011", randomAddr(61)); s != http.StatusNotFound {
		t.Fatalf("another address: %d, want 404", s)
	}
}

// TestIdempotencyKeysCannotStartAFormula: a key that would begin a formula
// in a spreadsheet (it becomes the response id in export.csv) is refused
// with a clear 400 and nothing is stored (issue 17).
func TestIdempotencyKeysCannotStartAFormula(t *testing.T) {
	f := newFixture(t)
	shared := f.issue(survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Public, Urbanicity: survey.Rural, Quota: 100})[0]
	good := body(f.answers(survey.Public, "1"), "")
	for _, key := range []string{"-A1-A2-A3-A4-A5-A6", "_A1-A2-A3-A4-A5-A6", "=HYPERLINK(x)aaaaaaa", "@SUM(1)aaaaaaaaaaaa", "+cmd|x!A0aaaaaaaaaa"} {
		r := stuffPost(f.srv.Handler(), shared.Code, good, randomAddr(62), map[string]string{"Idempotency-Key": key})
		if r.status != http.StatusBadRequest || !strings.Contains(fmt.Sprint(r.out["error"]), "提交编号") {
			t.Errorf("key %q: %d %v, want 400 naming the key", key, r.status, r.out)
		}
	}
	if n, err := f.store.CountOfCode(context.Background(), f.sv.ID, shared.Code, time.Time{}); err != nil || n != 0 {
		t.Fatalf("%d responses stored (%v) from refused keys", n, err)
	}
	if r := stuffPost(f.srv.Handler(), shared.Code, good, randomAddr(63), map[string]string{"Idempotency-Key": "A1-A2-A3-A4-A5-A6"}); r.status != http.StatusCreated || r.out["id"] != "A1-A2-A3-A4-A5-A6" {
		t.Fatalf("a well-formed key: %d %v", r.status, r.out)
	}
}
