package httpx

import (
	"html/template"
	"log/slog"

	"github.com/gin-gonic/gin"

	"renke/web"
)

// FormPages renders the respondent's templates (the questionnaire, its
// messages), for the respondent's pages and the console's preview alike.
type FormPages struct {
	Tmpl *template.Template
	Log  *slog.Logger
}

// HTML renders a respondent template with the page's own security policy.
func (r *FormPages) HTML(c *gin.Context, status int, name string, data any) {
	c.Header("Content-Security-Policy", web.ContentSecurityPolicy)
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := r.Tmpl.ExecuteTemplate(c.Writer, name, data); err != nil {
		if ClientGone(c.Request.Context(), err) {
			// Phones on slow networks often leave mid-page; nothing failed here.
			r.Log.Debug("respondent left before the page was written", "template", name, "error", err)
			return
		}
		r.Log.Error("render respondent page", "template", name, "error", err)
	}
}
