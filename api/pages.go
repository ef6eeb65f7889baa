package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"syscall"

	"github.com/gin-gonic/gin"

	"renke/submission"
	"renke/survey"
	"renke/web"
)

// respondentRoutes registers the respondent's pages and their assets.
func (s *Server) respondentRoutes() error {
	tmpl, err := web.Templates()
	if err != nil {
		return err
	}
	s.tmpl = tmpl
	s.static = web.Static()
	e := s.engine
	e.GET("/s/:code", s.formPage)
	e.HEAD("/s/:code", s.formPage)
	e.POST("/s/:code", s.formPost)
	e.GET("/s/:code/thanks", s.thanksPage)
	e.GET(web.PrivacyPath, func(c *gin.Context) { s.html(c, http.StatusOK, "privacy.html", nil) })
	icon := func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=86400")
		c.Data(http.StatusOK, "image/x-icon", web.Favicon())
	}
	e.GET("/favicon.ico", icon)
	e.HEAD("/favicon.ico", icon)
	assets := http.FileServer(filesOnly(s.static))
	e.GET(web.StaticPrefix+"*file", func(c *gin.Context) {
		// Asset links carry a content hash (?v=), so they never change under a URL.
		if c.Query("v") != "" {
			c.Header("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			c.Header("Cache-Control", "public, max-age=300")
		}
		c.Request.URL.Path = c.Param("file")
		assets.ServeHTTP(c.Writer, c.Request)
	})
	return nil
}

// html renders a respondent template with the page's own security policy.
func (s *Server) html(c *gin.Context, status int, name string, data any) {
	c.Header("Content-Security-Policy", web.ContentSecurityPolicy)
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := s.tmpl.ExecuteTemplate(c.Writer, name, data); err != nil {
		if clientGone(c.Request.Context(), err) {
			// Phones on slow networks often leave mid-page; nothing failed here.
			s.log.Debug("respondent left before the page was written", "template", name, "error", err)
			return
		}
		s.log.Error("render respondent page", "template", name, "error", err)
	}
}

// clientGone tells a write that failed because the client went away (closed
// the connection or canceled the request) from a failure of the server's own.
func clientGone(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}

// message shows an outcome that ends the visit as a page.
func (s *Server) message(c *gin.Context, o outcome) {
	if o.state != nil {
		s.statePage(c, *o.state)
		return
	}
	if o.retry > 0 {
		c.Header("Retry-After", "5")
	}
	title := map[int]string{
		http.StatusNotFound: "二维码无效", http.StatusGone: "问卷未开放",
		http.StatusConflict: "无法重复提交", http.StatusTooManyRequests: "请稍后再试",
		http.StatusServiceUnavailable: "服务器繁忙", http.StatusRequestEntityTooLarge: "提交内容过大",
	}[o.status]
	if title == "" {
		title = "无法提交"
	}
	s.html(c, o.status, "message.html", web.MessagePage{Title: title, Message: o.msg})
}

// formPage serves the form of a code; it also gives the phone its device cookie.
func (s *Server) formPage(c *gin.Context) {
	code, sv, out := s.resolve(c, c.Param("code"))
	if code == nil || sv == nil {
		s.message(c, out)
		return
	}
	if st := submission.StateOutcome(s.codeState(c, code, sv)); st.Ends() {
		s.message(c, fromOutcome(st))
		return
	}
	q, ok := sv.Forms[code.Group.Form()]
	if !ok {
		s.message(c, fail(http.StatusInternalServerError, "问卷配置有误，请联系调查组织方。"))
		return
	}
	s.device(c)
	s.html(c, http.StatusOK, "form.html", web.NewFormPage(sv.Title, q, code.Code, code.Group, code.Band, s.now()))
}

// formPost takes the no-JavaScript submission of the form.
func (s *Server) formPost(c *gin.Context) {
	if !strings.HasPrefix(c.GetHeader("Content-Type"), "application/x-www-form-urlencoded") {
		s.message(c, fail(http.StatusUnsupportedMediaType, msgBadRequest))
		return
	}
	body, out := readBody(c)
	if out.status != 0 {
		s.message(c, out)
		return
	}
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		s.message(c, fail(http.StatusBadRequest, msgBadRequest))
		return
	}
	sub, err := survey.ParseFormSubmission(vals)
	if err != nil {
		s.message(c, fail(http.StatusBadRequest, msgBadRequest))
		return
	}
	out = s.submit(c, c.Param("code"), sub)
	switch {
	case out.status == http.StatusCreated || out.recorded:
		c.Redirect(http.StatusSeeOther, "/s/"+url.PathEscape(c.Param("code"))+"/thanks")
	case out.status == http.StatusUnprocessableEntity:
		code, sv, res := s.resolve(c, c.Param("code"))
		if res.status != 0 {
			s.message(c, res)
			return
		}
		page := web.NewFormPage(sv.Title, sv.Forms[code.Group.Form()], code.Code, code.Group, code.Band, sub.StartedAt)
		verr := &survey.ValidationError{ItemID: out.item, Message: out.msg}
		s.html(c, out.status, "form.html", page.WithSubmission(sub, verr))
	default:
		s.message(c, out)
	}
}

// thanksPage thanks the respondent.
func (s *Server) thanksPage(c *gin.Context) {
	page := web.ThanksPage{Title: "社会认可度调查"}
	if code, err := s.code(c.Request.Context(), c.Param("code")); err == nil {
		if sv, err := s.survey(c.Request.Context(), code.SurveyID); err == nil {
			page.Title = sv.Title
		}
	} else if !errors.Is(err, survey.ErrNotFound) {
		s.log.Warn("thanks page: code lookup", "error", err)
	}
	s.html(c, http.StatusOK, "thanks.html", page)
}
