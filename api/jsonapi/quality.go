package jsonapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/api/httpx"
	"renke/report"
)

// apiQualityRules is GET /api/v1/surveys/:id/quality-rules.
func (s *API) apiQualityRules(c *gin.Context) {
	rules, err := s.App.QualityRules(c.Request.Context(), s.Access.Actor(c), c.Param("id"))
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"rules": rules})
}

// apiSetQualityRules is PUT /api/v1/surveys/:id/quality-rules: the rules'
// fields as GET shows them; those left out keep their current values.
func (s *API) apiSetQualityRules(c *gin.Context) {
	rules, err := s.App.EditQualityRules(c.Request.Context(), s.Access.Actor(c), c.Param("id"),
		func(in *report.RuleSettings) error { return httpx.ReadJSON(c, in) })
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"rules": rules})
}
