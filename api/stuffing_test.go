package api_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"renke/api"
	"renke/config"
	"renke/internal/testenv"
	"renke/report"
	"renke/survey"
)

// stuffReply is what a stuffing attempt got back.
type stuffReply struct {
	status int
	out    map[string]any
	header http.Header
	device string // the renke_dev cookie the server set, "" when none
}

// stuffPost submits body to code from remote (host only) with extra headers and cookies.
func stuffPost(h http.Handler, code string, body []byte, remote string, hdr map[string]string, cookies ...*http.Cookie) stuffReply {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/codes/"+code+"/responses", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = remote + ":40000"
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	r := stuffReply{status: w.Code, header: w.Header()}
	_ = json.Unmarshal(w.Body.Bytes(), &r.out)
	for _, c := range w.Result().Cookies() {
		if c.Name == "renke_dev" {
			r.device = c.Value
		}
	}
	return r
}

// randomAddr is an address no other test run shares (CI's Redis keeps
// per-address budgets across runs within the minute).
func randomAddr(prefix int) string {
	return fmt.Sprintf("%d.%d.%d.%d", prefix, rand.IntN(250)+1, rand.IntN(250)+1, rand.IntN(250)+1)
}

// responses reads a survey's stored responses.
func (f *fixture) responses() []survey.Response {
	f.t.Helper()
	var out []survey.Response
	v := survey.NewVerifier()
	if err := f.store.EachResponse(context.Background(), f.sv.ID, func(r *survey.Response) error {
		out = append(out, *r)
		return v.Next(r)
	}); err != nil {
		f.t.Fatalf("read back responses (hash chain): %v", err)
	}
	return out
}

// TestStuffingOneAddressIsThrottledAndFlagged: 500 submissions from one
// address on one shared code, each as a new device (no cookie) and each with
// a forged X-Forwarded-For, get through only as far as the per-address limit,
// and the quality rules flag every one that got through as a burst.
func TestStuffingOneAddressIsThrottledAndFlagged(t *testing.T) {
	cfg := testConfig()
	cfg.Limits.PerAddr = 120 // the shipped default (RENKE_LIMIT_ADDR)
	f := stuffFixture(t, cfg)
	srv := f.srv
	shared := f.issue(survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Public, Urbanicity: survey.Rural, Quota: 1000})[0]
	good := body(f.answers(survey.Public, "1"), "")
	stuffer := randomAddr(10)

	got := map[int]int{}
	devices := map[string]bool{}
	start := time.Now()
	for i := 0; i < 500; i++ {
		spoof := map[string]string{"X-Forwarded-For": randomAddr(100), "X-Real-IP": randomAddr(101)}
		r := stuffPost(srv.Handler(), shared.Code, good, stuffer, spoof)
		got[r.status]++
		switch r.status {
		case http.StatusCreated:
			if r.device == "" || devices[r.device] {
				t.Fatalf("submission %d: accepted without a new device cookie (%q)", i, r.device)
			}
			devices[r.device] = true
		case http.StatusTooManyRequests:
			if r.header.Get("Retry-After") == "" {
				t.Fatalf("submission %d: 429 without Retry-After", i)
			}
		}
	}
	elapsed := time.Since(start)
	// The submission limiter counts fixed one-minute windows (kv.AllowAll):
	// exactly PerAddr in a window. The allowance below is what a GCRA limiter
	// would refill meanwhile, kept as a bound that holds for either.
	refill := int(elapsed / (time.Minute / time.Duration(cfg.Limits.PerAddr)))
	t.Logf("500 submissions from one address in %v: %v (limit %d/min, refill allowance %d)", elapsed, got, cfg.Limits.PerAddr, refill)
	if got[http.StatusCreated] < cfg.Limits.PerAddr || got[http.StatusCreated] > cfg.Limits.PerAddr+refill+1 {
		t.Errorf("accepted %d, want %d (+ at most %d refilled in %v)", got[http.StatusCreated], cfg.Limits.PerAddr, refill+1, elapsed)
	}
	if got[http.StatusCreated]+got[http.StatusTooManyRequests] != 500 {
		t.Errorf("statuses %v: want only 201 and 429", got)
	}

	// Ten honest respondents from ten addresses on the same code.
	for i := 0; i < 10; i++ {
		if r := stuffPost(srv.Handler(), shared.Code, good, randomAddr(20), nil); r.status != http.StatusCreated {
			t.Fatalf("honest respondent %d: %d %v", i, r.status, r.out)
		}
	}
	rs := f.responses()
	if len(rs) != got[http.StatusCreated]+10 {
		t.Fatalf("store holds %d responses, %d were accepted", len(rs), got[http.StatusCreated]+10)
	}
	q, err := report.CheckQuality(rs, report.DefaultQualityConfig())
	if err != nil {
		t.Fatal(err)
	}
	byAddr := map[string]int{}
	for _, r := range rs {
		byAddr[r.AddrHash]++
	}
	burst, honest := 0, 0
	for i, d := range q.Decisions {
		flagged := false
		for _, fl := range d.Flags {
			flagged = flagged || fl == report.RuleBurst
		}
		crowded := byAddr[rs[i].AddrHash] > 1
		switch {
		case crowded && !flagged:
			t.Errorf("response %s from the stuffing address is not flagged as a burst (flags %v)", d.ResponseID, d.Flags)
		case !crowded && flagged:
			t.Errorf("honest response %s flagged as a burst", d.ResponseID)
		case crowded:
			burst++
		default:
			honest++
		}
	}
	if len(byAddr) != 11 || honest != 10 || burst != got[http.StatusCreated] {
		t.Errorf("%d address hashes (want 11: forged X-Forwarded-For must not split one client), %d flagged, %d honest",
			len(byAddr), burst, honest)
	}
}

