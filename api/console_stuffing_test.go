package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"renke/account"
	"renke/demo"
	"renke/report"
	"renke/web/console"
)

// The demo county plants each stuffing pattern in one school: the JSON report
// lists each finding with its effect, the drill-down (API and console page)
// lists its responses with address and device groups but never an address hash.
func TestConsoleStuffingEvidence(t *testing.T) {
	f := newConsoleFixture(t)
	ctx := context.Background()
	res, err := demo.Run(ctx, f.store, demo.Options{Seed: 1, Now: time.Now(), Secret: []byte("stuffing-test-secret-0123456789")})
	if err != nil {
		t.Fatal(err)
	}
	f.addUser("qeval", account.Evaluator, demo.CountyName)
	ev := f.login("qeval")

	r, body := ev.get("/api/v1/surveys/" + res.SurveyID + "/report")
	var rep report.Report
	if r.StatusCode != http.StatusOK || json.Unmarshal(body, &rep) != nil || rep.Quality == nil || rep.Quality.Stuffing == nil {
		t.Fatalf("report: %d %.300s", r.StatusCode, body)
	}
	byRule := map[report.Rule]report.Finding{}
	for _, fd := range rep.Quality.Stuffing.Findings {
		if fd.School != "" {
			byRule[fd.Rule] = fd
		}
		if fd.Effect == nil || fd.Effect.Reported.Rate != rep.Overall.Rate || fd.Effect.Without.N >= fd.Effect.Reported.N {
			t.Errorf("finding %s at %s: effect %+v, overall %.4f", fd.Rule, fd.School, fd.Effect, rep.Overall.Rate)
		}
	}
	if len(byRule) != len(report.StuffingRules) {
		t.Fatalf("school findings by rule %v, want one for each of %v", byRule, report.StuffingRules)
	}

	tpl := byRule[report.RuleTemplate]
	q := url.Values{"rule": {string(tpl.Rule)}, "school": {tpl.School}, "group": {string(tpl.Group)}}.Encode()
	r, body = ev.get("/api/v1/surveys/" + res.SurveyID + "/stuffing?" + q)
	var got struct {
		Finding   report.Finding
		Items     []string
		Responses []console.EvidenceRow
	}
	if r.StatusCode != http.StatusOK || json.Unmarshal(body, &got) != nil {
		t.Fatalf("drill-down: %d %.300s", r.StatusCode, body)
	}
	if len(got.Responses) != tpl.Count || got.Finding.P != tpl.P || len(got.Items) == 0 {
		t.Fatalf("drill-down lists %d responses for a finding of %d", len(got.Responses), tpl.Count)
	}
	group := regexp.MustCompile(`^[AD][0-9]+$`)
	for _, row := range got.Responses {
		if row.Answers != got.Responses[0].Answers || !strings.ContainsAny(row.Answers, "23") {
			t.Errorf("template response %s answers %q, first %q", row.ID, row.Answers, got.Responses[0].Answers)
		}
		if !group.MatchString(row.AddressGroup) || !group.MatchString(row.DeviceGroup) || row.AddressResponses < 1 {
			t.Errorf("response %s: address group %q, device group %q", row.ID, row.AddressGroup, row.DeviceGroup)
		}
	}
	if regexp.MustCompile(`[0-9a-f]{32}`).Match(body) {
		t.Error("the drill-down shows an address hash")
	}

	proxy := byRule[report.RuleProxy]
	page := "/console/surveys/" + res.SurveyID + "/stuffing?" + url.Values{"rule": {string(proxy.Rule)}, "school": {proxy.School}, "group": {string(proxy.Group)}}.Encode()
	r, body = ev.get(page)
	if r.StatusCode != http.StatusOK || !strings.Contains(string(body), "本校教职工也用") || !strings.Contains(string(body), `id="evidence"`) {
		t.Errorf("console drill-down: %d %.500s", r.StatusCode, body)
	}
	r, body = ev.get("/console/surveys/" + res.SurveyID + "/report")
	if r.StatusCode != http.StatusOK || !strings.Contains(string(body), `id="stuffing-findings"`) || !strings.Contains(string(body), "查看应答") ||
		!strings.Contains(string(body), "] → ") {
		t.Errorf("report page: %d", r.StatusCode)
	}
	r, body = ev.get("/api/v1/surveys/" + res.SurveyID + "/stuffing?rule=template&school=nowhere")
	if r.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "没有这项作答模式证据") {
		t.Errorf("unknown finding: %d %s", r.StatusCode, body)
	}
	if r, _ := f.login("eval").get("/api/v1/surveys/" + res.SurveyID + "/stuffing?" + q); r.StatusCode != http.StatusNotFound {
		t.Errorf("an evaluator of another county got %d", r.StatusCode)
	}

	// The evaluator makes the template rule exclude (audited, before and
	// after): the template's responses leave the rate, and its effect puts them back.
	rulesPath := "/api/v1/surveys/" + res.SurveyID + "/quality-rules"
	if r, body := ev.json("PUT", rulesPath, map[string]any{"template_exclude": true}); r.StatusCode != http.StatusOK {
		t.Fatalf("PUT rules: %d %s", r.StatusCode, body)
	}
	if r, _ := ev.json("PUT", rulesPath, map[string]any{"fdr": 0.9}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("FDR 0.9: %d, want 422", r.StatusCode)
	}
	r, body = ev.get("/api/v1/surveys/" + res.SurveyID + "/report")
	var after report.Report
	if r.StatusCode != http.StatusOK || json.Unmarshal(body, &after) != nil {
		t.Fatalf("report after the change: %d", r.StatusCode)
	}
	for _, fd := range after.Quality.Stuffing.Findings {
		if fd.Rule != report.RuleTemplate {
			continue
		}
		if after.Overall.N != rep.Overall.N-fd.Count || fd.Effect.With.N != rep.Overall.N || fd.Effect.Without.Rate != after.Overall.Rate {
			t.Errorf("template excluded: n %d (was %d), effect %+v", after.Overall.N, rep.Overall.N, fd.Effect)
		}
	}
	r, body = ev.get("/api/v1/surveys/" + res.SurveyID + "/audit")
	if r.StatusCode != http.StatusOK || !strings.Contains(string(body), `template_exclude\":false`) || !strings.Contains(string(body), `template_exclude\":true`) {
		t.Errorf("audit trail: %d %.1500s", r.StatusCode, body)
	}
}
