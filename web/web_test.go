package web

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"renke/survey"
)

var served = time.Date(2025, 5, 20, 9, 30, 0, 0, survey.Shanghai)

const testCode = "abcdefghijklmnopqrstuvwxyz234567"

func render(t *testing.T, name string, data any) string {
	t.Helper()
	tpl, err := Templates()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, name, data); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return buf.String()
}

// groupsOf lists the groups answering form k.
func groupsOf(k survey.FormKind) []survey.Group {
	var out []survey.Group
	for _, g := range survey.Groups {
		if g.Form() == k {
			out = append(out, g)
		}
	}
	return out
}

// longForm is a 25-item questionnaire with long texts: the size budget's worst case.
func longForm() survey.Questionnaire {
	q := survey.DefaultQuestionnaire(survey.SocialForm)
	for i := len(q.Items); i < 25; i++ {
		q.Items = append(q.Items, survey.Item{ID: fmt.Sprintf("c%02d", i+1), Dimension: "教育质量",
			Text: strings.Repeat("学校老师教学认真负责，", 4)})
	}
	return q
}

func staticBytes(t *testing.T) int {
	t.Helper()
	n := 0
	err := fs.WalkDir(Static(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Static(), p)
		n += len(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var (
	absoluteURL = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	scriptTag   = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>`)
)

func TestFormPageBudgetAndNoExternalReferences(t *testing.T) {
	static := staticBytes(t)
	assets := map[string]string{}
	for _, name := range []string{"form.css", "form.js"} {
		b, err := fs.ReadFile(Static(), name)
		if err != nil {
			t.Fatal(err)
		}
		assets[name] = string(b)
	}
	forms := survey.DefaultForms()
	cases := map[string]FormPage{"25 long items": NewFormPage("某某县义务教育社会认可度调查", longForm(), testCode, survey.Parent, "", served)}
	for _, k := range survey.FormKinds {
		for _, g := range groupsOf(k) {
			cases[string(k)+"/"+string(g)] = NewFormPage("某某县义务教育社会认可度调查", forms[k], testCode, g, "", served)
		}
	}
	for name, page := range cases {
		out := render(t, "form.html", page)
		if total := len(out) + static; total >= 50<<10 {
			t.Errorf("%s: page %d B + static %d B = %d B, want under 50 KB", name, len(out), static, total)
		}
		t.Logf("%s: %d items, page %d B, with static %d B", name, len(page.Items), len(out), len(out)+static)
		checkMarkup(t, name, out)
		checkAssetsExist(t, name, out, 2)
	}
	for name, body := range assets {
		checkNoExternal(t, name, body)
	}
}

func checkNoExternal(t *testing.T, name, doc string) {
	t.Helper()
	if m := absoluteURL.FindString(doc); m != "" {
		t.Errorf("%s references another host: %q", name, m)
	}
	for _, m := range scriptTag.FindAllStringSubmatch(doc, -1) {
		if strings.TrimSpace(m[2]) != "" || !strings.Contains(m[1], "src=") {
			t.Errorf("%s has an inline script: %q", name, m[0])
		}
	}
}

// checkMarkup parses an HTML page and refuses what a strict CSP forbids:
// inline event handlers, style attributes, javascript: URLs, inline scripts.
func checkMarkup(t *testing.T, name, doc string) {
	t.Helper()
	checkNoExternal(t, name, doc)
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Data == "script" && n.FirstChild != nil {
				t.Errorf("%s: inline script body %q", name, n.FirstChild.Data)
			}
			for _, a := range n.Attr {
				k, v := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(k, "on") || k == "style" || strings.HasPrefix(v, "javascript:") {
					t.Errorf("%s: <%s %s=%q> is inline code or style", name, n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
}

// checkAssetsExist checks that every /static/ reference names an embedded file.
func checkAssetsExist(t *testing.T, name, doc string, want int) {
	t.Helper()
	// Stylesheets and scripts (links to pages, such as the privacy notice, are not assets).
	refs := regexp.MustCompile(`(?:<link [^>]*href|src)="(/[^"]*)"`).FindAllStringSubmatch(doc, -1)
	if len(refs) != want {
		t.Errorf("%s links %d assets, want %d", name, len(refs), want)
	}
	for _, m := range refs {
		u, err := url.Parse(html.UnescapeString(m[1]))
		if err != nil || !strings.HasPrefix(u.Path, StaticPrefix) || u.Query().Get("v") == "" {
			t.Errorf("%s: asset reference %q is not a versioned %s URL", name, m[1], StaticPrefix)
			continue
		}
		if _, err := fs.Stat(Static(), strings.TrimPrefix(u.Path, StaticPrefix)); err != nil {
			t.Errorf("%s: asset %q is not embedded: %v", name, m[1], err)
		}
	}
}

func TestTemplatesEscape(t *testing.T) {
	q := survey.DefaultQuestionnaire(survey.StaffForm)
	q.Items[0].Text = `<script>alert("x")</script>&`
	q.Intro = `<img src=x onerror=alert(1)>`
	page := NewFormPage(`</title><script>alert(2)</script>`, q, `x"><script>`, survey.Teacher, "", served)
	out := render(t, "form.html", page)
	for _, bad := range []string{"<script>alert", "<img src=x", `x"><script>`} {
		if strings.Contains(out, bad) {
			t.Errorf("form.html rendered %q unescaped", bad)
		}
	}
	if !strings.Contains(out, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;") {
		t.Errorf("item text was not HTML-escaped:\n%s", out)
	}
	checkMarkup(t, "escaped form", out)
	msg := render(t, "message.html", MessagePage{Title: "<b>二维码无效</b>", Message: "<script>x</script>"})
	if strings.Contains(msg, "<script>x") || strings.Contains(msg, "<b>二维码") {
		t.Errorf("message.html did not escape: %s", msg)
	}
}

// formInputs parses the rendered page and returns the form's action, method
// and its radio groups (name → values, in order) and hidden fields.
func formInputs(t *testing.T, doc string) (action, method string, radios map[string][]string, order []string, hidden url.Values) {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	radios, hidden = map[string][]string{}, url.Values{}
	attr := func(n *html.Node, k string) string {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val
			}
		}
		return ""
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch {
			case n.Data == "script" && n.FirstChild != nil:
				t.Errorf("inline script body: %q", n.FirstChild.Data)
			case n.Data == "form":
				action, method = attr(n, "action"), attr(n, "method")
			case n.Data == "input" && attr(n, "type") == "radio":
				name := attr(n, "name")
				if _, seen := radios[name]; !seen {
					order = append(order, name)
				}
				radios[name] = append(radios[name], attr(n, "value"))
			case n.Data == "input" && attr(n, "type") == "hidden":
				hidden.Add(attr(n, "name"), attr(n, "value"))
			case n.Data == "input":
				t.Errorf("unexpected input %q of type %q", attr(n, "name"), attr(n, "type"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return action, method, radios, order, hidden
}

// TestFormPostsWithoutJavaScript submits the rendered form as a browser
// without JavaScript would, and checks the server side accepts it.
func TestFormPostsWithoutJavaScript(t *testing.T) {
	forms := survey.DefaultForms()
	for _, g := range survey.Groups {
		q := forms[g.Form()]
		for pick := range survey.OptionCodes {
			out := render(t, "form.html", NewFormPage("调查", q, testCode, g, "", served))
			action, method, radios, order, hidden := formInputs(t, out)
			if action != "/s/"+testCode || !strings.EqualFold(method, "post") {
				t.Fatalf("%s: form %s %q, want POST /s/<code>", g, method, action)
			}
			wantGroups := len(q.Items)
			if len(survey.BandsFor(g)) > 0 {
				wantGroups++
				if order[0] != "band" || len(radios["band"]) != len(survey.BandsFor(g)) {
					t.Errorf("%s: band question %v first=%q, want %d bands first", g, radios["band"], order[0], len(survey.BandsFor(g)))
				}
			} else if _, ok := radios["band"]; ok {
				t.Errorf("%s has no bands but the page asks one", g)
			}
			if len(radios) != wantGroups {
				t.Errorf("%s: %d radio groups, want %d", g, len(radios), wantGroups)
			}
			post := url.Values{}
			for name, vals := range radios {
				post.Set(name, vals[min(pick, len(vals)-1)])
			}
			for k, v := range hidden {
				post[k] = v
			}
			// Browsers encode the form; the server decodes it.
			decoded, err := url.ParseQuery(post.Encode())
			if err != nil {
				t.Fatal(err)
			}
			sub, err := survey.ParseFormSubmission(decoded)
			if err != nil {
				t.Fatalf("%s: the page's own post is refused: %v", g, err)
			}
			if err := q.Validate(sub, g); err != nil {
				t.Errorf("%s, option %d: %v", g, pick, err)
			}
			if err := survey.RequireBand(sub, g); err != nil {
				t.Errorf("%s: %v", g, err)
			}
			if !sub.StartedAt.Equal(served) {
				t.Errorf("%s: started_at %v, want %v", g, sub.StartedAt, served)
			}
		}
	}
}

func TestFixedBandHidesQuestion(t *testing.T) {
	out := render(t, "form.html", NewFormPage("调查", survey.DefaultQuestionnaire(survey.SocialForm), testCode, survey.Parent, survey.BandUpper, served))
	if _, _, radios, _, _ := formInputs(t, out); radios["band"] != nil {
		t.Errorf("a code that fixes the band still asks it: %v", radios["band"])
	}
	if strings.Contains(out, `data-band=`) {
		t.Error("form says it has a band question when the code fixes the band")
	}
}
