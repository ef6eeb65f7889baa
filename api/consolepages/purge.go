package consolepages

import (
	"github.com/gin-gonic/gin"

	"renke/survey"
)

// surveyPurgeSubmit is the console's 清除应答者个人信息 form.
func (s *Pages) surveyPurgeSubmit(c *gin.Context) {
	s.surveyAction(c, "purged", func(id string) (*survey.Survey, error) {
		sv, _, err := s.App.Purge(c.Request.Context(), s.Access.Actor(c), id)
		return sv, err
	})
}
