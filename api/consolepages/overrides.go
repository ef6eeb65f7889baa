package consolepages

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/casework"
)

// overrideSubmit is POST /console/surveys/:id/overrides.
func (s *Pages) overrideSubmit(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.OverrideExclusion)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	d := c.PostForm("decision")
	if d != "exclude" && d != "include" {
		s.renderReport(c, http.StatusUnprocessableEntity, sv, "请选择剔除或保留", "")
		return
	}
	_, err = s.App.AddOverride(c.Request.Context(), s.Access.Actor(c), sv.ID,
		casework.OverrideInput{ResponseID: c.PostForm("response_id"), Exclude: d == "exclude", Reason: c.PostForm("reason")})
	s.reportFormResult(c, sv, err, "override")
}
