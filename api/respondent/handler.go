// Package respondent serves the people who answer: the questionnaire page of
// an access code, its no-JavaScript and JSON submissions, the thank-you and
// state pages, and their assets. Submissions go through the submission
// protocol; codes and surveys are read through a small cache.
package respondent

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"renke/api/httpx"
	"renke/casework"
	"renke/submission"
	"renke/survey"
	"renke/web"
)

// Store reads codes and surveys (store.Store does).
type Store interface {
	Code(ctx context.Context, token string) (*survey.Code, error)
	Survey(ctx context.Context, id string) (*survey.Survey, error)
}

// Deps are what the respondent's side is built from.
type Deps struct {
	Store Store
	// Submission is the protocol's dependencies; its Lookup is the handler's cache.
	Submission submission.Deps
	// Form renders the respondent's templates.
	Form   *httpx.FormPages
	Client httpx.Client
	Log    *slog.Logger
	Now    func() time.Time
}

// Handler serves respondents.
type Handler struct {
	store  Store
	cache  lookups
	intake *submission.Protocol
	form   *httpx.FormPages
	static fs.FS
	client httpx.Client
	log    *slog.Logger
	now    func() time.Time
}

// New builds the respondent's handlers.
func New(d Deps) *Handler {
	s := &Handler{store: d.Store, cache: newLookups(), form: d.Form, static: web.Static(),
		client: d.Client, log: d.Log, now: d.Now}
	sd := d.Submission
	sd.Lookup = cachedLookup{s}
	s.intake = submission.New(sd)
	return s
}

// Changed drops what the cache holds of a change the application layer made,
// so this replica answers it at once (others within the cache's TTLs).
func (s *Handler) Changed(ch casework.Change) {
	switch ch.Kind {
	case casework.SurveyChanged:
		s.cache.surveys.forget(ch.SurveyID)
	case casework.CodesVoided:
		s.cache.codes.forgetAll()
	}
}

// Register adds the respondent's pages, assets and JSON calls.
func (s *Handler) Register(e *gin.Engine) {
	e.GET("/s/:code", s.formPage)
	e.HEAD("/s/:code", s.formPage)
	e.POST("/s/:code", s.formPost)
	e.GET("/s/:code/thanks", s.thanksPage)
	e.GET(web.PrivacyPath, func(c *gin.Context) { s.form.HTML(c, http.StatusOK, "privacy.html", nil) })
	icon := func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=86400")
		c.Data(http.StatusOK, "image/x-icon", web.Favicon())
	}
	e.GET("/favicon.ico", icon)
	e.HEAD("/favicon.ico", icon)
	assets := http.FileServer(httpx.FilesOnly(s.static))
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
	v1 := e.Group("/api/v1")
	v1.GET("/codes/:code/form", s.apiForm)
	v1.POST("/codes/:code/responses", s.apiSubmit)
}
