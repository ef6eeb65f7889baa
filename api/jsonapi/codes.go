package jsonapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/api/views"
	"renke/casework"
)

// apiCodes is GET /api/v1/surveys/:id/codes.
func (s *API) apiCodes(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ManageCodes)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	rows, err := s.Views.CodeRows(c, sv, c.Query("batch"))
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"codes": rows})
}

// apiIssueCodes is POST /api/v1/surveys/:id/codes.
func (s *API) apiIssueCodes(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ManageCodes)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	var in casework.IssueInput
	if err := httpx.ReadJSON(c, &in); err != nil {
		s.Out.Fail(c, err)
		return
	}
	codes, err := s.App.IssueCodes(c.Request.Context(), s.Access.Actor(c), sv.ID, in)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	rows := make([]views.CodeRow, len(codes))
	for i, k := range codes {
		rows[i] = views.NewCodeRow(k, s.PublicURL, 0)
	}
	c.JSON(http.StatusCreated, gin.H{"batch": codes[0].Batch, "codes": rows})
}
