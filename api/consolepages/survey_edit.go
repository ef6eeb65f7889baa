package consolepages

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"renke/api/httpx"
	"renke/survey"
)

func pathEscape(s string) string { return url.PathEscape(s) }

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// weightsForm reads w_<group> fields.
func weightsForm(c *gin.Context) (map[survey.Group]float64, error) {
	w := map[survey.Group]float64{}
	for _, g := range survey.Groups {
		v := strings.TrimSpace(c.PostForm("w_" + string(g)))
		if v == "" {
			v = "0"
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("%s的权重“%s”不是数字", g.Label(), v)
		}
		w[g] = f
	}
	return w, nil
}

// schemeForm reads s_<option> fields; an empty field leaves the option unscored.
func schemeForm(c *gin.Context) (survey.Scheme, error) {
	sc := survey.Scheme{}
	for _, code := range survey.OptionCodes {
		v := strings.TrimSpace(c.PostForm("s_" + code))
		if v == "" {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("“%s”的分值“%s”不是数字", survey.DefaultOptionLabels[code], v)
		}
		sc[code] = f
	}
	return sc, nil
}

// surveyAction runs a page form's change on survey :id and redirects with a
// flash, or shows the survey page again with the error.
func (s *Pages) surveyAction(c *gin.Context, ok string, act func(id string) (*survey.Survey, error)) {
	id := c.Param("id")
	sv, err := act(id)
	if err != nil {
		e := s.Out.Error(err)
		if e.Status >= 500 || e.Status == http.StatusNotFound || e.Status == http.StatusForbidden {
			s.Out.Fail(c, e)
			return
		}
		fresh, ferr := s.Store.Survey(c.Request.Context(), id)
		if ferr != nil {
			s.Out.Fail(c, ferr)
			return
		}
		s.renderSurvey(c, e.Status, fresh, e.Msg)
		return
	}
	if ok == "opened" && sv != nil && sv.PhaseAt(s.Now()).Key == survey.PhaseScheduled {
		ok = "scheduled"
	}
	httpx.Redirect(c, "/console/surveys/"+id+"?ok="+ok)
}

func (s *Pages) surveyOpenSubmit(c *gin.Context) {
	s.surveyAction(c, "opened", func(id string) (*survey.Survey, error) {
		return s.App.ChangeStatus(c.Request.Context(), s.Access.Actor(c), id, survey.Open)
	})
}

func (s *Pages) surveyCloseSubmit(c *gin.Context) {
	s.surveyAction(c, "closed", func(id string) (*survey.Survey, error) {
		return s.App.ChangeStatus(c.Request.Context(), s.Access.Actor(c), id, survey.Closed)
	})
}

func (s *Pages) weightsSubmit(c *gin.Context) {
	s.surveyAction(c, "weights", func(id string) (*survey.Survey, error) {
		w, err := weightsForm(c)
		if err != nil {
			return nil, httpx.Invalid(err)
		}
		return s.App.SetGroupWeights(c.Request.Context(), s.Access.Actor(c), id, w)
	})
}

func (s *Pages) schemeSubmit(c *gin.Context) {
	s.surveyAction(c, "scheme", func(id string) (*survey.Survey, error) {
		sc, err := schemeForm(c)
		if err != nil {
			return nil, httpx.Invalid(err)
		}
		return s.App.SetScheme(c.Request.Context(), s.Access.Actor(c), id, sc)
	})
}
