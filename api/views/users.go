package views

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
)

// CheckCounties refuses county names that are not registered.
func (s *Views) CheckCounties(c *gin.Context, names []string) error {
	if len(names) == 0 {
		return nil
	}
	found, err := s.store.Counties(c.Request.Context(), names)
	if err != nil {
		return err
	}
	for _, n := range names {
		if !slices.ContainsFunc(found, func(k account.County) bool { return k.Name == n }) {
			return httpx.E(http.StatusUnprocessableEntity, fmt.Sprintf("区县“%s”尚未登记", n))
		}
	}
	return nil
}

// UserNames lists the login names of users (for their failed-login counts).
func UserNames(users []account.User) []string {
	names := make([]string, len(users))
	for i := range users {
		names[i] = users[i].Name
	}
	return names
}
