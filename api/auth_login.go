package api

import (
	"crypto/hmac"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/kv"
	"renke/survey"
	"renke/web/console"
)

// login checks a name and password (and, for a user with the second factor
// on, the authenticator code) under the rate limits and, on success, starts
// a fresh session (ending any the client presented, so a session id planted
// before login is never promoted) and sets its cookie.
func (s *Server) login(c *gin.Context, name, password, code string) (*account.User, error) {
	ctx := c.Request.Context()
	name = account.NormalizeName(name)
	if name == "" || password == "" {
		return nil, cerr(http.StatusUnprocessableEntity, "请输入用户名和密码")
	}
	addr := s.addrHash(c)
	ok, retry, err := s.kv.Allow(ctx, "login:addr:"+addr, LoginAttemptsPerAddr)
	if err != nil {
		return nil, errStoreDown
	}
	if !ok {
		s.recordLogin(c, nil, account.ActLoginThrottled, "同一地址登录尝试过多")
		return nil, &consoleError{status: http.StatusTooManyRequests, msg: "登录尝试过于频繁，请稍后再试", retry: retry}
	}
	// Failures slow this address down for this account (not the account
	// everywhere): account.LoginDelay.
	_, wait, err := s.kv.LoginGate(ctx, name, addr, s.now())
	if err != nil && !errors.Is(err, kv.ErrSlowDown) {
		return nil, errStoreDown
	}
	u, err := s.store.UserByName(ctx, name)
	if err != nil && !errors.Is(err, survey.ErrNotFound) {
		return nil, s.asConsoleError(err)
	}
	if wait > 0 {
		s.recordLogin(c, u, account.ActLoginThrottled, "该账号从此地址登录失败次数过多，已减速")
		return nil, &consoleError{status: http.StatusTooManyRequests, retry: wait,
			msg: "该账号从此地址登录失败次数过多，请稍后再试（其他地址不受影响）；忘记密码请联系管理员"}
	}
	if err := account.CheckPassword(u, password); err != nil {
		// Unknown names count too, so throttling does not reveal which names exist.
		if err := s.kv.LoginFailed(ctx, name, addr, s.now()); err != nil {
			return nil, errStoreDown
		}
		note := ""
		if u == nil {
			note = "未知用户名"
		}
		s.recordLogin(c, u, account.ActLoginFailed, note)
		return nil, cerr(http.StatusUnauthorized, account.ErrBadPassword.Error())
	}
	if err := s.secondFactor(c, u, code); err != nil {
		if err == errBadTOTP {
			if err := s.kv.LoginFailed(ctx, name, addr, s.now()); err != nil {
				return nil, errStoreDown
			}
			s.recordLogin(c, u, account.ActLoginFailed, "两步验证码错误")
		}
		return nil, err
	}
	if err := s.kv.LoginSucceeded(ctx, name, addr); err != nil {
		s.log.Warn("clear login failures", "err", err)
	}
	if old := s.sessionToken(c); old != "" {
		if err := s.kv.EndSession(ctx, old); err != nil {
			return nil, errStoreDown
		}
	}
	if err := s.startSession(c, u); err != nil {
		return nil, err
	}
	s.recordLogin(c, u, account.ActLogin, "")
	return u, nil
}

// startSession issues a new session for u and sets its cookie.
func (s *Server) startSession(c *gin.Context, u *account.User) error {
	tok, sess, err := s.kv.NewSession(c.Request.Context(), u.ID, SessionTTL)
	if err != nil {
		return errStoreDown
	}
	s.setSessionCookie(c, tok, 0)
	c.Set(ctxUser, u)
	c.Set(ctxSession, sess)
	c.Set(ctxToken, tok)
	return nil
}

// recordLogin audits a login event; a failure to write is logged, not shown.
func (s *Server) recordLogin(c *gin.Context, u *account.User, act account.Action, note string) {
	sc := auditScope{Note: note}
	if u != nil {
		sc.Target = u.Name
	}
	if err := s.recordAs(c, u, act, sc, nil, nil); err != nil {
		s.log.Error("audit login event", "action", act, "err", err)
	}
}

