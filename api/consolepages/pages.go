// Package consolepages serves the console's pages: the coordinators',
// evaluators' and admins' server-rendered screens (counties, surveys,
// sampling, codes and sheets, progress, reports and their downloads,
// stuffing evidence, overrides and rules, users, the audit log, the city
// view). Every change goes through the application layer (casework).
package consolepages

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"renke/api/auth"
	"renke/api/httpx"
	"renke/api/views"
	"renke/casework"
	"renke/kv"
	"renke/reporting"
	"renke/signing"
	"renke/store"
	"renke/web/console"
)

// Deps are what the console pages are built from.
type Deps struct {
	App      *casework.Service
	Access   *auth.Access
	Views    *views.Views
	Out      *httpx.Responder
	Form     *httpx.FormPages
	Store    *store.Store
	Reports  *reporting.Cache
	Failures *kv.Client
	Signing  *signing.Key
	// PublicURL is the base of the codes' links on printed sheets.
	PublicURL string
	Log       *slog.Logger
	Now       func() time.Time
}

// Pages serves the console's pages.
type Pages struct {
	Deps
}

// New builds the console pages.
func New(d Deps) *Pages {
	return &Pages{Deps: d}
}

// RegisterStatic adds the console's assets and the root's redirect.
func RegisterStatic(e *gin.Engine) {
	e.GET(console.StaticPrefix+"*file", consoleStatic())
	e.GET("/", func(c *gin.Context) { httpx.Redirect(c, "/console") })
}

// Register adds the console's pages to p (the group behind login and CSRF).
func (s *Pages) Register(p *gin.RouterGroup) {
	p.GET("", s.countiesPage)
	p.POST("/counties", s.countyCreateSubmit)
	p.GET("/counties/:county", s.surveysPage)
	p.POST("/counties/:county/assign", s.countyAssignSubmit)
	p.GET("/counties/:county/surveys/new", s.newSurveyPage)
	p.POST("/counties/:county/surveys", s.surveyCreateSubmit)
	p.GET("/surveys/:id", s.surveyPage)
	p.POST("/surveys/:id/open", s.surveyOpenSubmit)
	p.POST("/surveys/:id/close", s.surveyCloseSubmit)
	p.POST("/surveys/:id/purge", s.surveyPurgeSubmit)
	p.POST("/surveys/:id/weights", s.weightsSubmit)
	p.POST("/surveys/:id/scheme", s.schemeSubmit)
	p.GET("/surveys/:id/codes", s.codesPage)
	p.GET("/surveys/:id/preview/:form", s.previewPage)
	p.GET("/preview/:form", s.defaultPreviewPage)
	p.POST("/surveys/:id/codes", s.codesSubmit)
	p.GET("/surveys/:id/codes.csv", s.codesCSV)
	p.GET("/surveys/:id/progress", s.progressPage)
	p.GET("/surveys/:id/progress/panel", s.progressPanel)
	p.GET("/surveys/:id/sheets.zip", s.sheetsZIP)
	p.GET("/surveys/:id/sampling", s.samplingPage)
	p.POST("/surveys/:id/frame", s.frameSubmit)
	p.POST("/surveys/:id/plan", s.planSubmit)
	p.POST("/surveys/:id/plan/codes", s.planCodesSubmit)
	p.GET("/surveys/:id/plan.xlsx", s.planXLSX)
	p.GET("/frame-template.xlsx", s.frameTemplate)
	p.GET("/surveys/:id/report", s.reportPage)
	p.GET("/surveys/:id/stuffing", s.stuffingPage)
	p.GET("/surveys/:id/report.html", s.reportFile("html"))
	p.GET("/surveys/:id/report.pdf", s.reportFile("pdf"))
	p.GET("/surveys/:id/report.xlsx", s.reportFile("xlsx"))
	p.GET("/surveys/:id/export.csv", s.exportCSV)
	p.GET("/surveys/:id/dossier.zip", s.dossierZIP)
	p.POST("/surveys/:id/overrides", s.overrideSubmit)
	p.POST("/surveys/:id/quality-rules", s.qualityRulesSubmit)
	p.GET("/users", s.usersPage)
	p.POST("/users", s.userCreateSubmit)
	p.POST("/users/:id", s.userUpdateSubmit)
	p.POST("/users/:id/password", s.userResetSubmit)
	p.GET("/audit", s.auditPage)
	p.GET("/city", s.cityPage)
	p.GET("/city.xlsx", s.cityFile("xlsx"))
	p.GET("/city.html", s.cityFile("html"))
}

// consoleStatic serves the console's embedded assets; versioned URLs are cached for a year.
func consoleStatic() gin.HandlerFunc {
	h := http.StripPrefix(console.StaticPrefix, http.FileServer(httpx.FilesOnly(console.Static())))
	return func(c *gin.Context) {
		if strings.HasSuffix(c.Param("file"), "/") {
			c.JSON(http.StatusNotFound, gin.H{"error": "未找到该页面"})
			return
		}
		if c.Query("v") != "" {
			c.Header("Cache-Control", "public, max-age=31536000, immutable")
		}
		h.ServeHTTP(c.Writer, c.Request)
	}
}
