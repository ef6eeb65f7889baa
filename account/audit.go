package account

import (
	"encoding/json"
	"fmt"
	"time"

	"renke/hashchain"
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
	ActUserTwoFactor  Action = "user.totp" // the second factor turned on or off
	ActCountyCreate   Action = "county.create"
	ActSurveyCreate   Action = "survey.create"
	ActSurveyOpen     Action = "survey.open"
	ActSurveyClose    Action = "survey.close"
	ActSurveyArchive  Action = "survey.archive"
	ActSurveyWeights  Action = "survey.weights"
	ActSurveyScheme   Action = "survey.scheme"
	ActSurveyFrame    Action = "survey.frame" // sampling frame uploaded
	ActSurveyPlan     Action = "survey.plan"  // sample drawn
	ActCodesIssue     Action = "codes.issue"
	ActCodesVoid      Action = "codes.void" // a plan's codes voided before a redraw
	ActExclusion      Action = "exclusion.override"
	ActQualityRules   Action = "quality.rules" // a survey's data-quality rules changed
	ActPurge          Action = "survey.purge"  // respondents' personal fields removed after the retention
)

var actionLabels = map[Action]string{
	ActLogin: "登录", ActLoginFailed: "登录失败", ActLoginThrottled: "登录被限流", ActLogout: "退出登录",
	ActUserCreate: "创建用户", ActUserUpdate: "修改用户", ActUserPassword: "修改密码", ActUserTwoFactor: "两步验证",
	ActCountyCreate: "登记区县", ActSurveyCreate: "新建调查", ActSurveyOpen: "开放调查",
	ActSurveyClose: "结束调查", ActSurveyWeights: "修改群体权重", ActSurveyScheme: "修改计分方案",
	ActSurveyFrame: "上传抽样框", ActSurveyPlan: "抽取样本", ActCodesIssue: "发放访问码", ActCodesVoid: "作废访问码", ActSurveyArchive: "归档调查", ActExclusion: "剔除决定更改",
	ActQualityRules: "修改数据质量规则", ActPurge: "清除应答者个人信息",
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
	// Settings holds, for an entry that changed settings deciding a
	// survey's number, the SHA-256 of each such setting as stored after the
	// change (by setting name; see package evidence). The store stamps it.
	Settings map[string]string `json:"settings,omitempty" bson:"settings,omitempty"`

	// The log is one hash chain (package hashchain) in the order entries
	// were appended; the store seals each entry as it appends it.
	Seq      int64  `json:"seq" bson:"seq"`
	PrevHash string `json:"prev_hash" bson:"prev_hash"`
	Hash     string `json:"hash" bson:"hash"`
}

// canonicalEntry fixes the field order and encoding the audit chain hashes.
type canonicalEntry struct {
	ID      string `json:"id"`
	Seq     int64  `json:"seq"`
	At      string `json:"at"`
	Actor   string `json:"actor"`
	ActorID string `json:"actor_id"`
	Role    Role   `json:"role"`
	Action  Action `json:"action"`
	County  string `json:"county"`
	Survey  string `json:"survey"`
	Target  string `json:"target"`
	Before  string `json:"before"`
	After   string `json:"after"`
	Note    string `json:"note"`
	Addr    string `json:"addr"`
	// Added later: omitted when empty, so entries written before encode
	// (and verify) as they did.
	Settings map[string]string `json:"settings,omitempty"`
}

// CanonicalJSON is the entry's canonical encoding: every field but the
// chain's own hashes, in a fixed order, the time in UTC milliseconds.
func (e *Entry) CanonicalJSON() []byte {
	b, err := json.Marshal(canonicalEntry{ID: e.ID, Seq: e.Seq,
		At:    e.At.UTC().Truncate(time.Millisecond).Format(time.RFC3339Nano),
		Actor: e.Actor, ActorID: e.ActorID, Role: e.Role, Action: e.Action, County: e.County,
		Survey: e.Survey, Target: e.Target, Before: e.Before, After: e.After, Note: e.Note, Addr: e.Addr,
		Settings: e.Settings})
	if err != nil {
		panic(fmt.Sprintf("account: canonical encoding cannot fail: %v", err))
	}
	return b
}

// ChainLinks returns the entry's place in the audit chain.
func (e *Entry) ChainLinks() (id string, seq int64, prev, hash string) {
	return e.ID, e.Seq, e.PrevHash, e.Hash
}

// Seal places e after the entry prevSeq, whose hash is prevHash: it sets
// Seq, PrevHash and Hash (and rounds At to what the store keeps).
func (e *Entry) Seal(prevSeq int64, prevHash string) {
	e.At = e.At.UTC().Truncate(time.Millisecond)
	e.Seq, e.PrevHash = prevSeq+1, prevHash
	e.Hash = hashchain.Link(prevHash, e.CanonicalJSON())
}

// NewAuditVerifier starts a verification of the audit chain at its genesis.
func NewAuditVerifier() *hashchain.Verifier { return hashchain.NewVerifier("audit entry") }

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
