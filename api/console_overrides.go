package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/casework"
)

// overrideSubmit is POST /console/surveys/:id/overrides.
func (s *Server) overrideSubmit(c *gin.Context) {
	sv, err := s.surveyFor(c, account.OverrideExclusion)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := c.PostForm("decision")
	if d != "exclude" && d != "include" {
		s.renderReport(c, http.StatusUnprocessableEntity, sv, "请选择剔除或保留", "")
		return
	}
	_, err = s.app.AddOverride(c.Request.Context(), s.actor(c), sv.ID,
		casework.OverrideInput{ResponseID: c.PostForm("response_id"), Exclude: d == "exclude", Reason: c.PostForm("reason")})
	s.reportFormResult(c, sv, err, "override")
}

// apiOverrides is GET /api/v1/surveys/:id/overrides.
func (s *Server) apiOverrides(c *gin.Context) {
	list, err := s.app.Overrides(c.Request.Context(), s.actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"overrides": list})
}

// apiAddOverride is POST /api/v1/surveys/:id/overrides.
func (s *Server) apiAddOverride(c *gin.Context) {
	if _, err := s.surveyFor(c, account.OverrideExclusion); err != nil {
		s.fail(c, err) // refused before the body is read, as every change
		return
	}
	var in casework.OverrideInput
	if err := readJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	o, err := s.app.AddOverride(c.Request.Context(), s.actor(c), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"response_id": o.ResponseID, "exclude": o.Exclude})
}
