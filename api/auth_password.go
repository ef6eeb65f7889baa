package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// changeOwnPassword changes the logged-in user's password through the
// application layer (which ends every session of theirs) and starts a fresh
// session for this client.
func (s *Server) changeOwnPassword(c *gin.Context, old, new, again string) error {
	u, err := s.app.ChangePassword(c.Request.Context(), s.actor(c), old, new, again)
	if err != nil {
		return err
	}
	return s.startSession(c, u)
}

// accountPage is GET /console/account.
func (s *Server) accountPage(c *gin.Context) { s.renderAccount(c, http.StatusOK, false, "") }

// passwordSubmit is POST /console/account/password.
func (s *Server) passwordSubmit(c *gin.Context) {
	if err := s.changeOwnPassword(c, c.PostForm("old"), c.PostForm("new"), c.PostForm("again")); err != nil {
		e := s.asConsoleError(err)
		e.setRetryAfter(c)
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
