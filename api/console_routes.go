package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"renke/web/console"
)

// consoleRoutes registers the console's pages and its JSON API (accounts,
// counties, surveys, codes, progress, audit). Every page and API route
// below the login checks the session, and every state-changing one the
// CSRF token; the handlers check role and county.
func (s *Server) consoleRoutes() error {
	pages, err := console.Load()
	if err != nil {
		return fmt.Errorf("console: %w", err)
	}
	s.console = &consoleState{pages: pages}
	e := s.engine

	e.GET(console.StaticPrefix+"*file", consoleStatic())
	e.GET("/", func(c *gin.Context) { redirect(c, "/console") })
	e.GET("/login", s.authenticate(), s.loginPage)
	e.POST("/login", s.authenticate(), s.loginSubmit)
	e.POST("/logout", s.authenticate(), s.requirePage(), s.csrf(), s.logoutSubmit)

	p := e.Group("/console", s.authenticate(), s.requirePage(), s.csrf())
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
	p.GET("/account", s.accountPage)
	p.POST("/account/password", s.passwordSubmit)
	p.POST("/account/totp/new", s.totpOfferSubmit)
	p.POST("/account/totp", s.totpConfirmSubmit)
	p.POST("/account/totp/off", s.totpOffSubmit)
	p.GET("/audit", s.auditPage)
	p.GET("/city", s.cityPage)
	p.GET("/city.xlsx", s.cityFile("xlsx"))
	p.GET("/city.html", s.cityFile("html"))

	pub := e.Group("/api/v1")
	pub.GET("/openapi.json", func(c *gin.Context) { c.Data(http.StatusOK, "application/json", console.OpenAPI()) })
	pub.POST("/session", s.authenticate(), s.apiLogin)

	a := e.Group("/api/v1", s.authenticate(), s.requireAPI(), s.csrf())
	a.GET("/session", s.apiSession)
	a.DELETE("/session", s.apiLogout)
	a.PUT("/account/password", s.apiChangePassword)
	a.GET("/counties", s.apiCounties)
	a.POST("/counties", s.apiCreateCounty)
	a.GET("/counties/:county/surveys", s.apiCountySurveys)
	a.POST("/counties/:county/surveys", s.apiCreateSurvey)
	a.GET("/surveys/:id", s.apiSurvey)
	a.POST("/surveys/:id/open", s.apiOpen)
	a.POST("/surveys/:id/close", s.apiClose)
	a.PUT("/surveys/:id/group-weights", s.apiWeights)
	a.PUT("/surveys/:id/scheme", s.apiScheme)
	a.GET("/surveys/:id/codes", s.apiCodes)
	a.POST("/surveys/:id/codes", s.apiIssueCodes)
	a.GET("/surveys/:id/progress", s.apiProgress)
	a.GET("/surveys/:id/audit", s.apiSurveyAudit)
	a.POST("/surveys/:id/purge", s.apiPurge)
	a.GET("/surveys/:id/frame", s.apiFrame)
	a.PUT("/surveys/:id/frame", s.apiPutFrame)
	a.GET("/surveys/:id/plan", s.apiPlan)
	a.POST("/surveys/:id/plan", s.apiDrawPlan)
	a.POST("/surveys/:id/plan/codes", s.apiPlanCodes)
	a.GET("/surveys/:id/report", s.apiReport)
	a.GET("/surveys/:id/stuffing", s.apiStuffing)
	a.GET("/surveys/:id/overrides", s.apiOverrides)
	a.POST("/surveys/:id/overrides", s.apiAddOverride)
	a.GET("/surveys/:id/quality-rules", s.apiQualityRules)
	a.PUT("/surveys/:id/quality-rules", s.apiSetQualityRules)
	a.GET("/users", s.apiUsers)
	a.POST("/users", s.apiCreateUser)
	a.PATCH("/users/:id", s.apiUpdateUser)
	a.POST("/users/:id/password", s.apiResetPassword)
	a.GET("/audit", s.apiAudit)
	return nil
}

// consoleStatic serves the console's embedded assets; versioned URLs are cached for a year.
func consoleStatic() gin.HandlerFunc {
	h := http.StripPrefix(console.StaticPrefix, http.FileServer(filesOnly(console.Static())))
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
