package jsonapi

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/report/render"
)

// apiReport is GET /api/v1/surveys/:id/report: the report as JSON.
func (s *API) apiReport(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ViewReports)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	d, ok := s.Views.Estimates(c, sv, "报告暂不能生成：")
	if !ok {
		return
	}
	f, _ := render.FormatNamed("json")
	var buf bytes.Buffer
	if err := f.Write(&buf, d); err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.Data(http.StatusOK, f.MediaType, buf.Bytes())
}
