package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/evidence/retention"
)

// apiPurge is POST /api/v1/surveys/:id/purge (admins): the respondents'
// device ids, address hashes and user agents are removed from an ended
// survey's responses before its retention runs out; audited.
func (s *Server) apiPurge(c *gin.Context) {
	sv, err := s.surveyFor(c, account.PurgePersonal)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := retention.Purge(c.Request.Context(), s.store, sv, userOf(c).Name, "控制台清除")
	if errors.Is(err, retention.ErrNotEnded) {
		s.fail(c, cerr(http.StatusConflict, "调查尚未结束，不能清除应答者个人信息"))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
