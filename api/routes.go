package api

import (
	"fmt"
	"time"

	"renke/api/auth"
	"renke/api/consolepages"
	"renke/api/httpx"
	"renke/api/jsonapi"
	"renke/api/respondent"
	"renke/api/views"
	"renke/casework"
	"renke/reporting"
	"renke/submission"
	"renke/web"
	"renke/web/console"
)

// routes builds each audience's handlers and registers their routes. Every
// console page and API call below the login checks the session, and every
// state-changing one the CSRF token; the handlers check role and county.
func (s *Server) routes() error {
	now := func() time.Time { return s.now() }
	pages, err := console.Load()
	if err != nil {
		return fmt.Errorf("console: %w", err)
	}
	tmpl, err := web.Templates()
	if err != nil {
		return fmt.Errorf("respondent pages: %w", err)
	}
	out := &httpx.Responder{Pages: pages, Log: s.log}
	form := &httpx.FormPages{Tmpl: tmpl, Log: s.log}
	client := httpx.Client{Secret: s.cfg.Secret, PublicURL: s.cfg.PublicURL}

	app := casework.New(s.store, s.kv, s.log)
	app.SetClock(now)
	app.SetAuth(casework.Auth{Limits: s.kv, Sessions: s.kv, Secret: s.cfg.Secret})
	reports := reporting.NewCache(max(s.cfg.ReportCache, 1), views.ReportCacheTTL).LimitResponses(s.cfg.ReportCacheResponses)
	access := auth.NewAccess(s.store, client)
	s.views = views.New(views.Deps{Store: s.store, Reports: reports, Access: access, Out: out,
		PublicURL: s.cfg.PublicURL, Log: s.log, Now: now})

	resp := respondent.New(respondent.Deps{Store: s.store, Form: form, Client: client, Log: s.log, Now: now,
		Submission: submission.Deps{KV: s.kv, Store: s.store,
			Limits: submission.Limits{PerAddr: s.cfg.Limits.PerAddr, PerCode: s.cfg.Limits.PerCode, PerSurvey: s.cfg.Limits.PerSurvey},
			Log:    s.log, Now: now,
			Count:    func(label string) { s.metrics.Responses.WithLabelValues(label).Inc() },
			Fallback: func(on bool) { s.metrics.Fallback.Set(boolGauge(on)) },
		}})
	// The caches beside the store hear of every change the application layer makes.
	app.OnChange(resp.Changed)
	app.OnChange(s.views.Changed)

	e := s.engine
	resp.Register(e)
	au := auth.New(auth.Deps{Out: out, Client: client, Sessions: s.kv, Users: s.store, App: app, Log: s.log, Now: now})
	au.Register(e)
	consolepages.RegisterStatic(e)
	jsonapi.RegisterOpenAPI(e)

	p := e.Group("/console", au.Authenticate(), au.RequirePage(), au.CSRF())
	au.RegisterPages(p)
	consolepages.New(consolepages.Deps{App: app, Access: access, Views: s.views, Out: out, Form: form,
		Store: s.store, Reports: reports, Failures: s.kv, Signing: s.cfg.Signing, PublicURL: s.cfg.PublicURL,
		Log: s.log, Now: now}).Register(p)

	a := e.Group("/api/v1", au.Authenticate(), au.RequireAPI(), au.CSRF())
	au.RegisterAPI(a)
	jsonapi.New(jsonapi.Deps{App: app, Access: access, Views: s.views, Out: out, Store: s.store, Reports: reports,
		PublicURL: s.cfg.PublicURL, Now: now}).Register(a)
	return nil
}
