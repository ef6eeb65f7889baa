package e2e

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"renke/survey"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestRedisOutageFallsBackAndQuotaHolds(t *testing.T) {
	c := newCluster(t, "RENKE_TRUSTED_PROXIES=127.0.0.1")
	id := c.openSurvey(t)
	renke(t, c.env, "codes", "issue", "--survey", id, "--kind", "shared", "--group", "parent", "--band", "g7-9", "--quota", "150",
		"--school", "S001", "--school-name", "城关中学", "--township", "城关镇", "--urbanicity", "城区")
	shared := c.codes(t, id)[0].Code
	p := serve(t, c.env)
	body := answersBody(defaultSocial(), "")
	client := &http.Client{Timeout: 20 * time.Second}
	var slowest time.Duration

	var mu sync.Mutex
	status := map[string]map[int]int{"before": {}, "during": {}, "after": {}}
	phase := "before"
	n := 0
	send := func(k int) {
		var wg sync.WaitGroup
		for i := 0; i < k; i++ {
			mu.Lock()
			n++
			addr, ph := fmt.Sprintf("198.18.%d.%d", n/250, n%250), phase
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Like the respondent page: retry 503s, 429s and network
				// errors with the same Idempotency-Key for up to a minute.
				key, s := idemKey(), 0
				for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
					start := time.Now()
					var err error
					s, err = submitKeyed(client, p.base, shared, body, addr, key)
					mu.Lock()
					slowest = max(slowest, time.Since(start))
					mu.Unlock()
					if err != nil {
						s = -1
					}
					if s != -1 && s != 503 && s != 429 {
						break
					}
				}
				mu.Lock()
				status[ph][s]++
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	send(60)
	c.redis.Stop()
	mu.Lock()
	phase = "during"
	mu.Unlock()
	send(60)
	code, ready := get(t, p.base+"/readyz")
	if code != 503 || !strings.Contains(ready, `"mongo":"ok"`) || strings.Contains(ready, `"redis":"ok"`) {
		t.Errorf("readyz with Redis down: %d %s", code, ready)
	}
	_, metrics := get(t, p.base+"/metrics")
	if !strings.Contains(metrics, "renke_rate_limit_fallback 1") {
		t.Error("metrics do not show the fallback limiter in use")
	}
	c.redis.Start() // an empty Redis: quota counters must be rebuilt from the store
	mu.Lock()
	phase = "after"
	mu.Unlock()
	send(90)
	t.Logf("statuses by phase: %v; slowest submission %v", status, slowest)

	if status["before"][201] != 60 || status["during"][201] != 60 {
		t.Errorf("submissions were not accepted through the Redis outage: %v", status)
	}
	if status["after"][201] != 30 || status["after"][409] != 60 {
		t.Errorf("after Redis returned: %v, want 30 more accepted then 60 refused for the full quota", status["after"])
	}
	_, byCode := verifyChain(t, c.mongoURI, id)
	if byCode[shared] != 150 {
		t.Errorf("store holds %d responses for a quota of 150", byCode[shared])
	}
	if code, _ := get(t, p.base+"/readyz"); code != 200 {
		t.Errorf("readyz after Redis returned: %d", code)
	}
}

// TestRedisOutageQuotaHoldsAcrossReplicas: with Redis down, three replicas
// each count a shared code's quota in the store on their own; the places are
// taken in the store, so together they still accept exactly the quota, and
// after Redis returns (empty) not one more.
func TestRedisOutageQuotaHoldsAcrossReplicas(t *testing.T) {
	c := newCluster(t, "RENKE_TRUSTED_PROXIES=127.0.0.1")
	id := c.openSurvey(t)
	renke(t, c.env, "codes", "issue", "--survey", id, "--kind", "shared", "--group", "parent", "--band", "g3-4", "--quota", "45",
		"--school", "S002", "--school-name", "城关二小", "--township", "城关镇", "--urbanicity", "城区")
	shared := c.codes(t, id)[0].Code
	var replicas []*proc
	for range 3 {
		replicas = append(replicas, serve(t, c.env))
	}
	body := answersBody(survey.DefaultForms()[survey.SocialForm], "")
	client := &http.Client{Timeout: 30 * time.Second}

	var mu sync.Mutex
	status := map[int]int{}
	n := 0
	send := func(k int) {
		var wg sync.WaitGroup
		for i := range k {
			mu.Lock()
			n++
			addr := fmt.Sprintf("198.19.%d.%d", n/250, n%250)
			mu.Unlock()
			rep := replicas[i%len(replicas)]
			wg.Go(func() {
				s, err := submitRetrying(client, rep.base, shared, body, addr)
				if err != nil {
					s = -1
				}
				mu.Lock()
				status[s]++
				mu.Unlock()
			})
		}
		wg.Wait()
	}
	send(15) // Redis counts the first 15
	c.redis.Stop()
	send(90) // 30 places left, 90 devices racing for them over three replicas
	during := map[int]int{}
	mu.Lock()
	for k, v := range status {
		during[k] = v
	}
	mu.Unlock()
	c.redis.Start()
	send(20)
	t.Logf("statuses before+during: %v; in all: %v", during, status)

	if during[201] != 45 || during[409] != 60 {
		t.Errorf("through the outage: %v, want 45 accepted and 60 refused", during)
	}
	if status[201] != 45 || status[409] != 80 {
		t.Errorf("after Redis returned: %v, want still 45 accepted", status)
	}
	if _, byCode := verifyChain(t, c.mongoURI, id); byCode[shared] != 45 {
		t.Errorf("store holds %d responses for a quota of 45", byCode[shared])
	}
}
