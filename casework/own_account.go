package casework

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"renke/account"
	"renke/survey"
)

// Console account security settings.
const (
	// MaxLoginFailures is how many wrong current passwords an account takes
	// in LoginFailureWindow (changing its password or second factor) before
	// further tries are refused as TooMany.
	MaxLoginFailures = 5
	// LoginFailureWindow is the window of MaxLoginFailures, from the first failure.
	LoginFailureWindow = 15 * time.Minute
)

// Messages of one's own account.
const (
	MsgPasswordMismatch = "两次输入的新密码不一致"
	MsgPasswordSame     = "新密码不能与当前密码相同"
	MsgPasswordWrong    = "当前密码不正确"
	MsgPasswordTooMany  = "密码错误次数过多，请稍后再试"
	MsgTOTPOn           = "两步验证已启用"
	MsgTOTPCodeWrong    = "验证码不正确或已用过：请等验证器显示新的数字后再填写"
)

// self is the actor's own account, read fresh.
func (s *Service) self(ctx context.Context, a Actor) (*account.User, error) {
	if a.User == nil || a.User.ID == "" {
		return nil, Errorf(Unauthorized, "请先登录")
	}
	u, err := s.store.User(ctx, a.User.ID)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, Errorf(NotFound, MsgUserMissing)
	}
	if err != nil {
		return nil, From(err)
	}
	return u, nil
}

// checkOwnPassword checks the actor's current password before a change to
// their account; wrong ones count towards the account's failures.
func (s *Service) checkOwnPassword(ctx context.Context, u *account.User, password string) error {
	lim := s.auth.Limits
	if lim == nil {
		return Errorf(Unavailable, MsgUnavailable)
	}
	key := "login:" + u.Name
	n, left, err := lim.Failures(ctx, key)
	if err != nil {
		return unavailable(err)
	}
	if n >= MaxLoginFailures {
		return &Error{Kind: TooMany, Msg: MsgPasswordTooMany, RetryAfter: left}
	}
	if err := account.CheckPassword(u, password); err != nil {
		if _, _, err := lim.AddFailure(ctx, key, LoginFailureWindow); err != nil {
			return unavailable(err)
		}
		return Errorf(Invalid, MsgPasswordWrong)
	}
	return nil
}

// ChangePassword sets the actor's own password after checking the current
// one (wrong ones count towards the account's failures), ends every session
// of theirs and audits it (never the password). It returns the account as
// stored; the caller starts a fresh session for its client.
func (s *Service) ChangePassword(ctx context.Context, a Actor, old, new, again string) (*account.User, error) {
	u, err := s.self(ctx, a)
	if err != nil {
		return nil, err
	}
	if err := s.checkOwnPassword(ctx, u, old); err != nil {
		return nil, err
	}
	if new != again {
		return nil, Errorf(Invalid, MsgPasswordMismatch)
	}
	if new == old {
		return nil, Errorf(Invalid, MsgPasswordSame)
	}
	prev := *u
	if err := u.SetPassword(new, s.now()); err != nil {
		return nil, Wrap(Invalid, err)
	}
	if err := s.saveOwn(ctx, u, prev); err != nil {
		return nil, err
	}
	return u, s.Record(ctx, a, account.ActUserPassword, Scope{Target: u.Name, Note: "本人修改"}, nil, nil)
}

// saveOwn stores the actor's changed account and ends all their sessions.
func (s *Service) saveOwn(ctx context.Context, u *account.User, prev account.User) error {
	if err := s.store.UpdateUser(ctx, u, prev); err != nil {
		return From(err)
	}
	if s.sessions != nil {
		if _, err := s.sessions.EndUserSessions(ctx, u.ID); err != nil {
			return unavailable(fmt.Errorf("end sessions of %s: %w", u.Name, err))
		}
	}
	return nil
}

// TOTPOffer is a new authenticator key offered to the actor: the key to type
// and the otpauth:// URL to scan. It is shown to its owner only, once, and
// stored nowhere until confirmed.
type TOTPOffer struct {
	Secret, URL string
}

// OfferSecondFactor makes a new authenticator key for the actor, who does
// not have the second factor on.
func (s *Service) OfferSecondFactor(ctx context.Context, a Actor) (*TOTPOffer, error) {
	u, err := s.self(ctx, a)
	if err != nil {
		return nil, err
	}
	if u.TwoFactor() {
		return nil, Errorf(Conflict, MsgTOTPOn)
	}
	secret, url, err := account.NewTOTPSecret(u.Name)
	if err != nil {
		return nil, From(err)
	}
	return &TOTPOffer{Secret: secret, URL: url}, nil
}

// EnableSecondFactor turns the actor's second factor on with the offered
// key once code (from the app) matches it and was not used before; all
// their sessions end; audited without the key.
func (s *Service) EnableSecondFactor(ctx context.Context, a Actor, secret, code string) (*account.User, error) {
	u, err := s.self(ctx, a)
	if err != nil {
		return nil, err
	}
	step, err := account.CheckTOTP(secret, strings.TrimSpace(code), s.now())
	if err != nil {
		return nil, Errorf(Invalid, MsgTOTPCodeWrong)
	}
	fresh, err := s.store.UseTOTPStep(ctx, u.ID, step, s.now())
	if err != nil {
		return nil, From(err)
	}
	if !fresh {
		return nil, Errorf(Invalid, MsgTOTPCodeWrong)
	}
	return s.setTOTP(ctx, a, u, secret, "启用两步验证")
}

// DisableSecondFactor turns the actor's second factor off given their
// password and a current code; all their sessions end; audited.
func (s *Service) DisableSecondFactor(ctx context.Context, a Actor, password, code string) (*account.User, error) {
	u, err := s.self(ctx, a)
	if err != nil {
		return nil, err
	}
	if err := s.checkOwnPassword(ctx, u, password); err != nil {
		return nil, err
	}
	if err := s.SecondFactor(ctx, u, code); err != nil {
		if e := From(err); e.Kind == Unauthorized {
			return nil, &Error{Kind: Invalid, Msg: e.Msg, Err: e.Err}
		}
		return nil, err
	}
	return s.setTOTP(ctx, a, u, "", "关闭两步验证")
}

// setTOTP stores u's authenticator key ("" turns the factor off), ends
// every session of u and audits the change (never the key).
func (s *Service) setTOTP(ctx context.Context, a Actor, u *account.User, secret, note string) (*account.User, error) {
	prev := *u
	u.TOTPSecret, u.Updated = "", survey.TruncateTime(s.now())
	if secret != "" {
		sealed, err := account.SealTOTP(s.auth.Secret, u.ID, secret)
		if err != nil {
			return nil, From(err)
		}
		u.TOTPSecret = sealed
	}
	if err := s.saveOwn(ctx, u, prev); err != nil {
		return nil, err
	}
	return u, s.Record(ctx, a, account.ActUserTwoFactor, Scope{Target: u.Name, Note: note},
		map[string]bool{"two_factor": prev.TwoFactor()}, map[string]bool{"two_factor": u.TwoFactor()})
}
