package consolepages

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/auth"
	"renke/api/httpx"
	"renke/api/views"
	"renke/casework"
	"renke/report/render"
	"renke/sampling"
	"renke/survey"
	"renke/web/console"
)

// renderSampling shows the frame and plan page.
func (s *Pages) renderSampling(c *gin.Context, status int, sv *survey.Survey, msg string, problems []sampling.Problem) {
	s.renderSamplingWith(c, status, sv, msg, problems, nil)
}

// renderSamplingWith shows the page, with a redraw to confirm when redraw is set.
func (s *Pages) renderSamplingWith(c *gin.Context, status int, sv *survey.Survey, msg string, problems []sampling.Problem, redraw *console.RedrawConfirm) {
	ctx := c.Request.Context()
	page := console.SamplingPage{Survey: sv, Problems: problems, CanEdit: sv.Status == survey.Draft && httpx.UserOf(c).Can(account.EditSurvey),
		CanIssue: httpx.UserOf(c).Can(account.ManageCodes), Redraw: redraw}
	f, err := s.Store.Frame(ctx, sv.ID)
	if err != nil && !errors.Is(err, survey.ErrNotFound) {
		s.Out.Fail(c, err)
		return
	}
	page.Frame = views.FrameSummary(f)
	if page.Plan, err = s.Store.Plan(ctx, sv.ID); err != nil && !errors.Is(err, survey.ErrNotFound) {
		s.Out.Fail(c, err)
		return
	}
	s.Out.Render(c, status, "sampling", console.Frame{Title: sv.Title + " · 抽样", Nav: "counties", Error: msg, Flash: httpx.Flash(c), Data: page,
		Crumbs: append(countyCrumbs(sv.County), console.Crumb{Label: sv.Title, URL: "/console/surveys/" + sv.ID})})
}

// samplingPage is GET /console/surveys/:id/sampling.
func (s *Pages) samplingPage(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ViewSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	s.renderSampling(c, http.StatusOK, sv, "", nil)
}

// samplingResult answers a sampling form: the page again with the error, or a redirect.
func (s *Pages) samplingResult(c *gin.Context, sv *survey.Survey, err error, ok string) {
	if err == nil {
		httpx.Redirect(c, "/console/surveys/"+sv.ID+"/sampling?ok="+ok)
		return
	}
	var fe *sampling.FrameError
	if errors.As(err, &fe) {
		s.renderSampling(c, http.StatusUnprocessableEntity, sv, fmt.Sprintf("抽样框有 %d 处错误，未保存任何内容：", len(fe.Problems)), fe.Problems)
		return
	}
	e := s.Out.Error(err)
	if e.Status < 500 {
		s.renderSampling(c, e.Status, sv, e.Msg, nil)
		return
	}
	s.Out.Fail(c, e)
}

// frameSubmit is POST /console/surveys/:id/frame (multipart, field "frame").
func (s *Pages) frameSubmit(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.EditSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	fh, err := c.FormFile("frame")
	if err != nil {
		s.samplingResult(c, sv, httpx.E(http.StatusUnprocessableEntity, "请选择抽样框 Excel 文件（.xlsx）"), "")
		return
	}
	file, err := fh.Open()
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	defer file.Close()
	f, err := sampling.ReadFrameXLSXContext(c.Request.Context(), io.LimitReader(file, auth.MaxFrameUpload))
	if err == nil {
		_, err = s.App.SaveFrame(c.Request.Context(), s.Access.Actor(c), sv.ID, f)
	} else {
		err = views.Unreadable(err)
	}
	s.samplingResult(c, sv, err, "frame")
}

// planSubmit is POST /console/surveys/:id/plan.
func (s *Pages) planSubmit(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.EditSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	var in casework.PlanInput
	var errs []string
	num := func(name string, into func(string) error) {
		if v := strings.TrimSpace(c.PostForm(name)); v != "" && into(v) != nil {
			errs = append(errs, fmt.Sprintf("“%s”不是有效的数字", v))
		}
	}
	num("seed", func(v string) error { n, err := strconv.ParseInt(v, 10, 64); in.Seed = &n; return err })
	num("rate", func(v string) (err error) { in.RatePermille, err = strconv.ParseFloat(v, 64); return })
	num("floor", func(v string) (err error) { in.Floor, err = strconv.Atoi(v); return })
	num("take", func(v string) (err error) { in.TakePerSchool, err = strconv.Atoi(v); return })
	if len(errs) > 0 {
		s.samplingResult(c, sv, httpx.E(http.StatusUnprocessableEntity, strings.Join(errs, "；")), "")
		return
	}
	in.VoidCodes = c.PostForm("void_codes") == "1"
	_, err = s.App.DrawPlan(c.Request.Context(), s.Access.Actor(c), sv.ID, in)
	var ce *casework.Error
	if errors.As(err, &ce) && ce.Confirm {
		s.renderSamplingWith(c, http.StatusConflict, sv, "", nil, &console.RedrawConfirm{Message: ce.Msg,
			Seed: c.PostForm("seed"), Rate: c.PostForm("rate"), Floor: c.PostForm("floor"), Take: c.PostForm("take")})
		return
	}
	s.samplingResult(c, sv, err, "plan")
}

// planCodesSubmit is POST /console/surveys/:id/plan/codes.
func (s *Pages) planCodesSubmit(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ManageCodes)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	n, err := s.App.IssuePlanCodes(c.Request.Context(), s.Access.Actor(c), sv.ID)
	if err != nil {
		s.samplingResult(c, sv, err, "")
		return
	}
	httpx.Redirect(c, fmt.Sprintf("/console/surveys/%s/codes?issued=%d", sv.ID, n))
}

// frameTemplate is GET /console/frame-template.xlsx.
func (s *Pages) frameTemplate(c *gin.Context) {
	var buf bytes.Buffer
	if err := sampling.WriteTemplate(&buf); err != nil {
		s.Out.Fail(c, err)
		return
	}
	httpx.Attachment(c, "frame-template.xlsx", render.XLSXType, buf.Bytes())
}

// planXLSX is GET /console/surveys/:id/plan.xlsx.
func (s *Pages) planXLSX(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ViewSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	p, err := s.Store.Plan(c.Request.Context(), sv.ID)
	if errors.Is(err, survey.ErrNotFound) {
		s.Out.Fail(c, httpx.E(http.StatusNotFound, "还没有抽样方案"))
		return
	}
	var buf bytes.Buffer
	if err == nil {
		err = p.WriteXLSX(&buf)
	}
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	httpx.Attachment(c, fmt.Sprintf("plan-%s.xlsx", sv.ID), render.XLSXType, buf.Bytes())
}
