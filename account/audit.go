package account

import (
	"encoding/json"
	"fmt"
	"time"
)

// Action names a kind of audited event.
type Action string

// Audited actions.
const (
	ActLogin          Action = "login"           // a successful login
	ActLoginFailed    Action = "login.failed"    // a wrong name or password
	ActLoginThrottled Action = "login.throttled" // a login refused by the rate limit
	ActLogout         Action = "logout"
	ActUserCreate     Action = "user.create"
	ActUserUpdate     Action = "user.update" // role, counties or enabled state
	ActUserPassword   Action = "user.password"
	ActCountyCreate   Action = "county.create"
	ActSurveyCreate   Action = "survey.create"
	ActSurveyOpen     Action = "survey.open"
	ActSurveyClose    Action = "survey.close"
	ActSurveyWeights  Action = "survey.weights"
	ActSurveyScheme   Action = "survey.scheme"
	ActSurveyFrame    Action = "survey.frame" // sampling frame uploaded
	ActSurveyPlan     Action = "survey.plan"  // sample drawn
	ActCodesIssue     Action = "codes.issue"
	ActExclusion      Action = "exclusion.override"
	ActQualityRules   Action = "quality.rules" // a survey's data-quality rules changed
)

var actionLabels = map[Action]string{
	ActLogin: "登录", ActLoginFailed: "登录失败", ActLoginThrottled: "登录被限流", ActLogout: "退出登录",
	ActUserCreate: "创建用户", ActUserUpdate: "修改用户", ActUserPassword: "修改密码",
	ActCountyCreate: "登记区县", ActSurveyCreate: "新建调查", ActSurveyOpen: "开放调查",
	ActSurveyClose: "结束调查", ActSurveyWeights: "修改群体权重", ActSurveyScheme: "修改计分方案",
	ActSurveyFrame: "上传抽样框", ActSurveyPlan: "抽取样本", ActCodesIssue: "发放访问码", ActExclusion: "剔除决定更改",
	ActQualityRules: "修改数据质量规则",
}

// Label is the action's Chinese name.
func (a Action) Label() string {
	if l, ok := actionLabels[a]; ok {
		return l
	}
	return string(a)
}

// Entry is one append-only audit record: who did what, when, to what, with
// the state before and after as JSON.
type Entry struct {
	ID      string    `json:"id" bson:"_id"`
	At      time.Time `json:"at" bson:"at"`
	Actor   string    `json:"actor" bson:"actor"` // user name ("" for an unknown login name)
	ActorID string    `json:"actor_id,omitempty" bson:"actor_id,omitempty"`
	Role    Role      `json:"role,omitempty" bson:"role,omitempty"`
	Action  Action    `json:"action" bson:"action"`
	County  string    `json:"county,omitempty" bson:"county,omitempty"`
	Survey  string    `json:"survey,omitempty" bson:"survey,omitempty"`
	Target  string    `json:"target,omitempty" bson:"target,omitempty"` // the user, code batch … acted on
	Before  string    `json:"before,omitempty" bson:"before,omitempty"` // JSON
	After   string    `json:"after,omitempty" bson:"after,omitempty"`   // JSON
	Note    string    `json:"note,omitempty" bson:"note,omitempty"`
	Addr    string    `json:"addr,omitempty" bson:"addr,omitempty"` // keyed hash of the client address
}

// NewEntry makes an entry for actor (nil for an anonymous event) with before
// and after marshalled to JSON; nil before or after is left empty.
func NewEntry(actor *User, action Action, before, after any, now time.Time) (*Entry, error) {
	e := &Entry{ID: NewID(), At: now.UTC().Truncate(time.Millisecond), Action: action}
	if actor != nil {
		e.Actor, e.ActorID, e.Role = actor.Name, actor.ID, actor.Role
	}
	var err error
	if e.Before, err = jsonText(before); err != nil {
		return nil, fmt.Errorf("audit %s: before: %w", action, err)
	}
	if e.After, err = jsonText(after); err != nil {
		return nil, fmt.Errorf("audit %s: after: %w", action, err)
	}
	return e, nil
}

func jsonText(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}
