package consolepages

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/survey"
	"renke/web"
)

// previewTitle heads a preview of the default forms, before any survey exists.
const previewTitle = "义务教育优质均衡发展社会认可度调查"

// previewPage is GET /console/surveys/:id/preview/:form[?group=&band=]: the
// survey's questionnaire as a respondent of the group will see it on a
// phone, which cannot be submitted.
func (s *Pages) previewPage(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ViewSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	s.preview(c, sv.Title, sv.Forms)
}

// defaultPreviewPage is GET /console/preview/:form[?group=&band=]: a shipped
// form as a respondent will see it (the new-survey page links it).
func (s *Pages) defaultPreviewPage(c *gin.Context) {
	if u := httpx.UserOf(c); u == nil || !u.Can(account.ViewSurvey) {
		s.Out.Fail(c, httpx.ErrForbidden)
		return
	}
	s.preview(c, previewTitle, survey.DefaultForms())
}

// preview renders form :form of forms for ?group= (default: its first group)
// and ?band= (default: the respondent chooses).
func (s *Pages) preview(c *gin.Context, title string, forms map[survey.FormKind]survey.Questionnaire) {
	kind := survey.FormKind(c.Param("form"))
	q, ok := forms[kind]
	if !ok {
		s.Out.Fail(c, httpx.E(http.StatusNotFound, "没有这份问卷（应为 student、staff 或 social）"))
		return
	}
	g := survey.Group(c.Query("group"))
	if g == "" {
		for _, x := range survey.Groups {
			if x.Form() == kind {
				g = x
				break
			}
		}
	}
	if !g.Valid() || g.Form() != kind {
		s.Out.Fail(c, httpx.E(http.StatusBadRequest, "“"+string(g)+"”不是作答这份问卷的群体"))
		return
	}
	band := survey.Band(c.Query("band"))
	if band != "" && !band.Valid() {
		s.Out.Fail(c, httpx.E(http.StatusBadRequest, "“"+string(band)+"”不是有效的学段"))
		return
	}
	s.Form.HTML(c, http.StatusOK, "form.html", web.NewPreviewPage(title, q, g, band, s.Now()))
}
