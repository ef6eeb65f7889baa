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
	return s.Store.Counties(c.Request.Context(), names)
}
