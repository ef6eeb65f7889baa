package render

import (
	"fmt"
	"sort"

	"renke/report"
	"renke/survey"
)

// sampleView is the sample achieved against the plan.
type sampleView struct {
	HasPlan                   bool
	Seed                      int64
	Planned, Received, Valid  int
	Fill                      float64 // Received / Planned
	Groups, Urbanicities      []sampleRow
	Bands, County             []sampleRow
	Schools                   []quotaRow
	SchoolSummary             string
	Unplanned                 int            // responses from schools the plan did not draw
	UnderHalf, Full, OverFull int            // drawn schools by quota fill
	OutOfPlan                 []outOfPlanRow // codes issued outside the plan, with their reasons
}

// sampleRow is one category's planned and achieved numbers.
type sampleRow struct {
	Label    string
	Planned  int
	HasPlan  bool
	Received int
	Valid    int
	Fill     float64 // Received / Planned
}

// quotaRow is one drawn school's quota fill.
type quotaRow struct {
	Code, Name, Township string
	Urbanicity           survey.Urbanicity
	sampleRow
}

type tally struct{ received, valid int }

type tallies map[string]*tally

func (t tallies) add(key string, valid bool) {
	c := t[key]
	if c == nil {
		c = &tally{}
		t[key] = c
	}
	c.received++
	if valid {
		c.valid++
	}
}

func (t tallies) get(key string) tally {
	if c := t[key]; c != nil {
		return *c
	}
	return tally{}
}

func row(label string, planned int, hasPlan bool, t tally) sampleRow {
	r := sampleRow{Label: label, Planned: planned, HasPlan: hasPlan, Received: t.received, Valid: t.valid}
	if hasPlan && planned > 0 {
		r.Fill = float64(t.received) / float64(planned)
	}
	return r
}

// isValid reports whether a response enters the rates: not excluded and with
// a scored answer.
func isValid(in *report.Published, r *survey.Response) bool {
	if in.Quality != nil {
		if d, ok := in.Quality.Decision(r.ID); ok && d.Excluded {
			return false
		}
	}
	_, ok := in.Survey.Scheme.RespondentScore(r.Answers)
	return ok
}

func newSample(in *report.Published, names map[string]schoolInfo) sampleView {
	groups, urbs, bands, county, schools := tallies{}, tallies{}, tallies{}, tallies{}, tallies{}
	var s sampleView
	for i := range in.Responses {
		r := &in.Responses[i]
		ok := isValid(in, r)
		s.Received++
		if ok {
			s.Valid++
		}
		groups.add(string(r.Group), ok)
		if r.Group != survey.Deputy && r.Group != survey.CPPCC {
			urbs.add(string(r.Urbanicity), ok)
		}
		if r.Band != "" {
			bands.add(string(r.Group)+"|"+string(r.Band), ok)
		}
		if r.Group.ViaSchool() {
			schools.add(r.School, ok)
		} else {
			county.add(string(r.Group)+"|"+string(r.Urbanicity), ok)
			if r.Urbanicity != "" { // quotas without a stratum count every stratum
				county.add(string(r.Group)+"|", ok)
			}
		}
	}
	p := in.Plan
	s.HasPlan = p != nil
	planned := func(m map[string]int, k string) int { return m[k] }
	byGroup, byUrb, byBand := map[string]int{}, map[string]int{}, map[string]int{}
	if p != nil {
		s.Seed, s.Planned = p.Seed, p.Total
		for g, n := range p.ByGroup {
			byGroup[string(g)] = n
		}
		for u, n := range p.ByUrbanicity {
			byUrb[string(u)] = n
		}
		for _, c := range p.Cells {
			if c.Band != "" {
				byBand[string(c.Group)+"|"+string(c.Band)] += c.Quota.Quota
			}
		}
		if s.Planned > 0 {
			s.Fill = float64(s.Received) / float64(s.Planned)
		}
	}
	for _, g := range survey.Groups {
		if s.HasPlan || groups[string(g)] != nil {
			s.Groups = append(s.Groups, row(g.Label(), planned(byGroup, string(g)), s.HasPlan, groups.get(string(g))))
		}
		for _, b := range survey.BandsFor(g) {
			k := string(g) + "|" + string(b)
			if byBand[k] > 0 || bands[k] != nil {
				s.Bands = append(s.Bands, row(g.Label()+" · "+b.Label(), byBand[k], s.HasPlan, bands.get(k)))
			}
		}
	}
	for _, u := range survey.Urbanicities {
		s.Urbanicities = append(s.Urbanicities, row(string(u), byUrb[string(u)], s.HasPlan, urbs.get(string(u))))
	}
	if p == nil {
		return s
	}
	for _, q := range p.CountyQuotas {
		label := q.Group.Label()
		if q.Urbanicity != "" {
			label += " · " + string(q.Urbanicity)
		}
		s.County = append(s.County, row(label, q.Quota, true, county.get(string(q.Group)+"|"+string(q.Urbanicity))))
	}
	drawn := map[string]bool{}
	for _, sp := range p.Schools {
		drawn[sp.SchoolCode] = true
		qr := quotaRow{Code: sp.SchoolCode, Name: schoolName(names, sp.SchoolCode), Township: sp.Township,
			Urbanicity: sp.Urbanicity, sampleRow: row(sp.Name, sp.Total, true, schools.get(sp.SchoolCode))}
		switch {
		case qr.Fill < 0.5:
			s.UnderHalf++
		case qr.Received > qr.Planned:
			s.OverFull++
		case qr.Received == qr.Planned:
			s.Full++
		}
		s.Schools = append(s.Schools, qr)
	}
	for code, t := range schools {
		if !drawn[code] {
			s.Unplanned += t.received
		}
	}
	sort.SliceStable(s.Schools, func(a, b int) bool { return s.Schools[a].Fill < s.Schools[b].Fill })
	s.SchoolSummary = fmt.Sprintf("抽中学校 %d 所：恰好完成配额 %d 所，超出配额 %d 所，完成不足一半 %d 所。",
		len(p.Schools), s.Full, s.OverFull, s.UnderHalf)
	if s.Unplanned > 0 {
		s.SchoolSummary += fmt.Sprintf("另有 %d 份应答来自未抽中的学校。", s.Unplanned)
	}
	return s
}
