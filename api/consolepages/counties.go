package consolepages

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/survey"
	"renke/web/console"
)

// countiesPage is GET /console: the county list.
func (s *Pages) countiesPage(c *gin.Context) {
	ctx := c.Request.Context()
	u := httpx.UserOf(c)
	counties, err := s.Views.VisibleCounties(c)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	names := countyNames(counties)
	surveys, err := s.Store.Surveys(ctx, surveyFilter(u, names))
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	page := console.CountiesPage{}
	if u.Can(account.ManageUsers) {
		if page.Users, err = s.Store.Users(ctx); err != nil {
			s.Out.Fail(c, err)
			return
		}
	}
	for _, k := range counties {
		row := console.CountyRow{County: k}
		for _, sv := range surveys {
			if sv.County == k.Name {
				row.Surveys++
				if sv.Status == survey.Open {
					row.Open++
				}
			}
		}
		for _, us := range page.Users {
			if slices.Contains(us.Counties, k.Name) {
				row.Users = append(row.Users, us)
			}
		}
		page.Counties = append(page.Counties, row)
	}
	if u.Can(account.ManageCounties) {
		for _, sv := range surveys {
			if !slices.Contains(names, sv.County) && !slices.Contains(page.Unregistered, sv.County) {
				page.Unregistered = append(page.Unregistered, sv.County)
			}
		}
	}
	s.Out.Render(c, http.StatusOK, "counties", console.Frame{Title: "区县列表", Nav: "counties", Flash: httpx.Flash(c), Data: page})
}

// countyCreateSubmit is POST /console/counties.
func (s *Pages) countyCreateSubmit(c *gin.Context) {
	if _, err := s.App.RegisterCounty(c.Request.Context(), s.Access.Actor(c), c.PostForm("name"), c.PostForm("code")); err != nil {
		s.Out.Fail(c, err)
		return
	}
	httpx.Redirect(c, "/console?ok=county")
}

// countyAssignSubmit is POST /console/counties/:county/assign: adds the county to a user.
func (s *Pages) countyAssignSubmit(c *gin.Context) {
	k, err := s.Access.CountyFor(c, account.ManageUsers)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	if _, err := s.App.AssignCounty(c.Request.Context(), s.Access.Actor(c), c.PostForm("user"), k.Name); err != nil {
		s.Out.Fail(c, err)
		return
	}
	httpx.Redirect(c, "/console?ok=assigned")
}

// countyNames lists the counties' names.
func countyNames(counties []account.County) []string {
	names := make([]string, len(counties))
	for i, k := range counties {
		names[i] = k.Name
	}
	return names
}

// surveyFilter is the county filter of the surveys u sees: nil (every survey,
// registered county or not) for admins, else the names of u's visible counties.
func surveyFilter(u *account.User, visible []string) []string {
	if u.Role == account.Admin {
		return nil
	}
	return visible
}
