package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"renke/account"
	"renke/hashchain"
	"renke/report"
)

// withAudit adds a survey's trail to in: opening it, a rules change with a
// long before/after, and an override, sealed into an audit chain (after an
// entry about another survey) that is verified as a report build does.
func withAudit(t *testing.T, in *report.Published) *report.Published {
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
	other := otherSurveyEntry()
	chain := append([]*account.Entry{other}, &in.Audit[0], &in.Audit[1], &in.Audit[2])
	v := account.NewAuditVerifier()
	for i, e := range chain {
		if i > 0 {
			e.Seal(chain[i-1].Seq, chain[i-1].Hash)
		}
		v.Add(e)
	}
	in.AuditChain = v.State()
	if in.AuditChain.Err != nil || in.AuditChain.Length != 4 {
		t.Fatalf("fixture chain: %+v", in.AuditChain)
	}
	return in
}

// otherSurveyEntry is the first entry of withAudit's chain, about another
// survey (so not in the trail), sealed.
func otherSurveyEntry() *account.Entry {
	e := &account.Entry{ID: "a0", At: time.Date(2026, 5, 10, 0, 30, 0, 0, time.UTC), Actor: "admin",
		Action: account.ActSurveyCreate, Survey: "another"}
	e.Seal(0, hashchain.Genesis)
	return e
}

func TestReportsCarryTheAuditTrail(t *testing.T) {
	in := withAudit(t, fixture(t))

	html := string(htmlOf(t, in))
	for _, want := range []string{"变更记录（审计日志）", "开放调查", "修改数据质量规则", "剔除决定更改", "coord1", "resp-42",
		"同一家长填写两次", "2026-05-10 09:30:00", strings.Repeat("长", 400),
		"全系统审计日志共 4 条", in.AuditChain.Head, "renke verify --audit", `<td class="n">3</td>`} {
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
	if err != nil || len(rows) != 7 {
		t.Fatalf("workbook trail: %d rows (want a head, 3 entries, a blank and 2 on the chain), %v", len(rows), err)
	}
	if rows[2][0] != "3" || rows[2][4] != "修改数据质量规则" || rows[2][7] != in.Audit[1].Before || rows[3][5] != "resp-42" {
		t.Errorf("workbook trail rows: %q / %q", rows[2], rows[3])
	}
	if !strings.Contains(rows[5][0], in.AuditChain.Head) || !strings.Contains(rows[6][0], "renke verify --audit") {
		t.Errorf("workbook chain rows: %q / %q", rows[5], rows[6])
	}

	text := pdfText(t, pdfOf(t, in))
	flat := strings.Join(strings.Fields(text), "")
	for _, want := range []string{"变更记录（审计日志）", "开放调查", "修改数据质量规则", "剔除决定更改", "同一家长填写两次", "全文见Excel版",
		"全系统审计日志共4条", in.AuditChain.Head, "第4条"} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF report lacks %q", want)
		}
	}
}

// TestReportsWarnOfABrokenAuditChain: an override edited in the store after
// it was written breaks the chain; every format says so before the numbers.
func TestReportsWarnOfABrokenAuditChain(t *testing.T) {
	in := withAudit(t, fixture(t))
	in.Audit[2].Note = "改过的理由"
	v := account.NewAuditVerifier()
	v.Add(otherSurveyEntry())
	for i := range in.Audit {
		v.Add(&in.Audit[i])
	}
	in.AuditChain = v.State()
	if in.AuditChain.Err == nil || in.AuditChain.Length != 3 {
		t.Fatalf("an edited entry must stop the walk at seq 3: %+v", in.AuditChain)
	}
	html := string(htmlOf(t, in))
	flat := strings.Join(strings.Fields(pdfText(t, pdfOf(t, in))), "")
	for _, want := range []string{"审计日志哈希链校验未通过", "只校验到第 3 条", "seq 4 (audit entry a3)"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML report lacks %q", want)
		}
		if !strings.Contains(flat, strings.ReplaceAll(want, " ", "")) {
			t.Errorf("PDF report lacks %q", want)
		}
	}
	if strings.Index(html, "审计日志哈希链校验未通过") > strings.Index(html, `id="groups"`) {
		t.Error("HTML report warns of the broken chain only after the numbers")
	}
}

func TestReportWithoutAuditSaysSo(t *testing.T) {
	in := fixture(t)
	if html := string(htmlOf(t, in)); !strings.Contains(html, "没有变更记录") {
		t.Error("HTML report of a survey without a trail does not say so")
	}
}

func TestReportsWarnOfUnauditedOverrides(t *testing.T) {
	in := fixture(t)
	for i := range 7 {
		in.Unaudited = append(in.Unaudited, report.Override{ResponseID: fmt.Sprintf("resp-%d", i), Exclude: true, Reason: "x", By: "eval1"})
	}
	want := "有 7 条人工裁定在审计日志中没有对应的记录（应答 resp-0、resp-1、resp-2、resp-3、resp-4 等）"
	if html := string(htmlOf(t, in)); !strings.Contains(html, want) {
		t.Error("HTML report does not warn of overrides without an audit entry")
	}
	if flat := strings.Join(strings.Fields(pdfText(t, pdfOf(t, in))), ""); !strings.Contains(flat, strings.ReplaceAll(want, " ", "")) {
		t.Error("PDF report does not warn of overrides without an audit entry")
	}
}
