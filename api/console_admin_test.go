package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"renke/account"
	"renke/hashchain"
	"renke/store"
)

var shownPassword = regexp.MustCompile(`<code class="secret">([^<]+)</code>`)

func TestConsoleAdminManagesCountiesAndUsers(t *testing.T) {
	f := newConsoleFixture(t)
	ctx := context.Background()
	admin := f.client()
	admin.loginForm("admin", testPassword, "/console")
	admin.refreshCSRF()

	if res, body := admin.form("/console/counties", url.Values{"name": {"沙坪坝区"}, "code": {"500106"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("register county: %d %.300s", res.StatusCode, body)
	}
	if res, _ := admin.form("/console/counties", url.Values{"name": {"别的区"}, "code": {"500106"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("duplicate county code: %d, want 409", res.StatusCode)
	}
	if res, body := admin.form("/console/counties", url.Values{"name": {"坏区"}, "code": {"12"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "6 位行政区划代码") {
		t.Errorf("bad county code: %d", res.StatusCode)
	}

	// A user created without a password gets one generated and shown once.
	res, body := admin.form("/console/users", url.Values{"name": {"Zhao"}, "role": {"coordinator"}, "county": {"沙坪坝区"}})
	m := shownPassword.FindSubmatch(body)
	if res.StatusCode != http.StatusCreated || m == nil {
		t.Fatalf("create user: %d, password shown: %v", res.StatusCode, m != nil)
	}
	zhao := f.client()
	if res, body := zhao.json("POST", "/api/v1/session", map[string]string{"name": "zhao", "password": string(m[1])}); res.StatusCode != http.StatusOK {
		t.Fatalf("login with the generated password: %d %s", res.StatusCode, body)
	}
	var list struct {
		Counties []account.County `json:"counties"`
	}
	_, body = zhao.get("/api/v1/counties")
	json.Unmarshal(body, &list)
	if len(list.Counties) != 1 || list.Counties[0].Name != "沙坪坝区" {
		t.Errorf("zhao sees %+v, want only 沙坪坝区", list.Counties)
	}
	if res, _ := admin.form("/console/users", url.Values{"name": {"zhao"}, "role": {"evaluator"}, "county": {"沙坪坝区"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("duplicate user name: %d, want 409", res.StatusCode)
	}
	if res, body := admin.form("/console/users", url.Values{"name": {"qian"}, "role": {"evaluator"}, "county": {"未登记县"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "尚未登记") {
		t.Errorf("user of an unregistered county: %d", res.StatusCode)
	}

	// Assigning a county from the county list.
	u, err := f.store.UserByName(ctx, "zhao")
	if err != nil {
		t.Fatal(err)
	}
	if res, body := admin.form("/console/counties/"+url.PathEscape(homeCounty)+"/assign", url.Values{"user": {u.ID}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign: %d %.300s", res.StatusCode, body)
	}
	_, body = zhao.get("/api/v1/counties")
	json.Unmarshal(body, &list)
	if len(list.Counties) != 2 {
		t.Errorf("after assignment zhao sees %d counties, want 2", len(list.Counties))
	}
	if res, _ := zhao.get("/api/v1/surveys/" + f.home.ID); res.StatusCode != http.StatusOK {
		t.Errorf("zhao reads a survey of the newly assigned county: %d", res.StatusCode)
	}

	// The log has every change, and never a password or a hash.
	entries, err := f.store.Audit(ctx, store.AuditFilter{Actor: "admin"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[account.Action]int{}
	for _, e := range entries {
		seen[e.Action]++
		if strings.Contains(e.Before+e.After, "$2a$") || strings.Contains(e.Before+e.After, string(m[1])) {
			t.Errorf("audit entry %s holds a password or hash", e.Action)
		}
	}
	if seen[account.ActCountyCreate] != 1 || seen[account.ActUserCreate] != 1 || seen[account.ActUserUpdate] != 1 {
		t.Errorf("admin's audit entries %v", seen)
	}
	res, body = admin.get("/console/audit?actor=admin")
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "登记区县") || !strings.Contains(string(body), "创建用户") {
		t.Errorf("audit page: %d", res.StatusCode)
	}
	seq, head, err := f.store.AuditHead(ctx)
	if err != nil || !strings.Contains(string(body), fmt.Sprintf("审计日志共 %d 条，已从第一条起逐条校验哈希链，全部通过。链头：<code>%s</code>", seq, head)) {
		t.Errorf("audit page does not state the verified chain (head %d %s, %v)", seq, head, err)
	}
	// An entry changed in the database behind renke's back is named on the page.
	if _, err := f.store.Collection("audit").UpdateOne(ctx, map[string]any{"seq": 2},
		map[string]any{"$set": map[string]any{"note": "改过"}}); err != nil {
		t.Fatal(err)
	}
	if res, body = admin.get("/console/audit"); res.StatusCode != http.StatusOK ||
		!strings.Contains(string(body), "审计日志的哈希链校验未通过：hash chain broken at seq 2") {
		t.Errorf("audit page after an edit: %d, no warning naming seq 2", res.StatusCode)
	}
	res, body = admin.get("/api/v1/audit?limit=2")
	var page struct {
		Entries      []account.Entry  `json:"entries"`
		Verification hashchain.Result `json:"verification"`
	}
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &page) != nil || len(page.Entries) != 2 {
		t.Errorf("audit API limit=2: %d %s", res.StatusCode, body)
	}
	// The JSON carries the same verification as the page.
	if v := page.Verification; v.OK || len(v.Breaks) != 1 || v.Breaks[0].String() != "seq 2: content changed" || v.Verified != 1 {
		t.Errorf("audit API verification after an edit: %+v", v)
	}
	if res, _ := admin.get("/api/v1/audit?limit=0"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("audit API limit=0: %d", res.StatusCode)
	}
}

func TestConsoleJSONAPI(t *testing.T) {
	f := newConsoleFixture(t)
	coord := f.login("coord")
	res, body := coord.json("POST", "/api/v1/counties/"+url.PathEscape(homeCounty)+"/surveys",
		map[string]string{"title": "API 调查", "opens": "2030-01-01T08:00:00+08:00", "closes": "2030-02-01T08:00:00+08:00"})
	var sv struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	if res.StatusCode != http.StatusCreated || json.Unmarshal(body, &sv) != nil || sv.Status != "draft" {
		t.Fatalf("create: %d %s", res.StatusCode, body)
	}
	if res, body := coord.json("PUT", "/api/v1/surveys/"+sv.ID+"/scheme", map[string]float64{"1": 1, "2": 0.75, "3": 0.5, "4": 0}); res.StatusCode != http.StatusOK {
		t.Errorf("scheme: %d %s", res.StatusCode, body)
	}
	if got := f.survey(sv.ID).Scheme["2"]; got != 0.75 {
		t.Errorf("scheme stored %v", got)
	}
	if res, _ := coord.json("PUT", "/api/v1/surveys/"+sv.ID+"/group-weights", map[string]float64{"parent": 1, "mayor": 1}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("weights with an unknown group: %d", res.StatusCode)
	}
	res, body = coord.do("PUT", "/api/v1/surveys/"+sv.ID+"/scheme", "application/json", strings.NewReader(`{"1":1,"4":0}{}`), nil)
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("two JSON values: %d %s", res.StatusCode, body)
	}
	res, _ = coord.do("POST", "/api/v1/surveys/"+sv.ID+"/codes", "text/plain", strings.NewReader(`{}`), nil)
	if res.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("non-JSON body: %d", res.StatusCode)
	}
	res, body = coord.json("POST", "/api/v1/surveys/"+sv.ID+"/codes", map[string]any{"kind": "onetime", "group": "deputy", "count": 3})
	var issued struct {
		Batch string `json:"batch"`
		Codes []struct {
			Code string `json:"code"`
			URL  string `json:"url"`
		} `json:"codes"`
	}
	if res.StatusCode != http.StatusCreated || json.Unmarshal(body, &issued) != nil || len(issued.Codes) != 3 || !strings.HasSuffix(issued.Codes[0].URL, "/s/"+issued.Codes[0].Code) {
		t.Fatalf("issue: %d %s", res.StatusCode, body)
	}
	res, body = coord.get("/api/v1/surveys/" + sv.ID + "/codes?batch=" + issued.Batch)
	if res.StatusCode != http.StatusOK || strings.Count(string(body), `"kind":"onetime"`) != 3 {
		t.Errorf("list codes: %d %s", res.StatusCode, body)
	}
	// The window lies in the future: opening is allowed (answers wait for the window).
	if res, body := coord.json("POST", "/api/v1/surveys/"+sv.ID+"/open", nil); res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"status":"open"`) {
		t.Errorf("open: %d %s", res.StatusCode, body)
	}
	if res, _ := coord.json("POST", "/api/v1/surveys/"+sv.ID+"/open", nil); res.StatusCode != http.StatusConflict {
		t.Errorf("opening twice: %d, want 409", res.StatusCode)
	}
}
