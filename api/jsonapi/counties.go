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
	counties, err := s.Views.VisibleCounties(c)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"counties": counties})
}

// apiCreateCounty is POST /api/v1/counties.
func (s *API) apiCreateCounty(c *gin.Context) {
	if err := auth.RequirePerm(c, account.ManageCounties); err != nil {
		s.Out.Fail(c, err)
		return
	}
	var in struct {
		Name string `json:"name"`
		Code string `json:"code"`
	}
	if err := httpx.ReadJSON(c, &in); err != nil {
		s.Out.Fail(c, err)
		return
	}
	k, err := s.App.RegisterCounty(c.Request.Context(), s.Access.Actor(c), in.Name, in.Code)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, k)
}
