package jsonapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/auth"
	"renke/api/httpx"
	"renke/api/views"
	"renke/casework"
	"renke/report/render"
	"renke/sampling"
	"renke/survey"
)

// apiPutFrame is PUT /api/v1/surveys/:id/frame: a JSON frame or an .xlsx body.
func (s *API) apiPutFrame(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.EditSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, auth.MaxFrameUpload))
	if err != nil {
		s.Out.Fail(c, httpx.E(http.StatusRequestEntityTooLarge, "抽样框文件太大（上限 10 MB）"))
		return
	}
	var f *sampling.Frame
	switch mt {
	case "application/json":
		f, err = sampling.ParseFrameJSON(body)
	case render.XLSXType:
		f, err = sampling.ReadFrameXLSXContext(c.Request.Context(), bytes.NewReader(body))
	default:
		s.Out.Fail(c, httpx.E(http.StatusUnsupportedMediaType, "抽样框应为 JSON 或 .xlsx"))
		return
	}
	err = views.Unreadable(err)
	var fe *sampling.FrameError
	if errors.As(err, &fe) {
		c.JSON(http.StatusUnprocessableEntity, gin.H{"error": "抽样框有误，未保存", "problems": fe.Problems, "truncated": fe.Truncated})
		return
	}
	if err == nil {
		_, err = s.App.SaveFrame(c.Request.Context(), s.Access.Actor(c), sv.ID, f)
	}
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, views.FrameSummary(f))
}

// apiFrame is GET /api/v1/surveys/:id/frame.
func (s *API) apiFrame(c *gin.Context) {
	apiSurveyDoc(s, c, s.Store.Frame, "还没有抽样框")
}

// apiPlan is GET /api/v1/surveys/:id/plan.
func (s *API) apiPlan(c *gin.Context) {
	apiSurveyDoc(s, c, s.Store.Plan, "还没有抽样方案")
}

// apiSurveyDoc answers with one stored document of a survey the user may see,
// or 404 with missing when the survey has none yet.
func apiSurveyDoc[T any](s *API, c *gin.Context, load func(context.Context, string) (T, error), missing string) {
	sv, err := s.Access.SurveyFor(c, account.ViewSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	doc, err := load(c.Request.Context(), sv.ID)
	if errors.Is(err, survey.ErrNotFound) {
		err = httpx.E(http.StatusNotFound, missing)
	}
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, doc)
}

// apiDrawPlan is POST /api/v1/surveys/:id/plan.
func (s *API) apiDrawPlan(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.EditSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	var in casework.PlanInput
	if err := httpx.ReadJSON(c, &in); err != nil {
		s.Out.Fail(c, err)
		return
	}
	p, err := s.App.DrawPlan(c.Request.Context(), s.Access.Actor(c), sv.ID, in)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, p)
}

// apiPlanCodes is POST /api/v1/surveys/:id/plan/codes.
func (s *API) apiPlanCodes(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ManageCodes)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	n, err := s.App.IssuePlanCodes(c.Request.Context(), s.Access.Actor(c), sv.ID)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"issued": n})
}
