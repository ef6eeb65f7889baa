package jsonapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/api/views"
	"renke/casework"
	"renke/survey"
)

// apiCountySurveys is GET /api/v1/counties/:county/surveys.
func (s *API) apiCountySurveys(c *gin.Context) {
	k, err := s.access.CountyFor(c, account.ViewSurvey)
	if err != nil {
		s.out.Fail(c, err)
		return
	}
	list, err := s.store.Surveys(c.Request.Context(), []string{k.Name})
	if err != nil {
		s.out.Fail(c, err)
		return
	}
	type row struct {
		ID     string        `json:"id"`
		County string        `json:"county"`
		Title  string        `json:"title"`
		Status survey.Status `json:"status"`
		Opens  time.Time     `json:"opens"`
		Closes time.Time     `json:"closes"`
		Phase  survey.Phase  `json:"phase"`
	}
	rows := make([]row, 0, len(list))
	for _, sv := range list {
		rows = append(rows, row{sv.ID, sv.County, sv.Title, sv.Status, sv.Opens, sv.Closes, sv.PhaseAt(s.now())})
	}
	c.JSON(http.StatusOK, gin.H{"surveys": rows})
}

// apiCreateSurvey is POST /api/v1/counties/:county/surveys.
func (s *API) apiCreateSurvey(c *gin.Context) {
	k, err := s.access.CountyFor(c, account.CreateSurvey)
	if err != nil {
		s.out.Fail(c, err)
		return
	}
	var in casework.NewSurvey
	if err := httpx.ReadJSON(c, &in); err != nil {
		s.out.Fail(c, err)
		return
	}
	in.County = k.Name
	sv, err := s.app.CreateSurvey(c.Request.Context(), s.access.Actor(c), in)
	if err != nil {
		s.out.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, views.SurveyJSON(sv, s.now()))
}

// apiSurvey is GET /api/v1/surveys/:id.
func (s *API) apiSurvey(c *gin.Context) {
	sv, err := s.access.SurveyFor(c, account.ViewSurvey)
	if err != nil {
		s.out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, views.SurveyJSON(sv, s.now()))
}
