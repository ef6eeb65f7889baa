package survey

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// MaxItems bounds the number of items of one form.
const MaxItems = 60

// MaxItemText bounds the length of one item's text, in bytes.
const MaxItemText = 1000

// MaxPrivacyText bounds a questionnaire's privacy notice, in bytes.
const MaxPrivacyText = 2000

// defaultPrivacy are the notices of the forms that set none: for adults, and
// for pupils from grade 3 in words a child understands, with a line for
// their guardians. Each line is a paragraph.
var defaultPrivacy = map[FormKind]string{
	StudentForm: "这份问卷不写名字，谁也不知道哪份是你答的。\n" +
		"为了让每部手机只答一次，系统会记下这部手机的一个随机编号、上网地址变成的一串乱码和浏览器的种类，" +
		"调查结束 180 天后就删掉；你的答案只用来算总数。老师和学校看不到你答了什么。\n" +
		"家长请知悉：本问卷不收集学生姓名等身份信息，详见隐私说明；如有疑问可联系学校或当地教育部门。",
	StaffForm: "本问卷匿名，不收集姓名、电话、身份证号。为保证每部手机只答一次、识别刷票，系统保存设备随机编号、" +
		"网络地址的加密摘要（不保存地址本身）和浏览器类型，仅评估人员和系统管理员可查看；" +
		"调查结束后默认保存 180 天即删除，答案只用于统计。学校和教育部门看不到单份答卷。",
	SocialForm: "本问卷匿名，不收集姓名、电话、身份证号。为保证每部手机只答一次、识别刷票，系统保存设备随机编号、" +
		"网络地址的加密摘要（不保存地址本身）和浏览器类型，仅评估人员和系统管理员可查看；" +
		"调查结束后默认保存 180 天即删除，答案只用于统计。学校和教育部门看不到单份答卷。",
}

// DefaultPrivacy is the privacy notice of a form of kind k that sets none.
func DefaultPrivacy(k FormKind) string { return defaultPrivacy[k] }

