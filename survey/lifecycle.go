package survey

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Shanghai is the time zone survey windows are set and shown in.
var Shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600) // no tzdata: China has no DST
	}
	return loc
}()

// HourStart is the start of the hour of t in loc: the bucket of responses-per-hour counts.
func HourStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, loc)
}

// Life-cycle errors.
var (
	// ErrFrozen: forms, scoring and weights cannot change once a survey has opened.
	ErrFrozen = errors.New("问卷已开放，题目、计分方案和群体权重不能再修改")
	// ErrNotOpen: the survey does not take answers now.
	ErrNotOpen = errors.New("问卷未开放或已结束")
	// ErrTransition: a status change the life cycle does not allow.
	ErrTransition = errors.New("不允许的状态变更")
)

// NewSurvey makes a draft survey with the default scoring and group weights.
func NewSurvey(county, title string, opens, closes time.Time, forms map[FormKind]Questionnaire) (*Survey, error) {
	county, title = strings.TrimSpace(county), strings.TrimSpace(title)
	var errs []error
	if county == "" {
		errs = append(errs, errors.New("区县名称不能为空"))
	}
	if title == "" {
		errs = append(errs, errors.New("调查标题不能为空"))
	}
	if err := checkWindow(opens, closes); err != nil {
		errs = append(errs, err)
	}
	for _, k := range FormKinds {
		q, ok := forms[k]
		if !ok {
			errs = append(errs, fmt.Errorf("缺少%s", k.Label()))
			continue
		}
		if q.Kind != k {
			errs = append(errs, fmt.Errorf("%s的类型写成了 %q", k.Label(), q.Kind))
		} else if err := ValidateQuestionnaire(q, DefaultScheme()); err != nil {
			errs = append(errs, fmt.Errorf("%s有误：%w", k.Label(), err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	now := TruncateTime(time.Now())
	copied := make(map[FormKind]Questionnaire, len(forms))
	for k, q := range forms {
		copied[k] = q
	}
	return &Survey{ID: NewID(), County: county, Title: title, Opens: TruncateTime(opens), Closes: TruncateTime(closes),
		Status: Draft, Forms: copied, Scheme: DefaultScheme(), GroupWeights: DefaultGroupWeights(),
		Created: now, Updated: now}, nil
}

func checkWindow(opens, closes time.Time) error {
	if opens.IsZero() || closes.IsZero() {
		return errors.New("必须设置调查的开始和结束时间")
	}
	if !closes.After(opens) {
		return fmt.Errorf("结束时间 %s 必须晚于开始时间 %s",
			closes.In(Shanghai).Format("2006-01-02 15:04"), opens.In(Shanghai).Format("2006-01-02 15:04"))
	}
	return nil
}

// Label is the form's Chinese name.
func (k FormKind) Label() string {
	switch k {
	case StudentForm:
		return "学生卷"
	case StaffForm:
		return "校长教师卷"
	case SocialForm:
		return "社会卷"
	}
	return string(k)
}

// Label is the status's Chinese name.
func (s Status) Label() string {
	if l, ok := map[Status]string{Draft: "草稿", Open: "进行中", Closed: "已结束", Archived: "已归档"}[s]; ok {
		return l
	}
	return fmt.Sprintf("未知状态“%s”", string(s))
}

var transitions = map[Status]Status{Draft: Open, Open: Closed, Closed: Archived}

// Transition moves the survey to status to: draft → open → closed → archived only.
func (sv *Survey) Transition(to Status, now time.Time) error {
	if next, ok := transitions[sv.Status]; !ok || next != to {
		hint := "已归档的调查不能再变更"
		if sv.Status != Archived {
			hint = "当前状态无效"
		}
		if ok {
			hint = "当前只能变更为“" + next.Label() + "”"
		}
		return fmt.Errorf("%w：%s → %s（状态只能按 草稿 → 进行中 → 已结束 → 已归档 的顺序变更，%s）",
			ErrTransition, sv.Status.Label(), to.Label(), hint)
	}
	if to == Open {
		for _, k := range FormKinds {
			if q, ok := sv.Forms[k]; !ok || len(q.Items) == 0 {
				return fmt.Errorf("%s没有题目，不能开放", k.Label())
			}
		}
		if err := sv.Scheme.Validate(); err != nil {
			return fmt.Errorf("计分方案有误：%w", err)
		}
	}
	sv.Status = to
	sv.Updated = TruncateTime(now)
	return nil
}

// Editable reports ErrFrozen once the survey has left the draft state.
func (sv *Survey) Editable() error {
	if sv.Status != Draft {
		return ErrFrozen
	}
	return nil
}

// SetForm replaces one form while the survey is a draft.
func (sv *Survey) SetForm(q Questionnaire) error {
	if err := sv.Editable(); err != nil {
		return err
	}
	if err := ValidateQuestionnaire(q, sv.Scheme); err != nil {
		return err
	}
	if old, ok := sv.Forms[q.Kind]; ok && q.Version <= old.Version {
		q.Version = old.Version + 1
	}
	if sv.Forms == nil {
		sv.Forms = map[FormKind]Questionnaire{}
	}
	sv.Forms[q.Kind] = q
	return nil
}

// SetScheme replaces the scoring scheme while the survey is a draft.
func (sv *Survey) SetScheme(s Scheme) error {
	if err := sv.Editable(); err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return err
	}
	sv.Scheme = s
	return nil
}

// SetGroupWeights replaces W_g while the survey is a draft; weights must be
// non-negative with a positive sum (they are normalised when estimating).
func (sv *Survey) SetGroupWeights(w map[Group]float64) error {
	if err := sv.Editable(); err != nil {
		return err
	}
	sum := 0.0
	for g, v := range w {
		if !g.Valid() {
			return fmt.Errorf("未知的调查对象 %q", g)
		}
		if v < 0 {
			return fmt.Errorf("%s的权重不能为负数", g.Label())
		}
		sum += v
	}
	if sum <= 0 {
		return errors.New("群体权重之和必须大于 0")
	}
	sv.GroupWeights = w
	return nil
}

// SetWindow changes the window; allowed until the survey closes.
func (sv *Survey) SetWindow(opens, closes time.Time) error {
	if sv.Status != Draft && sv.Status != Open {
		return ErrFrozen
	}
	if err := checkWindow(opens, closes); err != nil {
		return err
	}
	sv.Opens, sv.Closes = TruncateTime(opens), TruncateTime(closes)
	return nil
}

// AcceptsAt returns ErrNotOpen unless the survey is open and t is inside its window.
func (sv *Survey) AcceptsAt(t time.Time) error {
	if sv.Status != Open || t.Before(sv.Opens) || !t.Before(sv.Closes) {
		return ErrNotOpen
	}
	return nil
}
