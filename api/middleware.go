package api

import (
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus series, on a registry of its own so
// several servers can live in one test process.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	storeUp  *prometheus.GaugeVec
	// Responses counts submissions by outcome (accepted, duplicate, quota_full, ...).
	Responses *prometheus.CounterVec
	// Fallback is 1 while the local fallback rate limiter stands in for Redis.
	Fallback prometheus.Gauge
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "renke_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "renke_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
		storeUp: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "renke_store_up", Help: "1 when the backing store answered the last readiness check.",
		}, []string{"store"}),
		Responses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "renke_submissions_total", Help: "Survey submissions by outcome.",
		}, []string{"outcome"}),
		Fallback: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "renke_rate_limit_fallback", Help: "1 while rate limits run on the local fallback because Redis is unreachable.",
		}),
	}
	reg.MustRegister(m.requests, m.latency, m.storeUp, m.Responses, m.Fallback,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() gin.HandlerFunc {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return gin.WrapH(h)
}

// observe logs each request and records its count and latency by route.
func (s *Server) observe() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := c.Writer.Status()
		d := time.Since(start)
		s.metrics.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(status)).Inc()
		s.metrics.latency.WithLabelValues(route, c.Request.Method).Observe(d.Seconds())
		level := slog.LevelDebug
		if status >= 500 {
			level = slog.LevelError
		} else if status >= 400 {
			level = slog.LevelInfo
		}
		s.log.Log(c.Request.Context(), level, "request", "method", c.Request.Method, "route", route,
			"status", status, "duration_ms", float64(d.Microseconds())/1000)
	}
}

// recover turns a panic into a 500 and a logged stack.
func (s *Server) recover() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic in handler", "panic", r, "stack", string(debug.Stack()))
				c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "服务器内部错误，请稍后重试"})
			}
		}()
		c.Next()
	}
}

// securityHeaders sets the headers every response carries. The respondent
// page has no inline scripts, so the policy forbids them.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		c.Next()
	}
}

// msgCharset is the answer to a JSON body declared in another encoding.
const msgCharset = "请求体必须是 UTF-8 编码的 JSON（Content-Type: application/json; charset=utf-8）。"

// utf8JSON refuses (415) a JSON body whose Content-Type declares a charset
// other than UTF-8: JSON is UTF-8 (RFC 8259), and a body read as one encoding
// but declared as another would store text the sender did not mean.
func utf8JSON() gin.HandlerFunc {
	return func(c *gin.Context) {
		ct := c.GetHeader("Content-Type")
		if ct == "" {
			c.Next()
			return
		}
		mt, params, err := mime.ParseMediaType(ct)
		if err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json")) {
			if cs, has := params["charset"]; has && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
				c.AbortWithStatusJSON(http.StatusUnsupportedMediaType, gin.H{"error": msgCharset})
				return
			}
		}
		c.Next()
	}
}
