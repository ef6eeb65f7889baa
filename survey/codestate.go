package survey

import (
	"fmt"
	"time"
)

// CodeStatus says whether a code can take an answer now, and if not, why.
type CodeStatus string

// The states of an access code as its respondent sees them before any question.
const (
	CodeAvailable CodeStatus = "available" // the form can be answered
	CodeNotOpen   CodeStatus = "not_open"  // the survey has not opened yet
	CodeEnded     CodeStatus = "ended"     // the survey has closed
	CodeUsed      CodeStatus = "used"      // a one-time code already answered
	CodeFull      CodeStatus = "full"      // a shared code's quota is taken
	CodeAnswered  CodeStatus = "answered"  // this phone has answered already
	CodeVoided    CodeStatus = "voided"    // the coordinator voided the code
)

// CodeFacts is what CodeState needs to know about a code at one moment.
// Used, DeviceAnswered and QuotaUsed are best-effort knowledge (the counters
// kept for submissions): false or -1 means "not known to be so", and the
// submission itself is checked again whatever the state said.
type CodeFacts struct {
	Now    time.Time
	Survey *Survey
	Code   *Code
	// Used: the one-time code has an answer.
	Used bool
	// DeviceAnswered: the phone asking has answered this survey.
	DeviceAnswered bool
	// QuotaUsed is how many answers a shared code has taken; -1 when unknown.
	QuotaUsed int
	// Voided: the coordinator has voided the code (a lost or misprinted slip).
	Voided bool
}

// CodeState is a code's state with the words its respondent reads.
type CodeState struct {
	Status  CodeStatus `json:"state"`
	Title   string     `json:"title,omitempty"`
	Message string     `json:"message,omitempty"`
	// Opens is when a survey not yet open opens (zero when not known).
	Opens time.Time `json:"opens,omitzero"`
	// Closes is when an ended survey closed.
	Closes time.Time `json:"closes,omitzero"`
}

// Available reports whether the form can be answered.
func (s CodeState) Available() bool { return s.Status == CodeAvailable }

// Messages of the code states; shown before any question.
const (
	msgStateUsed     = "该二维码已经有人提交过答卷，每个二维码只能提交一次。如果您还没有作答，请向学校索取新的二维码。"
	msgStateFull     = "本校该类调查对象的名额已满。如果您还没有作答，请向学校索取另一个二维码。"
	msgStateAnswered = "您已经在这台手机上提交过本问卷，无需重复作答，感谢参与。"
	msgStateEnded    = "本次调查已经结束，感谢您的关注。"
	msgStateNotOpen  = "问卷尚未开放，请在开放后再扫码作答。"
)

// FormatBeijing writes t as a date and time in Beijing time, e.g.
// 2026年9月1日 08:00（北京时间）.
func FormatBeijing(t time.Time) string {
	t = t.In(Shanghai)
	return fmt.Sprintf("%d年%d月%d日 %02d:%02d（北京时间）", t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute())
}

// StateOfCode says, from what is known at f.Now, whether f.Code can take an
// answer. A voided code comes first, then the survey's window (nobody can
// answer outside it), then the code (a used one-time code), then the phone,
// then a shared code's quota.
func StateOfCode(f CodeFacts) CodeState {
	sv := f.Survey
	switch {
	case f.Voided:
		return CodeState{Status: CodeVoided, Title: "二维码已作废", Message: ErrVoided.Error()}
	case (sv.Status == Closed || sv.Status == Archived) && f.Now.Before(sv.Closes):
		// Closed before its closing time: the planned date is not when it ended.
		return CodeState{Status: CodeEnded, Title: "调查已结束", Message: msgStateEnded}
	case sv.Status == Closed || sv.Status == Archived || (sv.Status == Open && !f.Now.Before(sv.Closes)):
		return CodeState{Status: CodeEnded, Title: "调查已结束",
			Message: fmt.Sprintf("本次调查已于 %s 结束，感谢您的关注。", FormatBeijing(sv.Closes)), Closes: sv.Closes}
	case sv.Status == Draft && !sv.Opens.After(f.Now):
		// A draft past its opening time: the organisers have not opened it; no date to promise.
		return CodeState{Status: CodeNotOpen, Title: "问卷尚未开放", Message: msgStateNotOpen}
	case sv.Status == Draft || f.Now.Before(sv.Opens):
		return CodeState{Status: CodeNotOpen, Title: "问卷尚未开放",
			Message: fmt.Sprintf("问卷将于 %s 开放，请届时再扫码作答。", FormatBeijing(sv.Opens)), Opens: sv.Opens}
	case sv.Status != Open:
		return CodeState{Status: CodeEnded, Title: "调查已结束", Message: msgStateEnded}
	}
	c := f.Code
	switch {
	case c.Kind == OneTimeCode && f.Used:
		return CodeState{Status: CodeUsed, Title: "二维码已使用", Message: msgStateUsed}
	case c.Kind != OneTimeCode && f.DeviceAnswered:
		return CodeState{Status: CodeAnswered, Title: "您已提交过", Message: msgStateAnswered}
	case c.Kind == SharedCode && c.Quota > 0 && f.QuotaUsed >= c.Quota:
		return CodeState{Status: CodeFull, Title: "名额已满", Message: msgStateFull}
	}
	return CodeState{Status: CodeAvailable}
}
