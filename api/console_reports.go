package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/hashchain"
	"renke/report"
	"renke/report/render"
	"renke/reporting"
	"renke/sheets"
	"renke/survey"
	"renke/web/console"
)

// A county's evaluators download a survey's report in several formats in a
// row, and the city view builds every county's: a survey's responses are
// read whole once per reportCacheTTL and then only the new ones (a county's
// survey is a few thousand responses: a few MB each; config.ReportCache
// says how many surveys are kept).
const reportCacheTTL = 10 * time.Minute

// quality runs the survey's quality rules over its responses with the
// evaluators' overrides, which it returns too, applied.
func (s *Server) quality(c *gin.Context, sv *survey.Survey) (*report.Quality, []report.Override, error) {
	ctx := c.Request.Context()
	var rs []survey.Response
	if err := s.store.EachResponse(ctx, sv.ID, func(r *survey.Response) error { rs = append(rs, *r); return nil }); err != nil {
		return nil, nil, err
	}
	return reporting.Quality(ctx, s.store, sv.ID, rs)
}

// qualityOf runs the quality rules over responses already read from the
// survey, with the evaluators' overrides applied.
func (s *Server) qualityOf(ctx context.Context, surveyID string, rs []survey.Response) (*report.Quality, error) {
	q, _, err := reporting.Quality(ctx, s.store, surveyID, rs)
	return q, err
}

// reportPage is GET /console/surveys/:id/report: the estimate, the quality
// section, the overrides and the downloads.
func (s *Server) reportPage(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ViewReports)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderReport(c, http.StatusOK, sv, "", flash(c))
}

func (s *Server) renderReport(c *gin.Context, status int, sv *survey.Survey, msg, flashMsg string) {
	page := console.ReportPage{Survey: sv, CanOverride: userOf(c).Can(account.OverrideExclusion)}
	page.CanSetRules = page.CanOverride
	d, err := s.reports.Build(c.Request.Context(), s.store, sv.ID)
	if err != nil && s.reportStoreDown(c, err) {
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
		q, overrides, qerr := s.quality(c, sv)
		if qerr != nil {
			s.fail(c, qerr)
			return
		}
		qs := q.Summary()
		page.Quality, page.Overrides = &qs, overrides
	}
	page.Rules = report.SettingsOf(page.Quality.Config) // the rules the figures above were computed with
	s.render(c, status, "report", console.Frame{Title: sv.Title + " · 报告", Nav: "counties", Error: msg, Flash: flashMsg, Data: page,
		Crumbs: append(countyCrumbs(sv.County), console.Crumb{Label: sv.Title, URL: "/console/surveys/" + sv.ID})})
}

// reportStoreDown answers 503 when a report could not be built because the store is
// unreachable. Other failures are the survey's state (no valid response yet,
// a chain that does not verify...) that the caller shows instead of a report;
// they are logged unless they only mean no data yet.
func (s *Server) reportStoreDown(c *gin.Context, err error) bool {
	if errors.Is(err, survey.ErrUnavailable) {
		s.fail(c, errStoreDown)
		return true
	}
	if !errors.Is(err, report.ErrNoData) {
		s.log.Warn("report not built", "path", c.Request.URL.Path, "err", err)
	}
	return false
}

// xlsxType is the media type of an Excel workbook (render's, defined once).
const xlsxType = render.XLSXType

// reportFileCSP is the policy of a downloaded report page: its own inline CSS
// and SVG, no script.
const reportFileCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// reportFile serves the report as a downloadable file in one format
// (GET /console/surveys/:id/report.html, .pdf, .xlsx).
func (s *Server) reportFile(format string) gin.HandlerFunc {
	f, ok := render.FormatNamed(format)
	if !ok {
		panic("api: no report format " + format)
	}
	return func(c *gin.Context) {
		sv, err := s.surveyFor(c, account.ViewReports)
		if err != nil {
			s.fail(c, err)
			return
		}
		in, err := s.reports.Build(c.Request.Context(), s.store, sv.ID)
		if err != nil && s.reportStoreDown(c, err) {
			return
		}
		if in == nil { // a report, or the data without one (no valid response yet), else why not
			in = &report.Published{Survey: sv, NoData: err.Error()}
		}
		var buf bytes.Buffer
		if err := f.Write(&buf, in); err != nil {
			s.fail(c, err)
			return
		}
		// The HTML file carries its own inline CSS and SVG and no script.
		c.Header("Content-Security-Policy", reportFileCSP)
		attachment(c, fmt.Sprintf("report-%s.%s", sv.ID, f.Ext), f.MediaType, buf.Bytes())
	}
}

