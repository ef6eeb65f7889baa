package views

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/store"
)

// auditPageSize is how many entries one page of the log shows.
const auditPageSize = 100

// AuditQuery reads the log filter and paging from the query string.
func AuditQuery(c *gin.Context) (store.AuditFilter, int, error) {
	f := store.AuditFilter{County: c.Query("county"), Survey: c.Query("survey"), Actor: c.Query("actor")}
	if b := c.Query("before"); b != "" {
		t, err := time.Parse(time.RFC3339Nano, b)
		if err != nil {
			return f, 0, httpx.E(http.StatusBadRequest, "before 应为 RFC 3339 时间")
		}
		f.Before = t
	}
	limit := auditPageSize
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > store.MaxAuditPage {
			return f, 0, httpx.E(http.StatusBadRequest, "limit 应为 1 到 1000 之间的整数")
		}
		limit = n
	}
	return f, limit, nil
}

// AuditEntries reads the page of the audit log the request asks for, for admins only.
func (s *Views) AuditEntries(c *gin.Context) ([]account.Entry, store.AuditFilter, int, error) {
	if !httpx.UserOf(c).Can(account.ViewAuditLog) {
		return nil, store.AuditFilter{}, 0, httpx.ErrForbidden
	}
	f, limit, err := AuditQuery(c)
	if err != nil {
		return nil, f, 0, err
	}
	entries, err := s.Store.Audit(c.Request.Context(), f, limit)
	return entries, f, limit, err
}
