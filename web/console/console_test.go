package console

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"renke/account"
	"renke/report"
	"renke/report/render"
	"renke/sampling"
	"renke/survey"
)

var (
	inlineScript = regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>`)
	styleAttr    = regexp.MustCompile(`(?i)\sstyle\s*=`)
	handlerAttr  = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	styleElement = regexp.MustCompile(`(?i)<style[\s>]`)
)

// checkCSPSafe fails on anything a strict CSP (no inline script or style) would block.
func checkCSPSafe(t *testing.T, name, html string) {
	t.Helper()
	for _, tag := range inlineScript.FindAllString(html, -1) {
		if !strings.Contains(tag, "src=") {
			t.Errorf("%s: inline script %s", name, tag)
		}
	}
	if styleAttr.MatchString(html) || styleElement.MatchString(html) {
		t.Errorf("%s: inline style", name)
	}
	if m := handlerAttr.FindString(html); m != "" {
		t.Errorf("%s: inline event handler %q", name, m)
	}
}

func sampleFrames() map[string]Frame {
	now := time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)
	admin := &account.User{ID: "u1", Name: "admin", Role: account.Admin}
	sv, err := survey.NewSurvey("渝中区", "渝中区调查", now, now.Add(72*time.Hour), survey.DefaultForms())
	if err != nil {
		panic(err)
	}
	county := account.County{Name: "渝中区", Code: "500103"}
	entry := account.Entry{ID: "e1", At: now, Actor: "admin", Role: account.Admin, Action: account.ActSurveyOpen,
		County: "渝中区", Survey: sv.ID, Before: `{"status":"draft"}`, After: `{"status":"open"}`}
	rc := report.RateCI{Rate: 0.9, CILow: 0.86, CIHigh: 0.94, N: 100}
	finding := report.Finding{Rule: report.RuleTemplate, Label: "模板作答（雷同答卷）", School: "S1", Group: survey.Parent, Responses: 30, Count: 10,
		Observed: "最大的一组 10 份", Expected: "独立作答时", P: 1e-9, Q: 1e-8, ResponseIDs: []string{"r1"},
		Effect: &report.Effect{Reported: rc, Without: rc, With: rc}}
	code := survey.Code{Code: "abc", Kind: survey.SharedCode, Group: survey.Parent, School: "S1", SchoolName: "一小", Quota: 10}
	return map[string]Frame{
		"login":      {Title: "登录", Data: LoginPage{Name: "x", Next: "/console", CSRF: "t"}},
		"error":      {Title: "未找到", User: admin, Data: ErrorPage{Status: 404, Message: "调查不存在"}},
		"counties":   {Title: "区县", User: admin, CSRF: "c", Data: CountiesPage{Counties: []CountyRow{{County: county, Surveys: 1, Users: []account.User{*admin}}}, Users: []account.User{{ID: "u2", Name: "li", Role: account.Evaluator}}, Unregistered: []string{"江北区"}}},
		"surveys":    {Title: "调查", User: admin, Data: SurveysPage{County: county, Surveys: []survey.Survey{*sv}}},
		"survey_new": {Title: "新建", User: admin, CSRF: "c", Data: NewSurveyPage{County: county, Title: "t", Opens: now, Closes: now, Forms: []FormSummary{{Label: "学生卷", Items: 20}}}},
		"survey": {Title: sv.Title, User: admin, CSRF: "c", Data: SurveyPage{Survey: sv, Editable: true, CanOpen: true,
			Weights: []WeightRow{{Group: survey.Parent, Label: "家长", Value: 0.5}}, Scheme: []SchemeRow{{Code: "1", Label: "认可", Score: "1"}}, Audit: []account.Entry{entry}}},
		"codes": {Title: "发放", User: admin, CSRF: "c", Data: CodesPage{Survey: sv, Schools: []SchoolCodes{{Name: "城关小学", Township: "城关镇", Codes: []CodeRow{{Code: code, URL: "http://x/s/abc", Used: 3, State: survey.UseOpen}}}},
			Batches: []BatchRow{{Batch: "b1", Purpose: "教师 · 全县", Group: survey.Teacher, Count: 5, Used: 1}}, Groups: []Option{{"parent", "家长"}}, Form: IssueForm{Kind: "shared", Group: "parent"}}},
		"progress": {Title: "进度", User: admin, Data: ProgressPage{Survey: sv, Progress: Progress{Responses: 3, Quota: 10,
			Quotas: []QuotaRow{{School: "S1", Group: survey.Parent, GroupLabel: "家长", Quota: 10, Used: 3}}, Hours: []HourRow{{Hour: now, Count: 3}}, MaxHour: 3}}},
		"users":   {Title: "用户", User: admin, CSRF: "c", Data: UsersPage{Users: []account.User{*admin}, Counties: []account.County{county}, Roles: account.Roles, NewPassword: "pw-shown-once", NewPasswordFor: "li"}},
		"account": {Title: "账号", User: admin, CSRF: "c"},
		"audit":   {Title: "审计", User: admin, Data: AuditPage{Entries: []account.Entry{entry}, Older: "/console/audit?before=x"}},
		"report": {Title: "报告", User: admin, CSRF: "c", Data: ReportPage{Survey: sv, NoReport: "没有有效应答", CanOverride: true,
			Quality: &report.QualitySummary{Responses: 3, Flagged: 1, ByRule: []report.RuleCount{{Label: "答题过快", Flagged: 1}},
				Stuffing: &report.StuffingSummary{FDR: 0.05, Tests: 10, Findings: []report.Finding{finding}}},
			Overrides: []report.Override{{ResponseID: "r1", Exclude: true, Reason: "重复", By: "li", At: now}}}},
		"stuffing": {Title: "证据", User: admin, Data: StuffingPage{Survey: sv, Finding: finding, SchoolName: "一小（S1）", CanOverride: true,
			Items: []string{"q1", "q2"}, Responses: []EvidenceRow{{ID: "r1", Group: survey.Parent, Answers: "12", StartedAt: now, SubmittedAt: now,
				AddressGroup: "A1", AddressResponses: 3, AddressStaff: true, DeviceGroup: "D1", DeviceResponses: 1, Flags: []string{"模板作答（雷同答卷）"}}}}},
		"city": {Title: "全市", User: admin, Data: CityPage{Chart: "data:image/svg+xml;base64,PHN2Zy8+", CitySummary: render.CitySummary{Estimated: 1, Passed: 1, WithIssues: 1,
			Rows: []render.CityRow{{SurveyID: sv.ID, County: "渝中区", Title: sv.Title, Status: survey.Closed, Planned: 10, Received: 9, Valid: 8,
				Overall: &report.Overall{Estimate: report.Estimate{Rate: 0.9, CILow: 0.86, CIHigh: 0.94}, Verdict: "达标", Passed: true}, Suspects: []string{"一小"}},
				{SurveyID: "s2", County: "江北区", Title: "江北区调查", Status: survey.Open, Problem: "没有有效应答"}}}}},
		"sampling": {Title: "抽样", User: admin, CSRF: "c", Data: SamplingPage{Survey: sv, CanEdit: true, CanIssue: true,
			Frame:    &FrameSummary{County: sampling.County{Name: "渝中区", Population: 100}, Schools: 2},
			Problems: []sampling.Problem{{Sheet: "学校", Row: 3, Column: "学校代码", Message: "缺少学校代码"}},
			Plan: &sampling.Plan{Seed: 7, Total: 300, ByGroup: map[survey.Group]int{survey.Parent: 150},
				Schools: []sampling.SchoolPlan{{SchoolCode: "S1", Name: "一小", InclusionProbability: 0.5}}}}},
	}
}

func TestEveryPageRendersCSPSafe(t *testing.T) {
	p, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	frames := sampleFrames()
	for name := range p.byName {
		if _, ok := frames[name]; !ok {
			t.Errorf("page %s has no sample in this test", name)
		}
	}
	for name, f := range frames {
		var buf bytes.Buffer
		if err := p.Render(&buf, name, f); err != nil {
			t.Errorf("render %s: %v", name, err)
			continue
		}
		html := buf.String()
		checkCSPSafe(t, name, html)
		if !strings.Contains(html, `<meta name="htmx-config" content='{"includeIndicatorStyles":false`) {
			t.Errorf("%s: htmx must be told not to inject indicator styles", name)
		}
		if !strings.Contains(html, "<h1>"+f.Title+"</h1>") {
			t.Errorf("%s: title missing", name)
		}
		if f.CSRF != "" && strings.Contains(html, "<form method=\"post\"") && !strings.Contains(html, `name="csrf" value="`+f.CSRF+`"`) {
			t.Errorf("%s: a post form without the CSRF field", name)
		}
	}
	var buf bytes.Buffer
	if err := p.Render(&buf, "nosuch", Frame{}); err == nil {
		t.Error("an unknown page must be an error")
	}
	buf.Reset()
	if err := p.Fragment(&buf, "progress", "panel", frames["progress"]); err != nil || strings.Contains(buf.String(), "<html") || !strings.Contains(buf.String(), `hx-trigger="every 10s"`) {
		t.Errorf("progress panel fragment: %v", err)
	}
}

