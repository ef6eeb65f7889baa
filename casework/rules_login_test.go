package casework_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"golang.org/x/crypto/bcrypt"

	"renke/account"
	"renke/casework"
	"renke/internal/testenv"
	"renke/kv"
	"renke/store"
)

// loginFixture is the application layer with real Redis behind its limits
// and sessions, and one user (an admin, who needs no county).
type loginFixture struct {
	st   *store.Store
	kv   *kv.Client
	app  *casework.Service
	user *account.User
}

const loginPassword = "correct-horse-battery"

func newLoginFixture(t *testing.T) *loginFixture {
	account.HashCost = bcrypt.MinCost
	f := &loginFixture{st: testenv.Store(t), kv: testenv.KV(t)}
	f.app = casework.New(f.st, f.kv, nil)
	f.app.SetAuth(casework.Auth{Limits: f.kv, Sessions: f.kv, Secret: []byte("test-secret-0123456789abcdef")})
	u, _, err := f.app.CreateUser(context.Background(), casework.CLI(), casework.NewUser{Name: "eval", Role: account.Admin, Password: loginPassword})
	if err != nil {
		t.Fatal(err)
	}
	f.user = u
	return f
}

// last is the newest entry of the whole audit log.
func (f *loginFixture) last(t *testing.T) account.Entry {
	t.Helper()
	list, err := f.st.Audit(context.Background(), store.AuditFilter{}, 1)
	if err != nil || len(list) == 0 {
		t.Fatalf("audit: %v %v", list, err)
	}
	return list[0]
}

func kindOf(err error) casework.Kind {
	if e := casework.From(err); e != nil {
		return e.Kind
	}
	return ""
}

