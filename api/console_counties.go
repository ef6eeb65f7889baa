package api

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/survey"
	"renke/web/console"
)

// flashes are the success messages a redirect may ask for with ?ok=.
var flashes = map[string]string{
	"purged":    "已清除本调查应答者的设备号、网络地址摘要和浏览器类型；答卷、权重和报告不受影响，哈希链仍可核验。",
	"county":    "区县已登记。",
	"assigned":  "已分配区县。",
	"created":   "调查已创建（草稿）。",
	"opened":    "调查已开放，现在可以作答。",
	"scheduled": "调查已开放，到开始时间后才可以作答。",
	"closed":    "调查已结束，不再接收答卷。",
	"weights":   "群体权重已保存。",
	"scheme":    "计分方案已保存。",
	"user":      "用户已保存。",
	"password":  "密码已修改，其他设备上的登录已失效。",
	"totp-on":   "两步验证已启用：下次登录时请填写验证器显示的 6 位数字。",
	"totp-off":  "两步验证已关闭。",
	"override":  "裁定已记录。",
	"rules":     "数据质量规则已保存，报告已按新规则重新计算。",
	"frame":     "抽样框已通过检查并保存。",
	"plan":      "样本已抽取，方案已保存。",
}

func flash(c *gin.Context) string { return flashes[c.Query("ok")] }

// visibleCounties lists the registered counties the user sees.
func (s *Server) visibleCounties(c *gin.Context) ([]account.County, error) {
	u := userOf(c)
	var names []string
	if u.Role != account.Admin {
		names = u.Counties
		if names == nil {
			names = []string{}
		}
	}
	return s.store.Counties(c.Request.Context(), names)
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

// countiesPage is GET /console: the county list.
func (s *Server) countiesPage(c *gin.Context) {
	ctx := c.Request.Context()
	u := userOf(c)
	counties, err := s.visibleCounties(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	names := countyNames(counties)
	surveys, err := s.store.Surveys(ctx, surveyFilter(u, names))
	if err != nil {
		s.fail(c, err)
		return
	}
	page := console.CountiesPage{}
	if u.Can(account.ManageUsers) {
		if page.Users, err = s.store.Users(ctx); err != nil {
			s.fail(c, err)
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
	s.render(c, http.StatusOK, "counties", console.Frame{Title: "区县列表", Nav: "counties", Flash: flash(c), Data: page})
}

// createCounty registers a county (admins) through the application layer.
func (s *Server) createCounty(c *gin.Context, name, code string) (*account.County, error) {
	return s.app.RegisterCounty(c.Request.Context(), s.actor(c), name, code)
}

// countyCreateSubmit is POST /console/counties.
func (s *Server) countyCreateSubmit(c *gin.Context) {
	if _, err := s.createCounty(c, c.PostForm("name"), c.PostForm("code")); err != nil {
		s.fail(c, err)
		return
	}
	redirect(c, "/console?ok=county")
}

// countyAssignSubmit is POST /console/counties/:county/assign: adds the county to a user.
func (s *Server) countyAssignSubmit(c *gin.Context) {
	k, err := s.countyFor(c, account.ManageUsers)
	if err != nil {
		s.fail(c, err)
		return
	}
	if _, err := s.app.AssignCounty(c.Request.Context(), s.actor(c), c.PostForm("user"), k.Name); err != nil {
		s.fail(c, err)
		return
	}
	redirect(c, "/console?ok=assigned")
}

// apiCounties is GET /api/v1/counties.
func (s *Server) apiCounties(c *gin.Context) {
	counties, err := s.visibleCounties(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"counties": counties})
}

// apiCreateCounty is POST /api/v1/counties.
func (s *Server) apiCreateCounty(c *gin.Context) {
	if err := requirePerm(c, account.ManageCounties); err != nil {
		s.fail(c, err)
		return
	}
	var in struct {
		Name string `json:"name"`
		Code string `json:"code"`
	}
	if err := readJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	k, err := s.createCounty(c, in.Name, in.Code)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, k)
}
