package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"renke/survey"
)

// fakeReply is a scripted answer of the fake submission API.
type fakeReply struct {
	status     int
	retryAfter string
	body       string
}

// fakeServer serves the respondent pages and a submission API that checks
// submissions as the real one does, answering from a script once valid.
type fakeServer struct {
	t      *testing.T
	q      survey.Questionnaire
	mu     sync.Mutex
	script []fakeReply
	posts  []fakePost
	pages  int // form pages served
}

type fakePost struct {
	key string
	sub survey.Submission
}

func (s *fakeServer) startedAt(n int) time.Time { return served.Add(time.Duration(n) * time.Minute) }

func (s *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tpl, err := Templates()
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, StaticPrefix):
		http.StripPrefix(StaticPrefix, http.FileServer(http.FS(Static()))).ServeHTTP(w, r)
	case strings.HasSuffix(path, "/thanks"):
		_ = tpl.ExecuteTemplate(w, "thanks.html", ThanksPage{Title: "测试调查"})
	case strings.HasPrefix(path, "/s/") && r.Method == http.MethodGet:
		s.mu.Lock()
		n := s.pages
		s.pages++
		s.mu.Unlock()
		code := strings.TrimPrefix(path, "/s/")
		_ = tpl.ExecuteTemplate(w, "form.html", NewFormPage("测试调查", s.q, code, survey.Student, "", s.startedAt(n)))
	case strings.HasPrefix(path, "/api/v1/codes/") && r.Method == http.MethodPost:
		s.submit(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (s *fakeServer) submit(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	body, _ := io.ReadAll(r.Body)
	sub, err := survey.ParseSubmission(body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
		return
	}
	if err := s.q.Validate(sub, survey.Student); err != nil {
		s.t.Errorf("the page posted an invalid submission: %v", err)
	}
	if err := survey.RequireBand(sub, survey.Student); err != nil {
		s.t.Errorf("the page posted no band: %v", err)
	}
	s.mu.Lock()
	s.posts = append(s.posts, fakePost{key: r.Header.Get("Idempotency-Key"), sub: sub})
	reply := fakeReply{status: http.StatusCreated, body: `{"id":"r1","seq":1}`}
	if len(s.script) > 0 {
		reply, s.script = s.script[0], s.script[1:]
	}
	s.mu.Unlock()
	if reply.retryAfter != "" {
		w.Header().Set("Retry-After", reply.retryAfter)
	}
	w.WriteHeader(reply.status)
	_, _ = io.WriteString(w, reply.body)
}

func (s *fakeServer) reset(script ...fakeReply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script, s.posts, s.pages = script, nil, 0
}

func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on PATH (apt-get install chromium)")
	return ""
}

