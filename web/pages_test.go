package web

import (
	"strings"
	"testing"

	"renke/survey"
)

func TestWithSubmissionRefilledPage(t *testing.T) {
	q := survey.DefaultQuestionnaire(survey.StudentForm)
	page := NewFormPage("调查", q, testCode, survey.Student, "", served)
	answers := map[string]string{q.Items[0].ID: "2", q.Items[1].ID: "9"}
	verr := &survey.ValidationError{ItemID: q.Items[2].ID, Message: "第 3 题还没有作答。"}
	refilled := page.WithSubmission(survey.Submission{Answers: answers, Band: "g5-6"}, verr)

	if page.Answered() != 0 || page.Items[0].Options[1].Checked || page.Bands[2].Selected {
		t.Error("WithSubmission changed the page it was called on")
	}
	if refilled.Answered() != 2 || !refilled.Items[2].Invalid || refilled.Items[1].Invalid || refilled.BandInvalid {
		t.Errorf("answered %d, invalid flags %v %v %v", refilled.Answered(), refilled.Items[2].Invalid, refilled.Items[1].Invalid, refilled.BandInvalid)
	}
	out := render(t, "form.html", refilled)
	checkMarkup(t, "refilled", out)
	for _, want := range []string{
		`name="a_s01" value="2" required checked>`,
		`name="a_s02" value="9" required checked>`,
		`name="band" value="g5-6" required checked>`,
		`<fieldset class="q bad" id="q-s03">`,
		"第 3 题还没有作答。",
		"已答 2/18",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("refilled page lacks %q", want)
		}
	}
	if n := strings.Count(out, " checked>"); n != 3 {
		t.Errorf("%d checked inputs, want 3", n)
	}
	bandErr := page.WithSubmission(survey.Submission{Answers: answers}, &survey.ValidationError{ItemID: "band", Message: "请选择你所在的年级段。"})
	if out := render(t, "form.html", bandErr); !strings.Contains(out, `<fieldset class="q bad" id="q-band">`) {
		t.Error("a band error does not mark the band question")
	}
}

func TestFormPageContent(t *testing.T) {
	q := survey.DefaultQuestionnaire(survey.SocialForm)
	page := NewFormPage("某县调查", q, testCode, survey.Parent, "", served)
	if page.Minutes < 4 || page.Minutes > 6 {
		t.Errorf("%d items take %d minutes by the page's estimate", len(q.Items), page.Minutes)
	}
	out := render(t, "form.html", page)
	for _, want := range []string{
		"<title>某县调查</title>", "共 18 题", "匿名填写", "不收集姓名、电话、身份证号", "约需 5 分钟",
		"社会问卷 · 家长", "您的孩子在读哪个年级段？", "小学低段（1–2年级）",
		`data-api="/api/v1/codes/` + testCode + `/responses"`, `data-thanks="/s/` + testCode + `/thanks"`,
		`name="started_at" value="2025-05-20T09:30:00&#43;08:00"`,
		">满意</span>", ">不了解</span>", `data-dk="不了解"`, "<b>18.</b> " + q.Items[17].Text,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	for _, asked := range []string{"姓名：", "手机号", "电话号码：", `type="tel"`, `type="text"`} {
		if strings.Contains(out, asked) {
			t.Errorf("form asks for %q", asked)
		}
	}
	student := render(t, "form.html", NewFormPage("某县调查", survey.DefaultQuestionnaire(survey.StudentForm), testCode, survey.Student, "", served))
	if !strings.Contains(student, "你在读几年级？") || strings.Contains(student, "小学低段") || !strings.Contains(student, ">不知道</span>") {
		t.Error("the student page must ask the band in a child's words, offer grades 3–9 only, and word 不了解 as 不知道")
	}
}

func TestMessageAndThanksPages(t *testing.T) {
	out := render(t, "message.html", MessagePage{Title: "名额已满", Message: "本校该类调查对象的名额已满，感谢您的支持。"})
	checkMarkup(t, "message", out)
	checkAssetsExist(t, "message", out, 1)
	for _, want := range []string{"<title>名额已满</title>", "<h1>名额已满</h1>", "感谢您的支持"} {
		if !strings.Contains(out, want) {
			t.Errorf("message page lacks %q", want)
		}
	}
	out = render(t, "thanks.html", ThanksPage{Title: "某县调查"})
	checkMarkup(t, "thanks", out)
	checkAssetsExist(t, "thanks", out, 1)
	for _, want := range []string{"谢谢您的参与", "提交成功", "某县调查"} {
		if !strings.Contains(out, want) {
			t.Errorf("thanks page lacks %q", want)
		}
	}
	if out := render(t, "thanks.html", ThanksPage{Message: "谢谢你！"}); !strings.Contains(out, "谢谢你！") || strings.Contains(out, "提交成功") {
		t.Error("a custom thank-you message is not shown in place of the default")
	}
}

func TestAssetURL(t *testing.T) {
	a, err := AssetURL("form.js")
	if err != nil || !strings.HasPrefix(a, StaticPrefix+"form.js?v=") || len(a) != len(StaticPrefix+"form.js?v=")+10 {
		t.Errorf("AssetURL(form.js) = %q, %v", a, err)
	}
	if _, err := AssetURL("missing.js"); err == nil {
		t.Error("AssetURL of a missing file succeeded")
	}
}
