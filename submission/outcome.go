package submission

import (
	"time"

	"renke/survey"
)

// Kind is what became of a submission or lookup; the HTTP layer maps each
// to a status in one table.
type Kind int

// The kinds of outcome.
const (
	OK            Kind = iota // a lookup found an open survey
	Created                   // the response was stored
	Recorded                  // this very submission was stored before (a retry)
	BadRequest                // malformed (e.g. the Idempotency-Key)
	BadCode                   // no such code
	NotOpen                   // the survey takes no answers now, or the code was voided
	TooMany                   // a rate limit
	Invalid                   // the answers fail validation (Item names the first)
	Conflict                  // code used, device answered, quota full, id reused
	Unavailable               // the store or Redis cannot be reached: retry
	Misconfigured             // the survey lacks the code's form
)

// Outcome is the result of one submission or lookup.
type Outcome struct {
	Kind  Kind
	Msg   string // Chinese, shown to the respondent
	Item  string // the first invalid item, for Invalid
	Retry time.Duration
	Resp  *survey.Response // for Created and Recorded
	// State is the code's state when the refusal is one (StateOutcome):
	// the page and the JSON show its title and words.
	State *survey.CodeState
}

// Ends reports whether the outcome ends the request: anything but OK (a
// stored response ends it too).
func (o Outcome) Ends() bool { return o.Kind != OK }

func fail(k Kind, msg string) Outcome { return Outcome{Kind: k, Msg: msg} }

// StateOutcome is the refusal of a code in state st, worded from the one
// table of code states (survey.StateOfCode): GET /s/<code>, the form JSON and
// a submission give the same kind and message for the same state. A survey
// not open, ended or a voided code is NotOpen; a used code, a phone that
// answered or a full quota is Conflict. An available code gives OK.
func StateOutcome(st survey.CodeState) Outcome {
	switch st.Status {
	case survey.CodeAvailable:
		return Outcome{}
	case survey.CodeNotOpen, survey.CodeEnded, survey.CodeVoided:
		return Outcome{Kind: NotOpen, Msg: st.Message, State: &st}
	}
	return Outcome{Kind: Conflict, Msg: st.Message, State: &st}
}

// refuse is the refusal of code in the state facts f describe, at now.
func refuse(f survey.CodeFacts) Outcome {
	out := StateOutcome(survey.StateOfCode(f))
	if out.Kind == OK { // the facts always name a refusal; a guard, not a state
		return fail(Conflict, MsgRefused)
	}
	return out
}

// Messages respondents see; a code's state (not open, ended, voided, used,
// full, answered on this phone) is worded by survey.StateOfCode alone.
const (
	MsgBadCode    = "二维码无效，请核对后重新扫描。"
	MsgRecorded   = "您的问卷已经提交成功，无需重复提交。"
	MsgIDReused   = "提交编号与另一份答卷重复，请刷新页面后重新作答。"
	MsgTooMany    = "提交过于频繁，请稍后再试。"
	MsgBusy       = "服务器繁忙，您的答案已保存在手机上，请稍后重新提交。"
	MsgBadStart   = "答题开始时间无效，请刷新页面后重新提交。"
	MsgRefused    = "当前无法作答，请刷新页面后重试。"
	MsgMisconfig  = "问卷配置有误，请联系调查组织方。"
	MsgBadIdemKey = "提交编号（Idempotency-Key）格式不正确：应为 16 至 64 位字母、数字、“-”或“_”，且以字母或数字开头。请刷新页面后重新提交。"
)