// PrivacyNotice is the notice the form shows, one paragraph a line: the
// county's own (Privacy) or DefaultPrivacy of the form's kind.
func (q Questionnaire) PrivacyNotice() []string {
	text := q.Privacy
	if strings.TrimSpace(text) == "" {
		text = DefaultPrivacy(q.Kind)
	}
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

var itemIDPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,31}$`)

// reservedIDs cannot be item ids: a ValidationError names them for the
// submission's own fields.
var reservedIDs = map[string]bool{"band": true, "started_at": true}

// IsDimension reports whether d is one of the nine dimensions.
func IsDimension(d string) bool {
	for _, x := range Dimensions {
		if x == d {
			return true
		}
	}
	return false
}

// ItemError is a questionnaire error, with the YAML line when known.
type ItemError struct {
	Line int // 0 when unknown
	Msg  string
}

func (e *ItemError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("第 %d 行：%s", e.Line, e.Msg)
	}
	return e.Msg
}

// ValidateQuestionnaire checks a questionnaire against the scoring scheme it
// will be scored with. Every problem is reported, joined, in Chinese.
func ValidateQuestionnaire(q Questionnaire, scheme Scheme) error {
	return validateQuestionnaire(q, scheme, nil)
}

// itemLines are the YAML lines of a questionnaire's parts, for error messages.
type itemLines struct {
	doc, kind, version, items, labels int
	id, text, dim                     []int
}

func (l *itemLines) of(f func(*itemLines) int) int {
	if l == nil {
		return 0
	}
	return f(l)
}

func (l *itemLines) item(s func(*itemLines) []int, i int) int {
	if l == nil {
		return 0
	}
	if v := s(l); i < len(v) {
		return v[i]
	}
	return l.items
}

func validateQuestionnaire(q Questionnaire, scheme Scheme, ln *itemLines) error {
	var errs []error
	add := func(line int, format string, a ...any) {
		errs = append(errs, &ItemError{Line: line, Msg: fmt.Sprintf(format, a...)})
	}
	switch q.Kind {
	case StudentForm, StaffForm, SocialForm:
	default:
		add(ln.of(func(l *itemLines) int { return l.kind }), "问卷类型“%s”不存在（应为 student、staff 或 social）", q.Kind)
	}
	if q.Version < 1 {
		add(ln.of(func(l *itemLines) int { return l.version }), "版本号 %d 无效，应为正整数", q.Version)
	}
	itemsLine := ln.of(func(l *itemLines) int { return l.items })
	if len(q.Items) == 0 {
		add(itemsLine, "问卷没有题目")
	}
	if len(q.Items) > MaxItems {
		add(itemsLine, "问卷有 %d 道题，最多 %d 道", len(q.Items), MaxItems)
	}
	if len(q.Privacy) > MaxPrivacyText {
		add(0, "隐私说明过长（%d 字节，最多 %d）：表单上只放简短说明，详细内容在隐私说明页", len(q.Privacy), MaxPrivacyText)
	}
	seen := map[string]int{}
	for i, it := range q.Items {
		idLine := ln.item(func(l *itemLines) []int { return l.id }, i)
		textLine := ln.item(func(l *itemLines) []int { return l.text }, i)
		dimLine := ln.item(func(l *itemLines) []int { return l.dim }, i)
		name := it.ID
		switch {
		case it.ID == "":
			name = fmt.Sprintf("（第 %d 题）", i+1)
			add(idLine, "第 %d 道题缺少题号（id）", i+1)
		case !itemIDPattern.MatchString(it.ID):
			add(idLine, "题号“%s”无效：须以英文字母开头，只含字母、数字、_ 或 -，最长 32 个字符", clip(it.ID))
		case reservedIDs[it.ID]:
			add(idLine, "题号“%s”是保留字，请换一个", it.ID)
		default:
			if prev, dup := seen[it.ID]; dup {
				add(idLine, "题号 %s 重复（第 %d 道题已使用）", it.ID, prev)
			} else {
				seen[it.ID] = i + 1
			}
		}
		switch text := strings.TrimSpace(it.Text); {
		case text == "":
			add(textLine, "题目 %s 的题干为空", name)
		case len(text) > MaxItemText:
			add(textLine, "题目 %s 的题干过长（%d 字节，最多 %d）", name, len(text), MaxItemText)
		}
		if !IsDimension(it.Dimension) {
			add(dimLine, "题目 %s 的维度“%s”不存在（可用：%s）", name, it.Dimension, strings.Join(Dimensions, "、"))
		}
	}
	labelsLine := ln.of(func(l *itemLines) int { return l.labels })
	for _, code := range sortedKeys(q.Labels) {
		if _, ok := DefaultOptionLabels[code]; !ok {
			add(labelsLine, "选项代码“%s”不存在（应为 1、2、3、4 或 9）", code)
		} else if strings.TrimSpace(q.Labels[code]) == "" {
			add(labelsLine, "选项 %s 的文字为空", code)
		}
	}
	if scheme != nil {
		scored := 0
		for _, code := range OptionCodes {
			if _, ok := scheme[code]; ok {
				scored++
			}
		}
		if scored < 2 {
			add(ln.of(func(l *itemLines) int { return l.doc }), "计分方案只对 %d 个选项计分，至少需要 2 个", scored)
		}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].(*ItemError).Line < errs[j].(*ItemError).Line })
	return errors.Join(errs...)
}

// OptionLabel is the wording of an option on this form.
func (q Questionnaire) OptionLabel(code string) string {
	if l, ok := q.Labels[code]; ok && l != "" {
		return l
	}
	return DefaultOptionLabels[code]
}

// ItemIndex returns the position of item id on the form, or -1.
func (q Questionnaire) ItemIndex(id string) int {
	for i, it := range q.Items {
		if it.ID == id {
			return i
		}
	}
	return -1
}

// DimensionsCovered lists the dimensions the form's items use, in Dimensions order.
func (q Questionnaire) DimensionsCovered() []string {
	used := map[string]bool{}
	for _, it := range q.Items {
		used[it.Dimension] = true
	}
	var out []string
	for _, d := range Dimensions {
		if used[d] {
			out = append(out, d)
		}
	}
	return out
}
