package survey

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Submission is what a respondent sends: an answer per item, when they started, their band.
type Submission struct {
	Answers   map[string]string
	StartedAt time.Time // zero when unknown
	Band      string
}

// Size caps of a submission.
const (
	MaxAnswers    = 200
	MaxItemIDLen  = 32
	maxValueLen   = 16 // an option code or a band
	maxStartedLen = 64
)

// ErrMalformed wraps every error of ParseSubmission and ParseFormSubmission:
// the body is not a well-formed submission (HTTP 400, not 422).
var ErrMalformed = errors.New("提交格式错误")

func malformed(format string, a ...any) error {
	return fmt.Errorf("%w：%s", ErrMalformed, fmt.Sprintf(format, a...))
}

// ValidationError names the first invalid answer of a submission.
type ValidationError struct {
	ItemID  string // the item, "band" or "started_at"
	Message string // Chinese, for the respondent
}

func (e *ValidationError) Error() string { return e.Message }

// ParseSubmission parses the JSON body
// {"answers": {"<item id>": "<option code>", ...}, "started_at": "<RFC 3339>", "band": "<band>"}
// strictly: exactly these field names (case matters), none twice, every value
// a JSON string (so {"$gt": ""} is refused, while "$gt" is just a string), one
// JSON value only, valid UTF-8, and capped sizes. An absent started_at is the
// zero time. Every error wraps ErrMalformed.
func ParseSubmission(body []byte) (Submission, error) {
	if !utf8.Valid(body) {
		return Submission{}, malformed("内容不是有效的 UTF-8 文本")
	}
	p := tokens{dec: json.NewDecoder(bytes.NewReader(body))}
	p.dec.UseNumber()
	if err := p.delim('{', "提交内容"); err != nil {
		return Submission{}, err
	}
	var sub Submission
	seen := map[string]bool{}
	for p.dec.More() {
		key, err := p.str("字段名")
		if err != nil {
			return Submission{}, err
		}
		if seen[key] {
			return Submission{}, malformed("字段 %s 重复", clip(key))
		}
		seen[key] = true
		switch key {
		case "answers":
			if sub.Answers, err = p.answers(); err != nil {
				return Submission{}, err
			}
		case "started_at":
			s, err := p.str("started_at")
			if err != nil {
				return Submission{}, err
			}
			if sub.StartedAt, err = parseStarted(s); err != nil {
				return Submission{}, err
			}
		case "band":
			if sub.Band, err = p.str("band"); err != nil {
				return Submission{}, err
			}
		default:
			return Submission{}, malformed("未知字段 %q", clip(key))
		}
	}
	if err := p.delim('}', "提交内容"); err != nil {
		return Submission{}, err
	}
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		return Submission{}, malformed("JSON 对象之后还有多余内容")
	}
	if sub.Answers == nil {
		return Submission{}, malformed("缺少 answers")
	}
	return sub, sub.checkSizes()
}

// tokens reads a JSON body token by token, so no value of an unexpected type
// is ever decoded.
type tokens struct{ dec *json.Decoder }

func (p tokens) next(what string) (json.Token, error) {
	t, err := p.dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, malformed("%s不完整", what)
	}
	if err != nil {
		return nil, malformed("%s不是有效的 JSON（%v）", what, err)
	}
	return t, nil
}

func (p tokens) delim(d json.Delim, what string) error {
	t, err := p.next(what)
	if err != nil {
		return err
	}
	if got, ok := t.(json.Delim); !ok || got != d {
		if d == '{' {
			return malformed("%s应是 JSON 对象", what)
		}
		return malformed("%s的结构不正确", what)
	}
	return nil
}

func (p tokens) str(what string) (string, error) {
	t, err := p.next(what)
	if err != nil {
		return "", err
	}
	s, ok := t.(string)
	if !ok {
		return "", malformed("%s应是字符串", what)
	}
	return s, nil
}

func (p tokens) answers() (map[string]string, error) {
	if err := p.delim('{', "answers"); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for p.dec.More() {
		id, err := p.str("answers 的题号")
		if err != nil {
			return nil, err
		}
		if _, dup := out[id]; dup {
			return nil, malformed("题目 %q 的答案出现了两次", clip(id))
		}
		if len(out) == MaxAnswers {
			return nil, malformed("答案超过 %d 个", MaxAnswers)
		}
		v, err := p.str(fmt.Sprintf("题目 %q 的答案", clip(id)))
		if err != nil {
			return nil, err
		}
		out[id] = v
	}
	return out, p.delim('}', "answers")
}

