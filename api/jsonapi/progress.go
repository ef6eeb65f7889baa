package jsonapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
)

// apiProgress is GET /api/v1/surveys/:id/progress.
func (s *API) apiProgress(c *gin.Context) {
	sv, err := s.access.SurveyFor(c, account.ViewProgress)
	if err != nil {
		s.out.Fail(c, err)
		return
	}
	p, err := s.views.Progress(c, sv)
	if err != nil {
		s.out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
