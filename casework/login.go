package casework

import (
	"context"
	"errors"
	"strings"
	"time"

	"renke/account"
	"renke/survey"
)

// Limits throttles logins (kv.Client does): attempts per client address,
// and failures of one account from one address.
type Limits interface {
	// Allow counts one attempt under key, at most perMinute a minute; when
	// refused it returns how long to wait.
	Allow(ctx context.Context, key string, perMinute int) (bool, time.Duration, error)
	// LoginGate returns how long account name is slowed for addr (0: not);
	// an error that is not about slowing down means the store is down.
	LoginGate(ctx context.Context, name, addr string, now time.Time) (account.LoginFailures, time.Duration, error)
	// LoginFailed counts a failed login of name from addr.
	LoginFailed(ctx context.Context, name, addr string, now time.Time) error
	// LoginSucceeded forgets name's failures from addr.
	LoginSucceeded(ctx context.Context, name, addr string) error
	// Failures is the count of failures under key and the time left in their window.
	Failures(ctx context.Context, key string) (int64, time.Duration, error)
	// AddFailure counts a failure under key in a window from the first.
	AddFailure(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error)
}

// SessionEnder ends one console session by its token (kv.Client does).
type SessionEnder interface {
	EndSession(ctx context.Context, token string) error
}

// LoginAttemptsPerAddr is how many logins one client address may try per minute.
const LoginAttemptsPerAddr = 20

// Messages of logins.
const (
	MsgLoginMissing   = "请输入用户名和密码"
	MsgLoginThrottled = "登录尝试过于频繁，请稍后再试"
	MsgAccountSlowed  = "该账号从此地址登录失败次数过多，请稍后再试（其他地址不受影响）；忘记密码请联系管理员"
)

// Auth is what logging in needs beyond the store: the throttling, the
// sessions and the key that seals second-factor secrets.
type Auth struct {
	Limits   Limits
	Sessions SessionEnder
	Secret   []byte
}

// SetAuth gives the service what logins need (a server does; the command
// line logs nobody in).
func (s *Service) SetAuth(a Auth) { s.auth = a }

// LoginInput is a login attempt: the name, the password, the authenticator
// code (for a user with the second factor on) and the token of a session the
// client presented, which is ended (a session planted before login is never
// promoted).
type LoginInput struct {
	Name, Password, Code string
	OldSession           string
}

// Login checks a name and password (and the second factor) under the rate
// limits for the client at addr (its keyed hash), and audits the attempt:
// a success, a failure (unknown names too) or a throttled one. It returns
// the user; the caller starts the new session. Refusals are Unauthorized or
// TooMany (with the time to wait).
func (s *Service) Login(ctx context.Context, addr string, in LoginInput) (*account.User, error) {
	lim := s.auth.Limits
	name := account.NormalizeName(in.Name)
	if name == "" || in.Password == "" {
		return nil, Errorf(Invalid, MsgLoginMissing)
	}
	if lim == nil {
		return nil, Errorf(Unavailable, MsgUnavailable)
	}
	ok, retry, err := lim.Allow(ctx, "login:addr:"+addr, LoginAttemptsPerAddr)
	if err != nil {
		return nil, unavailable(err)
	}
	if !ok {
		s.recordLogin(ctx, addr, nil, account.ActLoginThrottled, "同一地址登录尝试过多")
		return nil, &Error{Kind: TooMany, Msg: MsgLoginThrottled, RetryAfter: retry}
	}
	// Failures slow this address down for this account (not the account
	// everywhere): account.LoginDelay.
	_, wait, err := lim.LoginGate(ctx, name, addr, s.now())
	if err != nil && wait == 0 {
		return nil, unavailable(err)
	}
	u, err := s.store.UserByName(ctx, name)
	if err != nil && !errors.Is(err, survey.ErrNotFound) {
		return nil, From(err)
	}
	if err != nil {
		u = nil
	}
	if wait > 0 {
		s.recordLogin(ctx, addr, u, account.ActLoginThrottled, "该账号从此地址登录失败次数过多，已减速")
		return nil, &Error{Kind: TooMany, Msg: MsgAccountSlowed, RetryAfter: wait}
	}
	if err := account.CheckPassword(u, in.Password); err != nil {
		// Unknown names count too, so throttling does not reveal which names exist.
		if err := lim.LoginFailed(ctx, name, addr, s.now()); err != nil {
			return nil, unavailable(err)
		}
		note := ""
		if u == nil {
			note = "未知用户名"
		}
		s.recordLogin(ctx, addr, u, account.ActLoginFailed, note)
		return nil, &Error{Kind: Unauthorized, Msg: account.ErrBadPassword.Error(), Err: err}
	}
	if err := s.SecondFactor(ctx, u, in.Code); err != nil {
		var e *Error
		if errors.As(err, &e) && errors.Is(e.Err, account.ErrBadTOTP) {
			if err := lim.LoginFailed(ctx, name, addr, s.now()); err != nil {
				return nil, unavailable(err)
			}
			s.recordLogin(ctx, addr, u, account.ActLoginFailed, "两步验证码错误")
		}
		return nil, err
	}
	if err := lim.LoginSucceeded(ctx, name, addr); err != nil {
		s.log.Warn("clear login failures", "err", err)
	}
	if in.OldSession != "" && s.auth.Sessions != nil {
		if err := s.auth.Sessions.EndSession(ctx, in.OldSession); err != nil {
			return nil, unavailable(err)
		}
	}
	s.recordLogin(ctx, addr, u, account.ActLogin, "")
	return u, nil
}

