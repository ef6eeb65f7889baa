package sampling

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"renke/survey"
)

// strataFrame has k schools in each stratum named in per (urbanicity →
// principals per school), and the given residents per stratum.
func strataFrame(urban, town, rural int, per map[survey.Urbanicity]int, k int) *Frame {
	f := &Frame{County: County{Name: "测试县", Population: urban + town + rural, Urban: urban, Town: town, Rural: rural,
		Deputies: 200, CPPCC: 200}}
	for _, u := range survey.Urbanicities {
		p, ok := per[u]
		if !ok {
			continue
		}
		for i := range k {
			s := School{Code: fmt.Sprintf("S%d%02d", slices.Index(survey.Urbanicities, u), i), Name: fmt.Sprintf("%s第%d学校", u, i), Township: string(u) + "镇",
				Urbanicity: u, Type: Nine, Teachers: 120, Principals: p}
			for g := range s.Enrolment {
				s.Enrolment[g] = 200
			}
			f.Schools = append(f.Schools, s)
		}
	}
	return f
}

// TestPlanSaysWhereStrataHaveNoSchool: residents in a stratum without a
// school cannot be matched by school groups; the plan says so.
func TestPlanSaysWhereStrataHaveNoSchool(t *testing.T) {
	f := strataFrame(240000, 80000, 80000, map[survey.Urbanicity]int{survey.Urban: 3, survey.Town: 3}, 10)
	p, err := MakePlan(f, Options{Seed: seed(1)})
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, f, p, 0)
	notes := strings.Join(p.Notes, "\n")
	for _, want := range []string{"乡村有常住人口 80000 人（占 20.0%），但抽样框中没有乡村学校", fmt.Sprintf("乡村只调查其他群众（%d 人）", p.ByUrbanicity[survey.Rural]), "各层合计未能按常住人口比例分配"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q do not say %q", notes, want)
		}
	}
	if p.ByUrbanicity[survey.Rural] != p.ByGroup[survey.Public]*80000/400000 && p.ByUrbanicity[survey.Rural] != p.ByGroup[survey.Public]*80000/400000+1 {
		t.Errorf("rural %d for %d residents in the public's share", p.ByUrbanicity[survey.Rural], p.ByGroup[survey.Public])
	}
}

// TestPlanKeepsStrataProportionalWhenGroupsAreTakenWhole: principals taken
// whole follow the schools, not the residents; the other groups' rounding
// makes up for it, so each stratum's total stays within one of its share.
func TestPlanKeepsStrataProportionalWhenGroupsAreTakenWhole(t *testing.T) {
	f := strataFrame(180000, 120000, 100000, map[survey.Urbanicity]int{survey.Urban: 3, survey.Town: 1, survey.Rural: 1}, 8)
	p, err := MakePlan(f, Options{Seed: seed(2)})
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, f, p, 0)
	if p.ByGroup[survey.Principal] != 40 {
		t.Fatalf("principals %d, want all 40", p.ByGroup[survey.Principal])
	}
	strat := p.Total - p.CountyWide
	for _, u := range survey.Urbanicities {
		share := float64(strat) * float64(f.County.PopulationIn(u)) / float64(f.County.Population)
		if d := float64(p.ByUrbanicity[u]) - share; math.Abs(d) >= 1 {
			t.Errorf("%s: %d respondents for a proportional share of %.1f (notes %q)", u, p.ByUrbanicity[u], share, p.Notes)
		}
	}
	if strings.Contains(strings.Join(p.Notes, ""), "各层合计未能") {
		t.Errorf("notes say the strata could not be followed: %q", p.Notes)
	}
}
