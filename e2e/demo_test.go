package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
	"time"
)

// demoReport is the part of the report JSON the demo test reads.
type demoReport struct {
	SurveyID string `json:"survey_id"`
	County   string `json:"county"`
	Counts   struct {
		Responses int `json:"responses"`
		Excluded  int `json:"excluded"`
	} `json:"counts"`
	Overall struct {
		Rate float64 `json:"rate"`
	} `json:"overall"`
	Quality struct {
		ByRule []struct {
			Rule    string `json:"rule"`
			Flagged int    `json:"flagged"`
		} `json:"by_rule"`
	} `json:"quality"`
}

// What `make run` does on a fresh data dir: `renke demo`, then `renke serve`.
// The server becomes ready, a demo code's form page answers, the report of
// the demo is served (command line and, for the demo evaluator, the API), and
// `renke simulate` submits through the server.
func TestDemoMakeRun(t *testing.T) {
	env := []string{"RENKE_DATA=" + t.TempDir()}
	start := time.Now()
	out := renke(t, env, "demo", "--seed", "3")
	t.Logf("renke demo (race-built binary): %v", time.Since(start).Round(time.Millisecond))
	find := func(pattern string) string {
		m := regexp.MustCompile(pattern).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("demo output lacks %s:\n%s", pattern, out)
		}
		return m[1]
	}
	id := find(`调查 ID：(\S+)`)
	code := find(`/s/([a-z2-7]{32})`)
	password := find(`demo-evaluator\s+\S+，密码 (\S+)`)
	if again := renke(t, env, "demo", "--seed", "3"); !strings.Contains(again, "demo already present") || !strings.Contains(again, id) {
		t.Fatalf("second demo run:\n%s", again)
	}

	p := serve(t, env)
	resp, err := http.Get(p.base + "/s/" + code)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), `name="a_c01"`) {
		t.Fatalf("form page of the demo code: %d\n%.500s", resp.StatusCode, page)
	}

	var cli demoReport
	if err := json.Unmarshal([]byte(renke(t, env, "report", "--survey", id, "--format", "json")), &cli); err != nil {
		t.Fatal(err)
	}
	flagged := map[string]int{}
	for _, r := range cli.Quality.ByRule {
		flagged[r.Rule] = r.Flagged
	}
	if cli.SurveyID != id || cli.Counts.Responses < 900 || cli.Overall.Rate < 0.8 || cli.Overall.Rate > 0.97 ||
		flagged["burst"] < 25 || flagged["speeder"] < 10 || flagged["repeat_device"] < 1 {
		t.Errorf("demo report: %+v, flagged %v", cli, flagged)
	}

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	login, _ := json.Marshal(map[string]string{"name": "demo-evaluator", "password": password})
	resp, err = client.Post(p.base+"/api/v1/session", "application/json", bytes.NewReader(login))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("demo evaluator login: %d", resp.StatusCode)
	}
	resp, err = client.Get(p.base + "/api/v1/surveys/" + id + "/report")
	if err != nil {
		t.Fatal(err)
	}
	var api demoReport
	err = json.NewDecoder(resp.Body).Decode(&api)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || err != nil || api.Overall.Rate != cli.Overall.Rate || api.Counts != cli.Counts {
		t.Errorf("report for the demo evaluator: %d %v: %+v, command line %+v", resp.StatusCode, err, api, cli)
	}

	sim := renke(t, env, "simulate", "--survey", id, "--responses", "12", "--concurrency", "3", "--base", p.base)
	if !regexp.MustCompile(`201 已接收：\d+`).MatchString(sim) {
		t.Errorf("simulate:\n%s", sim)
	}
}
