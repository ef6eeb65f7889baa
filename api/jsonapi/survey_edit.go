package jsonapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/api/httpx"
	"renke/survey"
)

// apiSurveyAction runs an API change on survey :id and answers with the survey.
func (s *API) apiSurveyAction(c *gin.Context, act func(id string) (*survey.Survey, error)) {
	sv, err := act(c.Param("id"))
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, surveyJSON(sv, s.Now()))
}

func (s *API) apiOpen(c *gin.Context) {
	s.apiSurveyAction(c, func(id string) (*survey.Survey, error) {
		return s.App.ChangeStatus(c.Request.Context(), s.Access.Actor(c), id, survey.Open)
	})
}

func (s *API) apiClose(c *gin.Context) {
	s.apiSurveyAction(c, func(id string) (*survey.Survey, error) {
		return s.App.ChangeStatus(c.Request.Context(), s.Access.Actor(c), id, survey.Closed)
	})
}

func (s *API) apiWeights(c *gin.Context) {
	s.apiSurveyAction(c, func(id string) (*survey.Survey, error) {
		var w map[survey.Group]float64
		if err := httpx.ReadJSON(c, &w); err != nil {
			return nil, err
		}
		return s.App.SetGroupWeights(c.Request.Context(), s.Access.Actor(c), id, w)
	})
}

func (s *API) apiScheme(c *gin.Context) {
	s.apiSurveyAction(c, func(id string) (*survey.Survey, error) {
		var sc survey.Scheme
		if err := httpx.ReadJSON(c, &sc); err != nil {
			return nil, err
		}
		return s.App.SetScheme(c.Request.Context(), s.Access.Actor(c), id, sc)
	})
}
