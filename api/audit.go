package api

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/casework"
	"renke/reporting"
	"renke/store"
	"renke/web/console"
)

// actor is the request's user as the application layer knows it.
func (s *Server) actor(c *gin.Context) casework.Actor {
	return casework.Actor{User: userOf(c), Addr: s.addrHash(c)}
}

// auditPageSize is how many entries one page of the log shows.
const auditPageSize = 100

// auditQuery reads the log filter and paging from the query string.
func auditQuery(c *gin.Context) (store.AuditFilter, int, error) {
	f := store.AuditFilter{County: c.Query("county"), Survey: c.Query("survey"), Actor: c.Query("actor")}
	if b := c.Query("before"); b != "" {
		t, err := time.Parse(time.RFC3339Nano, b)
		if err != nil {
			return f, 0, cerr(http.StatusBadRequest, "before 应为 RFC 3339 时间")
		}
		f.Before = t
	}
	limit := auditPageSize
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > store.MaxAuditPage {
			return f, 0, cerr(http.StatusBadRequest, "limit 应为 1 到 1000 之间的整数")
		}
		limit = n
	}
	return f, limit, nil
}

// auditPage is GET /console/audit (admins).
func (s *Server) auditPage(c *gin.Context) {
	entries, f, limit, err := s.auditEntries(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	page := console.AuditPage{Entries: entries, Filter: console.AuditFilter{County: f.County, Survey: f.Survey, Actor: f.Actor}}
	chain, err := reporting.AuditChain(c.Request.Context(), s.store)
	if err != nil {
		s.fail(c, err)
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
	s.render(c, http.StatusOK, "audit", console.Frame{Title: "审计日志", Nav: "audit", Data: page})
}

// apiAudit is GET /api/v1/audit (admins).
func (s *Server) apiAudit(c *gin.Context) {
	entries, _, _, err := s.auditEntries(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	check, err := reporting.AuditCheck(c.Request.Context(), s.store)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"entries": entries, "verification": check})
}

// auditEntries reads the page of the audit log the request asks for, for admins only.
func (s *Server) auditEntries(c *gin.Context) ([]account.Entry, store.AuditFilter, int, error) {
	if !userOf(c).Can(account.ViewAuditLog) {
		return nil, store.AuditFilter{}, 0, errForbidden
	}
	f, limit, err := auditQuery(c)
	if err != nil {
		return nil, f, 0, err
	}
	entries, err := s.store.Audit(c.Request.Context(), f, limit)
	return entries, f, limit, err
}

// apiSurveyAudit is GET /api/v1/surveys/:id/audit: the survey's trail, for
// everyone who may see the survey.
func (s *Server) apiSurveyAudit(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ViewSurvey)
	if err != nil {
		s.fail(c, err)
		return
	}
	_, limit, err := auditQuery(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	entries, err := s.store.Audit(c.Request.Context(), store.AuditFilter{Survey: sv.ID}, limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	check, err := reporting.AuditCheck(c.Request.Context(), s.store)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"entries": entries, "verification": check})
}
