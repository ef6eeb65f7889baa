// Package api is renke's HTTP adapter: Gin handlers and middleware around the
// domain packages and the store.
package api

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"renke/casework"
	"renke/config"
	"renke/kv"
	"renke/reporting"
	"renke/store"
	"renke/submission"
)

// Deps are what the server is built from.
type Deps struct {
	Config *config.Config
	Store  *store.Store
	KV     *kv.Client
	Log    *slog.Logger
}

// Server is renke's HTTP server.
type Server struct {
	cfg     *config.Config
	store   *store.Store
	kv      *kv.Client
	log     *slog.Logger
	engine  *gin.Engine
	handler http.Handler // engine, compressing what compressible allows
	metrics *metrics
	tmpl    *template.Template
	static  fs.FS
	now     func() time.Time
	cache   lookups
	// intake is the submission protocol (rate limits, quotas, one-response marks).
	intake *submission.Protocol
	// progressCache shares each survey's progress between the console's viewers.
	progressCache progressCache
	// reports keeps surveys' responses between reports, downloads and city views.
	reports *reporting.Cache
	// console holds the console's templates, set by consoleRoutes.
	console *consoleState
	// app runs the survey's use cases: every rule and audit entry of a change.
	app *casework.Service
}

// New builds the server and its routes.
func New(d Deps) (*Server, error) {
	gin.SetMode(gin.ReleaseMode)
	if d.Log == nil {
		d.Log = slog.Default()
	}
	s := &Server{cfg: d.Config, store: d.Store, kv: d.KV, log: d.Log, now: time.Now,
		cache: newLookups()}
	s.progressCache.entries = map[string]*progressEntry{}
	s.app = casework.New(d.Store, d.KV, d.Log)
	s.app.SetClock(func() time.Time { return s.now() })
	s.app.SetAuth(casework.Auth{Limits: d.KV, Sessions: d.KV, Secret: d.Config.Secret})
	s.app.OnChange(s.forgetProgress) // the progress counts flagged and excluded responses
	s.reports = reporting.NewCache(max(d.Config.ReportCache, 1), reportCacheTTL).LimitResponses(d.Config.ReportCacheResponses)
	s.metrics = newMetrics(prometheus.NewRegistry())
	s.intake = s.newIntake()
	e := gin.New()
	e.HandleMethodNotAllowed = true
	if err := e.SetTrustedProxies(d.Config.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	e.Use(s.recover(), s.observe(), securityHeaders(), utf8JSON())
	e.NoRoute(func(c *gin.Context) { c.JSON(http.StatusNotFound, gin.H{"error": "未找到该页面"}) })
	e.NoMethod(func(c *gin.Context) { c.JSON(http.StatusMethodNotAllowed, gin.H{"error": "不支持该请求方法"}) })
	s.engine = e
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metrics.handler())
	if err := s.routes(); err != nil {
		return nil, err
	}
	h, err := withCompression(e)
	if err != nil {
		return nil, err
	}
	s.handler = h
	return s, nil
}

// Routes lists the server's routes (for tests and documentation checks).
func (s *Server) Routes() gin.RoutesInfo { return s.engine.Routes() }

// Handler is the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve serves on ln until ctx ends, then drains in-flight requests for up to
// the configured shutdown timeout.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down: draining in-flight requests", "timeout", s.cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http server: %w", err)
	}
	return nil
}
