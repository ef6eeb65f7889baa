package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestReportWithoutData: a survey with no response to estimate from shows
// the no-data state on its report page (without the downloads that need
// estimates), its report files say so, and the JSON report, the
// replication file and the evaluator's package answer 409 with no_data.
func TestReportWithoutData(t *testing.T) {
	f, _ := newSignedConsoleFixture(t)
	sv, _ := f.openWithResponses(0)
	ev := f.login("eval")

	res, body := ev.get("/console/surveys/" + sv.ID + "/report")
	page := string(body)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `id="no-data"`) || !strings.Contains(page, "尚无可计算的答卷：已收到 0 份应答") {
		t.Fatalf("report page without data: %d, no-data state shown: %v", res.StatusCode, strings.Contains(page, `id="no-data"`))
	}
	for _, id := range []string{`id="download-export"`, `id="download-dossier"`} {
		if strings.Contains(page, id) {
			t.Errorf("the no-data page offers %s", id)
		}
	}
	if !strings.Contains(page, `id="download-report"`) {
		t.Error("the no-data page lost its report download")
	}
	res, body = ev.get("/console/surveys/" + sv.ID + "/report.html")
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "无结论") {
		t.Errorf("report.html without data: %d", res.StatusCode)
	}
	for _, path := range []string{"/api/v1/surveys/" + sv.ID + "/report", "/console/surveys/" + sv.ID + "/export.csv",
		"/console/surveys/" + sv.ID + "/dossier.zip"} {
		res, body := ev.get(path)
		var got struct {
			Error    string `json:"error"`
			NoData   bool   `json:"no_data"`
			SurveyID string `json:"survey_id"`
		}
		if err := json.Unmarshal(body, &got); err != nil || res.StatusCode != http.StatusConflict || !got.NoData ||
			got.SurveyID != sv.ID || !strings.HasPrefix(got.Error, "尚无可计算的答卷") {
			t.Errorf("%s: %d %s (%v)", path, res.StatusCode, bytes.TrimSpace(body), err)
		}
	}
}
