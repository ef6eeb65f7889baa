package jsonapi

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/api/views"
	"renke/report/render"
)

// apiReport is GET /api/v1/surveys/:id/report: the report as JSON.
func (s *API) apiReport(c *gin.Context) {
	sv, err := s.access.SurveyFor(c, account.ViewReports)
	if err != nil {
		s.out.Fail(c, err)
		return
	}
	d, err := s.reports.Build(c.Request.Context(), s.store, sv.ID)
	if err != nil {
		if s.views.ReportStoreDown(c, err) {
			return
		}
		s.out.Fail(c, httpx.E(http.StatusConflict, "报告暂不能生成："+err.Error()))
		return
	}
	if !d.HasData() {
		views.NoData(c, d)
		return
	}
	f, _ := render.FormatNamed("json")
	var buf bytes.Buffer
	if err := f.Write(&buf, d); err != nil {
		s.out.Fail(c, err)
		return
	}
	c.Data(http.StatusOK, f.MediaType, buf.Bytes())
}
