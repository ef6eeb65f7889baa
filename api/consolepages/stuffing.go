package consolepages

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/api/views"
	"renke/web/console"
)

// stuffingPage is GET /console/surveys/:id/stuffing?rule=&school=&group=.
func (s *Pages) stuffingPage(c *gin.Context) {
	sv, f, d, ok := s.Views.StuffingFinding(c)
	if !ok {
		return
	}
	page := console.StuffingPage{Survey: sv, Finding: f, SchoolName: f.School,
		CanOverride: httpx.UserOf(c).Can(account.OverrideExclusion)}
	if d.Plan != nil {
		for _, sp := range d.Plan.Schools {
			if sp.SchoolCode == f.School {
				page.SchoolName = sp.Name + "（" + sp.SchoolCode + "）"
			}
		}
	}
	if f.School == "" {
		page.SchoolName = "全县名单（不经学校）"
	}
	page.Items, page.Responses = views.Evidence(d, f)
	s.Out.Render(c, http.StatusOK, "stuffing", console.Frame{Title: sv.Title + " · " + f.Label, Nav: "counties", Data: page,
		Crumbs: append(countyCrumbs(sv.County), console.Crumb{Label: sv.Title, URL: "/console/surveys/" + sv.ID},
			console.Crumb{Label: "报告", URL: "/console/surveys/" + sv.ID + "/report"})})
}
