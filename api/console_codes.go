package api

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/casework"
	"renke/internal/csvsafe"
	"renke/survey"
	"renke/web/console"
)

// issueInput is what issuing codes takes (form fields and JSON alike).
type issueInput = casework.IssueInput

// issueCodes issues the codes in asks for through the application layer.
func (s *Server) issueCodes(c *gin.Context, id string, in issueInput) ([]survey.Code, error) {
	codes, err := s.app.IssueCodes(c.Request.Context(), s.actor(c), id, in)
	if len(codes) > 0 {
		s.forgetProgress(id) // new quotas
	}
	return codes, err
}

// codeRow is a code as the API lists it.
type codeRow struct {
	survey.Code
	URL        string         `json:"url"`
	Used       int64          `json:"used"`
	State      survey.CodeUse `json:"state"`
	StateLabel string         `json:"state_label"`
	Purpose    string         `json:"purpose"`
}

// newCodeRow is code k, used times, as the lists show it.
func newCodeRow(k survey.Code, base string, used int64) codeRow {
	st := survey.UseOf(k, used)
	return codeRow{Code: k, URL: k.URL(base), Used: used, State: st, StateLabel: st.Label(), Purpose: k.Purpose()}
}

func (s *Server) codeRows(c *gin.Context, sv *survey.Survey, batch string) ([]codeRow, error) {
	codes, err := s.store.Codes(c.Request.Context(), sv.ID)
	if err != nil {
		return nil, err
	}
	counts, err := s.store.CountsByCode(c.Request.Context(), sv.ID)
	if err != nil {
		return nil, err
	}
	survey.OrderCodes(codes)
	out := make([]codeRow, 0, len(codes))
	for _, k := range codes {
		if batch == "" || k.Batch == batch {
			out = append(out, newCodeRow(k, s.cfg.PublicURL, counts[k.Code]))
		}
	}
	return out, nil
}

func choices[T ~string](values []T, label func(T) string) []console.Option {
	out := make([]console.Option, len(values))
	for i, v := range values {
		out[i] = console.Option{Value: string(v), Label: label(v)}
	}
	return out
}

// renderCodes shows the codes page with the form as typed.
func (s *Server) renderCodes(c *gin.Context, status int, sv *survey.Survey, in issueInput, issued int, msg string) {
	rows, err := s.codeRows(c, sv, "")
	if err != nil {
		s.fail(c, err)
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
	s.render(c, status, "codes", f)
}

// codesPage is GET /console/surveys/:id/codes.
func (s *Server) codesPage(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ManageCodes)
	if err != nil {
		s.fail(c, err)
		return
	}
	issued, _ := strconv.Atoi(c.Query("issued"))
	s.renderCodes(c, http.StatusOK, sv, issueInput{Kind: string(survey.SharedCode), Group: string(survey.Parent)}, issued, "")
}

// codesSubmit is POST /console/surveys/:id/codes.
func (s *Server) codesSubmit(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ManageCodes)
	if err != nil {
		s.fail(c, err)
		return
	}
	quota, _ := strconv.Atoi(strings.TrimSpace(c.PostForm("quota")))
	count, _ := strconv.Atoi(strings.TrimSpace(c.PostForm("count")))
	in := issueInput{Kind: c.PostForm("kind"), Group: c.PostForm("group"), Band: c.PostForm("band"), School: c.PostForm("school"),
		SchoolName: c.PostForm("school_name"), Township: c.PostForm("township"), Urbanicity: c.PostForm("urbanicity"), Quota: quota, Count: count,
		OutOfPlan: c.PostForm("out_of_plan")}
	codes, err := s.issueCodes(c, sv.ID, in)
	if err != nil {
		e := s.asConsoleError(err)
		if e.status < 500 && codes == nil {
			s.renderCodes(c, e.status, sv, in, 0, e.msg)
			return
		}
		s.fail(c, e)
		return
	}
	redirect(c, fmt.Sprintf("/console/surveys/%s/codes?issued=%d", sv.ID, len(codes)))
}

// codesCSV is GET /console/surveys/:id/codes.csv[?batch=]: the codes with
// their URLs, for printing until the QR sheets exist (UTF-8 with BOM for Excel).
func (s *Server) codesCSV(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ManageCodes)
	if err != nil {
		s.fail(c, err)
		return
	}
	rows, err := s.codeRows(c, sv, c.Query("batch"))
	if err != nil {
		s.fail(c, err)
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
	attachment(c, fmt.Sprintf("codes-%s.csv", sv.ID), "text/csv; charset=utf-8", buf.Bytes())
}

// apiCodes is GET /api/v1/surveys/:id/codes.
func (s *Server) apiCodes(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ManageCodes)
	if err != nil {
		s.fail(c, err)
		return
	}
	rows, err := s.codeRows(c, sv, c.Query("batch"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"codes": rows})
}

// apiIssueCodes is POST /api/v1/surveys/:id/codes.
func (s *Server) apiIssueCodes(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ManageCodes)
	if err != nil {
		s.fail(c, err)
		return
	}
	var in issueInput
	if err := readJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	codes, err := s.issueCodes(c, sv.ID, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	rows := make([]codeRow, len(codes))
	for i, k := range codes {
		rows[i] = newCodeRow(k, s.cfg.PublicURL, 0)
	}
	c.JSON(http.StatusCreated, gin.H{"batch": codes[0].Batch, "codes": rows})
}
