package consolepages

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/dossier"
)

// dossierZIP is GET /console/surveys/:id/dossier.zip: the evaluator's
// package (复核包), signed with the server's key, which `renke verify
// --package` checks with no server and no database.
func (s *Pages) dossierZIP(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ViewReports)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	if s.Signing == nil {
		s.Out.Fail(c, httpx.E(http.StatusServiceUnavailable, "服务器没有签名密钥，暂不能生成复核包"))
		return
	}
	ctx := c.Request.Context()
	d, ok := s.Views.Estimates(c, sv, "暂不能生成复核包：")
	if !ok {
		return
	}
	codes, err := s.Store.Codes(ctx, sv.ID)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := dossier.Write(&buf, dossier.FromReport(d, codes), s.Signing); err != nil {
		s.Out.Fail(c, err)
		return
	}
	httpx.Attachment(c, fmt.Sprintf("dossier-%s.zip", sv.ID), "application/zip", buf.Bytes())
}