func TestRenderEscapes(t *testing.T) {
	p, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	f := Frame{Title: "x", Error: `<script>alert(1)</script>`, Data: LoginPage{Name: `"><img src=x onerror=alert(1)>`}}
	if err := p.Render(&buf, "login", f); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<script>alert") || strings.Contains(buf.String(), "<img src=x") {
		t.Error("user input must be escaped")
	}
}

func TestTemplatesAndAssetsHaveNoInlineCode(t *testing.T) {
	files, _ := fs.Glob(templateFiles, "templates/*.html")
	for _, name := range files {
		b, _ := fs.ReadFile(templateFiles, name)
		checkCSPSafe(t, name, string(b))
	}
	for _, a := range []string{"console.css", "console.js", "htmx.min.js"} {
		u, err := AssetURL(a)
		if err != nil || !strings.HasPrefix(u, StaticPrefix+a+"?v=") {
			t.Errorf("AssetURL(%s) = %q, %v", a, u, err)
		}
	}
	if _, err := AssetURL("missing.js"); err == nil {
		t.Error("a missing asset must be an error")
	}
	var doc map[string]any
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil || doc["openapi"] == nil {
		t.Errorf("openapi.json: %v", err)
	}
}

func TestFormatting(t *testing.T) {
	at := time.Date(2025, 3, 1, 16, 30, 0, 0, time.UTC)
	if got := When(at); got != "2025-03-02 00:30" {
		t.Errorf("When = %q, want Beijing time", got)
	}
	if got := WhenExact(at.Add(7 * time.Second)); got != "2025-03-02 00:30:07" {
		t.Errorf("WhenExact = %q, want Beijing time to the second", got)
	}
	if When(time.Time{}) != "—" || WhenExact(time.Time{}) != "—" || InputTime(time.Time{}) != "" {
		t.Error("zero times")
	}
	back, err := ParseInputTime(InputTime(at))
	if err != nil || !back.Equal(at) {
		t.Errorf("round trip %v, %v", back, err)
	}
	if _, err := ParseInputTime("yesterday"); err == nil {
		t.Error("a bad time must be an error")
	}
	if Percent(1, 3) != "33.3%" || Percent(1, 0) != "—" {
		t.Errorf("Percent: %s %s", Percent(1, 3), Percent(1, 0))
	}
	if PathEscape("渝中区/x") != "%E6%B8%9D%E4%B8%AD%E5%8C%BA%2Fx" {
		t.Errorf("PathEscape = %s", PathEscape("渝中区/x"))
	}
}
