package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"renke/account"
	"renke/report"
	"renke/store"
	"renke/survey"
)

// openWithResponses opens the home survey, issues a shared parent code and stores n responses.
func (f *consoleFixture) openWithResponses(n int) (*survey.Survey, []survey.Response) {
	f.t.Helper()
	ctx := context.Background()
	sv := f.survey(f.home.ID)
	if err := sv.Transition(survey.Open, time.Now()); err != nil {
		f.t.Fatal(err)
	}
	if err := f.store.UpdateSurvey(ctx, sv, survey.Draft); err != nil {
		f.t.Fatal(err)
	}
	codes, err := survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Parent, Band: survey.BandUpper, Quota: 50,
		School: survey.School{Code: "S001", Name: "解放碑小学", Urbanicity: survey.Urban}}.Issue(sv.ID, time.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.store.InsertCodes(ctx, codes); err != nil {
		f.t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		f.respond(sv, codes[0].Code, survey.Parent)
	}
	var rs []survey.Response
	f.store.EachResponse(ctx, sv.ID, func(r *survey.Response) error { rs = append(rs, *r); return nil })
	return sv, rs
}

func TestConsoleReportsAndOverrides(t *testing.T) {
	f := newConsoleFixture(t)
	ctx := context.Background()
	sv, rs := f.openWithResponses(3)
	ev, coord := f.login("eval"), f.login("coord")

	res, body := ev.get("/console/surveys/" + sv.ID + "/report")
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `id="override-form"`) {
		t.Fatalf("report page: %d", res.StatusCode)
	}
	if seq, _, err := f.store.AuditHead(ctx); err != nil || seq == 0 ||
		!strings.Contains(string(body), fmt.Sprintf("<dt>审计日志</dt><dd>%d 条，已逐条校验哈希链，全部通过</dd>", seq)) {
		t.Errorf("report page does not state the verified audit chain (%d entries, %v)", seq, err)
	}
	res, body = ev.get("/console/surveys/" + sv.ID + "/report.html")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") ||
		!strings.Contains(string(body), homeCounty) || strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src") {
		t.Errorf("report.html: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	res, body = ev.get("/console/surveys/" + sv.ID + "/report.pdf")
	if res.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("%PDF")) {
		t.Errorf("report.pdf: %d %.8q", res.StatusCode, body)
	}
	res, body = ev.get("/console/surveys/" + sv.ID + "/report.xlsx")
	if res.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("PK")) {
		t.Errorf("report.xlsx: %d %.8q", res.StatusCode, body)
	}
	res, body = ev.get("/console/surveys/" + sv.ID + "/export.csv")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export.csv: %d %s", res.StatusCode, body)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != len(rs)+1 {
		t.Errorf("export.csv: %d rows for %d responses, %v", len(rows), len(rs), err)
	}
	if res, _ := ev.get("/api/v1/surveys/" + sv.ID + "/report"); res.StatusCode != http.StatusOK {
		t.Errorf("report JSON: %d", res.StatusCode)
	}

	// The evaluator's one kind of change: an override with a reason, audited.
	res, body = ev.form("/console/surveys/"+sv.ID+"/overrides", url.Values{"response_id": {rs[0].ID}, "decision": {"exclude"}, "reason": {"同一设备重复作答"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("override: %d %.300s", res.StatusCode, body)
	}
	for _, bad := range []url.Values{
		{"response_id": {"nosuchresponse"}, "decision": {"exclude"}, "reason": {"x"}},
		{"response_id": {rs[1].ID}, "decision": {"exclude"}, "reason": {"  "}},
		{"response_id": {rs[1].ID}, "decision": {"maybe"}, "reason": {"x"}},
	} {
		if res, _ := ev.form("/console/surveys/"+sv.ID+"/overrides", bad); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("override %v: %d, want 422", bad, res.StatusCode)
		}
	}
	if res, body := ev.json("POST", "/api/v1/surveys/"+sv.ID+"/overrides", map[string]any{"response_id": rs[1].ID, "exclude": true, "reason": "答题时间过短"}); res.StatusCode != http.StatusCreated {
		t.Errorf("API override: %d %s", res.StatusCode, body)
	}
	overrides, err := f.store.Overrides(ctx, sv.ID)
	if err != nil || len(overrides) != 2 || overrides[0].By != "eval" || overrides[0].ResponseID != rs[0].ID {
		t.Fatalf("stored overrides %+v, %v", overrides, err)
	}
	trail, _ := f.store.Audit(ctx, store.AuditFilter{Survey: sv.ID}, 0)
	n := 0
	for _, e := range trail {
		if e.Action == account.ActExclusion {
			n++
			if e.Actor != "eval" || !strings.Contains(e.After, `"excluded":true`) || e.Note == "" {
				t.Errorf("override audit entry %+v", e)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d override entries in the audit trail, want 2", n)
	}
	var p struct{ Responses, Flagged, Excluded int }
	_, body = ev.get("/api/v1/surveys/" + sv.ID + "/progress")
	json.Unmarshal(body, &p)
	q, err := report.CheckQuality(rs, report.DefaultQualityConfig())
	if err != nil {
		t.Fatal(err)
	}
	q.Apply(overrides)
	want := q.Summary()
	if p.Responses != 3 || p.Flagged != want.Flagged || p.Excluded != want.Excluded || p.Excluded < 2 {
		t.Errorf("progress quality %+v, want flagged %d excluded %d (≥ the 2 overrides)", p, want.Flagged, want.Excluded)
	}

	// The coordinator prints the QR sheets but reads no report and decides no exclusion.
	res, body = coord.get("/console/surveys/" + sv.ID + "/sheets.zip")
	if res.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("PK")) {
		t.Errorf("sheets.zip: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res, _ := ev.get("/console/surveys/" + sv.ID + "/sheets.zip"); res.StatusCode != http.StatusForbidden {
		t.Errorf("evaluator sheets.zip: %d", res.StatusCode)
	}
	for _, path := range []string{"/report", "/report.html", "/report.pdf", "/report.xlsx", "/export.csv"} {
		if res, _ := coord.get("/console/surveys/" + sv.ID + path); res.StatusCode != http.StatusForbidden {
			t.Errorf("coordinator %s: %d, want 403", path, res.StatusCode)
		}
	}
	if res, _ := coord.form("/console/surveys/"+sv.ID+"/overrides", url.Values{"response_id": {rs[2].ID}, "decision": {"exclude"}, "reason": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator override: %d", res.StatusCode)
	}

	// Every override so far went through renke: none is flagged. One written
	// straight into the store is, on the page and in the report files.
	if _, body = ev.get("/console/surveys/" + sv.ID + "/report"); strings.Contains(string(body), `id="unaudited-overrides"`) {
		t.Error("overrides made through the console are reported as unaudited")
	}
	injected := report.Override{ResponseID: rs[0].ID, Exclude: true, Reason: "直接写库", By: "eval", At: survey.TruncateTime(time.Now().Add(-time.Hour))}
	if err := f.store.AddOverride(ctx, sv.ID, injected); err != nil {
		t.Fatal(err)
	}
	if _, body = ev.get("/console/surveys/" + sv.ID + "/report"); !strings.Contains(string(body), `id="unaudited-overrides"`) ||
		!strings.Contains(string(body), "有 1 条人工裁定在审计日志中没有对应的记录（应答 "+rs[0].ID+"）") {
		t.Error("the report page does not name an override written straight into the store")
	}
	if _, body = ev.get("/console/surveys/" + sv.ID + "/report.html"); !strings.Contains(string(body), "有 1 条人工裁定在审计日志中没有对应的记录") {
		t.Error("the HTML report does not warn of an override written straight into the store")
	}

	// An override's entry is rewritten in the database behind renke's back:
	// the evaluator's page says so before anything else.
	if res, err := f.store.Collection("audit").UpdateOne(ctx, map[string]any{"action": "exclusion.override"},
		map[string]any{"$set": map[string]any{"note": "改过的理由"}}); err != nil || res.ModifiedCount != 1 {
		t.Fatalf("tamper: %v %+v", err, res)
	}
	_, body = ev.get("/console/surveys/" + sv.ID + "/report")
	if !strings.Contains(string(body), `id="audit-chain-error"`) || strings.Contains(string(body), "已逐条校验哈希链，全部通过") {
		t.Error("the report page does not warn of an audit entry edited after it was written")
	}
}
