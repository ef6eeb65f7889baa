package jsonapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/views"
	"renke/reporting"
	"renke/store"
)

// apiAudit is GET /api/v1/audit (admins).
func (s *API) apiAudit(c *gin.Context) {
	entries, _, _, err := s.Views.AuditEntries(c)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	s.auditAnswer(c, entries)
}

// apiSurveyAudit is GET /api/v1/surveys/:id/audit: the survey's trail, for
// everyone who may see the survey.
func (s *API) apiSurveyAudit(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ViewSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	_, limit, err := views.AuditQuery(c)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	entries, err := s.Store.Audit(c.Request.Context(), store.AuditFilter{Survey: sv.ID}, limit)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	s.auditAnswer(c, entries)
}

// auditAnswer answers with entries and the verification of the whole chain.
func (s *API) auditAnswer(c *gin.Context, entries []account.Entry) {
	check, err := reporting.AuditCheck(c.Request.Context(), s.Store)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"entries": entries, "verification": check})
}
