package jsonapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/api/views"
)

// apiStuffing is GET /api/v1/surveys/:id/stuffing?rule=&school=&group=: one
// finding with its responses (answers, times, address and device groups).
func (s *API) apiStuffing(c *gin.Context) {
	_, f, d, ok := s.Views.StuffingFinding(c)
	if !ok {
		return
	}
	items, rows := views.Evidence(d, f)
	c.JSON(http.StatusOK, gin.H{"finding": f, "items": items, "responses": rows})
}
