package jsonapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/auth"
	"renke/api/httpx"
)

// apiCounties is GET /api/v1/counties.
func (s *API) apiCounties(c *gin.Context) {
	counties, err := s.views.VisibleCounties(c)
	if err != nil {
		s.out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"counties": counties})
}

// apiCreateCounty is POST /api/v1/counties.
func (s *API) apiCreateCounty(c *gin.Context) {
	if err := auth.RequirePerm(c, account.ManageCounties); err != nil {
		s.out.Fail(c, err)
		return
	}
	var in struct {
		Name string `json:"name"`
		Code string `json:"code"`
	}
	if err := httpx.ReadJSON(c, &in); err != nil {
		s.out.Fail(c, err)
		return
	}
	k, err := s.app.RegisterCounty(c.Request.Context(), s.access.Actor(c), in.Name, in.Code)
	if err != nil {
		s.out.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, k)
}