// noData answers 409 for a survey without estimates (no valid response
// yet): the no-data message in JSON, marked no_data, for the JSON API and
// for the downloads that need estimates (replication file, evaluator's
// package), which the console's report page does not offer then.
func noData(c *gin.Context, d *report.Published) {
	c.AbortWithStatusJSON(http.StatusConflict, gin.H{"error": d.NoDataMessage(), "no_data": true,
		"survey_id": d.Survey.ID, "responses": len(d.Responses)})
}

// exportCSV is GET /console/surveys/:id/export.csv: the replication file.
func (s *Server) exportCSV(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ViewReports)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.reports.Build(c.Request.Context(), s.store, sv.ID)
	if err != nil {
		if s.reportStoreDown(c, err) {
			return
		}
		s.fail(c, cerr(http.StatusConflict, "暂不能导出："+err.Error()))
		return
	}
	if !d.HasData() {
		noData(c, d)
		return
	}
	var buf bytes.Buffer
	if err := report.WriteReplication(&buf, d); err != nil {
		s.fail(c, err)
		return
	}
	attachment(c, fmt.Sprintf("export-%s.csv", sv.ID), "text/csv; charset=utf-8", buf.Bytes())
}

// reportFormResult answers a form of the report page: back to the report with
// flash ok, or the page again with the refusal.
func (s *Server) reportFormResult(c *gin.Context, sv *survey.Survey, err error, ok string) {
	if err == nil {
		redirect(c, "/console/surveys/"+sv.ID+"/report?ok="+ok)
		return
	}
	e := s.asConsoleError(err)
	if e.status < 500 {
		s.renderReport(c, e.status, sv, e.msg, "")
		return
	}
	s.fail(c, e)
}

// sheetsZIP is GET /console/surveys/:id/sheets.zip: every code's printable sheet.
func (s *Server) sheetsZIP(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ManageCodes)
	if err != nil {
		s.fail(c, err)
		return
	}
	codes, err := s.store.Codes(c.Request.Context(), sv.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	used, err := s.store.CountsByCode(c.Request.Context(), sv.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	survey.OrderCodes(codes)
	// Voided codes and used one-time slips are never printed (清单.csv says why).
	if !slices.ContainsFunc(codes, func(k survey.Code) bool {
		return k.Usable() == nil && (k.Kind != survey.OneTimeCode || used[k.Code] == 0)
	}) {
		s.fail(c, cerr(http.StatusConflict, "还没有发放访问码（或均已作废、已使用），没有可打印的二维码"))
		return
	}
	var buf bytes.Buffer
	m := sheets.Meta{Title: sv.Title, Opens: sv.Opens, Closes: sv.Closes, BaseURL: s.cfg.PublicURL, Location: survey.Shanghai, Used: used}
	if err := sheets.ZIP(&buf, m, codes); err != nil {
		s.fail(c, err)
		return
	}
	attachment(c, fmt.Sprintf("qr-%s.zip", sv.ID), "application/zip", buf.Bytes())
}

// apiReport is GET /api/v1/surveys/:id/report: the report as JSON.
func (s *Server) apiReport(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ViewReports)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.reports.Build(c.Request.Context(), s.store, sv.ID)
	if err != nil {
		if s.reportStoreDown(c, err) {
			return
		}
		s.fail(c, cerr(http.StatusConflict, "报告暂不能生成："+err.Error()))
		return
	}
	if !d.HasData() {
		noData(c, d)
		return
	}
	f, _ := render.FormatNamed("json")
	var buf bytes.Buffer
	if err := f.Write(&buf, d); err != nil {
		s.fail(c, err)
		return
	}
	c.Data(http.StatusOK, f.MediaType, buf.Bytes())
}

// auditChainView is what verifying the audit chain found, for a page.
func auditChainView(st hashchain.State) *console.AuditChain {
	a := &console.AuditChain{Length: st.Length, Head: st.Head}
	if st.Err != nil {
		a.Error = st.Err.Error()
	}
	return a
}
