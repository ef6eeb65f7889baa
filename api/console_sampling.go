package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/casework"
	"renke/sampling"
	"renke/survey"
	"renke/web/console"
)

// maxFrameUpload bounds an uploaded frame workbook.
const maxFrameUpload = 10 << 20

// frameSummary is what the console and the API say about a stored frame.
func frameSummary(f *sampling.Frame) *console.FrameSummary {
	if f == nil {
		return nil
	}
	fs := console.FrameSummary(*casework.SummarizeFrame(f))
	return &fs
}

// saveFrame stores a frame for survey id through the application layer.
func (s *Server) saveFrame(c *gin.Context, id string, f *sampling.Frame) error {
	_, err := s.app.SaveFrame(c.Request.Context(), s.actor(c), id, f)
	return err
}

// unreadable makes a file the sampling package cannot read at all a 422,
// keeping a *sampling.FrameError (the per-row problems) as it is.
func unreadable(err error) error {
	var fe *sampling.FrameError
	if err == nil || errors.As(err, &fe) {
		return err
	}
	return invalid(err)
}

// planInput is what drawing a sample takes.
type planInput = casework.PlanInput

// drawPlan draws survey id's sample through the application layer.
func (s *Server) drawPlan(c *gin.Context, id string, in planInput) (*sampling.Plan, error) {
	p, err := s.app.DrawPlan(c.Request.Context(), s.actor(c), id, in)
	if err == nil && in.VoidCodes {
		s.forgetCodes() // this replica answers the voided codes as voided at once
		s.forgetProgress(id)
	}
	return p, err
}

// issuePlanCodes issues the plan's shared codes through the application layer.
func (s *Server) issuePlanCodes(c *gin.Context, id string) (int, error) {
	n, err := s.app.IssuePlanCodes(c.Request.Context(), s.actor(c), id)
	if n > 0 {
		s.forgetProgress(id) // new quotas
	}
	return n, err
}

// renderSampling shows the frame and plan page.
func (s *Server) renderSampling(c *gin.Context, status int, sv *survey.Survey, msg string, problems []sampling.Problem) {
	s.renderSamplingWith(c, status, sv, msg, problems, nil)
}

// renderSamplingWith shows the page, with a redraw to confirm when redraw is set.
func (s *Server) renderSamplingWith(c *gin.Context, status int, sv *survey.Survey, msg string, problems []sampling.Problem, redraw *console.RedrawConfirm) {
	ctx := c.Request.Context()
	page := console.SamplingPage{Survey: sv, Problems: problems, CanEdit: sv.Status == survey.Draft && userOf(c).Can(account.EditSurvey),
		CanIssue: userOf(c).Can(account.ManageCodes), Redraw: redraw}
	f, err := s.store.Frame(ctx, sv.ID)
	if err != nil && !errors.Is(err, survey.ErrNotFound) {
		s.fail(c, err)
		return
	}
	page.Frame = frameSummary(f)
	if page.Plan, err = s.store.Plan(ctx, sv.ID); err != nil && !errors.Is(err, survey.ErrNotFound) {
		s.fail(c, err)
		return
	}
	s.render(c, status, "sampling", console.Frame{Title: sv.Title + " · 抽样", Nav: "counties", Error: msg, Flash: flash(c), Data: page,
		Crumbs: append(countyCrumbs(sv.County), console.Crumb{Label: sv.Title, URL: "/console/surveys/" + sv.ID})})
}

// samplingPage is GET /console/surveys/:id/sampling.
func (s *Server) samplingPage(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ViewSurvey)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderSampling(c, http.StatusOK, sv, "", nil)
}

// samplingResult answers a sampling form: the page again with the error, or a redirect.
func (s *Server) samplingResult(c *gin.Context, sv *survey.Survey, err error, ok string) {
	if err == nil {
		redirect(c, "/console/surveys/"+sv.ID+"/sampling?ok="+ok)
		return
	}
	var fe *sampling.FrameError
	if errors.As(err, &fe) {
		s.renderSampling(c, http.StatusUnprocessableEntity, sv, fmt.Sprintf("抽样框有 %d 处错误，未保存任何内容：", len(fe.Problems)), fe.Problems)
		return
	}
	e := s.asConsoleError(err)
	if e.status < 500 {
		s.renderSampling(c, e.status, sv, e.msg, nil)
		return
	}
	s.fail(c, e)
}

// frameSubmit is POST /console/surveys/:id/frame (multipart, field "frame").
func (s *Server) frameSubmit(c *gin.Context) {
	sv, err := s.surveyFor(c, account.EditSurvey)
	if err != nil {
		s.fail(c, err)
		return
	}
	fh, err := c.FormFile("frame")
	if err != nil {
		s.samplingResult(c, sv, cerr(http.StatusUnprocessableEntity, "请选择抽样框 Excel 文件（.xlsx）"), "")
		return
	}
	file, err := fh.Open()
	if err != nil {
		s.fail(c, err)
		return
	}
	defer file.Close()
	f, err := sampling.ReadFrameXLSXContext(c.Request.Context(), io.LimitReader(file, maxFrameUpload))
	if err == nil {
		err = s.saveFrame(c, sv.ID, f)
	} else {
		err = unreadable(err)
	}
	s.samplingResult(c, sv, err, "frame")
}

