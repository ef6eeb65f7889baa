package jsonapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiPurge is POST /api/v1/surveys/:id/purge.
func (s *API) apiPurge(c *gin.Context) {
	_, res, err := s.App.Purge(c.Request.Context(), s.Access.Actor(c), c.Param("id"))
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
