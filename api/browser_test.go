package api_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"renke/survey"
)

// chromium finds Debian's chromium (RENKE_TEST_CHROMIUM in CI).
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("RENKE_TEST_CHROMIUM"); p != "" {
		return p
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Skip("no chromium on PATH (apt-get install chromium; CI installs it)")
	return ""
}

// screenshot saves the page for a person to look at, under screenshots/ (git-ignored).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	dir := filepath.Join("..", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		os.WriteFile(filepath.Join(dir, name+".jpg"), buf, 0o644)
	}
}

// TestRespondentInBrowser drives the real server's page in headless Chromium
// at a 360 px phone viewport: open a parent's one-time code, answer half,
// reload (answers still there), finish, submit, see the thank-you page; the
// store then holds exactly that answer sheet, and a second visit is refused.
func TestRespondentInBrowser(t *testing.T) {
	f := newFixture(t)
	code := f.issue(survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Parent, School: school, Count: 1})[0].Code
	srv := httptest.NewServer(f.srv.Handler())
	defer srv.Close()
	q := f.sv.Forms[survey.SocialForm]

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-component-update", true), chromedp.WindowSize(360, 740))
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
	pick := func(name, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=%q][value=%q]`, name, value)))
	}
	do("viewport", chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch))
	do("open", chromedp.Navigate(srv.URL+"/s/"+code), chromedp.WaitVisible(chromedp.CSS("#go")))
	screenshot(t, ctx, "respondent-form")
	half := len(q.Items) / 2
	steps := []chromedp.Action[chromedp.Void]{pick("band", "g5-6")}
	for i, it := range q.Items[:half] {
		steps = append(steps, pick("a_"+it.ID, survey.OptionCodes[i%5]))
	}
	do("answer half", steps...)
	do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#go")))
	if got := eval(`String(document.querySelectorAll('input[name^="a_"]:checked').length)`); got != fmt.Sprint(half) {
		t.Fatalf("after a reload %s answers are checked, want %d", got, half)
	}
	steps = nil
	for i, it := range q.Items[half:] {
		steps = append(steps, pick("a_"+it.ID, survey.OptionCodes[(half+i)%5]))
	}
	do("answer the rest", steps...)
	do("submit", chromedp.Click(chromedp.CSS("#go")))
	deadline := time.Now().Add(20 * time.Second)
	for eval(`location.pathname`) != "/s/"+code+"/thanks" {
		if time.Now().After(deadline) {
			t.Fatalf("no thank-you page; at %s, message %q", eval(`location.pathname`), eval(`(document.getElementById("msg")||{}).textContent||""`))
		}
		time.Sleep(100 * time.Millisecond)
	}
	screenshot(t, ctx, "respondent-thanks")

	var stored []survey.Response
	if err := f.store.EachResponse(context.Background(), f.sv.ID, func(r *survey.Response) error {
		stored = append(stored, *r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 {
		t.Fatalf("store holds %d responses, want 1", len(stored))
	}
	r := stored[0]
	for i, it := range q.Items {
		if r.Answers[it.ID] != survey.OptionCodes[i%5] {
			t.Fatalf("item %s stored %q, want %q", it.ID, r.Answers[it.ID], survey.OptionCodes[i%5])
		}
	}
	if r.Band != survey.BandUpper || r.UAFamily == "" || r.CompletionTime() <= 0 || r.DeviceID == "" {
		t.Fatalf("response lacks band, device, user agent or completion time: %+v", r)
	}
	// The used code: a new visit says so before any question.
	do("open again", chromedp.Navigate(srv.URL+"/s/"+code), chromedp.WaitVisible(chromedp.CSS(`main[data-state="used"]`)))
	if n := eval(`String(document.querySelectorAll("fieldset, #go").length)`); n != "0" {
		t.Fatalf("the used code's page shows %s questions or buttons", n)
	}
}
