package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"renke/account"
	"renke/store"
	"renke/survey"
)

// respond submits one response to a code as a new device, answering every item "1".
func (f *consoleFixture) respond(sv *survey.Survey, code string, g survey.Group) {
	f.t.Helper()
	answers := map[string]string{}
	for _, it := range sv.Forms[g.Form()].Items {
		answers[it.ID] = "1"
	}
	b, _ := json.Marshal(map[string]any{"answers": answers, "started_at": time.Now().Add(-5 * time.Minute).Format(time.RFC3339)})
	res, err := http.Post(f.ts.URL+"/api/v1/codes/"+code+"/responses", "application/json", bytes.NewReader(b))
	if err != nil {
		f.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		f.t.Fatalf("respond to %s: %d", code, res.StatusCode)
	}
}

var surveyLocation = regexp.MustCompile(`^/console/surveys/([a-z0-9]+)\?ok=created$`)

func TestConsoleCoordinatorFlow(t *testing.T) {
	f := newConsoleFixture(t)
	ctx := context.Background()
	c := f.client()
	c.loginForm("coord", testPassword, "/console")
	c.refreshCSRF()

	_, body := c.get("/console")
	if !strings.Contains(string(body), homeCounty) || strings.Contains(string(body), foreignCounty) {
		t.Errorf("county list must show %s and not %s", homeCounty, foreignCounty)
	}
	countyPath := "/console/counties/" + url.PathEscape(homeCounty)
	if res, body := c.get(countyPath + "/surveys/new"); res.StatusCode != http.StatusOK || !strings.Contains(string(body), "学生卷") {
		t.Fatalf("new survey page: %d", res.StatusCode)
	}
	in := func(d time.Duration) string { return time.Now().Add(d).In(survey.Shanghai).Format("2006-01-02T15:04") }
	res, body := c.form(countyPath+"/surveys", url.Values{"title": {"渝中区2025年社会认可度调查"}, "opens": {in(-2 * time.Hour)}, "closes": {in(48 * time.Hour)}, "scheme": {"graded"}})
	m := surveyLocation.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create survey: %d %q %.300s", res.StatusCode, res.Header.Get("Location"), body)
	}
	id := m[1]
	sv := f.survey(id)
	if sv.County != homeCounty || sv.Status != survey.Draft || sv.Scheme[survey.OptRatherAgree] != 0.8 {
		t.Fatalf("created survey %+v", sv)
	}
	res, body = c.form(countyPath+"/surveys", url.Values{"title": {"x"}, "opens": {in(time.Hour)}, "closes": {in(-time.Hour)}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "必须晚于开始时间") {
		t.Errorf("window ending before it opens: %d", res.StatusCode)
	}

	weights := url.Values{}
	for _, g := range survey.Groups {
		weights.Set("w_"+string(g), "0.1")
	}
	weights.Set("w_parent", "0.4")
	if res, body := c.form("/console/surveys/"+id+"/weights", weights); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("weights: %d %.300s", res.StatusCode, body)
	}
	if w := f.survey(id).GroupWeights; w[survey.Parent] != 0.4 || w[survey.Student] != 0.1 {
		t.Errorf("weights stored %v", w)
	}
	weights.Set("w_teacher", "-1")
	if res, body := c.form("/console/surveys/"+id+"/weights", weights); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "不能为负数") {
		t.Errorf("negative weight: %d", res.StatusCode)
	}
	if res, _ := c.form("/console/surveys/"+id+"/open", nil); res.StatusCode != http.StatusSeeOther || f.survey(id).Status != survey.Open {
		t.Fatalf("open: %d, status %s", res.StatusCode, f.survey(id).Status)
	}
	weights.Set("w_teacher", "0.2")
	if res, body := c.form("/console/surveys/"+id+"/weights", weights); res.StatusCode != http.StatusConflict || !strings.Contains(string(body), "冻结") && !strings.Contains(string(body), "不能再修改") {
		t.Errorf("weights after opening: %d, want 409 frozen", res.StatusCode)
	}

	school := url.Values{"school": {"S001"}, "school_name": {"解放碑小学"}, "township": {"解放碑街道"}, "urbanicity": {"城区"}}
	shared := url.Values{"kind": {"shared"}, "group": {"parent"}, "band": {"g1-2"}, "quota": {"3"}}
	onetime := url.Values{"kind": {"onetime"}, "group": {"teacher"}, "count": {"5"}}
	for _, v := range []url.Values{shared, onetime} {
		for k, x := range school {
			v[k] = x
		}
		if res, body := c.form("/console/surveys/"+id+"/codes", v); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("issue %v: %d %.300s", v, res.StatusCode, body)
		}
	}
	res, body = c.form("/console/surveys/"+id+"/codes", url.Values{"kind": {"onetime"}, "group": {"student"}, "count": {"2"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "必须填写学校代码") {
		t.Errorf("student codes without a school: %d", res.StatusCode)
	}
	codes, err := f.store.Codes(ctx, id)
	if err != nil || len(codes) != 6 {
		t.Fatalf("codes stored: %d, %v", len(codes), err)
	}
	var sharedCode, teacherCode string
	for _, k := range codes {
		if k.Kind == survey.SharedCode {
			sharedCode = k.Code
		} else if teacherCode == "" {
			teacherCode = k.Code
		}
	}
	sv = f.survey(id)
	f.respond(sv, sharedCode, survey.Parent)
	f.respond(sv, sharedCode, survey.Parent)
	f.respond(sv, teacherCode, survey.Teacher)

	res, body = c.get("/api/v1/surveys/" + id + "/progress")
	var p struct {
		Responses int64 `json:"responses"`
		Quota     int64 `json:"quota"`
		Quotas    []struct {
			School      string
			Group       survey.Group
			Band        survey.Band
			Quota, Used int64
		} `json:"quotas"`
		Hours []struct{ Count int64 } `json:"hours"`
	}
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &p) != nil {
		t.Fatalf("progress: %d %s", res.StatusCode, body)
	}
	if p.Responses != 3 || p.Quota != 8 || len(p.Quotas) != 2 {
		t.Fatalf("progress %+v: want 3 responses of 8 places in 2 cells", p)
	}
	if q := p.Quotas[0]; q.Group != survey.Parent || q.Band != survey.BandLower || q.Quota != 3 || q.Used != 2 {
		t.Errorf("parent cell %+v", q)
	}
	if q := p.Quotas[1]; q.Group != survey.Teacher || q.Quota != 5 || q.Used != 1 {
		t.Errorf("teacher cell %+v", q)
	}
	var perHour int64
	for _, h := range p.Hours {
		perHour += h.Count
	}
	if perHour != 3 {
		t.Errorf("responses per hour add up to %d, want 3", perHour)
	}
	res, body = c.get("/console/surveys/" + id + "/progress")
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `hx-trigger="every 10s"`) || !strings.Contains(string(body), "解放碑小学") {
		t.Errorf("progress page: %d", res.StatusCode)
	}
	res, body = c.get("/console/surveys/" + id + "/progress/panel")
	if res.StatusCode != http.StatusOK || strings.Contains(string(body), "<html") || !strings.Contains(string(body), `id="progress"`) {
		t.Errorf("progress panel must be the fragment only: %d", res.StatusCode)
	}

	res, body = c.get("/console/surveys/" + id + "/codes.csv")
	if res.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Fatalf("codes.csv: %d", res.StatusCode)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != 7 || rows[0][1] != "url" {
		t.Fatalf("codes.csv: %d rows, %v", len(rows), err)
	}
	for _, r := range rows[1:] {
		if r[0] == sharedCode && (r[11] != "2" || r[1] != "http://127.0.0.1:8080/s/"+sharedCode) {
			t.Errorf("shared code row %v", r)
		}
	}

	trail, err := f.store.Audit(ctx, store.AuditFilter{Survey: id}, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[account.Action]int{}
	for _, e := range trail {
		seen[e.Action]++
		if e.Actor != "coord" || e.County != homeCounty {
			t.Errorf("entry %s by %q in %q", e.Action, e.Actor, e.County)
		}
		for _, k := range codes {
			if strings.Contains(e.After, k.Code) {
				t.Errorf("the audit log holds access code %s", k.Code)
			}
		}
		if e.Action == account.ActSurveyWeights && (!strings.Contains(e.Before, `"parent":0.5`) || !strings.Contains(e.After, `"parent":0.4`)) {
			t.Errorf("weights entry before %s after %s", e.Before, e.After)
		}
	}
	want := map[account.Action]int{account.ActSurveyCreate: 1, account.ActSurveyWeights: 1, account.ActSurveyOpen: 1, account.ActCodesIssue: 2}
	for a, n := range want {
		if seen[a] != n {
			t.Errorf("audit trail has %d %s, want %d (all: %v)", seen[a], a, n, seen)
		}
	}

	// The evaluator of the county sees the survey but none of its actions.
	ev := f.login("eval")
	res, body = ev.get("/console/surveys/" + id)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("evaluator survey page: %d", res.StatusCode)
	}
	for _, s := range []string{`id="close-survey"`, `id="codes-link"`, `id="weights-form"`} {
		if strings.Contains(string(body), s) {
			t.Errorf("evaluator's survey page offers %s", s)
		}
	}
	for _, path := range []string{"/console/surveys/" + id + "/close", "/console/surveys/" + id + "/codes"} {
		if res, _ := ev.form(path, onetime); res.StatusCode != http.StatusForbidden {
			t.Errorf("evaluator POST %s: %d, want 403", path, res.StatusCode)
		}
	}
	if res, _ := ev.json("POST", "/api/v1/surveys/"+id+"/close", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("evaluator API close: %d", res.StatusCode)
	}
	if n, _ := f.store.Codes(ctx, id); f.survey(id).Status != survey.Open || len(n) != 6 {
		t.Errorf("after the evaluator's attempts: status %s, %d codes", f.survey(id).Status, len(n))
	}
	if res, _ := ev.get("/api/v1/surveys/" + id + "/audit"); res.StatusCode != http.StatusOK {
		t.Errorf("evaluator reading the survey's trail: %d", res.StatusCode)
	}
	if res, _ := c.form("/console/surveys/"+id+"/close", nil); res.StatusCode != http.StatusSeeOther || f.survey(id).Status != survey.Closed {
		t.Errorf("coordinator closes: %d", res.StatusCode)
	}
	if res, body := c.form("/console/surveys/"+id+"/codes", onetime); res.StatusCode != http.StatusConflict {
		t.Errorf("codes for a closed survey: %d %.200s", res.StatusCode, body)
	}
}
