package views

import (
	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
)

// VisibleCounties lists the registered counties the user sees.
func (s *Views) VisibleCounties(c *gin.Context) ([]account.County, error) {
	u := httpx.UserOf(c)
	var names []string
	if u.Role != account.Admin {
		names = u.Counties
		if names == nil {
			names = []string{}
		}
	}
	return s.store.Counties(c.Request.Context(), names)
}

// CountyNames lists the counties' names.
func CountyNames(counties []account.County) []string {
	names := make([]string, len(counties))
	for i, k := range counties {
		names[i] = k.Name
	}
	return names
}

// SurveyFilter is the county filter of the surveys u sees: nil (every survey,
// registered county or not) for admins, else the names of u's visible counties.
func SurveyFilter(u *account.User, visible []string) []string {
	if u.Role == account.Admin {
		return nil
	}
	return visible
}
