package survey

import (
	"errors"
	"time"
)

// Phase is where a survey stands as respondents see it: its stored status
// read against its window. Every door (console, city view, command line, API)
// shows the same Label.
type Phase struct {
	// Key is draft, scheduled, collecting, ended or archived.
	Key string `json:"key"`
	// Label is the Chinese words shown for it.
	Label string `json:"label"`
}

// Phase keys.
const (
	PhaseDraft      = "draft"
	PhaseScheduled  = "scheduled"
	PhaseCollecting = "collecting"
	PhaseEnded      = "ended"
	PhaseArchived   = "archived"
)

// PhaseAt is the survey's phase at now: an open survey before its window is
// scheduled, inside it collecting, after it ended.
func (sv *Survey) PhaseAt(now time.Time) Phase {
	switch sv.Status {
	case Draft:
		return Phase{PhaseDraft, "草稿"}
	case Open:
		switch {
		case now.Before(sv.Opens):
			return Phase{PhaseScheduled, "已开放，" + sv.Opens.In(Shanghai).Format("2006-01-02 15:04") + " 开始作答"}
		case !now.Before(sv.Closes):
			return Phase{PhaseEnded, "已结束"}
		}
		return Phase{PhaseCollecting, "进行中"}
	case Closed:
		return Phase{PhaseEnded, "已结束"}
	case Archived:
		return Phase{PhaseArchived, "已归档"}
	}
	return Phase{string(sv.Status), sv.Status.Label()}
}

// PhaseNow is PhaseAt the current time (for templates).
func (sv *Survey) PhaseNow() Phase { return sv.PhaseAt(time.Now()) }

// ErrWindowPassed: a survey whose closing time has passed cannot be opened.
var ErrWindowPassed = errors.New("调查的结束时间已过，不能开放；请新建调查")

// CanOpenAt refuses opening the survey once its closing time has passed.
func (sv *Survey) CanOpenAt(now time.Time) error {
	if !now.Before(sv.Closes) {
		return ErrWindowPassed
	}
	return nil
}

// ErrVoided: the code was voided (its plan was redrawn) and takes no answers.
var ErrVoided = errors.New("此二维码已作废（抽样方案已重新抽取），请向发放问卷的学校或单位索取新的二维码")

// Usable refuses a voided code with ErrVoided.
func (c *Code) Usable() error {
	if !c.Voided.IsZero() {
		return ErrVoided
	}
	return nil
}

// Listing is a survey as the lists show it (the JSON API's county list and
// `renke survey list`): its status read against the window at one time.
type Listing struct {
	ID     string    `json:"id"`
	County string    `json:"county"`
	Title  string    `json:"title"`
	Status Status    `json:"status"`
	Opens  time.Time `json:"opens"`
	Closes time.Time `json:"closes"`
	Phase  Phase     `json:"phase"`
}

// ListingAt is the survey as listed at now.
func (sv *Survey) ListingAt(now time.Time) Listing {
	return Listing{sv.ID, sv.County, sv.Title, sv.Status, sv.Opens, sv.Closes, sv.PhaseAt(now)}
}
