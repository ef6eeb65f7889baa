package e2e

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"renke/internal/testenv"
	"renke/store"
	"renke/survey"
)

// onetimeSurvey opens a survey with n one-time teacher codes.
func onetimeSurvey(t *testing.T, c *cluster, n int) (string, []string) {
	t.Helper()
	id := c.openSurvey(t)
	renke(t, c.env, "codes", "issue", "--survey", id, "--kind", "onetime", "--group", "teacher", "--count", itoa(n),
		"--school", "S001", "--school-name", "城关一小", "--township", "城关镇", "--urbanicity", "城区")
	var codes []string
	for _, r := range c.codes(t, id) {
		codes = append(codes, r.Code)
	}
	return id, codes
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// checkAccepted asserts every accepted sheet is stored exactly once, under the
// id the client sent, nothing else is stored, and the chain verifies.
func checkAccepted(t *testing.T, mongoURI, id string, r *respondents) {
	t.Helper()
	st, err := store.Open(context.Background(), mongoURI, "renke", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	v := survey.NewVerifier()
	stored := map[string]string{}
	if err := st.EachResponse(context.Background(), id, func(resp *survey.Response) error {
		if prev, dup := stored[resp.Code]; dup {
			t.Errorf("code %s stored twice (%s and %s)", resp.Code, prev, resp.ID)
		}
		stored[resp.Code] = resp.ID
		return v.Next(resp)
	}); err != nil {
		t.Fatalf("hash chain: %v", err)
	}
	for code, key := range r.accepted {
		if stored[code] != key {
			t.Errorf("code %s was accepted (id %s) but the store holds %q", code, key, stored[code])
		}
	}
	if len(stored) != len(r.accepted) {
		t.Errorf("store holds %d responses, clients were told %d were accepted", len(stored), len(r.accepted))
	}
	t.Logf("accepted %d, final statuses %v, retries %d %v", len(r.accepted), r.final, r.retries.Load(), r.why)
}

func staffBody() []byte { return answersBody(survey.DefaultForms()[survey.StaffForm], "") }

func TestKilledServerLosesNothingAccepted(t *testing.T) {
	c := newCluster(t, "RENKE_TRUSTED_PROXIES=127.0.0.1")
	id, codes := onetimeSurvey(t, c, 400)
	p := serve(t, c.env)
	r := newRespondents(staffBody(), func() string { return p.base })
	done := make(chan struct{})
	go func() { r.run(codes, 16, nil, time.Now().Add(90*time.Second)); close(done) }()
	time.Sleep(1500 * time.Millisecond)
	p.kill() // SIGKILL mid-load
	time.Sleep(500 * time.Millisecond)
	p.start()
	<-done
	if r.final[-1] > 0 {
		t.Errorf("%d respondents gave up", r.final[-1])
	}
	checkAccepted(t, c.mongoURI, id, r)
	if len(r.accepted) != len(codes) {
		t.Errorf("accepted %d of %d sheets", len(r.accepted), len(codes))
	}
}

func TestGracefulShutdownUnderLoadDropsNothing(t *testing.T) {
	c := newCluster(t, "RENKE_TRUSTED_PROXIES=127.0.0.1")
	id, codes := onetimeSurvey(t, c, 2000)
	p := serve(t, c.env)
	r := newRespondents(staffBody(), func() string { return p.base })
	stop := make(chan struct{})
	done := make(chan struct{})
	// Respondents give up quickly: once the server is gone nobody answers.
	go func() { r.run(codes, 16, stop, time.Now().Add(8*time.Second)); close(done) }()
	time.Sleep(1500 * time.Millisecond)
	if err := p.stop(); err != nil {
		t.Errorf("renke did not exit cleanly on SIGTERM: %v\n%s", err, p.log.String())
	}
	close(stop)
	<-done
	checkAccepted(t, c.mongoURI, id, r)
	if len(r.accepted) == 0 {
		t.Fatal("nothing was accepted before the shutdown: the test measured nothing")
	}
}

func TestStoreOutageGives503ThenEverythingOnce(t *testing.T) {
	mongo := testenv.Mongo(t, t.TempDir())
	proxy := testenv.NewProxy(t, strings.TrimSuffix(strings.TrimPrefix(mongo, "mongodb://"), "/"))
	c := newCluster(t, "RENKE_TRUSTED_PROXIES=127.0.0.1")
	for i, kv := range c.env {
		if strings.HasPrefix(kv, "RENKE_MONGO_URI=") {
			c.env[i] = "RENKE_MONGO_URI=mongodb://" + proxy.Addr + "/?serverSelectionTimeoutMS=2000"
		}
	}
	c.mongoURI = mongo
	id, codes := onetimeSurvey(t, c, 300)
	p := serve(t, c.env)
	r := newRespondents(staffBody(), func() string { return p.base })
	done := make(chan struct{})
	go func() { r.run(codes, 12, nil, time.Now().Add(120*time.Second)); close(done) }()
	time.Sleep(1 * time.Second)
	proxy.Cut()
	time.Sleep(1 * time.Second)
	// While the store is away: 503 with Retry-After, and /readyz says so.
	resp, err := http.Post(p.base+"/api/v1/codes/"+codes[len(codes)-1]+"/responses", "application/json", bytesReader(staffBody()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("submission with the store away: %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	ready, err := http.Get(p.base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(ready.Body)
	ready.Body.Close()
	if ready.StatusCode != 503 || !strings.Contains(string(b), `"redis":"ok"`) {
		t.Errorf("readyz with the store away: %d %s", ready.StatusCode, b)
	}
	time.Sleep(2 * time.Second)
	proxy.Restore()
	<-done
	if r.final[-1] > 0 {
		t.Errorf("%d respondents gave up", r.final[-1])
	}
	if r.retries.Load() == 0 {
		t.Error("no submission was retried: the outage was not felt")
	}
	checkAccepted(t, c.mongoURI, id, r)
}
