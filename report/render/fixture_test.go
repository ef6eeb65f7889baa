package render

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"renke/report"
	"renke/sampling"
	"renke/survey"
)

// generated is the fixed generation time of the test reports.
var generated = time.Date(2025, 6, 1, 2, 30, 0, 0, time.UTC)

// testFrame is a county of 30 schools over the three strata.
func testFrame() *sampling.Frame {
	f := &sampling.Frame{County: sampling.County{Name: "清河县", Population: 300000, Urban: 110000, Town: 120000, Rural: 70000,
		Deputies: 260, CPPCC: 210}}
	types := []sampling.SchoolType{sampling.Primary, sampling.Primary, sampling.Junior, sampling.Nine}
	for i := range 30 {
		s := sampling.School{Code: fmt.Sprintf("S%02d", i), Name: fmt.Sprintf("清河县第%d学校", i+1),
			Township:   fmt.Sprintf("%s镇", []string{"东城", "西河", "南山", "北坡", "中和"}[i%5]),
			Urbanicity: survey.Urbanicities[i%3], Type: types[i%4], Teachers: 40 + i, Principals: 2}
		for g := 1; g <= 9; g++ {
			if s.Type.HasGrade(g) {
				s.Enrolment[g-1] = 80 + 7*i + 3*g
			}
		}
		f.Schools = append(f.Schools, s)
	}
	return f
}

// fixture builds a report input: a drawn sample, responses filling most
// quotas (one school coached: identical sheets in a burst from one address),
// the quality rules and the estimates.
func fixture(t testing.TB) *report.Published {
	t.Helper()
	f := testFrame()
	seed := int64(20250601)
	plan, err := sampling.MakePlan(f, sampling.Options{Seed: &seed})
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	sv := newSurvey(t, "清河县")
	rng := rand.New(rand.NewPCG(3, 5))
	start := time.Date(2025, 5, 20, 1, 0, 0, 0, time.UTC)
	var rs []survey.Response
	add := func(g survey.Group, school string, sp *sampling.SchoolPlan, u survey.Urbanicity, b survey.Band, p float64, coached bool) {
		i := len(rs)
		r := survey.Response{ID: fmt.Sprintf("r%05d", i), SurveyID: sv.ID, Code: fmt.Sprint("c", i), CodeKind: survey.SharedCode,
			Group: g, School: school, Urbanicity: u, Band: b, Answers: map[string]string{},
			DeviceID: fmt.Sprint("d", i), AddrHash: fmt.Sprint("a", i%97), UAFamily: "wechat"}
		if sp != nil {
			r.Township = sp.Township
		}
		r.SubmittedAt = start.Add(time.Duration(i) * 7 * time.Minute)
		r.StartedAt = r.SubmittedAt.Add(-time.Duration(240+rng.IntN(600)) * time.Second)
		if coached {
			r.AddrHash = "coached"
			r.SubmittedAt = start.Add(time.Duration(i) * 10 * time.Second)
			r.StartedAt = r.SubmittedAt.Add(-40 * time.Second)
		}
		q := sv.Forms[g.Form()]
		r.Form, r.FormVersion = q.Kind, q.Version
		for _, it := range q.Items {
			switch x := rng.Float64(); {
			case coached:
				r.Answers[it.ID] = survey.OptRecognise
			case x < 0.04:
				r.Answers[it.ID] = survey.OptDontKnow
			case x < 0.04+p:
				r.Answers[it.ID] = survey.OptionCodes[rng.IntN(3)]
			default:
				r.Answers[it.ID] = survey.OptNotRecognise
			}
		}
		rs = append(rs, r)
	}
	for k := range plan.Schools {
		sp := &plan.Schools[k]
		p := 0.72 + 0.25*rng.Float64()
		fill := 0.7 + 0.35*rng.Float64()
		for _, q := range sp.Quotas {
			for range int(float64(q.Quota)*fill + 0.5) {
				add(q.Group, sp.SchoolCode, sp, sp.Urbanicity, q.Band, p, k == 1)
			}
		}
	}
	for _, q := range plan.CountyQuotas {
		for range q.Quota {
			add(q.Group, "", nil, q.Urbanicity, q.Band, 0.9, false)
		}
	}
	return finish(t, sv, f, plan, rs)
}

func newSurvey(t testing.TB, county string) *survey.Survey {
	t.Helper()
	sv, err := survey.NewSurvey(county, county+"义务教育优质均衡社会认可度调查", time.Date(2025, 5, 20, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC), survey.DefaultForms())
	if err != nil {
		t.Fatal(err)
	}
	// A fixed id and times: the reports' snapshots are byte for byte.
	sv.ID = fmt.Sprintf("sv-%x", county)[:15]
	sv.Created, sv.Updated = generated.Add(-30*24*time.Hour), generated.Add(-24*time.Hour)
	return sv
}

// finish seals the responses into a chain, runs the rules and estimates.
// A survey without valid responses gives an input without a report.
func finish(t testing.TB, sv *survey.Survey, f *sampling.Frame, plan *sampling.Plan, rs []survey.Response) *report.Published {
	t.Helper()
	prev := survey.GenesisHash
	for i := range rs {
		rs[i].Seal(int64(i), prev)
		prev = rs[i].Hash
	}
	q, err := report.CheckQuality(rs, report.DefaultQualityConfig())
	if err != nil {
		t.Fatal(err)
	}
	in := &report.Published{Survey: sv, Frame: f, Plan: plan, Responses: rs, Quality: q, Generated: generated, Version: "v1.2.3-test"}
	rep, err := report.EstimateSurvey(in)
	if err != nil { // no valid response: the renderers say so in their own words
		return in
	}
	rep.SurveyID, rep.County, rep.Title = sv.ID, sv.County, sv.Title
	rep.ChainLength, rep.ChainHead = int64(len(rs)), prev
	in.Report = rep
	return in
}

// emptyFixture is a survey whose only responses answer 不了解 throughout.
func emptyFixture(t testing.TB) *report.Published {
	t.Helper()
	sv := newSurvey(t, "空白县")
	var rs []survey.Response
	for i := range 3 {
		q := sv.Forms[survey.SocialForm]
		r := survey.Response{ID: fmt.Sprint("e", i), SurveyID: sv.ID, Group: survey.Public, Urbanicity: survey.Rural,
			Form: q.Kind, FormVersion: q.Version, Answers: map[string]string{}, AddrHash: fmt.Sprint("x", i),
			StartedAt: generated.Add(-time.Hour), SubmittedAt: generated.Add(-time.Hour + 5*time.Minute)}
		for _, it := range q.Items {
			r.Answers[it.ID] = survey.OptDontKnow
		}
		rs = append(rs, r)
	}
	in := finish(t, sv, nil, nil, rs)
	if in.Report != nil {
		t.Fatal("a survey answered 不了解 throughout has a report")
	}
	return in
}
