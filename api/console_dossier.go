package api

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/dossier"
)

// dossierZIP is GET /console/surveys/:id/dossier.zip: the evaluator's
// package (复核包), signed with the server's key, which `renke verify
// --package` checks with no server and no database.
func (s *Server) dossierZIP(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ViewReports)
	if err != nil {
		s.fail(c, err)
		return
	}
	if s.cfg.Signing == nil {
		s.fail(c, cerr(http.StatusServiceUnavailable, "服务器没有签名密钥，暂不能生成复核包"))
		return
	}
	ctx := c.Request.Context()
	d, err := s.reports.Build(ctx, s.store, sv.ID)
	if err != nil {
		if s.reportStoreDown(c, err) {
			return
		}
		s.fail(c, cerr(http.StatusConflict, "暂不能生成复核包："+err.Error()))
		return
	}
	if !d.HasData() {
		noData(c, d)
		return
	}
	codes, err := s.store.Codes(ctx, sv.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := dossier.Write(&buf, dossier.FromReport(d, codes), s.cfg.Signing); err != nil {
		s.fail(c, err)
		return
	}
	attachment(c, fmt.Sprintf("dossier-%s.zip", sv.ID), "application/zip", buf.Bytes())
}
