package api

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/survey"
)

func pathEscape(s string) string { return url.PathEscape(s) }

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// conflict is a 409 carrying the domain's message.
func conflict(err error) *consoleError { return cerr(http.StatusConflict, err.Error()) }

// transition moves a survey to status to, conditionally on the status it was
// read in, and audits it.
func (s *Server) transition(c *gin.Context, sv *survey.Survey, to survey.Status) error {
	from := sv.Status
	if to == survey.Open && !s.now().Before(sv.Closes) {
		return cerr(http.StatusConflict, "调查的结束时间已过，不能开放；请新建调查")
	}
	if err := sv.Transition(to, s.now()); err != nil {
		return conflict(err)
	}
	if err := s.store.UpdateSurvey(c.Request.Context(), sv, from); err != nil {
		if errors.Is(err, survey.ErrNotFound) {
			return cerr(http.StatusConflict, "调查状态已被他人更改，请刷新页面后重试")
		}
		return err
	}
	s.forgetSurvey(sv.ID)
	if to == survey.Closed {
		s.endSurvey(c.Request.Context(), sv.ID)
	}
	act := map[survey.Status]account.Action{survey.Open: account.ActSurveyOpen, survey.Closed: account.ActSurveyClose}[to]
	return s.audited(c, act, auditScope{County: sv.County, Survey: sv.ID, Target: sv.Title},
		map[string]any{"status": from}, map[string]any{"status": to, "opens": sv.Opens, "closes": sv.Closes})
}

// saveEdit stores a draft survey after edit changed it, and audits before → after.
func (s *Server) saveEdit(c *gin.Context, sv *survey.Survey, act account.Action, before, after func() any, edit func() error) error {
	b := before()
	if err := edit(); err != nil {
		if errors.Is(err, survey.ErrFrozen) {
			return conflict(err)
		}
		return invalid(err)
	}
	sv.Updated = survey.TruncateTime(s.now())
	if err := s.store.UpdateSurvey(c.Request.Context(), sv, survey.Draft); err != nil {
		if errors.Is(err, survey.ErrNotFound) {
			return conflict(survey.ErrFrozen)
		}
		return err
	}
	s.forgetSurvey(sv.ID)
	return s.audited(c, act, auditScope{County: sv.County, Survey: sv.ID, Target: sv.Title}, b, after())
}

func (s *Server) setWeights(c *gin.Context, sv *survey.Survey, w map[survey.Group]float64) error {
	get := func() any { return maps.Clone(sv.GroupWeights) }
	return s.saveEdit(c, sv, account.ActSurveyWeights, get, get, func() error { return sv.SetGroupWeights(w) })
}

func (s *Server) setScheme(c *gin.Context, sv *survey.Survey, sc survey.Scheme) error {
	get := func() any { return maps.Clone(sv.Scheme) }
	return s.saveEdit(c, sv, account.ActSurveyScheme, get, get, func() error { return sv.SetScheme(sc) })
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

// surveyAction runs a page form's change on the survey and redirects with a
// flash, or shows the survey page again with the error.
func (s *Server) surveyAction(c *gin.Context, p account.Permission, ok string, act func(*survey.Survey) error) {
	sv, err := s.surveyFor(c, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := act(sv); err != nil {
		e := s.asConsoleError(err)
		if e.status >= 500 {
			s.fail(c, e)
			return
		}
		fresh, ferr := s.store.Survey(c.Request.Context(), sv.ID)
		if ferr != nil {
			s.fail(c, ferr)
			return
		}
		s.renderSurvey(c, e.status, fresh, e.msg)
		return
	}
	redirect(c, "/console/surveys/"+sv.ID+"?ok="+ok)
}

func (s *Server) surveyOpenSubmit(c *gin.Context) {
	s.surveyAction(c, account.RunSurvey, "opened", func(sv *survey.Survey) error { return s.transition(c, sv, survey.Open) })
}

func (s *Server) surveyCloseSubmit(c *gin.Context) {
	s.surveyAction(c, account.RunSurvey, "closed", func(sv *survey.Survey) error { return s.transition(c, sv, survey.Closed) })
}

func (s *Server) weightsSubmit(c *gin.Context) {
	s.surveyAction(c, account.EditSurvey, "weights", func(sv *survey.Survey) error {
		w, err := weightsForm(c)
		if err != nil {
			return invalid(err)
		}
		return s.setWeights(c, sv, w)
	})
}

func (s *Server) schemeSubmit(c *gin.Context) {
	s.surveyAction(c, account.EditSurvey, "scheme", func(sv *survey.Survey) error {
		sc, err := schemeForm(c)
		if err != nil {
			return invalid(err)
		}
		return s.setScheme(c, sv, sc)
	})
}

// apiSurveyAction runs an API change on the survey and answers with the survey.
func (s *Server) apiSurveyAction(c *gin.Context, p account.Permission, act func(*survey.Survey) error) {
	sv, err := s.surveyFor(c, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := act(sv); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, sv)
}

func (s *Server) apiOpen(c *gin.Context) {
	s.apiSurveyAction(c, account.RunSurvey, func(sv *survey.Survey) error { return s.transition(c, sv, survey.Open) })
}

func (s *Server) apiClose(c *gin.Context) {
	s.apiSurveyAction(c, account.RunSurvey, func(sv *survey.Survey) error { return s.transition(c, sv, survey.Closed) })
}

func (s *Server) apiWeights(c *gin.Context) {
	s.apiSurveyAction(c, account.EditSurvey, func(sv *survey.Survey) error {
		var w map[survey.Group]float64
		if err := readJSON(c, &w); err != nil {
			return err
		}
		return s.setWeights(c, sv, w)
	})
}

func (s *Server) apiScheme(c *gin.Context) {
	s.apiSurveyAction(c, account.EditSurvey, func(sv *survey.Survey) error {
		var sc survey.Scheme
		if err := readJSON(c, &sc); err != nil {
			return err
		}
		return s.setScheme(c, sv, sc)
	})
}