// planSubmit is POST /console/surveys/:id/plan.
func (s *Server) planSubmit(c *gin.Context) {
	sv, err := s.surveyFor(c, account.EditSurvey)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in planInput
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
		s.samplingResult(c, sv, cerr(http.StatusUnprocessableEntity, strings.Join(errs, "；")), "")
		return
	}
	in.VoidCodes = c.PostForm("void_codes") == "1"
	_, err = s.drawPlan(c, sv.ID, in)
	var ce *casework.Error
	if errors.As(err, &ce) && ce.Confirm {
		s.renderSamplingWith(c, http.StatusConflict, sv, "", nil, &console.RedrawConfirm{Message: ce.Msg,
			Seed: c.PostForm("seed"), Rate: c.PostForm("rate"), Floor: c.PostForm("floor"), Take: c.PostForm("take")})
		return
	}
	s.samplingResult(c, sv, err, "plan")
}

// planCodesSubmit is POST /console/surveys/:id/plan/codes.
func (s *Server) planCodesSubmit(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ManageCodes)
	if err != nil {
		s.fail(c, err)
		return
	}
	n, err := s.issuePlanCodes(c, sv.ID)
	if err != nil {
		s.samplingResult(c, sv, err, "")
		return
	}
	redirect(c, fmt.Sprintf("/console/surveys/%s/codes?issued=%d", sv.ID, n))
}

// frameTemplate is GET /console/frame-template.xlsx.
func (s *Server) frameTemplate(c *gin.Context) {
	var buf bytes.Buffer
	if err := sampling.WriteTemplate(&buf); err != nil {
		s.fail(c, err)
		return
	}
	attachment(c, "frame-template.xlsx", xlsxType, buf.Bytes())
}

// planXLSX is GET /console/surveys/:id/plan.xlsx.
func (s *Server) planXLSX(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ViewSurvey)
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.store.Plan(c.Request.Context(), sv.ID)
	if errors.Is(err, survey.ErrNotFound) {
		s.fail(c, cerr(http.StatusNotFound, "还没有抽样方案"))
		return
	}
	var buf bytes.Buffer
	if err == nil {
		err = p.WriteXLSX(&buf)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	attachment(c, fmt.Sprintf("plan-%s.xlsx", sv.ID), xlsxType, buf.Bytes())
}

// apiPutFrame is PUT /api/v1/surveys/:id/frame: a JSON frame or an .xlsx body.
func (s *Server) apiPutFrame(c *gin.Context) {
	sv, err := s.surveyFor(c, account.EditSurvey)
	if err != nil {
		s.fail(c, err)
		return
	}
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxFrameUpload))
	if err != nil {
		s.fail(c, cerr(http.StatusRequestEntityTooLarge, "抽样框文件太大（上限 10 MB）"))
		return
	}
	var f *sampling.Frame
	switch mt {
	case "application/json":
		f, err = sampling.ParseFrameJSON(body)
	case xlsxType:
		f, err = sampling.ReadFrameXLSXContext(c.Request.Context(), bytes.NewReader(body))
	default:
		s.fail(c, cerr(http.StatusUnsupportedMediaType, "抽样框应为 JSON 或 .xlsx"))
		return
	}
	err = unreadable(err)
	var fe *sampling.FrameError
	if errors.As(err, &fe) {
		c.JSON(http.StatusUnprocessableEntity, gin.H{"error": "抽样框有误，未保存", "problems": fe.Problems, "truncated": fe.Truncated})
		return
	}
	if err == nil {
		err = s.saveFrame(c, sv.ID, f)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, frameSummary(f))
}

// apiFrame is GET /api/v1/surveys/:id/frame.
func (s *Server) apiFrame(c *gin.Context) {
	apiSurveyDoc(s, c, s.store.Frame, "还没有抽样框")
}

// apiPlan is GET /api/v1/surveys/:id/plan.
func (s *Server) apiPlan(c *gin.Context) {
	apiSurveyDoc(s, c, s.store.Plan, "还没有抽样方案")
}

// apiSurveyDoc answers with one stored document of a survey the user may see,
// or 404 with missing when the survey has none yet.
func apiSurveyDoc[T any](s *Server, c *gin.Context, load func(context.Context, string) (T, error), missing string) {
	sv, err := s.surveyFor(c, account.ViewSurvey)
	if err != nil {
		s.fail(c, err)
		return
	}
	doc, err := load(c.Request.Context(), sv.ID)
	if errors.Is(err, survey.ErrNotFound) {
		err = cerr(http.StatusNotFound, missing)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, doc)
}

// apiDrawPlan is POST /api/v1/surveys/:id/plan.
func (s *Server) apiDrawPlan(c *gin.Context) {
	sv, err := s.surveyFor(c, account.EditSurvey)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in planInput
	if err := readJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.drawPlan(c, sv.ID, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, p)
}

// apiPlanCodes is POST /api/v1/surveys/:id/plan/codes.
func (s *Server) apiPlanCodes(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ManageCodes)
	if err != nil {
		s.fail(c, err)
		return
	}
	n, err := s.issuePlanCodes(c, sv.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"issued": n})
}
