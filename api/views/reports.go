package views

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"renke/api/httpx"
	"renke/report"
	"renke/reporting"
	"renke/survey"
)

// ReportCacheTTL: a county's evaluators download a survey's report in several formats in a
// row, and the city view builds every county's: a survey's responses are
// read whole once per ReportCacheTTL and then only the new ones (a county's
// survey is a few thousand responses: a few MB each; config.ReportCache
// says how many surveys are kept).
const ReportCacheTTL = 10 * time.Minute

// Quality runs the survey's quality rules over its responses with the
// evaluators' overrides, which it returns too, applied.
func (s *Views) Quality(c *gin.Context, sv *survey.Survey) (*report.Quality, []report.Override, error) {
	ctx := c.Request.Context()
	var rs []survey.Response
	if err := s.Store.EachResponse(ctx, sv.ID, func(r *survey.Response) error { rs = append(rs, *r); return nil }); err != nil {
		return nil, nil, err
	}
	return reporting.Quality(ctx, s.Store, sv.ID, rs)
}

// qualityOf runs the quality rules over responses already read from the
// survey, with the evaluators' overrides applied.
func (s *Views) qualityOf(ctx context.Context, surveyID string, rs []survey.Response) (*report.Quality, error) {
	q, _, err := reporting.Quality(ctx, s.Store, surveyID, rs)
	return q, err
}

// ReportStoreDown answers 503 when a report could not be built because the store is
// unreachable. Other failures are the survey's state (no valid response yet,
// a chain that does not verify...) that the caller shows instead of a report;
// they are logged unless they only mean no data yet.
func (s *Views) ReportStoreDown(c *gin.Context, err error) bool {
	if errors.Is(err, survey.ErrUnavailable) {
		s.Out.Fail(c, httpx.ErrStoreDown)
		return true
	}
	if !errors.Is(err, report.ErrNoData) {
		s.Log.Warn("report not built", "path", c.Request.URL.Path, "err", err)
	}
	return false
}

// Estimates is the built report of sv for the answers that need estimates
// (the JSON report, the replication file, the evaluator's package): false,
// with the answer given, when the store is down (503), the report cannot be
// built (409, the reason after refusal) or there is no data yet (409 no_data).
func (s *Views) Estimates(c *gin.Context, sv *survey.Survey, refusal string) (*report.Published, bool) {
	d, err := s.Reports.Build(c.Request.Context(), s.Store, sv.ID)
	if err != nil {
		if !s.ReportStoreDown(c, err) {
			s.Out.Fail(c, httpx.E(http.StatusConflict, refusal+err.Error()))
		}
		return nil, false
	}
	if !d.HasData() {
		NoData(c, d)
		return nil, false
	}
	return d, true
}

// NoData answers 409 for a survey without estimates (no valid response
// yet): the no-data message in JSON, marked no_data, for the JSON API and
// for the downloads that need estimates (replication file, evaluator's
// package), which the console's report page does not offer then.
func NoData(c *gin.Context, d *report.Published) {
	c.AbortWithStatusJSON(http.StatusConflict, gin.H{"error": d.NoDataMessage(), "no_data": true,
		"survey_id": d.Survey.ID, "responses": len(d.Responses)})
}
