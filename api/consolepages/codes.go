package consolepages

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/casework"
	"renke/internal/csvsafe"
	"renke/survey"
	"renke/web/console"
)

func choices[T ~string](values []T, label func(T) string) []console.Option {
	out := make([]console.Option, len(values))
	for i, v := range values {
		out[i] = console.Option{Value: string(v), Label: label(v)}
	}
	return out
}

// renderCodes shows the codes page with the form as typed.
func (s *Pages) renderCodes(c *gin.Context, status int, sv *survey.Survey, in casework.IssueInput, issued int, msg string) {
	rows, err := s.Views.CodeRows(c, sv, "")
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	page := console.CodesPage{Survey: sv, Issued: issued,
		Form:   console.IssueForm{Kind: in.Kind, Group: in.Group, Band: in.Band, School: in.School, SchoolName: in.SchoolName, Township: in.Township, Urbanicity: in.Urbanicity, Quota: in.Quota, Count: in.Count, OutOfPlan: in.OutOfPlan},
		Groups: choices(survey.Groups, survey.Group.Label), Bands: choices(survey.Bands, survey.Band.Label),
		Urbanicities: choices(survey.Urbanicities, func(u survey.Urbanicity) string { return string(u) })}
	batches := map[string]int{}
	for _, r := range rows {
		if r.Kind == survey.SharedCode {
			name := r.SchoolName
			if name == "" {
				name = r.School
			}
			n := len(page.Schools)
			if n == 0 || page.Schools[n-1].Name != name || page.Schools[n-1].Township != r.Township {
				page.Schools = append(page.Schools, console.SchoolCodes{Name: name, Township: r.Township})
				n++
			}
			page.Schools[n-1].Codes = append(page.Schools[n-1].Codes, console.CodeRow{Code: r.Code, URL: r.URL, Used: r.Used, State: r.State})
			continue
		}
		i, ok := batches[r.Batch]
		if !ok {
			i = len(page.Batches)
			batches[r.Batch] = i
			page.Batches = append(page.Batches, console.BatchRow{Batch: r.Batch, Purpose: r.Purpose, Group: r.Group, School: r.SchoolLabel(), Created: r.Created})
		}
		page.Batches[i].Count++
		page.Batches[i].Used += r.Used
		if r.State == survey.UseVoided {
			page.Batches[i].Voided++
		}
	}
	f := console.Frame{Title: "发放二维码", Nav: "counties", Error: msg, Data: page,
		Crumbs: append(countyCrumbs(sv.County), console.Crumb{Label: sv.Title, URL: "/console/surveys/" + sv.ID})}
	if issued > 0 {
		f.Flash = fmt.Sprintf("已发放 %d 个访问码。", issued)
	}
	s.Out.Render(c, status, "codes", f)
}

// codesPage is GET /console/surveys/:id/codes.
func (s *Pages) codesPage(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ManageCodes)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	issued, _ := strconv.Atoi(c.Query("issued"))
	s.renderCodes(c, http.StatusOK, sv, casework.IssueInput{Kind: string(survey.SharedCode), Group: string(survey.Parent)}, issued, "")
}

// codesSubmit is POST /console/surveys/:id/codes.
func (s *Pages) codesSubmit(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ManageCodes)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	quota, _ := strconv.Atoi(strings.TrimSpace(c.PostForm("quota")))
	count, _ := strconv.Atoi(strings.TrimSpace(c.PostForm("count")))
	in := casework.IssueInput{Kind: c.PostForm("kind"), Group: c.PostForm("group"), Band: c.PostForm("band"), School: c.PostForm("school"),
		SchoolName: c.PostForm("school_name"), Township: c.PostForm("township"), Urbanicity: c.PostForm("urbanicity"), Quota: quota, Count: count,
		OutOfPlan: c.PostForm("out_of_plan")}
	codes, err := s.App.IssueCodes(c.Request.Context(), s.Access.Actor(c), sv.ID, in)
	if err != nil {
		e := s.Out.Error(err)
		if e.Status < 500 && codes == nil {
			s.renderCodes(c, e.Status, sv, in, 0, e.Msg)
			return
		}
		s.Out.Fail(c, e)
		return
	}
	httpx.Redirect(c, fmt.Sprintf("/console/surveys/%s/codes?issued=%d", sv.ID, len(codes)))
}

// codesCSV is GET /console/surveys/:id/codes.csv[?batch=]: the codes with
// their URLs, for printing until the QR sheets exist (UTF-8 with BOM for Excel).
func (s *Pages) codesCSV(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ManageCodes)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	rows, err := s.Views.CodeRows(c, sv, c.Query("batch"))
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csvsafe.NewWriter(&buf)
	w.Write([]string{"code", "url", "kind", "group", "group_label", "school", "school_name", "township", "urbanicity", "band", "quota", "used", "state", "purpose", "batch", "created"})
	for _, r := range rows {
		w.Write([]string{r.Code.Code, r.URL, string(r.Kind), string(r.Group), r.Group.Label(), r.School, r.SchoolName, r.Township,
			string(r.Urbanicity), string(r.Band), strconv.Itoa(r.Quota), strconv.FormatInt(r.Used, 10), r.StateLabel, r.Purpose, r.Batch, console.When(r.Created)})
	}
	w.Flush()
	httpx.Attachment(c, fmt.Sprintf("codes-%s.csv", sv.ID), "text/csv; charset=utf-8", buf.Bytes())
}