// logout ends the request's session and clears its cookie.
func (s *Server) logout(c *gin.Context) error {
	tok, _ := c.Get(ctxToken)
	t, _ := tok.(string)
	if err := s.kv.EndSession(c.Request.Context(), t); err != nil {
		return errStoreDown
	}
	s.setSessionCookie(c, "", -1)
	if err := s.record(c, account.ActLogout, auditScope{Target: userOf(c).Name}, nil, nil); err != nil {
		s.log.Error("audit logout", "err", err)
	}
	return nil
}

// loginToken issues the login form's CSRF token: a random value in a cookie
// and its MAC in the form (there is no session yet to bind it to).
func (s *Server) loginToken(c *gin.Context) string {
	v := randomID(32)
	http.SetCookie(c.Writer, &http.Cookie{Name: loginCookie, Value: v, Path: "/login", MaxAge: 3600,
		HttpOnly: true, Secure: s.secureRequest(c), SameSite: http.SameSiteStrictMode})
	return s.sign("login", v)
}

func (s *Server) checkLoginToken(c *gin.Context) bool {
	v, err := c.Cookie(loginCookie)
	return err == nil && v != "" && hmac.Equal([]byte(c.PostForm("csrf")), []byte(s.sign("login", v)))
}

func (s *Server) renderLogin(c *gin.Context, status int, name, next, msg string) {
	s.render(c, status, "login", console.Frame{Title: "登录", Error: msg,
		Data: console.LoginPage{Name: name, Next: safeNext(next), CSRF: s.loginToken(c)}})
}

// loginPage is GET /login.
func (s *Server) loginPage(c *gin.Context) {
	if userOf(c) != nil {
		redirect(c, safeNext(c.Query("next")))
		return
	}
	s.renderLogin(c, http.StatusOK, "", c.Query("next"), "")
}

// loginSubmit is POST /login.
func (s *Server) loginSubmit(c *gin.Context) {
	name, next := c.PostForm("name"), c.PostForm("next")
	if !s.checkLoginToken(c) {
		s.renderLogin(c, http.StatusForbidden, name, next, "登录页面已过期，请重新登录")
		return
	}
	if _, err := s.login(c, name, c.PostForm("password"), c.PostForm("code")); err != nil {
		e := s.asConsoleError(err)
		if e.retry > 0 {
			c.Header("Retry-After", retryAfter(e.retry))
		}
		s.renderLogin(c, e.status, name, next, e.msg)
		return
	}
	redirect(c, safeNext(next))
}

// logoutSubmit is POST /logout.
func (s *Server) logoutSubmit(c *gin.Context) {
	if err := s.logout(c); err != nil {
		s.fail(c, err)
		return
	}
	redirect(c, "/login")
}

// sessionJSON is the API's view of the logged-in session.
type sessionJSON struct {
	User      *account.User `json:"user"`
	CSRFToken string        `json:"csrf_token"`
}

// apiLogin is POST /api/v1/session.
func (s *Server) apiLogin(c *gin.Context) {
	var in struct {
		Name     string `json:"name"`
		Password string `json:"password"`
		Code     string `json:"code"` // the authenticator code, when the second factor is on
	}
	if err := readJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.login(c, in.Name, in.Password, in.Code)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, sessionJSON{User: u, CSRFToken: sessionOf(c).CSRF})
}

// apiSession is GET /api/v1/session.
func (s *Server) apiSession(c *gin.Context) {
	c.JSON(http.StatusOK, sessionJSON{User: userOf(c), CSRFToken: sessionOf(c).CSRF})
}

// apiLogout is DELETE /api/v1/session.
func (s *Server) apiLogout(c *gin.Context) {
	if err := s.logout(c); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// userNames lists the login names of users (for their failed-login counts).
func userNames(users []account.User) []string {
	names := make([]string, len(users))
	for i := range users {
		names[i] = users[i].Name
	}
	return names
}
