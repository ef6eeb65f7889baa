package consolepages

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/hashchain"
	"renke/report"
	"renke/report/render"
	"renke/sheets"
	"renke/survey"
	"renke/web/console"
)

// reportPage is GET /console/surveys/:id/report: the estimate, the quality
// section, the overrides and the downloads.
func (s *Pages) reportPage(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ViewReports)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	s.renderReport(c, http.StatusOK, sv, "", httpx.Flash(c))
}

func (s *Pages) renderReport(c *gin.Context, status int, sv *survey.Survey, msg, flashMsg string) {
	page := console.ReportPage{Survey: sv, CanOverride: httpx.UserOf(c).Can(account.OverrideExclusion)}
	page.CanSetRules = page.CanOverride
	d, err := s.Reports.Build(c.Request.Context(), s.Store, sv.ID)
	if err != nil && s.Views.ReportStoreDown(c, err) {
		return
	}
	if err != nil {
		page.NoReport = err.Error()
	}
	if d != nil { // a report, or the data without one (no valid response yet)
		rep := d.Report
		if rep == nil {
			page.NoReport, page.NoData = d.NoData, d.NoDataMessage()
		}
		page.Report, page.Overrides = rep, d.Overrides
		qs := d.Quality.Summary()
		if rep != nil && rep.Quality != nil {
			qs = *rep.Quality // with the stuffing findings' effects on the rate
		}
		page.Quality = &qs
		if d.ChainError != nil {
			page.ChainError = d.ChainError.Error()
		}
		page.AuditChain = auditChainView(d.AuditChain)
		for _, o := range d.Unaudited {
			page.Unaudited = append(page.Unaudited, o.ResponseID)
		}
	} else {
		q, overrides, qerr := s.Views.Quality(c, sv)
		if qerr != nil {
			s.Out.Fail(c, qerr)
			return
		}
		qs := q.Summary()
		page.Quality, page.Overrides = &qs, overrides
	}
	page.Rules = report.SettingsOf(page.Quality.Config) // the rules the figures above were computed with
	s.Out.Render(c, status, "report", console.Frame{Title: sv.Title + " · 报告", Nav: "counties", Error: msg, Flash: flashMsg, Data: page,
		Crumbs: append(countyCrumbs(sv.County), console.Crumb{Label: sv.Title, URL: "/console/surveys/" + sv.ID})})
}

// reportFileCSP is the policy of a downloaded report page: its own inline CSS
// and SVG, no script.
const reportFileCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// reportFile serves the report as a downloadable file in one format
// (GET /console/surveys/:id/report.html, .pdf, .xlsx).
func (s *Pages) reportFile(format string) gin.HandlerFunc {
	f, ok := render.FormatNamed(format)
	if !ok {
		panic("api: no report format " + format)
	}
	return func(c *gin.Context) {
		sv, err := s.Access.SurveyFor(c, account.ViewReports)
		if err != nil {
			s.Out.Fail(c, err)
			return
		}
		in, err := s.Reports.Build(c.Request.Context(), s.Store, sv.ID)
		if err != nil && s.Views.ReportStoreDown(c, err) {
			return
		}
		if in == nil { // a report, or the data without one (no valid response yet), else why not
			in = &report.Published{Survey: sv, NoData: err.Error()}
		}
		var buf bytes.Buffer
		if err := f.Write(&buf, in); err != nil {
			s.Out.Fail(c, err)
			return
		}
		// The HTML file carries its own inline CSS and SVG and no script.
		c.Header("Content-Security-Policy", reportFileCSP)
		httpx.Attachment(c, fmt.Sprintf("report-%s.%s", sv.ID, f.Ext), f.MediaType, buf.Bytes())
	}
}

// exportCSV is GET /console/surveys/:id/export.csv: the replication file.
func (s *Pages) exportCSV(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ViewReports)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	d, ok := s.Views.Estimates(c, sv, "暂不能导出：")
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := report.WriteReplication(&buf, d); err != nil {
		s.Out.Fail(c, err)
		return
	}
	httpx.Attachment(c, fmt.Sprintf("export-%s.csv", sv.ID), "text/csv; charset=utf-8", buf.Bytes())
}

// reportFormResult answers a form of the report page: back to the report with
// flash ok, or the page again with the refusal.
func (s *Pages) reportFormResult(c *gin.Context, sv *survey.Survey, err error, ok string) {
	if err == nil {
		httpx.Redirect(c, "/console/surveys/"+sv.ID+"/report?ok="+ok)
		return
	}
	e := s.Out.Error(err)
	if e.Status < 500 {
		s.renderReport(c, e.Status, sv, e.Msg, "")
		return
	}
	s.Out.Fail(c, e)
}

// sheetsZIP is GET /console/surveys/:id/sheets.zip: every code's printable sheet.
func (s *Pages) sheetsZIP(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ManageCodes)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	codes, err := s.Store.Codes(c.Request.Context(), sv.ID)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	used, err := s.Store.CountsByCode(c.Request.Context(), sv.ID)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	survey.OrderCodes(codes)
	// Voided codes and used one-time slips are never printed (清单.csv says why).
	if !slices.ContainsFunc(codes, func(k survey.Code) bool {
		return k.Usable() == nil && (k.Kind != survey.OneTimeCode || used[k.Code] == 0)
	}) {
		s.Out.Fail(c, httpx.E(http.StatusConflict, "还没有发放访问码（或均已作废、已使用），没有可打印的二维码"))
		return
	}
	var buf bytes.Buffer
	m := sheets.Meta{Title: sv.Title, Opens: sv.Opens, Closes: sv.Closes, BaseURL: s.PublicURL, Location: survey.Shanghai, Used: used}
	if err := sheets.ZIP(&buf, m, codes); err != nil {
		s.Out.Fail(c, err)
		return
	}
	httpx.Attachment(c, fmt.Sprintf("qr-%s.zip", sv.ID), "application/zip", buf.Bytes())
}

// auditChainView is what verifying the audit chain found, for a page.
func auditChainView(st hashchain.State) *console.AuditChain {
	a := &console.AuditChain{Length: st.Length, Head: st.Head}
	if st.Err != nil {
		a.Error = st.Err.Error()
	}
	return a
}
