// Package casework is renke's application layer: one method per use case of
// the survey (create and run a survey, upload its frame, draw its plan, issue
// and void codes, manage users). Each method takes the acting user, checks
// the survey's rules, writes through the store and appends the audit entry,
// in that one place. The console, the JSON API, the command line and the
// demo call it and hold no rule of their own.
package casework

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/user"
	"time"

	"renke/account"
	"renke/store"
	"renke/survey"
)

// Sessions ends a user's console sessions (kv.Client does).
type Sessions interface {
	EndUserSessions(ctx context.Context, userID string) (int, error)
}

// SurveyEnder drops what Redis holds for a survey that closed (kv.Client
// does); a Sessions that is one is told of every close.
type SurveyEnder interface {
	EndSurvey(ctx context.Context, surveyID string) error
}

// Service runs the use cases against one store.
type Service struct {
	store    *store.Store
	sessions Sessions
	log      *slog.Logger
	now      func() time.Time
	// listeners hear of every change a cache beside the store must know.
	listeners []func(Change)
	// auth is what logins need (SetAuth).
	auth Auth
}

// New makes the service; sessions may be nil where no console sessions
// exist (then nothing is ended), log nil for slog's default.
func New(st *store.Store, sessions Sessions, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: st, sessions: sessions, log: log, now: time.Now}
}

// SetClock replaces the service's clock (tests, and a server with its own).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// ChangeKind is what a use case changed.
type ChangeKind int

// What a use case can change that caches beside the store keep.
const (
	// SurveyChanged: a survey's status, weights or scoring.
	SurveyChanged ChangeKind = iota
	// CodesIssued: new codes, and so new quotas.
	CodesIssued
	// CodesVoided: codes voided (a redraw of the plan).
	CodesVoided
	// QualityChanged: what the quality figures are computed with (rules, overrides).
	QualityChanged
)

// Change is one change of a survey, told to the listeners of OnChange.
type Change struct {
	SurveyID string
	Kind     ChangeKind
}

// OnChange registers f to hear of every change the service makes that a
// cache beside the store keeps (a server drops the surveys, codes and
// progress figures it holds). Register before the service is used.
func (s *Service) OnChange(f func(Change)) { s.listeners = append(s.listeners, f) }

func (s *Service) changed(surveyID string, k ChangeKind) {
	for _, f := range s.listeners {
		f(Change{SurveyID: surveyID, Kind: k})
	}
}

// Actor is who acts: a console user, or the command line's operator.
type Actor struct {
	User *account.User
	// Addr is the keyed hash of the client address ("" on the command line).
	Addr string
}

// Name is the actor's name as the audit log records it.
func (a Actor) Name() string {
	if a.User == nil {
		return ""
	}
	return a.User.Name
}

// CLI is the command line's operator: every permission, recorded as
// cli:<os user>@<host>.
func CLI() Actor {
	name := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	return Actor{User: &account.User{Name: "cli:" + name + "@" + host, Role: account.Admin}}
}

// Scope says what an audited event was about.
type Scope struct {
	County, Survey, Target, Note string
}

// MsgAuditFailed is what a user is told when a change was made but its
// audit entry could not be written.
const MsgAuditFailed = "操作已生效，但审计日志写入失败，请通知管理员"

// Record appends the audit entry of a change made by a; it is the one place
// entries are written. When the log cannot be written the change stands and
// the caller gets an Internal error saying so.
func (s *Service) Record(ctx context.Context, a Actor, act account.Action, sc Scope, before, after any) error {
	e, err := account.NewEntry(a.User, act, before, after, s.now())
	if err == nil {
		e.County, e.Survey, e.Target, e.Note, e.Addr = sc.County, sc.Survey, sc.Target, sc.Note, a.Addr
		err = s.store.AppendAudit(ctx, e)
	}
	if err != nil {
		s.log.Error("audit entry not written for a change that was made", "action", act, "survey", sc.Survey, "err", err)
		return &Error{Kind: Internal, Msg: MsgAuditFailed, Err: err}
	}
	return nil
}

// Messages of access refusals.
const (
	MsgSurveyMissing = "调查不存在，或你无权查看"
	MsgCountyMissing = "区县不存在，或你无权查看"
	MsgForbidden     = "你的角色无权进行此操作"
	MsgUserMissing   = "用户不存在"
)

// Survey loads survey id for an action needing p. A survey of a county the
// actor is not assigned is answered like a missing one, so its existence
// does not leak; a visible survey the role may not act on is Forbidden.
func (s *Service) Survey(ctx context.Context, a Actor, id string, p account.Permission) (*survey.Survey, error) {
	sv, err := s.store.Survey(ctx, id)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, Errorf(NotFound, MsgSurveyMissing)
	}
	if err != nil {
		return nil, From(err)
	}
	if a.User == nil || !a.User.Sees(sv.County) {
		return nil, Errorf(NotFound, MsgSurveyMissing)
	}
	if !a.User.Can(p) {
		return nil, Errorf(Forbidden, MsgForbidden)
	}
	return sv, nil
}

// County loads county name for an action needing p, with Survey's rule.
func (s *Service) County(ctx context.Context, a Actor, name string, p account.Permission) (*account.County, error) {
	if a.User == nil || !a.User.Sees(name) {
		return nil, Errorf(NotFound, MsgCountyMissing)
	}
	k, err := s.store.County(ctx, name)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, Errorf(NotFound, MsgCountyMissing)
	}
	if err != nil {
		return nil, From(err)
	}
	if !a.User.Can(p) {
		return nil, Errorf(Forbidden, MsgForbidden)
	}
	return k, nil
}

// require refuses unless a's role grants p.
func require(a Actor, p account.Permission) error {
	if a.User == nil || !a.User.Can(p) {
		return Errorf(Forbidden, MsgForbidden)
	}
	return nil
}