func TestLoginThrottledAndAudited(t *testing.T) {
	f := newLoginFixture(t)
	ctx := context.Background()
	addr := "addr-" + t.Name()

	if _, err := f.app.Login(ctx, addr, casework.LoginInput{Name: "eval"}); kindOf(err) != casework.Invalid {
		t.Fatalf("no password: %v", err)
	}
	// A session the client presented before login is ended by the login.
	planted, _, err := f.kv.NewSession(ctx, f.user.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	u, err := f.app.Login(ctx, addr, casework.LoginInput{Name: " EVAL ", Password: loginPassword, OldSession: planted})
	if err != nil || u.ID != f.user.ID {
		t.Fatalf("login: %v %v", u, err)
	}
	if s, err := f.kv.Session(ctx, planted, time.Hour); err == nil && s != nil {
		t.Error("the planted session survived the login")
	}
	if e := f.last(t); e.Action != account.ActLogin || e.Actor != "eval" || e.Addr != addr {
		t.Errorf("login audited as %+v", e)
	}

	// Wrong passwords, for a real and an unknown name, are Unauthorized with
	// the same message and audited; then the account is slowed for this
	// address (TooMany with a wait), not for another.
	for i := 0; ; i++ {
		_, err := f.app.Login(ctx, addr, casework.LoginInput{Name: "eval", Password: "wrong-password"})
		e := casework.From(err)
		if e.Kind == casework.TooMany {
			if e.RetryAfter <= 0 || e.Msg != casework.MsgAccountSlowed || i == 0 {
				t.Fatalf("slowed after %d failures: %+v", i, e)
			}
			if l := f.last(t); l.Action != account.ActLoginThrottled || l.Target != "eval" {
				t.Errorf("throttled login audited as %+v", l)
			}
			break
		}
		if e.Kind != casework.Unauthorized || e.Msg != account.ErrBadPassword.Error() {
			t.Fatalf("wrong password %d: %+v", i, e)
		}
		if l := f.last(t); l.Action != account.ActLoginFailed || l.Target != "eval" {
			t.Fatalf("failed login audited as %+v", l)
		}
		if i > 20 {
			t.Fatal("never slowed down")
		}
	}
	_, err = f.app.Login(ctx, addr, casework.LoginInput{Name: "nobody", Password: "wrong-password"})
	if e := casework.From(err); e.Kind != casework.Unauthorized || e.Msg != account.ErrBadPassword.Error() {
		t.Errorf("unknown name: %+v", e)
	}
	if l := f.last(t); l.Action != account.ActLoginFailed || l.Note != "未知用户名" || l.Actor != "" {
		t.Errorf("unknown name audited as %+v", l)
	}
	if _, err := f.app.Login(ctx, "other-"+addr, casework.LoginInput{Name: "eval", Password: loginPassword}); err != nil {
		t.Errorf("login from another address: %v", err)
	}

	// Logout ends the session and is audited.
	tok, _, err := f.kv.NewSession(ctx, f.user.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.app.Logout(ctx, casework.Actor{User: f.user, Addr: addr}, tok); err != nil {
		t.Fatal(err)
	}
	if s, err := f.kv.Session(ctx, tok, time.Hour); err == nil && s != nil {
		t.Error("the session survived the logout")
	}
	if l := f.last(t); l.Action != account.ActLogout || l.Actor != "eval" {
		t.Errorf("logout audited as %+v", l)
	}
}

func TestOwnAccount(t *testing.T) {
	f := newLoginFixture(t)
	ctx := context.Background()
	me := casework.Actor{User: f.user, Addr: "addr-own"}
	sess, _, err := f.kv.NewSession(ctx, f.user.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	// The password: mismatch, same as before and a wrong current one are
	// refused (the wrong ones counted, then TooMany); a change ends the sessions.
	for _, c := range []struct{ old, new, again, msg string }{
		{loginPassword, "another-long-password", "another-long-passw0rd", casework.MsgPasswordMismatch},
		{loginPassword, loginPassword, loginPassword, casework.MsgPasswordSame},
		{"not-my-password", "another-long-password", "another-long-password", casework.MsgPasswordWrong},
	} {
		_, err := f.app.ChangePassword(ctx, me, c.old, c.new, c.again)
		if e := casework.From(err); e.Kind != casework.Invalid || e.Msg != c.msg {
			t.Errorf("%+v: %+v", c, e)
		}
	}
	n := len(audit(t, f.st))
	u, err := f.app.ChangePassword(ctx, me, loginPassword, "another-long-password", "another-long-password")
	if err != nil || account.CheckPassword(u, "another-long-password") != nil {
		t.Fatalf("change password: %v", err)
	}
	if s, err := f.kv.Session(ctx, sess, time.Hour); err == nil && s != nil {
		t.Error("a session survived the password change")
	}
	if e := f.last(t); len(audit(t, f.st)) != n+1 || e.Action != account.ActUserPassword || e.Actor != "eval" || e.Note != "本人修改" ||
		strings.Contains(e.Before+e.After, "another-long-password") {
		t.Errorf("password change audited as %+v", e)
	}
	for i := 0; i < casework.MaxLoginFailures; i++ {
		f.app.ChangePassword(ctx, me, "not-my-password", "x-long-password-1", "x-long-password-1")
	}
	_, err = f.app.ChangePassword(ctx, me, "another-long-password", "x-long-password-1", "x-long-password-1")
	if e := casework.From(err); e.Kind != casework.TooMany || e.RetryAfter <= 0 {
		t.Fatalf("after %d wrong passwords: %+v", casework.MaxLoginFailures, e)
	}
	if err := f.kv.ClearFailures(ctx, "login:eval"); err != nil {
		t.Fatal(err)
	}

	// The second factor: offered, enabled with a fresh code (a code used
	// once is refused), required at login, and turned off with password and code.
	o, err := f.app.OfferSecondFactor(ctx, me)
	if err != nil || o.Secret == "" || !strings.HasPrefix(o.URL, "otpauth://") {
		t.Fatalf("offer: %+v %v", o, err)
	}
	if _, err := f.app.EnableSecondFactor(ctx, me, o.Secret, "000000x"); kindOf(err) != casework.Invalid {
		t.Fatalf("a bad code enabled the second factor: %v", err)
	}
	code, _ := totp.GenerateCode(o.Secret, time.Now())
	u, err = f.app.EnableSecondFactor(ctx, me, o.Secret, code)
	if err != nil || !u.TwoFactor() || strings.Contains(u.TOTPSecret, o.Secret) {
		t.Fatalf("enable: %v", err)
	}
	e := f.last(t)
	if e.Action != account.ActUserTwoFactor || e.Before != `{"two_factor":false}` || e.After != `{"two_factor":true}` ||
		strings.Contains(e.Before+e.After+e.Note, o.Secret) {
		t.Errorf("enabling audited as %+v", e)
	}
	if _, err := f.app.OfferSecondFactor(ctx, me); kindOf(err) != casework.Conflict {
		t.Errorf("an offer with the factor on: %v", err)
	}
	_, err = f.app.Login(ctx, "addr-2fa", casework.LoginInput{Name: "eval", Password: "another-long-password"})
	if e := casework.From(err); e.Kind != casework.Unauthorized || !errors.Is(err, account.ErrTOTPRequired) {
		t.Errorf("login without the code: %v", err)
	}
	_, err = f.app.Login(ctx, "addr-2fa", casework.LoginInput{Name: "eval", Password: "another-long-password", Code: code})
	if !errors.Is(err, account.ErrBadTOTP) {
		t.Errorf("login with a used code: %v", err)
	}
	if l := f.last(t); l.Action != account.ActLoginFailed || l.Note != "两步验证码错误" {
		t.Errorf("a used code audited as %+v", l)
	}
	me.User = u
	next, _ := totp.GenerateCode(o.Secret, time.Now().Add(30*time.Second))
	if _, err := f.app.DisableSecondFactor(ctx, me, "not-my-password", next); kindOf(err) != casework.Invalid {
		t.Errorf("disable with a wrong password: %v", err)
	}
	if _, err := f.app.DisableSecondFactor(ctx, me, "another-long-password", code); kindOf(err) != casework.Invalid {
		t.Errorf("disable with a used code: %v", err)
	}
	u, err = f.app.DisableSecondFactor(ctx, me, "another-long-password", next)
	if err != nil || u.TwoFactor() {
		t.Fatalf("disable: %v", err)
	}
	if e := f.last(t); e.Action != account.ActUserTwoFactor || e.After != `{"two_factor":false}` || e.Note != "关闭两步验证" {
		t.Errorf("disabling audited as %+v", e)
	}
}

func audit(t *testing.T, st *store.Store) []account.Entry {
	t.Helper()
	list, err := st.Audit(context.Background(), store.AuditFilter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return list
}
