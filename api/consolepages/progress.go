package consolepages

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/web/console"
)

// progressHours is how many of the latest hours with responses the page shows.
const progressHours = 72

// progressPageData is the progress of a survey as the page shows it: the
// latest hours only, newest first.
func (s *Pages) progressPageData(c *gin.Context) (console.Frame, error) {
	sv, err := s.Access.SurveyFor(c, account.ViewProgress)
	if err != nil {
		return console.Frame{}, err
	}
	p, err := s.Views.Progress(c, sv)
	if err != nil {
		return console.Frame{}, err
	}
	if len(p.Hours) > progressHours {
		p.Hours = p.Hours[len(p.Hours)-progressHours:]
	}
	for i, j := 0, len(p.Hours)-1; i < j; i, j = i+1, j-1 {
		p.Hours[i], p.Hours[j] = p.Hours[j], p.Hours[i]
	}
	for _, h := range p.Hours {
		p.MaxHour = max(p.MaxHour, h.Count)
	}
	return console.Frame{Title: sv.Title + " · 进度", Nav: "counties", Data: console.ProgressPage{Survey: sv, Progress: p},
		Crumbs: append(countyCrumbs(sv.County), console.Crumb{Label: sv.Title, URL: "/console/surveys/" + sv.ID})}, nil
}

// progressPage is GET /console/surveys/:id/progress.
func (s *Pages) progressPage(c *gin.Context) {
	f, err := s.progressPageData(c)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	s.Out.Render(c, http.StatusOK, "progress", f)
}

// progressPanel is GET /console/surveys/:id/progress/panel: the part htmx
// swaps in every 10 seconds.
func (s *Pages) progressPanel(c *gin.Context) {
	f, err := s.progressPageData(c)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	f.User = httpx.UserOf(c)
	var buf bytes.Buffer
	if err := s.Out.Pages.Fragment(&buf, "progress", "panel", f); err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}
