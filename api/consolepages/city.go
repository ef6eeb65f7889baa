package consolepages

import (
	"bytes"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/auth"
	"renke/api/httpx"
	"renke/config"
	"renke/report/render"
	"renke/reporting"
	"renke/survey"
	"renke/web/console"
)

// cityRows builds the city view's rows over every survey of the counties the
// user sees (all of them for admins), from the report cache.
func (s *Pages) cityRows(c *gin.Context) ([]render.CityRow, error) {
	if err := auth.RequirePerm(c, account.ViewReports); err != nil {
		return nil, err
	}
	counties, err := s.Views.VisibleCounties(c)
	if err != nil {
		return nil, err
	}
	filter := surveyFilter(httpx.UserOf(c), countyNames(counties))
	rows, err := reporting.CityRows(c.Request.Context(), s.Store, filter, s.Reports.Build)
	if errors.Is(err, reporting.ErrNoSurveys) {
		return nil, nil
	}
	return rows, err
}

// cityPage is GET /console/city: the organiser's table and chart of every
// county's rate, interval, verdict and data-quality warnings.
func (s *Pages) cityPage(c *gin.Context) {
	rows, err := s.cityRows(c)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	page := console.CityPage{CitySummary: render.SummarizeCity(rows)}
	chart, err := page.ChartSVG()
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	if chart != nil {
		// A data: image, which the console's policy allows, unlike inline SVG's style attributes.
		page.Chart = template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(chart))
	}
	s.Out.Render(c, http.StatusOK, "city", console.Frame{Title: "全市汇总", Nav: "city", Data: page})
}

// cityFile is GET /console/city.xlsx and /console/city.html: the city view as a file.
func (s *Pages) cityFile(format string) gin.HandlerFunc {
	k, ok := render.CityFormatNamed(format)
	if !ok {
		panic("api: no city format " + format)
	}
	return func(c *gin.Context) {
		rows, err := s.cityRows(c)
		if err != nil {
			s.Out.Fail(c, err)
			return
		}
		if len(rows) == 0 {
			s.Out.Fail(c, httpx.E(http.StatusNotFound, "你可查看的区县还没有任何调查"))
			return
		}
		var buf bytes.Buffer
		if err := k.Write(&buf, rows, time.Now().UTC(), config.Version); err != nil {
			s.Out.Fail(c, err)
			return
		}
		if format == "html" {
			c.Header("Content-Security-Policy", reportFileCSP)
		}
		httpx.Attachment(c, "city-"+time.Now().In(survey.Shanghai).Format("20060102")+"."+k.Ext, k.MediaType, buf.Bytes())
	}
}