// stuffFixture is newFixture with the given configuration.
func stuffFixture(t *testing.T, cfg *config.Config) *fixture {
	t.Helper()
	st := testenv.Store(t)
	srv, err := api.New(api.Deps{Config: cfg, Store: st, KV: testenv.KV(t)})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	sv, err := survey.NewSurvey("灌票县", "灌票测试", now.Add(-time.Hour), now.Add(24*time.Hour), survey.DefaultForms())
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

// mint signs a device id the way the server does, with the given secret.
func mint(secret []byte, id string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("dev:" + id))
	return id + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))[:22]
}

func TestForgedDeviceCookiesAreIgnored(t *testing.T) {
	f := newFixture(t)
	shared := f.issue(survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Parent, School: school, Band: survey.BandUpper, Quota: 100})[0]
	good := body(f.answers(survey.Parent, "2"), "")
	h := f.srv.Handler()
	secret := testConfig().Secret

	// Controls: a cookie the server issued, and one minted with its secret,
	// are recognised — so the refusals below are the forgery's doing.
	first := stuffPost(h, shared.Code, good, randomAddr(30), nil)
	if first.status != http.StatusCreated || first.device == "" {
		t.Fatalf("first submission: %d, cookie %q", first.status, first.device)
	}
	issued := &http.Cookie{Name: "renke_dev", Value: first.device}
	if r := stuffPost(h, shared.Code, good, randomAddr(30), nil, issued); r.status != http.StatusConflict {
		t.Fatalf("the issued cookie again: %d %v, want 409", r.status, r.out)
	}
	minted := &http.Cookie{Name: "renke_dev", Value: mint(secret, "minted-device")}
	if r := stuffPost(h, shared.Code, good, randomAddr(30), nil, minted); r.status != http.StatusCreated || r.device != "" {
		t.Fatalf("a correctly signed cookie: %d, new cookie %q; want 201 and no new cookie", r.status, r.device)
	}
	if r := stuffPost(h, shared.Code, good, randomAddr(30), nil, minted); r.status != http.StatusConflict {
		t.Fatalf("a correctly signed cookie again: %d, want 409", r.status)
	}

	id, mac, _ := strings.Cut(first.device, ".")
	forged := []struct{ name, value string }{
		{"unsigned id", "attacker"},
		{"id with a made-up MAC", "attacker.AAAAAAAAAAAAAAAAAAAAAA"},
		{"signed with another secret", mint([]byte("some-other-deployment-secret"), "attacker")},
		{"issued MAC on another id", "attacker." + mac},
		{"issued id with a flipped MAC", id + "." + strings.ToUpper(mac[:1]) + strings.ToLower(mac[1:])},
		{"issued id with a truncated MAC", id + "." + mac[:21]},
		{"issued id, empty MAC", id + "."},
		{"4 KB of garbage", strings.Repeat("A.", 2048)},
	}
	for _, fc := range forged {
		t.Run(fc.name, func(t *testing.T) {
			if fc.value == first.device {
				t.Skip("the flip left the MAC unchanged")
			}
			r := stuffPost(h, shared.Code, good, randomAddr(31), nil, &http.Cookie{Name: "renke_dev", Value: fc.value})
			if r.status != http.StatusCreated {
				t.Fatalf("status %d %v: want 201 as a new device", r.status, r.out)
			}
			newID, _, ok := strings.Cut(r.device, ".")
			forgedID, _, _ := strings.Cut(fc.value, ".")
			if !ok || newID == forgedID || r.device == fc.value {
				t.Fatalf("Set-Cookie %q: want a fresh device id in place of %q", r.device, fc.value)
			}
			// Stored under the fresh id, not the forged one.
			found := false
			for _, resp := range f.responses() {
				if resp.ID == r.out["id"] {
					found = true
					if resp.DeviceID != newID {
						t.Fatalf("response %s stored under device %q, want the fresh %q", resp.ID, resp.DeviceID, newID)
					}
				}
			}
			if !found {
				t.Fatalf("accepted response %v not in the store", r.out["id"])
			}
		})
	}
}

