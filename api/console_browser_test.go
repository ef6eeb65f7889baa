package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"renke/survey"
)

// chromiumPath finds Debian's chromium: RENKE_TEST_CHROMIUM, /usr/bin/chromium, or PATH.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	if p := os.Getenv("RENKE_TEST_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Skip("chromium is not installed (apt-get install chromium, or set RENKE_TEST_CHROMIUM to its binary)")
	return ""
}

// browser is one headless chromium with a tab, recording CSP violations and
// accepting confirm() dialogs.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string
	mu    sync.Mutex
	csp   []string
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx, base: base, shots: filepath.Join("..", "screenshots")}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Content-Security-Policy") {
				b.mu.Lock()
				b.csp = append(b.csp, m.Text)
				b.mu.Unlock()
			}
		}
	}()
	if err := os.MkdirAll(b.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// shot saves a full-page PNG screenshot under screenshots/.
func (b *browser) shot(name string) {
	b.t.Helper()
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, "console-"+name+".png"), buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func (b *browser) login(name string) {
	b.t.Helper()
	b.do("login as "+name,
		chromedp.Navigate(b.base+"/console"),
		chromedp.WaitVisible(chromedp.ID("login-form")),
		chromedp.SendKeys(chromedp.ID("name"), name),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("me")))
}

func (b *browser) exists(sel string) bool {
	b.t.Helper()
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf("document.querySelector(%q) !== null", sel)))
	if err != nil {
		b.t.Fatalf("query %s: %v", sel, err)
	}
	return ok
}

