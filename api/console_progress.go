package api

import (
	"bytes"
	"context"
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/survey"
	"renke/web/console"
)

// progressHours is how many of the latest hours with responses the page shows.
const progressHours = 72

// quotaKey identifies one school × group × band.
type quotaKey struct {
	school string
	group  survey.Group
	band   survey.Band
}

func groupIndex(g survey.Group) int {
	for i, x := range survey.Groups {
		if x == g {
			return i
		}
	}
	return len(survey.Groups)
}

func bandIndex(b survey.Band) int {
	for i, x := range survey.Bands {
		if x == b {
			return i
		}
	}
	return -1 // "any band" first
}

// computeProgress computes a survey's quota fill by school × group × band
// from its codes (a shared code's quota, one place per one-time code) and
// their use counts, its responses per hour (Asia/Shanghai) and its quality
// summary, all from one read of its responses. Updated is when the read
// began: every response submitted before then is counted. Callers go through
// progress, which shares the result between viewers.
func (s *Server) computeProgress(ctx context.Context, sv *survey.Survey) (console.Progress, error) {
	p := console.Progress{Survey: sv.ID, Status: string(sv.Status), Updated: s.now(), Quotas: []console.QuotaRow{}, Hours: []console.HourRow{}}
	codes, err := s.store.Codes(ctx, sv.ID)
	if err != nil {
		return p, err
	}
	var rs []survey.Response
	counts := map[string]int64{}
	hours := map[time.Time]int64{}
	err = s.store.EachResponse(ctx, sv.ID, func(r *survey.Response) error {
		rs = append(rs, *r)
		counts[r.Code]++
		hours[survey.HourStart(r.SubmittedAt, survey.Shanghai)]++
		return nil
	})
	if err != nil {
		return p, err
	}
	rows := map[quotaKey]*console.QuotaRow{}
	for _, k := range codes {
		key := quotaKey{k.School, k.Group, k.Band}
		r := rows[key]
		if r == nil {
			r = &console.QuotaRow{School: k.School, SchoolName: k.SchoolName, Group: k.Group, GroupLabel: k.Group.Label(),
				Band: k.Band, BandLabel: k.Band.Label()}
			rows[key] = r
		}
		if k.Kind == survey.SharedCode {
			r.Quota += int64(k.Quota)
		} else {
			r.Quota++
		}
		r.Used += counts[k.Code]
	}
	for _, r := range rows {
		p.Quotas = append(p.Quotas, *r)
		p.Quota += r.Quota
	}
	p.Responses = int64(len(rs))
	sort.Slice(p.Quotas, func(i, j int) bool {
		a, b := p.Quotas[i], p.Quotas[j]
		if a.School != b.School {
			return a.School < b.School
		}
		if a.Group != b.Group {
			return groupIndex(a.Group) < groupIndex(b.Group)
		}
		return bandIndex(a.Band) < bandIndex(b.Band)
	})
	q, err := s.qualityOf(ctx, sv.ID, rs)
	if err != nil {
		return p, err
	}
	qs := q.Summary()
	p.Flagged, p.Excluded = qs.Flagged, qs.Excluded
	for h, n := range hours {
		p.Hours = append(p.Hours, console.HourRow{Hour: h, Count: n})
	}
	sort.Slice(p.Hours, func(i, j int) bool { return p.Hours[i].Hour.Before(p.Hours[j].Hour) })
	return p, nil
}

// progressPageData is the progress of a survey as the page shows it: the
// latest hours only, newest first.
func (s *Server) progressPageData(c *gin.Context) (console.Frame, error) {
	sv, err := s.surveyFor(c, account.ViewProgress)
	if err != nil {
		return console.Frame{}, err
	}
	p, err := s.progress(c, sv)
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
func (s *Server) progressPage(c *gin.Context) {
	f, err := s.progressPageData(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "progress", f)
}

// progressPanel is GET /console/surveys/:id/progress/panel: the part htmx
// swaps in every 10 seconds.
func (s *Server) progressPanel(c *gin.Context) {
	f, err := s.progressPageData(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	f.User = userOf(c)
	var buf bytes.Buffer
	if err := s.cs().pages.Fragment(&buf, "progress", "panel", f); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

// apiProgress is GET /api/v1/surveys/:id/progress.
func (s *Server) apiProgress(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ViewProgress)
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.progress(c, sv)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
