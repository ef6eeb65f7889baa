package consolepages

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/report"
)

// rulesFromForm reads the report page's rules form: a switch is on when
// its box is ticked; a number that does not parse is named in the error (the
// field's message is the domain's, report.RuleSettings.Set). A form without
// the stuffing rules (no "fdr" field: one made before them) sets those to
// their defaults.
func rulesFromForm(c *gin.Context) (report.RuleSettings, error) {
	var in report.RuleSettings
	_, stuffing := c.GetPostForm("fdr")
	if !stuffing {
		in.DefaultStuffing()
	}
	var errs []string
	for _, f := range report.SettingFields() {
		if f.Stuffing && !stuffing {
			continue
		}
		v := c.PostForm(f.Key)
		if f.Kind == "bool" {
			v = strconv.FormatBool(v == "true" || v == "on")
		}
		if err := in.Set(f.Key, v); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return in, httpx.E(http.StatusUnprocessableEntity, strings.Join(errs, "；"))
	}
	return in, nil
}

// qualityRulesSubmit is POST /console/surveys/:id/quality-rules.
func (s *Pages) qualityRulesSubmit(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.OverrideExclusion)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	in, err := rulesFromForm(c)
	if err == nil {
		_, err = s.App.SetQualityRules(c.Request.Context(), s.Access.Actor(c), sv.ID, in)
	}
	s.reportFormResult(c, sv, err, "rules")
}
