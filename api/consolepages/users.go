package consolepages

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/auth"
	"renke/api/httpx"
	"renke/casework"
	"renke/web/console"
)

// renderUsers shows the users page, with a new password shown once when given.
func (s *Pages) renderUsers(c *gin.Context, status int, msg, pwFor, pw string) {
	ctx := c.Request.Context()
	users, err := s.Store.Users(ctx)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	counties, err := s.Store.Counties(ctx, nil)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	failures, err := s.Failures.AccountFailures(ctx, userNames(users))
	if err != nil {
		s.Log.Warn("users page: login failures unavailable", "err", err)
	}
	s.Out.Render(c, status, "users", console.Frame{Title: "用户", Nav: "users", Flash: httpx.Flash(c), Error: msg,
		Data: console.UsersPage{Users: users, Counties: counties, Roles: account.Roles, NewPassword: pw, NewPasswordFor: pwFor, Failures: failures}})
}

// usersPage is GET /console/users.
func (s *Pages) usersPage(c *gin.Context) {
	if err := auth.RequirePerm(c, account.ManageUsers); err != nil {
		s.Out.Fail(c, err)
		return
	}
	s.renderUsers(c, http.StatusOK, "", "", "")
}

// pageResult answers a users-page form: the page again with the error, or a redirect.
func (s *Pages) usersResult(c *gin.Context, err error) {
	if err == nil {
		httpx.Redirect(c, "/console/users?ok=user")
		return
	}
	e := s.Out.Error(err)
	if e.Status < 500 && e.Status != http.StatusForbidden {
		s.renderUsers(c, e.Status, e.Msg, "", "")
		return
	}
	s.Out.Fail(c, e)
}

// userCreateSubmit is POST /console/users.
func (s *Pages) userCreateSubmit(c *gin.Context) {
	u, pw, err := s.App.CreateUser(c.Request.Context(), s.Access.Actor(c), casework.NewUser{Name: c.PostForm("name"),
		Role: account.Role(c.PostForm("role")), Counties: c.PostFormArray("county"), Password: c.PostForm("password")})
	if err != nil || pw == "" {
		s.usersResult(c, err)
		return
	}
	s.renderUsers(c, http.StatusCreated, "", u.Name, pw)
}

// userUpdateSubmit is POST /console/users/:id.
func (s *Pages) userUpdateSubmit(c *gin.Context) {
	role, counties, disabled := account.Role(c.PostForm("role")), c.PostFormArray("county"), c.PostForm("disabled") == "1"
	_, err := s.App.UpdateUser(c.Request.Context(), s.Access.Actor(c), c.Param("id"), casework.UserChange{Role: &role, Counties: &counties, Disabled: &disabled})
	s.usersResult(c, err)
}

// userResetSubmit is POST /console/users/:id/password.
func (s *Pages) userResetSubmit(c *gin.Context) {
	if err := auth.RequirePerm(c, account.ManageUsers); err != nil {
		s.Out.Fail(c, err)
		return
	}
	u, pw, err := s.App.ResetPassword(c.Request.Context(), s.Access.Actor(c), c.Param("id"))
	if err != nil {
		s.usersResult(c, err)
		return
	}
	s.renderUsers(c, http.StatusOK, "", u.Name, pw)
}

// userNames lists the login names of users (for their failed-login counts).
func userNames(users []account.User) []string {
	names := make([]string, len(users))
	for i := range users {
		names[i] = users[i].Name
	}
	return names
}
