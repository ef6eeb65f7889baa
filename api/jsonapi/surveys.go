package jsonapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/casework"
	"renke/survey"
)

// apiCountySurveys is GET /api/v1/counties/:county/surveys.
func (s *API) apiCountySurveys(c *gin.Context) {
	k, err := s.Access.CountyFor(c, account.ViewSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	list, err := s.Store.Surveys(c.Request.Context(), []string{k.Name})
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	rows := make([]survey.Listing, 0, len(list))
	for i := range list {
		rows = append(rows, list[i].ListingAt(s.Now()))
	}
	c.JSON(http.StatusOK, gin.H{"surveys": rows})
}

// apiCreateSurvey is POST /api/v1/counties/:county/surveys.
func (s *API) apiCreateSurvey(c *gin.Context) {
	k, err := s.Access.CountyFor(c, account.CreateSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	var in casework.NewSurvey
	if err := httpx.ReadJSON(c, &in); err != nil {
		s.Out.Fail(c, err)
		return
	}
	in.County = k.Name
	sv, err := s.App.CreateSurvey(c.Request.Context(), s.Access.Actor(c), in)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, surveyJSON(sv, s.Now()))
}

// apiSurvey is GET /api/v1/surveys/:id.
func (s *API) apiSurvey(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ViewSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, surveyJSON(sv, s.Now()))
}

// surveyOut is a survey as the API answers with it: with its phase (the
// status read against the window, in the words every door uses).
type surveyOut struct {
	*survey.Survey
	Phase survey.Phase `json:"phase"`
	// Scoring is the scheme per form, in each form's own labels.
	Scoring []survey.FormScoring `json:"scoring"`
}

// surveyJSON is sv as the API answers with it at now.
func surveyJSON(sv *survey.Survey, now time.Time) surveyOut {
	return surveyOut{Survey: sv, Phase: sv.PhaseAt(now), Scoring: survey.Scoring(sv.Forms, sv.Scheme)}
}
