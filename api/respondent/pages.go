package respondent

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"renke/submission"
	"renke/survey"
	"renke/web"
)

// message shows an outcome that ends the visit as a page.
func (s *Handler) message(c *gin.Context, o outcome) {
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
	s.form.HTML(c, o.status, "message.html", web.MessagePage{Title: title, Message: o.msg})
}

// formPage serves the form of a code; it also gives the phone its device cookie.
func (s *Handler) formPage(c *gin.Context) {
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
	s.client.Device(c)
	s.form.HTML(c, http.StatusOK, "form.html", web.NewFormPage(sv.Title, q, code.Code, code.Group, code.Band, s.now()))
}

// formPost takes the no-JavaScript submission of the form.
func (s *Handler) formPost(c *gin.Context) {
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
		s.form.HTML(c, out.status, "form.html", page.WithSubmission(sub, verr))
	default:
		s.message(c, out)
	}
}

// thanksPage thanks the respondent.
func (s *Handler) thanksPage(c *gin.Context) {
	page := web.ThanksPage{Title: "社会认可度调查"}
	if code, err := s.code(c.Request.Context(), c.Param("code")); err == nil {
		if sv, err := s.survey(c.Request.Context(), code.SurveyID); err == nil {
			page.Title = sv.Title
		}
	} else if !errors.Is(err, survey.ErrNotFound) {
		s.log.Warn("thanks page: code lookup", "error", err)
	}
	s.form.HTML(c, http.StatusOK, "thanks.html", page)
}
