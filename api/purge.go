package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/evidence/retention"
	"renke/store"
	"renke/survey"
)

// purge removes the respondents' device ids, address hashes and user agents
// from the ended survey :id (admins); audited. The console's form and the
// JSON API both come here.
func (s *Server) purge(c *gin.Context) (*survey.Survey, store.PurgeResult, error) {
	sv, err := s.surveyFor(c, account.PurgePersonal)
	if err != nil {
		return nil, store.PurgeResult{}, err
	}
	res, err := retention.Purge(c.Request.Context(), s.store, sv, userOf(c).Name, "控制台清除")
	if errors.Is(err, retention.ErrNotEnded) {
		return sv, res, cerr(http.StatusConflict, "调查尚未结束，不能清除应答者个人信息")
	}
	return sv, res, err
}

// apiPurge is POST /api/v1/surveys/:id/purge.
func (s *Server) apiPurge(c *gin.Context) {
	_, res, err := s.purge(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// surveyPurgeSubmit is the console's 清除应答者个人信息 form.
func (s *Server) surveyPurgeSubmit(c *gin.Context) {
	s.surveyAction(c, "purged", func(string) (*survey.Survey, error) {
		sv, _, err := s.purge(c)
		return sv, err
	})
}
