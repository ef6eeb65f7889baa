package jsonapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/auth"
	"renke/api/httpx"
	"renke/casework"
)

// apiUsers is GET /api/v1/users.
func (s *API) apiUsers(c *gin.Context) {
	if err := auth.RequirePerm(c, account.ManageUsers); err != nil {
		s.Out.Fail(c, err)
		return
	}
	users, err := s.Store.Users(c.Request.Context())
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"users": users})
}

// apiCreateUser is POST /api/v1/users.
func (s *API) apiCreateUser(c *gin.Context) {
	if err := auth.RequirePerm(c, account.ManageUsers); err != nil {
		s.Out.Fail(c, err)
		return
	}
	var in struct {
		Name     string       `json:"name"`
		Role     account.Role `json:"role"`
		Counties []string     `json:"counties"`
		Password string       `json:"password"`
	}
	if err := httpx.ReadJSON(c, &in); err != nil {
		s.Out.Fail(c, err)
		return
	}
	u, pw, err := s.App.CreateUser(c.Request.Context(), s.Access.Actor(c), casework.NewUser{Name: in.Name, Role: in.Role, Counties: in.Counties, Password: in.Password})
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	out := gin.H{"user": u}
	if pw != "" {
		out["password"] = pw
	}
	c.JSON(http.StatusCreated, out)
}

// apiUpdateUser is PATCH /api/v1/users/:id: role, counties, disabled (each optional).
func (s *API) apiUpdateUser(c *gin.Context) {
	if err := auth.RequirePerm(c, account.ManageUsers); err != nil {
		s.Out.Fail(c, err)
		return
	}
	var in casework.UserChange
	if err := httpx.ReadJSON(c, &in); err != nil {
		s.Out.Fail(c, err)
		return
	}
	out, err := s.App.UpdateUser(c.Request.Context(), s.Access.Actor(c), c.Param("id"), in)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// apiResetPassword is POST /api/v1/users/:id/password: a generated password, shown once.
func (s *API) apiResetPassword(c *gin.Context) {
	if err := auth.RequirePerm(c, account.ManageUsers); err != nil {
		s.Out.Fail(c, err)
		return
	}
	_, pw, err := s.App.ResetPassword(c.Request.Context(), s.Access.Actor(c), c.Param("id"))
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"password": pw})
}
