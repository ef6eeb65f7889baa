package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz reports each backing store: "ok" or its error; 503 when either is down.
func (s *Server) readyz(c *gin.Context) {
	status := http.StatusOK
	out := gin.H{}
	check := func(name string, err error) {
		if err != nil {
			out[name] = err.Error()
			status = http.StatusServiceUnavailable
			return
		}
		out[name] = "ok"
	}
	check("mongo", s.store.Ping(c.Request.Context()))
	check("redis", s.kv.Ping(c.Request.Context()))
	s.metrics.storeUp.WithLabelValues("mongo").Set(boolGauge(out["mongo"] == "ok"))
	s.metrics.storeUp.WithLabelValues("redis").Set(boolGauge(out["redis"] == "ok"))
	c.JSON(status, out)
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
