package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
)

// changeOwnPassword checks the current password (wrong ones count towards the
// account's login lock), sets the new one, ends every session of the user and
// starts a fresh one for this client.
func (s *Server) changeOwnPassword(c *gin.Context, old, new, again string) error {
	ctx := c.Request.Context()
	u := userOf(c)
	if err := s.checkOwnPassword(c, u, old); err != nil {
		return err
	}
	if new != again {
		return cerr(http.StatusUnprocessableEntity, "两次输入的新密码不一致")
	}
	if new == old {
		return cerr(http.StatusUnprocessableEntity, "新密码不能与当前密码相同")
	}
	if err := s.updatePassword(c, u.ID, func(x *account.User) error { return x.SetPassword(new, s.now()) }); err != nil {
		return err
	}
	fresh, err := s.store.User(ctx, u.ID)
	if err != nil {
		return err
	}
	return s.startSession(c, fresh)
}

// checkOwnPassword checks the logged-in user's current password before a
// change to their account; wrong ones count towards the account's login lock.
func (s *Server) checkOwnPassword(c *gin.Context, u *account.User, password string) error {
	ctx := c.Request.Context()
	failKey := "login:" + u.Name
	n, left, err := s.kv.Failures(ctx, failKey)
	if err != nil {
		return errStoreDown
	}
	if n >= MaxLoginFailures {
		return &consoleError{status: http.StatusTooManyRequests, retry: left, msg: "密码错误次数过多，请稍后再试"}
	}
	if err := account.CheckPassword(u, password); err != nil {
		if _, _, err := s.kv.AddFailure(ctx, failKey, LoginFailureWindow); err != nil {
			return errStoreDown
		}
		return cerr(http.StatusUnprocessableEntity, "当前密码不正确")
	}
	return nil
}

// accountPage is GET /console/account.
func (s *Server) accountPage(c *gin.Context) { s.renderAccount(c, http.StatusOK, false, "") }

// passwordSubmit is POST /console/account/password.
func (s *Server) passwordSubmit(c *gin.Context) {
	if err := s.changeOwnPassword(c, c.PostForm("old"), c.PostForm("new"), c.PostForm("again")); err != nil {
		e := s.asConsoleError(err)
		if e.retry > 0 {
			c.Header("Retry-After", retryAfter(e.retry))
		}
		s.renderAccount(c, e.status, false, e.msg)
		return
	}
	redirect(c, "/console/account?ok=password")
}

// apiChangePassword is PUT /api/v1/account/password. The session is replaced:
// the answer carries the new CSRF token (and the response the new cookie).
func (s *Server) apiChangePassword(c *gin.Context) {
	var in struct {
		Old string `json:"old"`
		New string `json:"new"`
	}
	if err := readJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.changeOwnPassword(c, in.Old, in.New, in.New); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, sessionJSON{User: userOf(c), CSRFToken: sessionOf(c).CSRF})
}
