package survey

import (
	"strings"
	"testing"
)

// TestScoringSpeaksEachForm: each form's scoring uses that form's labels and
// no other form's; texts over several forms use the neutral level words.
func TestScoringSpeaksEachForm(t *testing.T) {
	forms := DefaultForms()
	sc := Scoring(forms, DefaultScheme())
	if len(sc) != 3 {
		t.Fatalf("%d forms", len(sc))
	}
	want := map[FormKind]struct{ own, foreign []string }{
		StudentForm: {[]string{"满意", "比较满意", "基本满意", "不满意", "不知道"}, []string{"认可", "不了解"}},
		StaffForm:   {[]string{"认可", "比较认可", "基本认可", "不认可", "不了解"}, []string{"满意", "不知道"}},
		SocialForm:  {[]string{"满意", "比较满意", "基本满意", "不满意", "不了解"}, []string{"认可", "不知道"}},
	}
	for _, f := range sc {
		w := want[f.Form]
		for i, o := range f.Options {
			if o.Label != w.own[i] {
				t.Errorf("%s option %s: %q, want %q", f.Form, o.Code, o.Label, w.own[i])
			}
		}
		for _, l := range w.own {
			if !strings.Contains(f.Text, "“"+l+"”") {
				t.Errorf("%s: %q does not name %s", f.Form, f.Text, l)
			}
		}
		for _, l := range w.foreign {
			if strings.Contains(f.Text, l) {
				t.Errorf("%s: %q names %s of another form", f.Form, f.Text, l)
			}
		}
	}
	if got := sc[0].Text; got != "“满意”“比较满意”“基本满意”计 1 分，“不满意”计 0 分，“不知道”不计分，也不计入分母" {
		t.Errorf("student text %q", got)
	}
	if got := Scoring(forms, GradedScheme())[1].Text; got != "“认可”计 1 分，“比较认可”计 0.8 分，“基本认可”计 0.6 分，“不认可”计 0 分，“不了解”不计分，也不计入分母" {
		t.Errorf("graded staff text %q", got)
	}
	if got := LevelsText(DefaultScheme()); got != "第一档、第二档、第三档计 1 分，第四档计 0 分，无法评价不计分，也不计入分母" {
		t.Errorf("levels %q", got)
	}
	if got := LevelLegend(forms); !strings.Contains(got, "1 第一档（满意／认可）") || !strings.Contains(got, "9 无法评价（不知道／不了解）") {
		t.Errorf("legend %q", got)
	}
}
