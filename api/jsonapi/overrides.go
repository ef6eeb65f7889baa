package jsonapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/casework"
)

// apiOverrides is GET /api/v1/surveys/:id/overrides.
func (s *API) apiOverrides(c *gin.Context) {
	list, err := s.App.Overrides(c.Request.Context(), s.Access.Actor(c), c.Param("id"))
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"overrides": list})
}

// apiAddOverride is POST /api/v1/surveys/:id/overrides.
func (s *API) apiAddOverride(c *gin.Context) {
	if _, err := s.Access.SurveyFor(c, account.OverrideExclusion); err != nil {
		s.Out.Fail(c, err) // refused before the body is read, as every change
		return
	}
	var in casework.OverrideInput
	if err := httpx.ReadJSON(c, &in); err != nil {
		s.Out.Fail(c, err)
		return
	}
	o, err := s.App.AddOverride(c.Request.Context(), s.Access.Actor(c), c.Param("id"), in)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"response_id": o.ResponseID, "exclude": o.Exclude})
}
