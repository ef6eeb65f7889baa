package survey

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDefaultForms(t *testing.T) {
	prefix := map[FormKind]string{StudentForm: "s", StaffForm: "t", SocialForm: "c"}
	forms := DefaultForms()
	if len(forms) != 3 {
		t.Fatalf("DefaultForms returned %d forms, want 3", len(forms))
	}
	for _, k := range FormKinds {
		q := forms[k]
		if q.Kind != k || q.Version != 1 {
			t.Errorf("%s: kind %q version %d, want %q version 1", k, q.Kind, q.Version, k)
		}
		if n := len(q.Items); n < 15 || n > 25 {
			t.Errorf("%s: %d items, want 15..25", k, n)
		}
		if strings.TrimSpace(q.Title) == "" || !strings.Contains(q.Intro, "分钟") {
			t.Errorf("%s: title %q / intro %q: want a title and an intro that says how long it takes", k, q.Title, q.Intro)
		}
		count := map[string]int{}
		idPat := regexp.MustCompile("^" + prefix[k] + `\d\d$`)
		for i, it := range q.Items {
			count[it.Dimension]++
			if !idPat.MatchString(it.ID) {
				t.Errorf("%s: item %d id %q, want %s01-style", k, i+1, it.ID, prefix[k])
			}
			if want := fmt.Sprintf("%s%02d", prefix[k], i+1); it.ID != want {
				t.Errorf("%s: item %d has id %q, want %q (ids follow form order)", k, i+1, it.ID, want)
			}
			if strings.ContainsAny(it.Text, "<>&\"") {
				t.Errorf("%s: item %s text has markup characters: %q", k, it.ID, it.Text)
			}
		}
		for _, d := range Dimensions {
			want := 1
			if d != "总体认可" && count[d] < 1 {
				t.Errorf("%s: dimension %s has no item", k, d)
			} else if d == "总体认可" && count[d] != want {
				t.Errorf("%s: %d overall items, want exactly 1", k, count[d])
			}
		}
		if last := q.Items[len(q.Items)-1]; last.Dimension != "总体认可" {
			t.Errorf("%s: the overall item should come last, last is %s (%s)", k, last.ID, last.Dimension)
		}
		for _, code := range OptionCodes {
			if q.OptionLabel(code) == "" {
				t.Errorf("%s: option %s has no label", k, code)
			}
		}
		if err := ValidateQuestionnaire(q, DefaultScheme()); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
	// DefaultForms hands out copies: changing one does not change the next.
	forms[StudentForm].Items[0].Text = "changed"
	if DefaultForms()[StudentForm].Items[0].Text == "changed" {
		t.Error("DefaultForms shares item slices between calls")
	}
}

func TestStudentItemsAreShort(t *testing.T) {
	// A 9-year-old reads these: one short sentence each, no policy jargon.
	jargon := []string{"优质均衡", "素质教育", "立德树人", "双减", "评价改革", "资源共享", "县（区）"}
	for _, it := range DefaultQuestionnaire(StudentForm).Items {
		if n := utf8.RuneCountInString(it.Text); n > 26 {
			t.Errorf("student item %s has %d characters, want at most 26: %s", it.ID, n, it.Text)
		}
		for _, j := range jargon {
			if strings.Contains(it.Text, j) {
				t.Errorf("student item %s uses the term %q: %s", it.ID, j, it.Text)
			}
		}
	}
}

func TestQuestionnaireYAMLRoundTrip(t *testing.T) {
	for _, k := range FormKinds {
		q := DefaultQuestionnaire(k)
		b, err := q.YAML()
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		back, err := ParseQuestionnaireYAML(b)
		if err != nil {
			t.Fatalf("%s: re-import of the export failed: %v\n%s", k, err, b)
		}
		if !reflect.DeepEqual(q, back) {
			t.Errorf("%s: round trip changed the questionnaire:\n%+v\n%+v", k, q, back)
		}
	}
}

// lineOf is the 1-based line of the first line of doc containing s.
func lineOf(t *testing.T, doc, s string) int {
	t.Helper()
	for i, l := range strings.Split(doc, "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("fixture has no line with %q", s)
	return 0
}

const goodYAML = `kind: social
version: 2
title: 测试问卷
labels:
  1: 满意
  "9": 说不清
items:
  - id: c01
    dimension: 教育公平
    text: 第一题
  - id: c02
    dimension: 总体认可
    text: 第二题
`

func TestParseQuestionnaireYAML(t *testing.T) {
	q, err := ParseQuestionnaireYAML([]byte(goodYAML))
	if err != nil {
		t.Fatal(err)
	}
	if q.Kind != SocialForm || q.Version != 2 || len(q.Items) != 2 || q.Items[1].Dimension != "总体认可" {
		t.Errorf("parsed %+v", q)
	}
	if q.OptionLabel("1") != "满意" || q.OptionLabel("9") != "说不清" || q.OptionLabel("2") != "比较认可" {
		t.Errorf("labels %v: unquoted key 1 must mean option 1, absent labels fall back to the defaults", q.Labels)
	}
	noVersion := strings.Replace(goodYAML, "version: 2\n", "", 1)
	if q, err := ParseQuestionnaireYAML([]byte(noVersion)); err != nil || q.Version != 1 {
		t.Errorf("without a version: version %d, err %v; want 1", q.Version, err)
	}
}

func TestParseQuestionnaireYAMLErrors(t *testing.T) {
	cases := []struct {
		name, find, replace string
		lineOf              string // the fixture line the error must name ("" = no line check)
		want                string
	}{
		{"unknown dimension", "dimension: 教育公平", "dimension: 教育公平x", "教育公平x", "维度“教育公平x”不存在"},
		{"duplicate id", "id: c02", "id: c01 ", "id: c01 ", "题号 c01 重复"},
		{"empty text", "text: 第二题", `text: "  "`, `text: "  "`, "题干为空"},
		{"unknown kind", "kind: social", "kind: parents", "kind: parents", "问卷类型“parents”不存在"},
		{"id with spaces", "id: c02", "id: c 02", "id: c 02", "题号“c 02”无效"},
		{"id too long", "id: c02", "id: c" + strings.Repeat("x", 40), "id: cxxx", "题号“cxxx"},
		{"reserved id", "id: c02", "id: band", "id: band", "保留字"},
		{"unknown label code", `"9": 说不清`, `"5": 说不清`, "labels:", "选项代码“5”不存在"},
		{"no items", goodYAML[strings.Index(goodYAML, "items:"):], "items: []\n", "items: []", "问卷没有题目"},
		{"unknown field", "title: 测试问卷", "titel: 测试问卷", "titel:", "未知字段 titel"},
		{"version not a number", "version: 2", "version: abc", "version: abc", "值“abc”的类型不对（应为整数）"},
		{"duplicate key", "title: 测试问卷", "title: 测试问卷\ntitle: 又一个", "title: 又一个", "字段“title”重复"},
		{"bad version", "version: 2", "version: -1", "version: -1", "版本号 -1 无效"},
		{"not a mapping", goodYAML, "- a\n- b\n", "- a", "应是一个映射"},
		{"empty file", goodYAML, "", "", "问卷文件为空"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := strings.Replace(goodYAML, c.find, c.replace, 1)
			if doc == goodYAML {
				t.Fatalf("fixture edit %q → %q changed nothing", c.find, c.replace)
			}
			_, err := ParseQuestionnaireYAML([]byte(doc))
			if err == nil {
				t.Fatalf("accepted:\n%s", doc)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			if c.lineOf != "" {
				if want := fmt.Sprintf("第 %d 行", lineOf(t, doc, c.lineOf)); !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not name %s", err, want)
				}
			}
		})
	}
}

func TestParseQuestionnaireYAMLReportsEveryProblem(t *testing.T) {
	doc := strings.NewReplacer("dimension: 教育公平", "dimension: 公平", "text: 第二题", "text: ''").Replace(goodYAML)
	_, err := ParseQuestionnaireYAML([]byte(doc))
	var ie *ItemError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v is not an *ItemError", err)
	}
	msg := err.Error()
	for _, want := range []string{fmt.Sprintf("第 %d 行：题目 c01 的维度“公平”不存在", lineOf(t, doc, "公平")),
		fmt.Sprintf("第 %d 行：题目 c02 的题干为空", lineOf(t, doc, "text: ''"))} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
}

