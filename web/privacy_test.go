package web

import (
	"strings"
	"testing"

	"renke/survey"
)

// TestPrivacyNoticeOnEveryForm: every form shows a short notice of what is
// kept, why, who sees it and for how long, linking the full page; the
// student form's is in a child's words with a line for guardians; a
// county's own text replaces the default.
func TestPrivacyNoticeOnEveryForm(t *testing.T) {
	forms := survey.DefaultForms()
	for _, k := range survey.FormKinds {
		for _, g := range groupsOf(k) {
			out := render(t, "form.html", NewFormPage("某某县调查", forms[k], testCode, g, "", served))
			notice := between(t, out, `<section class="privacy" id="privacy"`, `</section>`)
			for _, want := range []string{"180 天", "一次", `href="` + PrivacyPath + `"`} {
				if !strings.Contains(notice, want) {
					t.Errorf("%s/%s: notice lacks %q: %s", k, g, want, notice)
				}
			}
			child := strings.Contains(notice, "谁也不知道哪份是你答的") && strings.Contains(notice, "家长请知悉")
			if child != (k == survey.StudentForm) {
				t.Errorf("%s/%s: child's wording and guardians' line %v, want %v", k, g, child, k == survey.StudentForm)
			}
		}
	}
	q := forms[survey.SocialForm]
	q.Privacy = "本县说明第一段。\n本县说明第二段。"
	out := render(t, "form.html", NewFormPage("某某县调查", q, testCode, survey.Public, "", served))
	notice := between(t, out, `<section class="privacy" id="privacy"`, `</section>`)
	if !strings.Contains(notice, "<p>本县说明第一段。</p>") || !strings.Contains(notice, "<p>本县说明第二段。</p>") || strings.Contains(notice, "180 天") {
		t.Errorf("county's own notice not shown as written: %s", notice)
	}
}

// TestPrivacyPage: the full notice names every kept field, who reads it and when it goes.
func TestPrivacyPage(t *testing.T) {
	out := render(t, "privacy.html", nil)
	for _, want := range []string{"设备随机编号", "网络地址摘要", "浏览器的种类", "评估人员和系统管理员", "180 天", "家长"} {
		if !strings.Contains(out, want) {
			t.Errorf("privacy page lacks %q", want)
		}
	}
	checkMarkup(t, "privacy.html", out)
}

func between(t *testing.T, s, from, to string) string {
	t.Helper()
	i := strings.Index(s, from)
	if i < 0 {
		t.Fatalf("no %q in page", from)
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		t.Fatalf("no %q after %q", to, from)
	}
	return s[i : i+j]
}
