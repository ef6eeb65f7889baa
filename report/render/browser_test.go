package render

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"renke/report"
)

// chromium finds the browser: $RENKE_TEST_CHROMIUM, else chromium on PATH.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("RENKE_TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium (set RENKE_TEST_CHROMIUM or apt-get install chromium): the HTML report is not checked in a browser")
	return ""
}

// figureSizes is what the page reports for every image and chart: the
// natural size of an <img>, the laid-out size of an <svg>.
const figureSizes = `Array.from(document.querySelectorAll("img, svg")).map(e => {
  if (e.tagName.toLowerCase() === "img") return [e.naturalWidth, e.naturalHeight, e.complete ? 1 : 0];
  const r = e.getBoundingClientRect();
  return [r.width, r.height, 1];
})`

func TestHTMLInChromium(t *testing.T) {
	exe := chromium(t)
	in := fixture(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, htmlOf(t, in), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(1100, 1400))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page)); err != nil {
		t.Fatalf("open the report: %v", err)
	}
	sizes, err := chromedp.Run(ctx, chromedp.Evaluate[[][]float64](figureSizes))
	if err != nil {
		t.Fatal(err)
	}
	if len(sizes) < 3 {
		t.Fatalf("%d figures on the page, want the overall, group and dimension charts at least", len(sizes))
	}
	for i, s := range sizes {
		if s[0] <= 0 || s[1] <= 0 || s[2] != 1 {
			t.Errorf("figure %d is broken: %v × %v (complete %v)", i, s[0], s[1], s[2])
		}
	}
	verdict, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("verdict").innerText`))
	if err != nil {
		t.Fatal(err)
	}
	o := in.Report.Overall
	for _, want := range []string{o.Verdict, pct(o.Rate), pct(o.CILow), report.FormatPassProbability(*o.PassProbability)} {
		if !strings.Contains(verdict, want) {
			t.Errorf("verdict box %q lacks %q", verdict, want)
		}
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(screenshots, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshots, "report-html.jpg"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
}