func TestValidateQuestionnaireScheme(t *testing.T) {
	q := DefaultQuestionnaire(SocialForm)
	err := ValidateQuestionnaire(q, Scheme{OptRecognise: 1})
	if err == nil || !strings.Contains(err.Error(), "至少需要 2 个") {
		t.Errorf("one scored option: err %v, want a refusal", err)
	}
	if err := ValidateQuestionnaire(q, GradedScheme()); err != nil {
		t.Errorf("graded scheme: %v", err)
	}
	many := q
	many.Items = nil
	for i := 0; i <= MaxItems; i++ {
		many.Items = append(many.Items, Item{ID: fmt.Sprintf("x%d", i), Text: "题", Dimension: "教育公平"})
	}
	if err := ValidateQuestionnaire(many, DefaultScheme()); err == nil || !strings.Contains(err.Error(), "最多 60 道") {
		t.Errorf("%d items: err %v, want a refusal", len(many.Items), err)
	}
}

func TestQuestionnaireHelpers(t *testing.T) {
	q := DefaultQuestionnaire(StaffForm)
	if got := q.DimensionsCovered(); !reflect.DeepEqual(got, Dimensions) {
		t.Errorf("staff form covers %v, want all of %v", got, Dimensions)
	}
	if i := q.ItemIndex(q.Items[3].ID); i != 3 {
		t.Errorf("ItemIndex = %d, want 3", i)
	}
	if i := q.ItemIndex("nope"); i != -1 {
		t.Errorf("ItemIndex(nope) = %d, want -1", i)
	}
}