// Logout ends a's session (its token) and audits it.
func (s *Service) Logout(ctx context.Context, a Actor, token string) error {
	if s.auth.Sessions == nil {
		return Errorf(Unavailable, MsgUnavailable)
	}
	if err := s.auth.Sessions.EndSession(ctx, token); err != nil {
		return unavailable(err)
	}
	if err := s.Record(ctx, a, account.ActLogout, Scope{Target: a.Name()}, nil, nil); err != nil {
		s.log.Error("audit logout", "err", err)
	}
	return nil
}

// recordLogin audits a login event of u (nil: an unknown name); a failure
// to write is logged (by Record), not shown.
func (s *Service) recordLogin(ctx context.Context, addr string, u *account.User, act account.Action, note string) {
	sc := Scope{Note: note}
	if u != nil {
		sc.Target = u.Name
	}
	_ = s.Record(ctx, Actor{User: u, Addr: addr}, act, sc, nil, nil)
}

// unavailable is the refusal when Redis or the store could not be reached.
func unavailable(err error) *Error { return &Error{Kind: Unavailable, Msg: MsgUnavailable, Err: err} }

// SecondFactor checks the authenticator code of u, who has the second
// factor on (nothing for one who has not). A code serves one login: a
// second use of its time step, or a code of an earlier step once a later
// one was used, is refused like a wrong code (Unauthorized wrapping
// account.ErrBadTOTP; the marks are in the store).
func (s *Service) SecondFactor(ctx context.Context, u *account.User, code string) error {
	if !u.TwoFactor() {
		return nil
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return &Error{Kind: Unauthorized, Msg: account.ErrTOTPRequired.Error(), Err: account.ErrTOTPRequired}
	}
	secret, err := account.OpenTOTP(s.auth.Secret, u.ID, u.TOTPSecret)
	if err != nil {
		return From(err)
	}
	bad := &Error{Kind: Unauthorized, Msg: account.ErrBadTOTP.Error(), Err: account.ErrBadTOTP}
	step, err := account.CheckTOTP(secret, code, s.now())
	if errors.Is(err, account.ErrBadTOTP) {
		return bad
	}
	if err != nil {
		return From(err)
	}
	fresh, err := s.store.UseTOTPStep(ctx, u.ID, step, s.now())
	if err != nil {
		return From(err)
	}
	if !fresh {
		return bad
	}
	return nil
}
