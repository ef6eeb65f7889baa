package auth

import (
	"errors"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/casework"
	"renke/survey"
)

// SurveyFor loads the survey named by the :id parameter for an action needing
// p. A survey of a county the user is not assigned is answered exactly like
// a missing one (404), so its existence does not leak; a visible survey the
// role may not act on is 403.
func (s *Access) SurveyFor(c *gin.Context, p account.Permission) (*survey.Survey, error) {
	u := httpx.UserOf(c)
	sv, err := s.store.Survey(c.Request.Context(), c.Param("id"))
	if errors.Is(err, survey.ErrNotFound) {
		return nil, httpx.ErrSurveyMissing
	}
	if err != nil {
		return nil, err
	}
	if !u.Sees(sv.County) {
		return nil, httpx.ErrSurveyMissing
	}
	if !u.Can(p) {
		return nil, httpx.ErrForbidden
	}
	return sv, nil
}

// CountyFor loads the county named by the :county parameter for an action
// needing p, with the same 404-before-403 rule as SurveyFor.
func (s *Access) CountyFor(c *gin.Context, p account.Permission) (*account.County, error) {
	u := httpx.UserOf(c)
	name := c.Param("county")
	if !u.Sees(name) {
		return nil, httpx.ErrCountyMissing
	}
	county, err := s.store.County(c.Request.Context(), name)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, httpx.ErrCountyMissing
	}
	if err != nil {
		return nil, err
	}
	if !u.Can(p) {
		return nil, httpx.ErrForbidden
	}
	return county, nil
}

// RequirePerm refuses with 403 unless the user's role grants p (for actions
// not tied to one county: users, counties, the whole audit log).
func RequirePerm(c *gin.Context, p account.Permission) error {
	if !httpx.UserOf(c).Can(p) {
		return httpx.ErrForbidden
	}
	return nil
}

// Actor is the request's user as the application layer knows it.
func (s *Access) Actor(c *gin.Context) casework.Actor {
	return casework.Actor{User: httpx.UserOf(c), Addr: s.client.AddrHash(c)}
}
