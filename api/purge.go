package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/survey"
)

// apiPurge is POST /api/v1/surveys/:id/purge.
func (s *Server) apiPurge(c *gin.Context) {
	_, res, err := s.app.Purge(c.Request.Context(), s.actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

// surveyPurgeSubmit is the console's 清除应答者个人信息 form.
func (s *Server) surveyPurgeSubmit(c *gin.Context) {
	s.surveyAction(c, "purged", func(id string) (*survey.Survey, error) {
		sv, _, err := s.app.Purge(c.Request.Context(), s.actor(c), id)
		return sv, err
	})
}