func parseStarted(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) > maxStartedLen {
		return time.Time{}, malformed("started_at 过长")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, malformed("started_at 应是 RFC 3339 时间（如 2025-05-20T09:30:00+08:00）")
	}
	if t.Year() < 2 {
		// The zero time stands for "not given": an explicit one is no start time.
		return time.Time{}, malformed("started_at 不是有效的开始时间")
	}
	return t, nil
}

// ParseFormSubmission reads the no-JavaScript form post: fields a_<item id>
// (the option code), band and started_at, each at most once; any other field
// is refused. Every error wraps ErrMalformed.
func ParseFormSubmission(v url.Values) (Submission, error) {
	sub := Submission{Answers: map[string]string{}}
	for _, k := range sortedKeys(v) {
		vals := v[k]
		if len(vals) != 1 {
			return Submission{}, malformed("字段 %q 出现了 %d 次", clip(k), len(vals))
		}
		val := vals[0]
		if !utf8.ValidString(k) || !utf8.ValidString(val) {
			return Submission{}, malformed("内容不是有效的 UTF-8 文本")
		}
		switch id, isAnswer := strings.CutPrefix(k, "a_"); {
		case isAnswer:
			if len(sub.Answers) == MaxAnswers {
				return Submission{}, malformed("答案超过 %d 个", MaxAnswers)
			}
			sub.Answers[id] = val
		case k == "band":
			sub.Band = val
		case k == "started_at":
			t, err := parseStarted(val)
			if err != nil {
				return Submission{}, err
			}
			sub.StartedAt = t
		default:
			return Submission{}, malformed("未知字段 %q", clip(k))
		}
	}
	return sub, sub.checkSizes()
}

func (s Submission) checkSizes() error {
	if len(s.Answers) > MaxAnswers {
		return malformed("答案超过 %d 个", MaxAnswers)
	}
	for id, v := range s.Answers {
		if len(id) > MaxItemIDLen {
			return malformed("题号 %q 过长（最多 %d 字节）", clip(id), MaxItemIDLen)
		}
		if len(v) > maxValueLen {
			return malformed("题目 %q 的答案过长", clip(id))
		}
	}
	if len(s.Band) > maxValueLen {
		return malformed("band 过长")
	}
	return nil
}

// Validate checks a submission against the form for group g and returns a
// *ValidationError for the first invalid answer: an answer to an item not on
// the form (the smallest such id), then each item in form order (missing, or
// an option not offered), then a band that is not one of the group's. A
// missing band is RequireBand's business, since a code may fix the band.
func (q Questionnaire) Validate(sub Submission, g Group) error {
	known := make(map[string]bool, len(q.Items))
	for _, it := range q.Items {
		known[it.ID] = true
	}
	var unknown []string
	for id := range sub.Answers {
		if !known[id] {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return &ValidationError{ItemID: unknown[0],
			Message: fmt.Sprintf("题目“%s”不在本问卷中，请刷新页面后重新作答。", clip(unknown[0]))}
	}
	for i, it := range q.Items {
		a := sub.Answers[it.ID]
		if a == "" {
			return &ValidationError{ItemID: it.ID, Message: fmt.Sprintf("第 %d 题还没有作答，请选择一项（不了解也是一个答案）。", i+1)}
		}
		if _, offered := DefaultOptionLabels[a]; !offered {
			return &ValidationError{ItemID: it.ID, Message: fmt.Sprintf("第 %d 题的答案无效，请重新选择。", i+1)}
		}
	}
	if sub.Band != "" && !groupHasBand(g, sub.Band) {
		return &ValidationError{ItemID: "band", Message: bandMessage(g)}
	}
	return nil
}

// RequireBand returns a *ValidationError when the group is split by grade
// band and the submission names none. Call it when the code does not fix the band.
func RequireBand(sub Submission, g Group) error {
	if len(BandsFor(g)) > 0 && !groupHasBand(g, sub.Band) {
		return &ValidationError{ItemID: "band", Message: bandMessage(g)}
	}
	return nil
}

func groupHasBand(g Group, b string) bool {
	for _, x := range BandsFor(g) {
		if string(x) == b {
			return true
		}
	}
	return false
}

func bandMessage(g Group) string {
	if g == Student {
		return "请选择你所在的年级段。"
	}
	return "请选择孩子所在的年级段。"
}

// clip shortens s for an error message, on a rune boundary.
func clip(s string) string {
	const max = 32
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
