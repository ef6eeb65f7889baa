package consolepages

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/casework"
	"renke/store"
	"renke/survey"
	"renke/web/console"
)

// formSummaries describes a survey's (or the templates') forms in form order.
// formSummaries lists the forms with a phone preview per group that answers
// them, under base (/console/preview or /console/surveys/<id>/preview).
func formSummaries(forms map[survey.FormKind]survey.Questionnaire, base string) []console.FormSummary {
	var out []console.FormSummary
	for _, k := range survey.FormKinds {
		q, ok := forms[k]
		if !ok {
			continue
		}
		var groups []string
		var previews []console.Option
		for _, g := range survey.Groups {
			if g.Form() == k {
				groups = append(groups, g.Label())
				previews = append(previews, console.Option{Value: base + "/" + string(k) + "?group=" + string(g), Label: g.Label()})
			}
		}
		out = append(out, console.FormSummary{Kind: k, Label: k.Label(), Title: q.Title, Version: q.Version,
			Items: len(q.Items), Groups: strings.Join(groups, "、"), Previews: previews})
	}
	return out
}

func countyCrumbs(county string) []console.Crumb {
	return []console.Crumb{{Label: "区县", URL: "/console"}, {Label: county, URL: "/console/counties/" + pathEscape(county)}}
}

// surveysPage is GET /console/counties/:county: the county's surveys.
func (s *Pages) surveysPage(c *gin.Context) {
	k, err := s.Access.CountyFor(c, account.ViewSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	list, err := s.Store.Surveys(c.Request.Context(), []string{k.Name})
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	s.Out.Render(c, http.StatusOK, "surveys", console.Frame{Title: k.Name + " · 调查列表", Nav: "counties",
		Crumbs: countyCrumbs(k.Name)[:1], Data: console.SurveysPage{County: *k, Surveys: list}})
}

// levelLabel names option code by its neutral level and each form's words
// for it, e.g. 第一档（满意／认可）.
func levelLabel(forms map[survey.FormKind]survey.Questionnaire, code string) string {
	seen := map[string]bool{}
	var words []string
	for _, k := range survey.FormKinds {
		if q, ok := forms[k]; ok && !seen[q.OptionLabel(code)] {
			seen[q.OptionLabel(code)] = true
			words = append(words, q.OptionLabel(code))
		}
	}
	return survey.LevelWord(code) + "（" + strings.Join(words, "／") + "）"
}

func defaultWindow(now time.Time) (time.Time, time.Time) {
	opens := now.In(survey.Shanghai).Truncate(time.Hour).Add(time.Hour)
	return opens, opens.AddDate(0, 0, 30)
}

// newSurveyPage is GET /console/counties/:county/surveys/new.
func (s *Pages) newSurveyPage(c *gin.Context) {
	k, err := s.Access.CountyFor(c, account.CreateSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	opens, closes := defaultWindow(s.Now())
	page := console.NewSurveyPage{County: *k, Title: k.Name + "义务教育优质均衡发展社会认可度调查",
		Opens: opens, Closes: closes, Scheme: "default", Forms: formSummaries(survey.DefaultForms(), "/console/preview"),
		Default: survey.Scoring(survey.DefaultForms(), survey.DefaultScheme()), Graded: survey.Scoring(survey.DefaultForms(), survey.GradedScheme())}
	s.Out.Render(c, http.StatusOK, "survey_new", console.Frame{Title: "新建调查", Nav: "counties", Crumbs: countyCrumbs(k.Name), Data: page})
}

// surveyCreateSubmit is POST /console/counties/:county/surveys.
func (s *Pages) surveyCreateSubmit(c *gin.Context) {
	k, err := s.Access.CountyFor(c, account.CreateSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	in := casework.NewSurvey{Title: c.PostForm("title"), Scheme: c.PostForm("scheme")}
	page := console.NewSurveyPage{County: *k, Title: in.Title, Scheme: in.Scheme, Forms: formSummaries(survey.DefaultForms(), "/console/preview"),
		Default: survey.Scoring(survey.DefaultForms(), survey.DefaultScheme()), Graded: survey.Scoring(survey.DefaultForms(), survey.GradedScheme())}
	var perr error
	if in.Opens, perr = console.ParseInputTime(c.PostForm("opens")); perr == nil {
		in.Closes, perr = console.ParseInputTime(c.PostForm("closes"))
	}
	page.Opens, page.Closes = in.Opens, in.Closes
	var sv *survey.Survey
	if perr != nil {
		err = httpx.Invalid(perr)
	} else {
		in.County = k.Name
		sv, err = s.App.CreateSurvey(c.Request.Context(), s.Access.Actor(c), in)
	}
	if err != nil {
		e := s.Out.Error(err)
		if sv == nil && e.Status < 500 {
			s.Out.Render(c, e.Status, "survey_new", console.Frame{Title: "新建调查", Nav: "counties", Crumbs: countyCrumbs(k.Name), Error: e.Msg, Data: page})
			return
		}
		s.Out.Fail(c, e)
		return
	}
	httpx.Redirect(c, "/console/surveys/"+sv.ID+"?ok=created")
}

// surveyView gathers what the survey page shows.
func (s *Pages) surveyView(c *gin.Context, sv *survey.Survey) (console.SurveyPage, error) {
	ctx := c.Request.Context()
	u := httpx.UserOf(c)
	page := console.SurveyPage{Survey: sv, Forms: formSummaries(sv.Forms, "/console/surveys/"+sv.ID+"/preview"),
		Editable: sv.Status == survey.Draft && u.Can(account.EditSurvey),
		CanOpen:  sv.Status == survey.Draft && u.Can(account.RunSurvey),
		CanClose: sv.Status == survey.Open && u.Can(account.RunSurvey),
		CanPurge: sv.Ended() && u.Can(account.PurgePersonal)}
	for _, g := range survey.Groups {
		page.Weights = append(page.Weights, console.WeightRow{Group: g, Label: g.Label(), Value: sv.GroupWeights[g]})
	}
	for _, code := range survey.OptionCodes {
		row := console.SchemeRow{Code: code, Label: levelLabel(sv.Forms, code)}
		if v, ok := sv.Scheme[code]; ok {
			row.Score = formatFloat(v)
		}
		page.Scheme = append(page.Scheme, row)
	}
	page.Scoring = survey.Scoring(sv.Forms, sv.Scheme)
	n, _, err := s.Store.Head(ctx, sv.ID)
	if err != nil {
		return page, err
	}
	page.Responses = n
	page.Audit, err = s.Store.Audit(ctx, store.AuditFilter{Survey: sv.ID}, 50)
	return page, err
}

// surveyPage is GET /console/surveys/:id.
func (s *Pages) surveyPage(c *gin.Context) {
	sv, err := s.Access.SurveyFor(c, account.ViewSurvey)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	s.renderSurvey(c, http.StatusOK, sv, "")
}

func (s *Pages) renderSurvey(c *gin.Context, status int, sv *survey.Survey, msg string) {
	page, err := s.surveyView(c, sv)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	s.Out.Render(c, status, "survey", console.Frame{Title: sv.Title, Nav: "counties", Crumbs: countyCrumbs(sv.County),
		Flash: httpx.Flash(c), Error: msg, Data: page})
}