func TestReplayedOneTimeSubmission(t *testing.T) {
	f := newFixture(t)
	codes := f.issue(survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Teacher, School: school, Count: 2})
	h := f.srv.Handler()
	good := body(f.answers(survey.Teacher, "3"), "")
	// The respondent opens the form (gets the device cookie) and submits.
	page := httptest.NewRecorder()
	h.ServeHTTP(page, httptest.NewRequest(http.MethodGet, "/s/"+codes[0].Code, nil))
	var cookie *http.Cookie
	for _, c := range page.Result().Cookies() {
		if c.Name == "renke_dev" {
			cookie = c
		}
	}
	if page.Code != http.StatusOK || cookie == nil {
		t.Fatalf("form page: %d, cookie %v", page.Code, cookie)
	}
	key := "captured-key-0123456789abcdef"
	idem := map[string]string{"Idempotency-Key": key}
	addr := randomAddr(40)
	if r := stuffPost(h, codes[0].Code, good, addr, idem, cookie); r.status != http.StatusCreated || r.out["id"] != key {
		t.Fatalf("original submission: %d %v", r.status, r.out)
	}

	// The captured request replayed byte for byte, concurrently, 20 times.
	var wg sync.WaitGroup
	replies := make([]stuffReply, 20)
	for i := range replies {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			replies[i] = stuffPost(h, codes[0].Code, good, addr, idem, cookie)
		}(i)
	}
	wg.Wait()
	for i, r := range replies {
		if r.status != http.StatusConflict || r.out["already_recorded"] != true || r.out["id"] != key || r.header.Get("X-Already-Recorded") != "1" {
			t.Errorf("replay %d with the same key: %d %v, want 409 already_recorded", i, r.status, r.out)
		}
	}
	// Without the key, with another key, from elsewhere without the cookie: the code is used.
	for name, r := range map[string]stuffReply{
		"same body and cookie, no key":  stuffPost(h, codes[0].Code, good, addr, nil, cookie),
		"same body and cookie, new key": stuffPost(h, codes[0].Code, good, addr, map[string]string{"Idempotency-Key": "another-key-0123456789abcdef"}, cookie),
		"other address, no cookie":      stuffPost(h, codes[0].Code, good, randomAddr(41), nil),
	} {
		if r.status != http.StatusConflict || r.out["already_recorded"] != nil || r.out["state"] != "used" || !strings.Contains(fmt.Sprint(r.out["error"]), "已经有人提交过答卷") {
			t.Errorf("%s: %d %v, want 409 code already used", name, r.status, r.out)
		}
	}
	// The captured key on another, unused code: refused at once, not stored, not a 503.
	start := time.Now()
	r := stuffPost(h, codes[1].Code, good, addr, idem, cookie)
	t.Logf("captured key on another code: %d %v in %v", r.status, r.out, time.Since(start))
	if r.status != http.StatusConflict || r.out["already_recorded"] != nil {
		t.Errorf("captured key on another code: %d %v after %v, want 409 without already_recorded (that code holds nothing)", r.status, r.out, time.Since(start))
	}
	rs := f.responses()
	if len(rs) != 1 || rs[0].ID != key || rs[0].Code != codes[0].Code {
		t.Fatalf("store holds %d responses, want the one original", len(rs))
	}
}
