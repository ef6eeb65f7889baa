package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"renke/internal/testenv"
	"renke/store"
	"renke/survey"
)

// cluster is one store, one Redis and the environment pointing at them.
type cluster struct {
	env      []string
	mongoURI string
	redis    *testenv.Redis
}

func newCluster(t *testing.T, extra ...string) *cluster {
	t.Helper()
	mongo := testenv.Mongo(t, t.TempDir())
	r := testenv.OwnRedis(t)
	env := append([]string{"RENKE_MONGO_URI=" + mongo, "RENKE_REDIS_URL=" + r.URL,
		"RENKE_DATA=" + t.TempDir(), "RENKE_SECRET=e2e-shared-secret-0123456789", "RENKE_LOG_LEVEL=warn"}, extra...)
	return &cluster{env: env, mongoURI: mongo, redis: r}
}

// openSurvey creates and opens a survey through the CLI and returns its id.
func (c *cluster) openSurvey(t *testing.T) string {
	t.Helper()
	id := strings.TrimSpace(renke(t, c.env, "survey", "create", "--county", "扩展县"))
	renke(t, c.env, "survey", "open", id)
	return id
}

type codeRow struct {
	Code  string `json:"code"`
	Kind  string `json:"kind"`
	Group string `json:"group"`
	Quota int    `json:"quota"`
	Used  int    `json:"used"`
}

func (c *cluster) codes(t *testing.T, id string) []codeRow {
	t.Helper()
	var rows []codeRow
	if err := json.Unmarshal([]byte(renke(t, c.env, "codes", "--survey", id, "--format", "json")), &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

func answersBody(q survey.Questionnaire, band string) []byte {
	a := map[string]string{}
	for i, it := range q.Items {
		a[it.ID] = survey.OptionCodes[i%5]
	}
	m := map[string]any{"answers": a, "started_at": time.Now().Add(-3 * time.Minute).Format(time.RFC3339)}
	if band != "" {
		m["band"] = band
	}
	b, _ := json.Marshal(m)
	return b
}

// verifyChain reads the survey back from the store and checks its chain.
func verifyChain(t *testing.T, mongoURI, id string) (n int64, byCode map[string]int) {
	t.Helper()
	st, err := store.Open(context.Background(), mongoURI, "renke", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(context.Background())
	v := survey.NewVerifier()
	byCode = map[string]int{}
	if err := st.EachResponse(context.Background(), id, func(r *survey.Response) error {
		byCode[r.Code]++
		return v.Next(r)
	}); err != nil {
		t.Fatalf("hash chain: %v", err)
	}
	n, _ = v.Head()
	return n, byCode
}

func TestThreeReplicasShareEveryRule(t *testing.T) {
	c := newCluster(t, "RENKE_TRUSTED_PROXIES=127.0.0.1", "RENKE_LIMIT_ADDR=5")
	id := c.openSurvey(t)
	school := []string{"--school", "S001", "--school-name", "城关一小", "--township", "城关镇", "--urbanicity", "城区"}
	renke(t, c.env, append([]string{"codes", "issue", "--survey", id, "--kind", "onetime", "--group", "teacher", "--count", "30"}, school...)...)
	renke(t, c.env, append([]string{"codes", "issue", "--survey", id, "--kind", "shared", "--group", "parent", "--band", "g5-6", "--quota", "40"}, school...)...)
	var replicas []*proc
	for i := 0; i < 3; i++ {
		replicas = append(replicas, serve(t, c.env))
	}
	var onetime []string
	var shared string
	for _, r := range c.codes(t, id) {
		if r.Kind == "onetime" {
			onetime = append(onetime, r.Code)
		} else {
			shared = r.Code
		}
	}
	forms := survey.DefaultForms()
	staff, social := answersBody(forms[survey.StaffForm], ""), answersBody(forms[survey.SocialForm], "")
	client := &http.Client{Timeout: 30 * time.Second}
	ctx := context.Background()
	_ = ctx

	var mu sync.Mutex
	status := map[string]map[int]int{"onetime": {}, "shared": {}, "limited": {}}
	record := func(kind string, code int, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			status[kind][-1]++
			return
		}
		status[kind][code]++
	}
	var wg sync.WaitGroup
	// Every one-time code submitted once through each replica at the same time.
	for i, code := range onetime {
		for j, rep := range replicas {
			wg.Add(1)
			go func(code string, rep *proc, addr string) {
				defer wg.Done()
				s, err := submitRetrying(client, rep.base, code, staff, addr)
				record("onetime", s, err)
			}(code, rep, fmt.Sprintf("192.0.2.%d", i*3+j))
		}
	}
	// 100 devices from 100 addresses race for a shared quota of 40 across the replicas.
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s, err := submitRetrying(client, replicas[i%3].base, shared, social, fmt.Sprintf("203.0.113.%d", i))
			record("shared", s, err)
		}(i)
	}
	wg.Wait()
	// One address, limit 5 a minute, spread over the replicas: the limit is shared.
	renke(t, c.env, append([]string{"codes", "issue", "--survey", id, "--kind", "onetime", "--group", "teacher", "--count", "12"}, school...)...)
	var fresh []string
	for _, r := range c.codes(t, id) {
		if r.Kind == "onetime" && r.Used == 0 {
			fresh = append(fresh, r.Code)
		}
	}
	for i, code := range fresh[:12] {
		s, _, err := submit(ctx, client, replicas[i%3].base, code, staff, "198.51.100.7")
		record("limited", s, err)
	}
	t.Logf("statuses: %v", status)
	if status["onetime"][201] != 30 || status["onetime"][409] != 60 {
		t.Errorf("one-time codes through three replicas: %v, want 30×201 and 60×409", status["onetime"])
	}
	if status["shared"][201] != 40 || status["shared"][409] != 60 {
		t.Errorf("shared quota of 40 through three replicas: %v, want 40×201 and 60×409", status["shared"])
	}
	if status["limited"][201] != 5 || status["limited"][429] != 7 {
		t.Errorf("per-address limit of 5 through three replicas: %v, want 5×201 and 7×429", status["limited"])
	}
	n, byCode := verifyChain(t, c.mongoURI, id)
	if n != 75 || byCode[shared] != 40 {
		t.Errorf("store holds %d responses (%d on the shared code), want 75 (40)", n, byCode[shared])
	}
	out := renke(t, c.env, "verify", "--survey", id)
	if !strings.HasPrefix(out, "ok: 75 responses") {
		t.Errorf("renke verify: %q", out)
	}
}

func defaultSocial() survey.Questionnaire { return survey.DefaultForms()[survey.SocialForm] }

// submitRetrying submits as the respondent page does: the same Idempotency-Key
// again after a 503 or a network error, for up to a minute. A retry of a
// stored submission counts as its 201.
func submitRetrying(client *http.Client, base, code string, body []byte, fwd string) (int, error) {
	key := idemKey()
	var s int
	var err error
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		s, err = submitKeyed(client, base, code, body, fwd, key)
		if err == nil && s != http.StatusServiceUnavailable {
			return s, nil
		}
	}
	return s, err
}
