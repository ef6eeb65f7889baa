package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"renke/survey"
)

func pathEscape(s string) string { return url.PathEscape(s) }

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// transition moves survey id to status to through the application layer.
func (s *Server) transition(c *gin.Context, id string, to survey.Status) (*survey.Survey, error) {
	sv, err := s.app.ChangeStatus(c.Request.Context(), s.actor(c), id, to)
	if err == nil {
		s.forgetSurvey(id)
	}
	return sv, err
}

func (s *Server) setWeights(c *gin.Context, id string, w map[survey.Group]float64) (*survey.Survey, error) {
	sv, err := s.app.SetGroupWeights(c.Request.Context(), s.actor(c), id, w)
	if err == nil {
		s.forgetSurvey(id)
	}
	return sv, err
}

func (s *Server) setScheme(c *gin.Context, id string, sc survey.Scheme) (*survey.Survey, error) {
	sv, err := s.app.SetScheme(c.Request.Context(), s.actor(c), id, sc)
	if err == nil {
		s.forgetSurvey(id)
	}
	return sv, err
}

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
func (s *Server) surveyAction(c *gin.Context, ok string, act func(id string) (*survey.Survey, error)) {
	id := c.Param("id")
	sv, err := act(id)
	if err != nil {
		e := s.asConsoleError(err)
		if e.status >= 500 || e.status == http.StatusNotFound || e.status == http.StatusForbidden {
			s.fail(c, e)
			return
		}
		fresh, ferr := s.store.Survey(c.Request.Context(), id)
		if ferr != nil {
			s.fail(c, ferr)
			return
		}
		s.renderSurvey(c, e.status, fresh, e.msg)
		return
	}
	if ok == "opened" && sv != nil && sv.PhaseAt(s.now()).Key == survey.PhaseScheduled {
		ok = "scheduled"
	}
	redirect(c, "/console/surveys/"+id+"?ok="+ok)
}

func (s *Server) surveyOpenSubmit(c *gin.Context) {
	s.surveyAction(c, "opened", func(id string) (*survey.Survey, error) { return s.transition(c, id, survey.Open) })
}

func (s *Server) surveyCloseSubmit(c *gin.Context) {
	s.surveyAction(c, "closed", func(id string) (*survey.Survey, error) { return s.transition(c, id, survey.Closed) })
}

func (s *Server) weightsSubmit(c *gin.Context) {
	s.surveyAction(c, "weights", func(id string) (*survey.Survey, error) {
		w, err := weightsForm(c)
		if err != nil {
			return nil, invalid(err)
		}
		return s.setWeights(c, id, w)
	})
}

func (s *Server) schemeSubmit(c *gin.Context) {
	s.surveyAction(c, "scheme", func(id string) (*survey.Survey, error) {
		sc, err := schemeForm(c)
		if err != nil {
			return nil, invalid(err)
		}
		return s.setScheme(c, id, sc)
	})
}

// apiSurveyAction runs an API change on survey :id and answers with the survey.
func (s *Server) apiSurveyAction(c *gin.Context, act func(id string) (*survey.Survey, error)) {
	sv, err := act(c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, surveyJSON(sv, s.now()))
}

func (s *Server) apiOpen(c *gin.Context) {
	s.apiSurveyAction(c, func(id string) (*survey.Survey, error) { return s.transition(c, id, survey.Open) })
}

func (s *Server) apiClose(c *gin.Context) {
	s.apiSurveyAction(c, func(id string) (*survey.Survey, error) { return s.transition(c, id, survey.Closed) })
}

func (s *Server) apiWeights(c *gin.Context) {
	s.apiSurveyAction(c, func(id string) (*survey.Survey, error) {
		var w map[survey.Group]float64
		if err := readJSON(c, &w); err != nil {
			return nil, err
		}
		return s.setWeights(c, id, w)
	})
}

func (s *Server) apiScheme(c *gin.Context) {
	s.apiSurveyAction(c, func(id string) (*survey.Survey, error) {
		var sc survey.Scheme
		if err := readJSON(c, &sc); err != nil {
			return nil, err
		}
		return s.setScheme(c, id, sc)
	})
}
