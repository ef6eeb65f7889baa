package consolepages

import (
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"renke/reporting"
	"renke/web/console"
)

// auditPage is GET /console/audit (admins).
func (s *Pages) auditPage(c *gin.Context) {
	entries, f, limit, err := s.Views.AuditEntries(c)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	page := console.AuditPage{Entries: entries, Filter: console.AuditFilter{County: f.County, Survey: f.Survey, Actor: f.Actor}}
	chain, err := reporting.AuditChain(c.Request.Context(), s.Store)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	page.Chain = auditChainView(chain)
	if len(entries) == limit {
		q := url.Values{"before": {entries[len(entries)-1].At.Format(time.RFC3339Nano)}}
		for k, v := range map[string]string{"county": f.County, "survey": f.Survey, "actor": f.Actor} {
			if v != "" {
				q.Set(k, v)
			}
		}
		page.Older = "/console/audit?" + q.Encode()
	}
	s.Out.Render(c, http.StatusOK, "audit", console.Frame{Title: "审计日志", Nav: "audit", Data: page})
}
