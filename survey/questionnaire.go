package survey

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Questionnaire limits.
const (
	MaxItems = 60
)

var itemIDPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,31}$`)

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
// will be scored with; lines gives the YAML line of each item (may be nil).
func ValidateQuestionnaire(q Questionnaire, scheme Scheme) error {
	return validateQuestionnaire(q, scheme, nil)
}

// itemLines are the YAML lines of a questionnaire's parts, for error messages.
type itemLines struct {
	kind   int
	items  int
	id     []int
	text   []int
	dim    []int
	labels int
}

func validateQuestionnaire(q Questionnaire, scheme Scheme, ln *itemLines) error {
	line := func(f func(*itemLines) int) int {
		if ln == nil {
			return 0
		}
		return f(ln)
	}
	at := func(s []int, i int) int {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	var errs []error
	add := func(l int, format string, a ...any) {
		errs = append(errs, &ItemError{Line: l, Msg: fmt.Sprintf(format, a...)})
	}
	switch q.Kind {
	case StudentForm, StaffForm, SocialForm:
	default:
		add(line(func(l *itemLines) int { return l.kind }), "问卷类型 %q 不存在（应为 student、staff 或 social）", q.Kind)
	}
	if len(q.Items) == 0 {
		add(line(func(l *itemLines) int { return l.items }), "问卷没有题目")
	}
	if len(q.Items) > MaxItems {
		add(line(func(l *itemLines) int { return l.items }), "问卷有 %d 道题，最多 %d 道", len(q.Items), MaxItems)
	}
	seen := map[string]int{}
	for i, it := range q.Items {
		var idLine, textLine, dimLine int
		if ln != nil {
			idLine, textLine, dimLine = at(ln.id, i), at(ln.text, i), at(ln.dim, i)
		}
		switch {
		case it.ID == "":
			add(idLine, "第 %d 道题缺少题号（id）", i+1)
		case !itemIDPattern.MatchString(it.ID):
			add(idLine, "题号 %q 无效：须以字母开头，只含字母、数字、_ 或 -，最长 32 个字符", it.ID)
		default:
			if prev, dup := seen[it.ID]; dup {
				add(idLine, "题号 %s 重复（第 %d 道题已使用）", it.ID, prev)
			}
			seen[it.ID] = i + 1
		}
		if strings.TrimSpace(it.Text) == "" {
			add(textLine, "题目 %s 的题干为空", it.ID)
		}
		if !IsDimension(it.Dimension) {
			add(dimLine, "题目 %s 的维度“%s”不存在（可用：%s）", it.ID, it.Dimension, strings.Join(Dimensions, "、"))
		}
	}
	for code, label := range q.Labels {
		if _, ok := DefaultOptionLabels[code]; !ok {
			add(line(func(l *itemLines) int { return l.labels }), "选项代码 %q 不存在（应为 1、2、3、4 或 9）", code)
		} else if strings.TrimSpace(label) == "" {
			add(line(func(l *itemLines) int { return l.labels }), "选项 %s 的文字为空", code)
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
			add(line(func(l *itemLines) int { return l.kind }), "计分方案只对 %d 个选项计分，至少需要 2 个", scored)
		}
	}
	return errors.Join(errs...)
}

// OptionLabel is the wording of an option on this form.
func (q Questionnaire) OptionLabel(code string) string {
	if l, ok := q.Labels[code]; ok && l != "" {
		return l
	}
	return DefaultOptionLabels[code]
}