// fetch downloads path with the page's session and returns "status content-type".
func (b *browser) fetch(path string) string {
	b.t.Helper()
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
		fmt.Sprintf("fetch(%q).then(r => r.status + ' ' + r.headers.get('content-type'))", path), chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("fetch %s: %v", path, err)
	}
	return got
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func TestConsoleBrowser(t *testing.T) {
	f := newConsoleFixture(t)
	b := newBrowser(t, f.ts.URL)

	// Coordinator: log in, create a survey, open it, issue codes, watch progress.
	b.do("login page", chromedp.Navigate(f.ts.URL+"/console"), chromedp.WaitVisible(chromedp.ID("login-form")))
	b.shot("login")
	b.login("coord")
	if !b.exists("#counties") || strings.Contains(b.text("main"), foreignCounty) {
		t.Fatalf("the coordinator's county list must show %s only", homeCounty)
	}
	b.shot("counties")
	b.do("county", chromedp.Click(chromedp.CSS(`a[href="/console/counties/`+url.PathEscape(homeCounty)+`"]`)),
		chromedp.WaitVisible(chromedp.ID("new-survey")))
	b.shot("surveys")
	opens := time.Now().Add(-time.Hour).In(survey.Shanghai).Format("2006-01-02T15:04")
	b.do("new survey", chromedp.Click(chromedp.ID("new-survey")), chromedp.WaitVisible(chromedp.ID("survey-form")),
		chromedp.SetValue(chromedp.ID("title"), "浏览器测试调查"), chromedp.SetValue(chromedp.ID("opens"), opens))
	b.shot("survey-new")
	b.do("create", chromedp.Click(chromedp.ID("create-survey")), chromedp.WaitVisible(chromedp.ID("open-survey")))
	b.shot("survey-draft")
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], f.ts.URL+"/console/surveys/")

	// Frame, plan, and the plan's shared codes.
	framePath := filepath.Join(t.TempDir(), "frame.xlsx")
	if err := os.WriteFile(framePath, frameXLSX(t, testFrame()), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("upload frame", chromedp.Click(chromedp.ID("sampling-link")), chromedp.WaitVisible(chromedp.ID("frame-form")),
		chromedp.SetUploadFiles(chromedp.ID("frame-file"), []string{framePath}), chromedp.Click(chromedp.ID("upload-frame")),
		chromedp.WaitVisible(chromedp.ID("frame-summary")))
	b.do("draw plan", chromedp.SendKeys(chromedp.ID("seed"), "42"), chromedp.Click(chromedp.ID("draw-plan")),
		chromedp.WaitVisible(chromedp.ID("plan-schools")))
	if p, err := f.store.Plan(context.Background(), id); err != nil || p.Seed != 42 {
		t.Fatalf("plan drawn in the browser: %v", err)
	}
	b.shot("sampling")
	b.do("plan codes", chromedp.Click(chromedp.ID("plan-codes")), chromedp.WaitVisible(chromedp.ID("shared-codes")))

	b.do("open", chromedp.Navigate(f.ts.URL+"/console/surveys/"+id), chromedp.WaitVisible(chromedp.ID("open-survey")),
		chromedp.Click(chromedp.ID("open-survey")), chromedp.WaitVisible(chromedp.ID("close-survey")))
	if got := b.text("#status"); got != survey.Open.Label() {
		t.Errorf("status after opening %q", got)
	}
	if f.survey(id).Status != survey.Open {
		t.Fatalf("survey %s not open in the store", id)
	}
	b.shot("survey-open")
	b.do("issue codes", chromedp.Click(chromedp.ID("codes-link")), chromedp.WaitVisible(chromedp.ID("issue-form")),
		chromedp.SetValue(chromedp.ID("kind"), "shared"), chromedp.SetValue(chromedp.ID("group"), "parent"),
		chromedp.SetValue(chromedp.ID("band"), "g3-4"), chromedp.SendKeys(chromedp.ID("school"), "X001"),
		chromedp.SendKeys(chromedp.ID("school_name"), "解放碑小学"), chromedp.SetValue(chromedp.ID("urbanicity"), "城区"),
		chromedp.SendKeys(chromedp.ID("quota"), "30"),
		// X001 is not in the plan: the issue must say why.
		chromedp.SendKeys(chromedp.ID("out_of_plan"), "教育局要求未入样的解放碑小学家长参加"), chromedp.Click(chromedp.ID("issue")),
		// The code page already lists the plan's codes: wait for the flash of the page the form leads to.
		chromedp.WaitVisible(chromedp.CSS("p.flash")), chromedp.WaitVisible(chromedp.ID("shared-codes")))
	if got := b.text("p.flash"); !strings.Contains(got, "已发放 1 个访问码") {
		t.Errorf("flash after issuing %q", got)
	}
	if !strings.Contains(b.text("#shared-codes"), "解放碑小学") {
		t.Errorf("issued code not listed")
	}
	b.shot("codes")
	if got := b.fetch("/console/surveys/" + id + "/sheets.zip"); got != "200 application/zip" {
		t.Errorf("QR sheets download in the browser: %s", got)
	}
	var manual survey.Code
	codes, err := f.store.Codes(context.Background(), id)
	for _, k := range codes {
		if k.School == "X001" {
			manual = k
		}
	}
	if err != nil || manual.Quota != 30 {
		t.Fatalf("the code issued in the browser: %+v, %v", manual, err)
	}
	b.do("progress", chromedp.Navigate(f.ts.URL+"/console/surveys/"+id), chromedp.Click(chromedp.ID("progress-link")), chromedp.WaitVisible(chromedp.ID("quotas")))
	// A response arrives; the page picks it up by itself (htmx polling, under the strict CSP).
	f.respondBand(f.survey(id), manual.Code, survey.Parent)
	deadline := time.Now().Add(25 * time.Second)
	for b.text("#responses") != "1" {
		if time.Now().After(deadline) {
			t.Fatalf("the progress page did not refresh itself: responses %q", b.text("#responses"))
		}
		time.Sleep(500 * time.Millisecond)
	}
	b.shot("progress")
	b.do("tablet", chromedp.EmulateViewport(820, 1180))
	b.shot("progress-tablet")
	b.do("desktop", chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("login-form")))

	// Evaluator: sees the survey, not its editing actions, and is refused the code page.
	b.login("eval")
	b.do("survey as evaluator", chromedp.Navigate(f.ts.URL+"/console/surveys/"+id), chromedp.WaitVisible(chromedp.ID("status")))
	for _, sel := range []string{"#open-survey", "#close-survey", "#codes-link", "#weights-form", "#scheme-form"} {
		if b.exists(sel) {
			t.Errorf("the evaluator's survey page shows %s", sel)
		}
	}
	b.shot("survey-evaluator")
	b.do("codes as evaluator", chromedp.Navigate(f.ts.URL+"/console/surveys/"+id+"/codes"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if h := b.text("h1"); h != "无权访问" || b.exists("#issue-form") {
		t.Errorf("evaluator on the code page sees %q", h)
	}
	b.shot("forbidden-evaluator")
	b.do("sampling as evaluator", chromedp.Navigate(f.ts.URL+"/console/surveys/"+id+"/sampling"), chromedp.WaitVisible(chromedp.ID("plan-schools")))
	for _, sel := range []string{"#plan-form", "#frame-form", "#plan-codes"} {
		if b.exists(sel) {
			t.Errorf("the evaluator's sampling page shows %s", sel)
		}
	}
	b.do("report as evaluator", chromedp.Navigate(f.ts.URL+"/console/surveys/"+id+"/report"), chromedp.WaitVisible(chromedp.ID("download-report")))
	b.shot("report")
	if got := b.fetch("/console/surveys/" + id + "/report.html"); got != "200 text/html; charset=utf-8" {
		t.Errorf("report download in the browser: %s", got)
	}
	b.do("city view", chromedp.Click(chromedp.ID("city-link")), chromedp.WaitVisible(chromedp.ID("city")))
	loaded, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(() => { const i = document.getElementById("city-chart"); return !!i && i.complete && i.naturalWidth > 0; })()`))
	if err != nil || !loaded || !strings.Contains(b.text("#city"), "浏览器测试调查") {
		t.Errorf("the city view's chart did not load (%v) or lacks the survey", err)
	}
	b.shot("city")
	if got := b.fetch("/console/city.xlsx"); got != "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("city workbook download in the browser: %s", got)
	}
	b.do("logout", chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("login-form")))

	// Admin: users and audit log.
	b.login("admin")
	b.do("users", chromedp.Navigate(f.ts.URL+"/console/users"), chromedp.WaitVisible(chromedp.ID("users")))
	b.shot("users")
	b.do("audit", chromedp.Navigate(f.ts.URL+"/console/audit"), chromedp.WaitVisible(chromedp.CSS("table.audit")))
	if txt := b.text("table.audit"); !strings.Contains(txt, "开放调查") || !strings.Contains(txt, "发放访问码") {
		t.Errorf("audit page lacks the coordinator's changes")
	}
	b.shot("audit")

	// Admin turns the second factor on: the QR code loads under the page's
	// CSP, and a code computed from the key shown confirms it.
	b.do("account", chromedp.Navigate(f.ts.URL+"/console/account"), chromedp.WaitVisible(chromedp.ID("totp-new-form")),
		chromedp.Click(chromedp.CSS("#totp-new-form button")), chromedp.WaitVisible(chromedp.ID("totp-qr")))
	qr, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(() => { const i = document.getElementById("totp-qr"); return i.complete && i.naturalWidth > 0; })()`))
	if err != nil || !qr {
		t.Errorf("the authenticator QR code did not load (%v)", err)
	}
	b.shot("account-totp")
	code, err := totp.GenerateCode(b.text("#totp-secret"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.do("confirm the second factor", chromedp.SendKeys(chromedp.ID("totp-code"), code),
		chromedp.Click(chromedp.CSS("#totp-form button")), chromedp.WaitVisible(chromedp.CSS("p.flash")))
	if got := b.text("p.flash"); !strings.Contains(got, "两步验证已启用") || !b.exists("#totp-off-form") {
		t.Errorf("after confirming: flash %q", got)
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.csp) > 0 {
		t.Errorf("Content-Security-Policy violations: %v", b.csp)
	}
}

// respondBand submits one response to a code as a new device, with the band the code leaves open.
func (f *consoleFixture) respondBand(sv *survey.Survey, code string, g survey.Group) {
	f.t.Helper()
	answers := map[string]string{}
	for _, it := range sv.Forms[g.Form()].Items {
		answers[it.ID] = "2"
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
