package render

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"renke/account"
)

// withAudit adds a survey's trail to in: opening it, a rules change with a
// long before/after, and an override.
func withAudit(t *testing.T, in *Input) *Input {
	t.Helper()
	at := time.Date(2026, 5, 10, 1, 30, 0, 0, time.UTC)
	long := `{"burst_window_minutes":10,"note":"` + strings.Repeat("长", 400) + `"}`
	in.Audit = []account.Entry{
		{ID: "a1", At: at, Actor: "coord1", Role: account.Coordinator, Action: account.ActSurveyOpen, Survey: in.Survey.ID,
			Before: `{"status":"draft"}`, After: `{"status":"open"}`},
		{ID: "a2", At: at.Add(time.Hour), Actor: "eval1", Role: account.Evaluator, Action: account.ActQualityRules, Survey: in.Survey.ID,
			Before: long, After: `{"burst_window_minutes":5}`},
		{ID: "a3", At: at.Add(2 * time.Hour), Actor: "eval1", Role: account.Evaluator, Action: account.ActExclusion, Survey: in.Survey.ID,
			Target: "resp-42", Note: "同一家长填写两次", After: `{"excluded":true}`},
	}
	return in
}

func TestReportsCarryTheAuditTrail(t *testing.T) {
	in := withAudit(t, fixture(t))

	html := string(htmlOf(t, in))
	for _, want := range []string{"变更记录（审计日志）", "开放调查", "修改数据质量规则", "剔除决定更改", "coord1", "resp-42",
		"同一家长填写两次", "2026-05-10 09:30:00", strings.Repeat("长", 400)} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	if strings.Index(html, "开放调查") > strings.Index(html, "剔除决定更改") {
		t.Error("HTML trail is not oldest first")
	}

	x, err := excelize.OpenReader(bytes.NewReader(xlsxOf(t, in)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("变更记录")
	if err != nil || len(rows) != 4 {
		t.Fatalf("workbook trail: %d rows (want a head and 3), %v", len(rows), err)
	}
	if rows[2][3] != "修改数据质量规则" || rows[2][6] != in.Audit[1].Before || rows[3][4] != "resp-42" {
		t.Errorf("workbook trail rows: %q / %q", rows[2], rows[3])
	}

	text := pdfText(t, pdfOf(t, in))
	flat := strings.Join(strings.Fields(text), "")
	for _, want := range []string{"变更记录（审计日志）", "开放调查", "修改数据质量规则", "剔除决定更改", "同一家长填写两次", "全文见Excel版"} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF report lacks %q", want)
		}
	}
}

func TestReportWithoutAuditSaysSo(t *testing.T) {
	in := fixture(t)
	if html := string(htmlOf(t, in)); !strings.Contains(html, "没有变更记录") {
		t.Error("HTML report of a survey without a trail does not say so")
	}
}
