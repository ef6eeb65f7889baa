package views

import (
	"context"
	"sort"
	"time"

	"renke/survey"
	"renke/web/console"
)

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
// Progress, which shares the result between viewers.
func (s *Views) computeProgress(ctx context.Context, sv *survey.Survey) (console.Progress, error) {
	p := console.Progress{Survey: sv.ID, Status: string(sv.Status), Updated: s.Now(), Quotas: []console.QuotaRow{}, Hours: []console.HourRow{}}
	codes, err := s.Store.Codes(ctx, sv.ID)
	if err != nil {
		return p, err
	}
	var rs []survey.Response
	counts := map[string]int64{}
	hours := map[time.Time]int64{}
	err = s.Store.EachResponse(ctx, sv.ID, func(r *survey.Response) error {
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
