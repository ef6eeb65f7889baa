package api_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"renke/survey"
)

// TestPreviewInBrowser opens, on a 360×640 phone, the preview of a draft
// survey's form and of a default form: each renders the whole form as its
// group will see it, fits the screen, and cannot be submitted. It also shows
// the codes page grouped by school at that width.
func TestPreviewInBrowser(t *testing.T) {
	f := newConsoleFixture(t)
	ctx := context.Background()
	var codes []survey.Code
	for _, sp := range []survey.IssueSpec{
		{Kind: survey.SharedCode, Group: survey.Parent, School: survey.School{Code: "5001030002", Name: "育才小学", Township: "白沙镇"}, Band: survey.BandUpper, Quota: 9},
		{Kind: survey.SharedCode, Group: survey.Teacher, School: survey.School{Code: "5001030001", Name: "阳光小学", Township: "安居镇"}, Quota: 3},
		{Kind: survey.OneTimeCode, Group: survey.Deputy, Count: 3},
	} {
		cs, err := sp.Issue(f.home.ID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, cs...)
	}
	if err := f.store.InsertCodes(ctx, codes); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f.ts.URL)
	b.login("coord")
	b.do("phone", chromedp.EmulateViewport(360, 640, chromedp.EmulateMobile, chromedp.EmulateTouch))
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}

	// The survey page links a preview per group.
	b.do("survey page", chromedp.Navigate(f.ts.URL+"/console/surveys/"+f.home.ID), chromedp.WaitVisible(chromedp.CSS("td.previews a")))
	if href := eval(`document.querySelector('td.previews a[href*="group=student"]').getAttribute('href')`); href != "/console/surveys/"+f.home.ID+"/preview/student?group=student" {
		t.Errorf("preview link %q", href)
	}

	q := survey.DefaultQuestionnaire(survey.StudentForm)
	b.do("preview", chromedp.Navigate(f.ts.URL+"/console/surveys/"+f.home.ID+"/preview/student?group=student"), chromedp.WaitVisible(chromedp.ID("f")))
	b.shot("preview-student-360")
	if png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot()); err == nil { // what the phone's screen shows first
		_ = os.WriteFile(filepath.Join(b.shots, "console-preview-student-360-screen.png"), png, 0o644)
	}
	if !strings.Contains(b.text("#preview-banner"), "不能提交") || !strings.Contains(b.text("header"), f.home.Title) {
		t.Errorf("banner %q, header %q", b.text("#preview-banner"), b.text("header"))
	}
	// Every item with the form's own labels, and the band question a student answers.
	if n := eval(`String(document.querySelectorAll('fieldset.q').length)`); n != fmt.Sprint(len(q.Items)+1) {
		t.Errorf("%s questions shown, want %d items and the band", n, len(q.Items))
	}
	if got := eval(`Array.from(document.querySelectorAll('#q-` + q.Items[0].ID + ` label span')).map(s => s.textContent).join('/')`); got != "满意/比较满意/基本满意/不满意/不知道" {
		t.Errorf("student options %q", got)
	}
	if w := eval(`String(document.documentElement.scrollWidth)`); w != "360" {
		t.Errorf("the preview is %s px wide on a 360 px phone", w)
	}
	// It cannot be submitted: no action, the button disabled, and a forced
	// submission neither leaves the page nor records anything.
	if got := eval(`(document.getElementById('f').getAttribute('action') || '') + '|' + document.getElementById('go').disabled`); got != "|true" {
		t.Errorf("form action|disabled = %q, want no action and a disabled button", got)
	}
	b.do("answer and force a submission",
		chromedp.Click(chromedp.CSS(`#q-`+q.Items[0].ID+` label`)),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('f').requestSubmit()`),
		chromedp.Sleep(300*time.Millisecond))
	if loc := eval(`location.pathname`); loc != "/console/surveys/"+f.home.ID+"/preview/student" {
		t.Errorf("a forced submission left the preview for %s", loc)
	}
	if counts, err := f.store.CountsByCode(ctx, f.home.ID); err != nil || len(counts) != 0 {
		t.Errorf("responses after the preview: %v, %v", counts, err)
	}
	if kept := eval(`String(Object.keys(localStorage).filter(k => k.indexOf('renke:') === 0).length)`); kept != "0" {
		t.Errorf("the preview kept %s answers on the phone", kept)
	}

	// The default forms, from the new-survey page, before any survey.
	b.do("default preview", chromedp.Navigate(f.ts.URL+"/console/preview/staff?group=teacher"), chromedp.WaitVisible(chromedp.ID("f")))
	if got := eval(`Array.from(document.querySelectorAll('fieldset.q')[0].querySelectorAll('label span')).map(s => s.textContent).join('/')`); !strings.HasPrefix(got, "认可/比较认可/基本认可/不认可") {
		t.Errorf("staff options %q", got)
	}
	if b.exists("#q-band") {
		t.Error("teachers are asked a grade band")
	}

	// The codes page at phone width: schools in pinyin order, states shown.
	b.do("codes", chromedp.Navigate(f.ts.URL+"/console/surveys/"+f.home.ID+"/codes"), chromedp.WaitVisible(chromedp.ID("shared-codes")))
	b.shot("codes-grouped-360")
	heads := eval(`Array.from(document.querySelectorAll('#shared-codes tr.school-head')).map(r => r.textContent.trim()).join('|')`)
	if heads != "阳光小学 安居镇|育才小学 白沙镇" {
		t.Errorf("school groups %q", heads)
	}
	if !strings.Contains(b.text("#shared-codes"), "可作答") || !strings.Contains(b.text("#batches"), "人大代表 · 全县") {
		t.Errorf("codes page: %q / %q", b.text("#shared-codes"), b.text("#batches"))
	}
}
