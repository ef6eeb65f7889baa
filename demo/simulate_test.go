package demo

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"renke/api"
	"renke/config"
	"renke/internal/testenv"
	"renke/store"
	"renke/survey"
)

func TestSimJobs(t *testing.T) {
	full := survey.Code{Code: "full", Kind: survey.SharedCode, Group: survey.Parent, Quota: 10}
	open := survey.Code{Code: "open", Kind: survey.SharedCode, Group: survey.Parent, Quota: 10}
	usedOT := survey.Code{Code: "used1", Kind: survey.OneTimeCode, Group: survey.Deputy}
	ots := []survey.Code{usedOT}
	for _, c := range []string{"ot1", "ot2", "ot3"} {
		ots = append(ots, survey.Code{Code: c, Kind: survey.OneTimeCode, Group: survey.Deputy})
	}
	used := map[string]int64{"full": 10, "open": 3, "used1": 1}
	jobs, err := simJobs(append([]survey.Code{full, open}, ots...), used, SimOptions{Responses: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, j := range jobs {
		n[j.code.Code]++
	}
	if len(jobs) != 500 || n["full"] != 0 || n["used1"] != 0 || n["ot1"] != 1 || n["ot2"] != 1 || n["ot3"] != 1 || n["open"] != 497 {
		t.Errorf("jobs by code %v", n)
	}
	// Once every quota is full, shared codes are used by quota (the server refuses them).
	jobs, err = simJobs([]survey.Code{full}, used, SimOptions{Responses: 5, Seed: 1})
	if err != nil || len(jobs) != 5 {
		t.Errorf("full quotas: %d jobs, %v", len(jobs), err)
	}
	if _, err := simJobs(ots, used, SimOptions{Responses: 4, Seed: 1}); err == nil {
		t.Error("4 sheets on 3 unused one-time codes: no error")
	}
	if _, err := simJobs([]survey.Code{usedOT}, used, SimOptions{Responses: 1, Seed: 1}); err == nil {
		t.Error("no usable code: no error")
	}
}

// simSurvey is an open survey with a parent code without band, a public code
// and a few one-time deputy codes.
func simSurvey(t *testing.T) (*survey.Survey, []survey.Code) {
	t.Helper()
	now := time.Now()
	sv, err := survey.NewSurvey(CountyName, Title, now.Add(-time.Hour), now.Add(time.Hour), survey.DefaultForms())
	if err != nil {
		t.Fatal(err)
	}
	if err := sv.Transition(survey.Open, now); err != nil {
		t.Fatal(err)
	}
	school := survey.School{Code: "S1", Name: "青山镇中心小学", Township: "青山镇", Urbanicity: survey.Town}
	var codes []survey.Code
	for _, sp := range []survey.IssueSpec{
		{Kind: survey.SharedCode, Group: survey.Parent, School: school, Quota: 1000},
		{Kind: survey.SharedCode, Group: survey.Public, Urbanicity: survey.Town, Quota: 1000},
		{Kind: survey.OneTimeCode, Group: survey.Deputy, Count: 3},
	} {
		cs, err := sp.Issue(sv.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, cs...)
	}
	return sv, codes
}

func TestSimulateRetriesWithOneKey(t *testing.T) {
	sv, codes := simSurvey(t)
	byCode := map[string]*survey.Code{}
	for i := range codes {
		byCode[codes[i].Code] = &codes[i]
	}
	var mu sync.Mutex
	tries := map[string]int{}
	keys := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := byCode[r.URL.Path[len("/api/v1/codes/"):len(r.URL.Path)-len("/responses")]]
		if code == nil {
			t.Errorf("sheet for an unknown code: %s", r.URL.Path)
			w.WriteHeader(http.StatusNotFound)
			return
		}
		key := r.Header.Get("Idempotency-Key")
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		tries[key]++
		n := tries[key]
		keys[key] = true
		even := len(keys)%2 == 0
		mu.Unlock()
		sub, err := survey.ParseSubmission(body)
		if err == nil {
			err = sv.Forms[code.Group.Form()].Validate(sub, code.Group)
		}
		if err == nil && code.Band == "" {
			err = survey.RequireBand(sub, code.Group)
		}
		switch {
		case err != nil || !idShape.MatchString(key) || r.Header.Get("User-Agent") == "" ||
			len(r.Cookies()) > 0 || r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Content-Type") != "application/json":
			t.Errorf("bad sheet for %v: %v (key %q)", code, err, key)
			w.WriteHeader(http.StatusBadRequest)
		case n == 1:
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
		case n == 2:
			w.WriteHeader(http.StatusTooManyRequests)
		case even:
			w.Header().Set("X-Already-Recorded", "1")
			w.WriteHeader(http.StatusConflict)
		default:
			w.WriteHeader(http.StatusCreated)
		}
	}))
	defer srv.Close()
	res, err := Simulate(context.Background(), sv, codes, nil, SimOptions{Base: srv.URL, Responses: 30, Concurrency: 4, MaxBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Statuses[http.StatusCreated] != 30 || len(res.Statuses) != 1 || res.Retries != 60 || res.Recorded == 0 || len(keys) != 30 {
		t.Errorf("result %+v, %d keys", res, len(keys))
	}
	for k, n := range tries {
		if n != 3 {
			t.Errorf("key %s tried %d times, want 3", k, n)
		}
	}
}

// serveAPI runs a real renke server over st on loopback.
func serveAPI(t *testing.T, st *store.Store, cfg *config.Config) string {
	t.Helper()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	srv, err := api.New(api.Deps{Config: cfg, Store: st, KV: testenv.KV(t), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { stop(); <-done })
	return "http://" + ln.Addr().String()
}

// Through the real server: the per-address limit refuses one address's
// sheets beyond it, and random forwarded addresses pass where the server
// trusts the simulator as a proxy. Every accepted sheet is in the chain.
func TestSimulateThroughTheServer(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	sv, codes := simSurvey(t)
	if err := st.CreateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	if err := st.InsertCodes(ctx, codes); err != nil {
		t.Fatal(err)
	}
	cfg := func(trusted ...string) *config.Config {
		return &config.Config{Addr: "127.0.0.1:0", PublicURL: "http://127.0.0.1:8080", Database: "renke_test",
			Secret: testSecret, ShutdownTimeout: 5 * time.Second, TrustedProxies: trusted,
			Limits: config.Limits{PerAddr: 10, PerCode: 10000, PerSurvey: 100000}}
	}
	direct, err := Simulate(ctx, sv, codes, nil, SimOptions{Base: serveAPI(t, st, cfg()), Responses: 25, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	limited := direct.Statuses[http.StatusTooManyRequests]
	if direct.Accepted() < 10 || limited == 0 || direct.Accepted()+limited != 25 {
		t.Errorf("one address, limit 10 a minute: %v", direct.Statuses)
	}
	proxied, err := Simulate(ctx, sv, codes, nil, SimOptions{Base: serveAPI(t, st, cfg("127.0.0.1")), Responses: 25,
		MaxAttempts: 1, ForwardedFor: true})
	if err != nil {
		t.Fatal(err)
	}
	if proxied.Accepted() != 25 {
		t.Errorf("random forwarded addresses through a trusted proxy: %v", proxied.Statuses)
	}
	addrs := map[string]bool{}
	v := survey.NewVerifier()
	if err := st.EachResponse(ctx, sv.ID, func(r *survey.Response) error {
		addrs[r.AddrHash] = true
		return v.Next(r)
	}); err != nil {
		t.Fatal(err)
	}
	if seq, _ := v.Head(); seq != int64(direct.Accepted()+proxied.Accepted()) || len(addrs) < 20 {
		t.Errorf("chain holds %d responses from %d addresses; accepted %d + %d", seq, len(addrs), direct.Accepted(), proxied.Accepted())
	}
}