// TestFormInBrowser drives the page in headless Chromium at a 360 px phone
// viewport: answers survive a reload, a missing answer is pointed out, a 503
// is retried with the same idempotency key, server errors are shown on the
// right item, and success lands on the thank-you page with storage cleared.
func TestFormInBrowser(t *testing.T) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox, chromedp.Flag("disable-gpu", true), chromedp.WindowSize(360, 740))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browser, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	fs := &fakeServer{t: t, q: survey.DefaultQuestionnaire(survey.StudentForm)}
	srv := httptest.NewServer(fs)
	defer srv.Close()
	n := len(fs.q.Items)

	run := func(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		ctx, cancel := context.WithTimeout(browser, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(t *testing.T, expr string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(browser, 30*time.Second)
		defer cancel()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	click := func(name, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=%q][value=%q]`, name, value)))
	}
	answer := func(from int) []chromedp.Action[chromedp.Void] {
		var steps []chromedp.Action[chromedp.Void]
		for _, it := range fs.q.Items[from:] {
			steps = append(steps, click("a_"+it.ID, "1"))
		}
		return steps
	}
	open := func(t *testing.T, code string) {
		t.Helper()
		run(t, "open "+code, chromedp.Navigate(srv.URL+"/s/"+code), chromedp.WaitVisible(chromedp.CSS("#go")))
	}
	// waitThanks polls from Go: a page poll does not survive the navigation.
	waitThanks := func(t *testing.T) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			ctx, cancel := context.WithTimeout(browser, 5*time.Second)
			at, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + "|" + document.readyState`))
			cancel()
			if err == nil && strings.HasSuffix(at, "/thanks|complete") {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("never reached the thank-you page (at %s, message %q)", eval(t, `location.href`),
			eval(t, `document.getElementById("msg") ? document.getElementById("msg").textContent : ""`))
	}

	t.Run("layout", func(t *testing.T) {
		open(t, "layoutcode0000000")
		if w := eval(t, `String(document.documentElement.scrollWidth)`); w != "360" {
			t.Errorf("page is %s px wide at a 360 px viewport", w)
		}
		small := eval(t, `Array.prototype.filter.call(document.querySelectorAll(".opts label, #go"), function (e) {
			var r = e.getBoundingClientRect(); return r.height < 44 || r.width < 44; }).length + ""`)
		if small != "0" {
			t.Errorf("%s tap targets are smaller than 44 px", small)
		}
		if got := eval(t, `document.getElementById("prog").textContent`); got != fmt.Sprintf("已答 0/%d", n) {
			t.Errorf("progress %q", got)
		}
	})

	t.Run("reload keeps answers; retry after 503; thanks", func(t *testing.T) {
		fs.reset(fakeReply{status: 503, retryAfter: "1", body: `{"error":"服务器繁忙"}`})
		open(t, "retrycode00000000")
		run(t, "answer three", click("band", "g3-4"), click("a_s01", "1"), click("a_s02", "2"), click("a_s03", "9"))
		if got := eval(t, `document.getElementById("prog").textContent`); got != fmt.Sprintf("已答 3/%d", n) {
			t.Errorf("progress after three answers: %q", got)
		}
		run(t, "reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#go")))
		kept := eval(t, `["band", "a_s01", "a_s02", "a_s03", "a_s04"].map(function (n) {
			var c = document.querySelector("input[name=" + n + "]:checked"); return c ? c.value : "-"; }).join(",")`)
		if kept != "g3-4,1,2,9,-" {
			t.Errorf("after a reload the answers are %s, want g3-4,1,2,9,-", kept)
		}
		if got := eval(t, `document.getElementById("prog").textContent`); got != fmt.Sprintf("已答 3/%d", n) {
			t.Errorf("progress after reload: %q", got)
		}
		run(t, "submit incomplete", chromedp.Click(chromedp.CSS("#go")))
		if bad := eval(t, `Array.prototype.map.call(document.querySelectorAll(".q.bad"), function (e) { return e.id; }).join()`); bad != "q-s04" {
			t.Errorf("incomplete submit marks %q, want q-s04", bad)
		}
		// The marked question lands fully visible, below the sticky progress bar.
		if pos := eval(t, `(function () { var q = document.getElementById("q-s04").getBoundingClientRect(),
			b = document.querySelector(".bar").getBoundingClientRect();
			return [Math.round(q.top - b.bottom) >= 0, Math.round(q.bottom) <= innerHeight, b.top === 0].join(); })()`); pos != "true,true,true" {
			t.Errorf("the first unanswered question is not fully visible below the bar (below bar, above screen bottom, bar at top: %s)", pos)
		}
		if msg := eval(t, `document.getElementById("msg").textContent`); !strings.Contains(msg, fmt.Sprintf("还有 %d 题没有作答", n-3)) || !strings.Contains(msg, "不知道") {
			t.Errorf("incomplete submit says %q", msg)
		}
		run(t, "answer the rest", answer(3)...)
		if bad := eval(t, `document.querySelectorAll(".q.bad, .why").length + ""`); bad != "0" {
			t.Errorf("%s marks remain after answering", bad)
		}
		run(t, "submit", chromedp.Click(chromedp.CSS("#go")))
		waitThanks(t)
		if left := eval(t, `String(localStorage.getItem("renke:retrycode00000000"))`); left != "null" {
			t.Errorf("answers still stored after success: %s", left)
		}
		fs.mu.Lock()
		posts := fs.posts
		fs.mu.Unlock()
		if len(posts) != 2 {
			t.Fatalf("%d posts, want 2 (a 503, then the retry)", len(posts))
		}
		if posts[0].key == "" || posts[0].key != posts[1].key || len(posts[0].key) < 16 {
			t.Errorf("idempotency keys %q and %q: want one well-formed key for both tries", posts[0].key, posts[1].key)
		}
		if p := posts[1].sub; !p.StartedAt.Equal(fs.startedAt(0)) || p.Band != "g3-4" || p.Answers["s02"] != "2" || len(p.Answers) != n {
			t.Errorf("posted %+v; want the first page's start time %v, band g3-4 and all %d answers", p, fs.startedAt(0), n)
		}
	})

	t.Run("server refusals are shown", func(t *testing.T) {
		fs.reset(
			fakeReply{status: 422, body: `{"error":"第 5 题的答案无效，请重新选择。","item":"s05"}`},
			fakeReply{status: 409, body: `{"error":"该二维码已经使用过，每个二维码只能提交一次。"}`},
			fakeReply{status: 409, body: `{"error":"您的问卷已经提交成功，无需重复提交。","already_recorded":true}`},
		)
		open(t, "refusecode0000000")
		run(t, "answer all", append([]chromedp.Action[chromedp.Void]{click("band", "g7-9")}, answer(0)...)...)
		run(t, "submit", chromedp.Click(chromedp.CSS("#go")))
		ctx, cancel := context.WithTimeout(browser, 20*time.Second)
		defer cancel()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!document.querySelector("#q-s05.bad .why")`, chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
			t.Fatalf("a 422 for s05 did not mark it: %v", err)
		}
		if msg := eval(t, `document.querySelector("#q-s05 .why").textContent + "|" + document.getElementById("go").disabled`); msg != "第 5 题的答案无效，请重新选择。|false" {
			t.Errorf("after the 422: %q", msg)
		}
		run(t, "resubmit", chromedp.Click(chromedp.CSS("#go")))
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("msg").textContent.indexOf("已经使用过") >= 0`, chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
			t.Fatalf("a 409 message was not shown: %v", err)
		}
		if stored := eval(t, `String(!!localStorage.getItem("renke:refusecode0000000"))`); stored != "true" {
			t.Error("answers were dropped after a refusal")
		}
		run(t, "submit again", chromedp.Click(chromedp.CSS("#go")))
		waitThanks(t)
	})
}
