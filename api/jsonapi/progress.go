package jsonapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
)

// apiProgress is GET /api/v1/surveys/:id/progress.
func (s *API) apiProgress(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ViewProgress)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	p, err := s.Views.Progress(c, sv)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
