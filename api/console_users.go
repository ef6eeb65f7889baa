package api

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/casework"
	"renke/web/console"
)

// checkCounties refuses county names that are not registered.
func (s *Server) checkCounties(c *gin.Context, names []string) error {
	if len(names) == 0 {
		return nil
	}
	found, err := s.store.Counties(c.Request.Context(), names)
	if err != nil {
		return err
	}
	for _, n := range names {
		if !slices.ContainsFunc(found, func(k account.County) bool { return k.Name == n }) {
			return cerr(http.StatusUnprocessableEntity, fmt.Sprintf("区县“%s”尚未登记", n))
		}
	}
	return nil
}

// createUser makes a user through the application layer; with no password
// given it generates one and returns it.
func (s *Server) createUser(c *gin.Context, name string, role account.Role, counties []string, password string) (*account.User, string, error) {
	return s.app.CreateUser(c.Request.Context(), s.actor(c), casework.NewUser{Name: name, Role: role, Counties: counties, Password: password})
}

// updateUser changes the user with id through the application layer.
func (s *Server) updateUser(c *gin.Context, id string, ch casework.UserChange) (*account.User, error) {
	return s.app.UpdateUser(c.Request.Context(), s.actor(c), id, ch)
}

// resetPassword gives a user a generated password through the application layer.
func (s *Server) resetPassword(c *gin.Context, id string) (*account.User, string, error) {
	return s.app.ResetPassword(c.Request.Context(), s.actor(c), id)
}

// renderUsers shows the users page, with a new password shown once when given.
func (s *Server) renderUsers(c *gin.Context, status int, msg, pwFor, pw string) {
	ctx := c.Request.Context()
	users, err := s.store.Users(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	counties, err := s.store.Counties(ctx, nil)
	if err != nil {
		s.fail(c, err)
		return
	}
	failures, err := s.kv.AccountFailures(ctx, userNames(users))
	if err != nil {
		s.log.Warn("users page: login failures unavailable", "err", err)
	}
	s.render(c, status, "users", console.Frame{Title: "用户", Nav: "users", Flash: flash(c), Error: msg,
		Data: console.UsersPage{Users: users, Counties: counties, Roles: account.Roles, NewPassword: pw, NewPasswordFor: pwFor, Failures: failures}})
}

// usersPage is GET /console/users.
func (s *Server) usersPage(c *gin.Context) {
	if err := requirePerm(c, account.ManageUsers); err != nil {
		s.fail(c, err)
		return
	}
	s.renderUsers(c, http.StatusOK, "", "", "")
}

// pageResult answers a users-page form: the page again with the error, or a redirect.
func (s *Server) usersResult(c *gin.Context, err error) {
	if err == nil {
		redirect(c, "/console/users?ok=user")
		return
	}
	e := s.asConsoleError(err)
	if e.status < 500 && e.status != http.StatusForbidden {
		s.renderUsers(c, e.status, e.msg, "", "")
		return
	}
	s.fail(c, e)
}

// userCreateSubmit is POST /console/users.
func (s *Server) userCreateSubmit(c *gin.Context) {
	u, pw, err := s.createUser(c, c.PostForm("name"), account.Role(c.PostForm("role")), c.PostFormArray("county"), c.PostForm("password"))
	if err != nil || pw == "" {
		s.usersResult(c, err)
		return
	}
	s.renderUsers(c, http.StatusCreated, "", u.Name, pw)
}

// userUpdateSubmit is POST /console/users/:id.
func (s *Server) userUpdateSubmit(c *gin.Context) {
	role, counties, disabled := account.Role(c.PostForm("role")), c.PostFormArray("county"), c.PostForm("disabled") == "1"
	_, err := s.updateUser(c, c.Param("id"), casework.UserChange{Role: &role, Counties: &counties, Disabled: &disabled})
	s.usersResult(c, err)
}

// userResetSubmit is POST /console/users/:id/password.
func (s *Server) userResetSubmit(c *gin.Context) {
	if err := requirePerm(c, account.ManageUsers); err != nil {
		s.fail(c, err)
		return
	}
	u, pw, err := s.resetPassword(c, c.Param("id"))
	if err != nil {
		s.usersResult(c, err)
		return
	}
	s.renderUsers(c, http.StatusOK, "", u.Name, pw)
}

// apiUsers is GET /api/v1/users.
func (s *Server) apiUsers(c *gin.Context) {
	if err := requirePerm(c, account.ManageUsers); err != nil {
		s.fail(c, err)
		return
	}
	users, err := s.store.Users(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"users": users})
}

// apiCreateUser is POST /api/v1/users.
func (s *Server) apiCreateUser(c *gin.Context) {
	if err := requirePerm(c, account.ManageUsers); err != nil {
		s.fail(c, err)
		return
	}
	var in struct {
		Name     string       `json:"name"`
		Role     account.Role `json:"role"`
		Counties []string     `json:"counties"`
		Password string       `json:"password"`
	}
	if err := readJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, pw, err := s.createUser(c, in.Name, in.Role, in.Counties, in.Password)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := gin.H{"user": u}
	if pw != "" {
		out["password"] = pw
	}
	c.JSON(http.StatusCreated, out)
}

// apiUpdateUser is PATCH /api/v1/users/:id: role, counties, disabled (each optional).
func (s *Server) apiUpdateUser(c *gin.Context) {
	if err := requirePerm(c, account.ManageUsers); err != nil {
		s.fail(c, err)
		return
	}
	var in casework.UserChange
	if err := readJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.updateUser(c, c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// apiResetPassword is POST /api/v1/users/:id/password: a generated password, shown once.
func (s *Server) apiResetPassword(c *gin.Context) {
	if err := requirePerm(c, account.ManageUsers); err != nil {
		s.fail(c, err)
		return
	}
	_, pw, err := s.resetPassword(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"password": pw})
}
