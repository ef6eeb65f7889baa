package render

import (
	"sort"
	"strings"
	"testing"

	"renke/survey"
)

func TestViewSortsWeakestFirst(t *testing.T) {
	v := newView(fixture(t))
	for name, rows := range map[string][]rateRow{"groups": v.Groups, "dimensions": v.Dimensions, "items": v.Items,
		"urbanicities": v.Urbanicities, "townships": v.Townships, "schools": v.Schools} {
		if len(rows) == 0 {
			t.Errorf("%s: no rows", name)
		}
		if !sort.SliceIsSorted(rows, func(a, b int) bool { return rows[a].Rate < rows[b].Rate }) {
			t.Errorf("%s: not sorted by rate", name)
		}
		for _, r := range rows {
			if r.Below != (r.Rate < v.Bar) {
				t.Errorf("%s %s: below %v at %v", name, r.Label, r.Below, r.Rate)
			}
		}
	}
}

func TestSampleAgainstPlan(t *testing.T) {
	in := fixture(t)
	s := newView(in).Sample
	if !s.HasPlan || s.Planned != in.Plan.Total || s.Received != len(in.Responses) {
		t.Fatalf("sample: plan %v planned %d received %d; want %d, %d", s.HasPlan, s.Planned, s.Received, in.Plan.Total, len(in.Responses))
	}
	if s.Valid != in.Report.Counts.Valid {
		t.Errorf("valid %d, report %d", s.Valid, in.Report.Counts.Valid)
	}
	sum, planned := 0, 0
	for _, g := range s.Groups {
		sum += g.Received
		planned += g.Planned
	}
	if sum != s.Received || planned != in.Plan.Total {
		t.Errorf("groups add up to %d received, %d planned", sum, planned)
	}
	// Each school's received count is its responses in the data.
	per := map[string]int{}
	for _, r := range in.Responses {
		per[r.School]++
	}
	for _, q := range s.Schools {
		if q.Received != per[q.Code] || q.Fill != float64(q.Received)/float64(q.Planned) {
			t.Errorf("school %s: received %d fill %v; data has %d of %d", q.Code, q.Received, q.Fill, per[q.Code], q.Planned)
		}
	}
	if len(s.Schools) != len(in.Plan.Schools) {
		t.Errorf("%d schools, plan %d", len(s.Schools), len(in.Plan.Schools))
	}
	for _, c := range s.County {
		if c.Received != c.Planned { // the fixture fills county quotas exactly
			t.Errorf("county quota %s: %d of %d", c.Label, c.Received, c.Planned)
		}
	}
}

func TestCoachedSchoolIsNamed(t *testing.T) {
	in := fixture(t)
	q := newView(in).Quality
	coached := in.Plan.Schools[1].SchoolCode
	if len(q.Suspects) != 1 || q.Suspects[0].Code != coached {
		t.Fatalf("suspects %+v, want only %s", q.Suspects, coached)
	}
	s := q.Suspects[0]
	if s.Flagged != s.Responses || s.Reason == "" {
		t.Errorf("coached school: %d of %d flagged, reason %q", s.Flagged, s.Responses, s.Reason)
	}
	if q.Schools[0].Code != coached {
		t.Errorf("school table starts with %s, not the most flagged", q.Schools[0].Code)
	}
}

func TestNoPlanSample(t *testing.T) {
	in := fixture(t)
	in.Plan = nil
	v := newView(in)
	if v.Sample.HasPlan || len(v.Sample.Schools) != 0 {
		t.Fatal("sample claims a plan")
	}
	found := false
	for _, w := range v.Warnings {
		found = found || w == "未找到抽样方案：无法对照计划检查样本完成情况。"
	}
	if !found {
		t.Errorf("no warning about the missing plan: %q", v.Warnings)
	}
	if b := htmlOf(t, in); len(b) == 0 {
		t.Fatal("no HTML")
	}
}

func TestSchemeText(t *testing.T) {
	sv := &survey.Survey{Forms: survey.DefaultForms(), Scheme: survey.GradedScheme()}
	got := schemeText(sv)
	for _, want := range []string{
		"学生问卷（学生）：“满意”计 1 分，“比较满意”计 0.8 分，“基本满意”计 0.6 分，“不满意”计 0 分，“不知道”不计分，也不计入分母",
		"（教师、校长）：“认可”计 1 分，“比较认可”计 0.8 分，“基本认可”计 0.6 分，“不认可”计 0 分，“不了解”不计分，也不计入分母",
		"（家长、人大代表、政协委员、其他群众）：“满意”计 1 分，“比较满意”计 0.8 分，“基本满意”计 0.6 分，“不满意”计 0 分，“不了解”不计分",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("scheme text %q lacks %q", got, want)
		}
	}
}
