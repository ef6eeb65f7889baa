// Package jsonapi serves the console's JSON API under /api/v1: the same use
// cases as the console pages (through the application layer, casework) and
// the same reads (views), as JSON for scripts and other systems.
package jsonapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"renke/api/auth"
	"renke/api/httpx"
	"renke/api/views"
	"renke/casework"
	"renke/reporting"
	"renke/store"
	"renke/web/console"
)

// Deps are what the JSON API is built from.
type Deps struct {
	App     *casework.Service
	Access  *auth.Access
	Views   *views.Views
	Out     *httpx.Responder
	Store   *store.Store
	Reports *reporting.Cache
	// PublicURL is the base of the codes' links.
	PublicURL string
	Now       func() time.Time
}

// API serves the JSON API.
type API struct {
	Deps
}

// New builds the JSON API.
func New(d Deps) *API {
	return &API{Deps: d}
}

// RegisterOpenAPI adds the API's description, open to all.
func RegisterOpenAPI(e *gin.Engine) {
	e.GET("/api/v1/openapi.json", func(c *gin.Context) { c.Data(http.StatusOK, "application/json", console.OpenAPI()) })
}

// Register adds the API's calls to a (the group behind login and CSRF).
func (s *API) Register(a *gin.RouterGroup) {
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
}
