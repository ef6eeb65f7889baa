package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"renke/survey"
)

// otherSurvey stores a survey besides the fixture's, in the given status and
// window, and issues one shared parent code of it.
func (f *fixture) otherSurvey(status survey.Status, opens, closes time.Time) survey.Code {
	f.t.Helper()
	sv, err := survey.NewSurvey("测试县", "测试县社会认可度调查", opens, closes, survey.DefaultForms())
	if err != nil {
		f.t.Fatal(err)
	}
	sv.Status = status
	if err := f.store.CreateSurvey(context.Background(), sv); err != nil {
		f.t.Fatal(err)
	}
	codes, err := survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Parent, School: school, Band: survey.BandUpper, Quota: 30}.Issue(sv.ID, time.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.store.InsertCodes(context.Background(), codes); err != nil {
		f.t.Fatal(err)
	}
	return codes[0]
}

// TestCodeStatesInBrowser opens, on a 360×640 phone, a code in each state
// that cannot be answered: each page says so, in Chinese, before any
// question. A form opened while its code was free is still refused on
// submission once another phone has used the code.
func TestCodeStatesInBrowser(t *testing.T) {
	f := newFixture(t)
	good := body(f.answers(survey.Parent, "1"), "")
	used := f.issue(survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Teacher, School: school, Count: 2})
	if code, out, _ := f.post(used[0].Code, body(f.answers(survey.Teacher, "1"), ""), "10.0.0.1"); code != http.StatusCreated {
		t.Fatalf("use a one-time code: %d %v", code, out)
	}
	full := f.issue(survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Parent, School: school, Band: survey.BandUpper, Quota: 1})[0]
	if code, out, _ := f.post(full.Code, good, "10.0.0.2"); code != http.StatusCreated {
		t.Fatalf("fill a quota of 1: %d %v", code, out)
	}
	shared := f.issue(survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Parent, School: school, Band: survey.BandUpper, Quota: 30})[0]
	code, out, cookies := f.post(shared.Code, good, "10.0.0.3")
	if code != http.StatusCreated || len(cookies) == 0 {
		t.Fatalf("answer a shared code: %d %v", code, out)
	}
	opens := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	notOpen := f.otherSurvey(survey.Open, opens, opens.Add(7*24*time.Hour))
	ended := f.otherSurvey(survey.Closed, time.Now().Add(-72*time.Hour), time.Now().Add(-time.Hour))

	srv := httptest.NewServer(f.srv.Handler())
	defer srv.Close()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-component-update", true), chromedp.WindowSize(360, 640))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	browser, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(browser, 90*time.Second)
	defer cancelT()
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	do("viewport", chromedp.EmulateViewport(360, 640, chromedp.EmulateMobile, chromedp.EmulateTouch))
	beijing := opens.In(survey.Shanghai)
	for _, c := range []struct {
		state, code string
		says        []string
	}{
		{"used", used[0].Code, []string{"二维码已使用", "只能提交一次", "请向学校索取新的二维码"}},
		{"full", full.Code, []string{"名额已满", "请向学校索取另一个二维码"}},
		{"not_open", notOpen.Code, []string{"问卷尚未开放", fmt.Sprintf("%d年%d月%d日 %02d:00（北京时间）", beijing.Year(), beijing.Month(), beijing.Day(), beijing.Hour())}},
		{"ended", ended.Code, []string{"调查已结束"}},
		{"answered", shared.Code, []string{"这台手机上提交过"}},
	} {
		if c.state == "answered" {
			// This phone becomes the one that answered the shared code (the
			// device counts for the whole survey, so this comes last).
			if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: cookies[0].Name, Value: cookies[0].Value, URL: srv.URL}); err != nil {
				t.Fatalf("set the device cookie: %v", err)
			}
		}
		do("open the "+c.state+" code", chromedp.Navigate(srv.URL+"/s/"+c.code), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`main[data-state=%q]`, c.state))))
		screenshot(t, ctx, "code-state-"+c.state)
		if n := eval(`String(document.querySelectorAll("fieldset, form, #go").length)`); n != "0" {
			t.Errorf("%s: the page shows %s questions, forms or buttons", c.state, n)
		}
		text := eval(`document.body.innerText`)
		for _, s := range c.says {
			if !strings.Contains(text, s) {
				t.Errorf("%s: the page says %q, not %q", c.state, text, s)
			}
		}
		if w := eval(`String(document.documentElement.scrollWidth)`); w != "360" {
			t.Errorf("%s: the page is %s px wide at 360", c.state, w)
		}
	}

	// The state can change while someone answers: the submission checks again.
	race := used[1].Code
	do("open a free code", chromedp.Navigate(srv.URL+"/s/"+race), chromedp.WaitVisible(chromedp.CSS("#go")))
	if code, out, _ := f.post(race, body(f.answers(survey.Teacher, "2"), ""), "10.0.0.4"); code != http.StatusCreated {
		t.Fatalf("another phone uses the code: %d %v", code, out)
	}
	var steps []chromedp.Action[chromedp.Void]
	for _, it := range f.sv.Forms[survey.StaffForm].Items {
		steps = append(steps, chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="a_%s"][value="1"]`, it.ID))))
	}
	do("answer", steps...)
	do("submit", chromedp.Click(chromedp.CSS("#go")))
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("msg").textContent.indexOf("已经有人提交过答卷") >= 0`,
		chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		t.Fatalf("a code used meanwhile was not refused on submission: %v (message %q)", err, eval(`document.getElementById("msg").textContent`))
	}
}
