// Package api is renke's HTTP adapter: it wires the handlers of each
// audience (respondent, auth, consolepages, jsonapi, over the shared
// httpx helper and views) into one Gin engine with its middleware, health
// and metrics. It holds no handler of a use case itself.
package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"renke/api/auth"
	"renke/api/views"
	"renke/config"
	"renke/kv"
	"renke/store"
)

// Deps are what the server is built from.
type Deps struct {
	Config *config.Config
	Store  *store.Store
	KV     *kv.Client
	Log    *slog.Logger
}

// Console security settings (see auth).
const (
	// SessionTTL is how long a console session lives after its last use.
	SessionTTL = auth.SessionTTL
	// MaxLoginFailures is how many wrong current passwords an account takes in
	// LoginFailureWindow before changes to it are refused with 429.
	MaxLoginFailures = auth.MaxLoginFailures
	// LoginFailureWindow is the window of MaxLoginFailures, from the first failure.
	LoginFailureWindow = auth.LoginFailureWindow
	// LoginAttemptsPerAddr is how many logins one client address may try per minute.
	LoginAttemptsPerAddr = auth.LoginAttemptsPerAddr
)

// Server is renke's HTTP server.
type Server struct {
	cfg     *config.Config
	store   *store.Store
	kv      *kv.Client
	log     *slog.Logger
	engine  *gin.Engine
	handler http.Handler // engine, compressing what compressible allows
	metrics *metrics
	now     func() time.Time
	// views is what the console pages and the JSON API read (progress runs, for tests).
	views *views.Views
}

// New builds the server and its routes.
func New(d Deps) (*Server, error) {
	gin.SetMode(gin.ReleaseMode)
	if d.Log == nil {
		d.Log = slog.Default()
	}
	s := &Server{cfg: d.Config, store: d.Store, kv: d.KV, log: d.Log, now: time.Now}
	s.metrics = newMetrics(prometheus.NewRegistry())
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
