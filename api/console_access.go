package api

import (
	"errors"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/survey"
)

// surveyFor loads the survey named by the :id parameter for an action needing
// p. A survey of a county the user is not assigned is answered exactly like
// a missing one (404), so its existence does not leak; a visible survey the
// role may not act on is 403.
func (s *Server) surveyFor(c *gin.Context, p account.Permission) (*survey.Survey, error) {
	u := userOf(c)
	sv, err := s.store.Survey(c.Request.Context(), c.Param("id"))
	if errors.Is(err, survey.ErrNotFound) {
		return nil, errSurveyMissing
	}
	if err != nil {
		return nil, err
	}
	if !u.Sees(sv.County) {
		return nil, errSurveyMissing
	}
	if !u.Can(p) {
		return nil, errForbidden
	}
	return sv, nil
}

// countyFor loads the county named by the :county parameter for an action
// needing p, with the same 404-before-403 rule as surveyFor.
func (s *Server) countyFor(c *gin.Context, p account.Permission) (*account.County, error) {
	u := userOf(c)
	name := c.Param("county")
	if !u.Sees(name) {
		return nil, errCountyMissing
	}
	county, err := s.store.County(c.Request.Context(), name)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, errCountyMissing
	}
	if err != nil {
		return nil, err
	}
	if !u.Can(p) {
		return nil, errForbidden
	}
	return county, nil
}

// requirePerm refuses with 403 unless the user's role grants p (for actions
// not tied to one county: users, counties, the whole audit log).
func requirePerm(c *gin.Context, p account.Permission) error {
	if !userOf(c).Can(p) {
		return errForbidden
	}
	return nil
}
