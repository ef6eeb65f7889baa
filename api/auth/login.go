package auth

import (
	"crypto/hmac"
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/casework"
	"renke/web/console"
)

// login logs a user in through the application layer (the password, the
// second factor, the rate limits, the audit entry; a session the client
// presented is ended, so one planted before login is never promoted) and
// starts a fresh session with its cookie.
func (s *Auth) login(c *gin.Context, name, password, code string) (*account.User, error) {
	u, err := s.App.Login(c.Request.Context(), s.Client.AddrHash(c),
		casework.LoginInput{Name: name, Password: password, Code: code, OldSession: s.sessionToken(c)})
	if err != nil {
		return nil, err
	}
	return u, s.startSession(c, u)
}

// startSession issues a new session for u and sets its cookie.
func (s *Auth) startSession(c *gin.Context, u *account.User) error {
	tok, sess, err := s.Sessions.NewSession(c.Request.Context(), u.ID, SessionTTL)
	if err != nil {
		return httpx.ErrStoreDown
	}
	s.setSessionCookie(c, tok, 0)
	httpx.SetSession(c, u, sess, tok)
	return nil
}

// logout ends the request's session (audited) and clears its cookie.
func (s *Auth) logout(c *gin.Context) error {
	if err := s.App.Logout(c.Request.Context(), s.Actor(c), httpx.TokenOf(c)); err != nil {
		return err
	}
	s.setSessionCookie(c, "", -1)
	return nil
}

// loginToken issues the login form's CSRF token: a random value in a cookie
// and its MAC in the form (there is no session yet to bind it to).
func (s *Auth) loginToken(c *gin.Context) string {
	v := httpx.RandomID(32)
	http.SetCookie(c.Writer, &http.Cookie{Name: loginCookie, Value: v, Path: "/login", MaxAge: 3600,
		HttpOnly: true, Secure: s.Client.Secure(c), SameSite: http.SameSiteStrictMode})
	return s.Client.Sign("login", v)
}

func (s *Auth) checkLoginToken(c *gin.Context) bool {
	v, err := c.Cookie(loginCookie)
	return err == nil && v != "" && hmac.Equal([]byte(c.PostForm("csrf")), []byte(s.Client.Sign("login", v)))
}

func (s *Auth) renderLogin(c *gin.Context, status int, name, next, msg string) {
	s.Out.Render(c, status, "login", console.Frame{Title: "登录", Error: msg,
		Data: console.LoginPage{Name: name, Next: safeNext(next), CSRF: s.loginToken(c)}})
}

// loginPage is GET /login.
func (s *Auth) loginPage(c *gin.Context) {
	if httpx.UserOf(c) != nil {
		httpx.Redirect(c, safeNext(c.Query("next")))
		return
	}
	s.renderLogin(c, http.StatusOK, "", c.Query("next"), "")
}

// loginSubmit is POST /login.
func (s *Auth) loginSubmit(c *gin.Context) {
	name, next := c.PostForm("name"), c.PostForm("next")
	if !s.checkLoginToken(c) {
		s.renderLogin(c, http.StatusForbidden, name, next, "登录页面已过期，请重新登录")
		return
	}
	if _, err := s.login(c, name, c.PostForm("password"), c.PostForm("code")); err != nil {
		e := s.Out.Error(err)
		e.SetRetryAfter(c)
		s.renderLogin(c, e.Status, name, next, e.Msg)
		return
	}
	httpx.Redirect(c, safeNext(next))
}

// logoutSubmit is POST /logout.
func (s *Auth) logoutSubmit(c *gin.Context) {
	if err := s.logout(c); err != nil {
		s.Out.Fail(c, err)
		return
	}
	httpx.Redirect(c, "/login")
}

// sessionJSON is the API's view of the logged-in session.
type sessionJSON struct {
	User      *account.User `json:"user"`
	CSRFToken string        `json:"csrf_token"`
}

// apiLogin is POST /api/v1/session.
func (s *Auth) apiLogin(c *gin.Context) {
	var in struct {
		Name     string `json:"name"`
		Password string `json:"password"`
		Code     string `json:"code"` // the authenticator code, when the second factor is on
	}
	if err := httpx.ReadJSON(c, &in); err != nil {
		s.Out.Fail(c, err)
		return
	}
	u, err := s.login(c, in.Name, in.Password, in.Code)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, sessionJSON{User: u, CSRFToken: httpx.SessionOf(c).CSRF})
}

// apiSession is GET /api/v1/session.
func (s *Auth) apiSession(c *gin.Context) {
	c.JSON(http.StatusOK, sessionJSON{User: httpx.UserOf(c), CSRFToken: httpx.SessionOf(c).CSRF})
}

// apiLogout is DELETE /api/v1/session.
func (s *Auth) apiLogout(c *gin.Context) {
	if err := s.logout(c); err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
