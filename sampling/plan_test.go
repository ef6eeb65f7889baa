package sampling

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"renke/survey"
)

func TestSampleSize(t *testing.T) {
	cases := []struct{ pop, floor, want int }{
		{400000, 0, 600}, {400001, 0, 601}, {399999, 0, 600}, {100000, 600, 600}, {1000000, 600, 1500}, {1, 0, 1},
	}
	for _, c := range cases {
		if got := SampleSize(c.pop, 0.0015, c.floor); got != c.want {
			t.Errorf("SampleSize(%d, 1.5‰, %d) = %d, want %d", c.pop, c.floor, got, c.want)
		}
	}
}

// checkPlan asserts the allocation invariants of issue 4 on one plan.
func checkPlan(t *testing.T, f *Frame, p *Plan, floor int) {
	t.Helper()
	pop := func(g survey.Group, u survey.Urbanicity, b survey.Band) int { n, _ := f.Population(g, u, b); return n }
	if want := SampleSize(f.County.Population, DefaultRate, floor); p.Total != want {
		t.Fatalf("total %d, want %d", p.Total, want)
	}
	sum := 0
	for _, g := range survey.Groups {
		sum += p.ByGroup[g]
		if p.ByGroup[g] > pop(g, "", "") {
			t.Fatalf("%s: %d above its population %d", g, p.ByGroup[g], pop(g, "", ""))
		}
	}
	if sum != p.Total {
		t.Fatalf("groups add to %d, total %d", sum, p.Total)
	}
	if 2*p.ByGroup[survey.Parent] < p.Total {
		t.Fatalf("parents %d below half of %d", p.ByGroup[survey.Parent], p.Total)
	}
	// Non-parent groups: those below their population are within one of each
	// other, and a group at its population never has more than them.
	var free []int
	for _, g := range nonParents {
		if p.ByGroup[g] < pop(g, "", "") {
			free = append(free, p.ByGroup[g])
		}
	}
	lo, hi := minMax(free)
	for _, g := range nonParents {
		if n := p.ByGroup[g]; len(free) > 0 && n == pop(g, "", "") && n > hi {
			t.Fatalf("%s taken whole (%d) but above the free groups' %d", g, n, hi)
		}
	}
	if len(free) > 0 && hi-lo > 1 {
		t.Fatalf("free non-parent groups differ by more than one: %v", p.ByGroup)
	}
	// Bands and strata.
	cells := map[cellID]int{}
	total, urbTotal := 0, 0
	for _, c := range p.Cells {
		cells[cellID{c.Group, c.Urbanicity, c.Band}] = c.Quota.Quota
		total += c.Quota.Quota
		if c.Quota.Quota > c.Population || c.Population != pop(c.Group, c.Urbanicity, c.Band) {
			t.Fatalf("cell %+v over or misreports its population", c)
		}
		if c.Urbanicity != "" {
			urbTotal += c.Quota.Quota
		}
	}
	if total != p.Total || urbTotal+p.CountyWide != p.Total {
		t.Fatalf("cells add to %d (%d with strata + %d county-wide), total %d", total, urbTotal, p.CountyWide, p.Total)
	}
	capBinds := false
	for _, g := range []survey.Group{survey.Student, survey.Parent} {
		var free []int
		for _, b := range survey.BandsFor(g) {
			n := 0
			for _, u := range survey.Urbanicities {
				n += cells[cellID{g, u, b}]
			}
			if n < pop(g, "", b) {
				free = append(free, n)
			}
		}
		if lo, hi := minMax(free); len(free) > 0 && hi-lo > 1 {
			t.Fatalf("%s bands differ by more than one: %v", g, free)
		}
	}
	// A row (group × band) is split in proportion to the residents, within
	// one, unless some cap binds somewhere: then the school groups' rows may
	// lean so that the strata's totals stay proportional.
	type rowShare struct {
		g     survey.Group
		b     survey.Band
		share func(u survey.Urbanicity) float64
	}
	var rows []rowShare
	for _, g := range survey.Groups {
		bands := survey.BandsFor(g)
		if len(bands) == 0 {
			bands = []survey.Band{""}
		}
		if g == survey.Deputy || g == survey.CPPCC {
			continue
		}
		for _, b := range bands {
			row := 0
			for _, u := range survey.Urbanicities {
				row += cells[cellID{g, u, b}]
			}
			share := func(u survey.Urbanicity) float64 {
				return float64(row) * float64(f.County.PopulationIn(u)) / float64(f.County.Population)
			}
			for _, u := range survey.Urbanicities {
				capBinds = capBinds || share(u) > float64(pop(g, u, b))
			}
			rows = append(rows, rowShare{g, b, share})
		}
	}
	for _, r := range rows {
		for _, u := range survey.Urbanicities {
			if n := cells[cellID{r.g, u, r.b}]; !capBinds && math.Abs(float64(n)-r.share(u)) >= 1 {
				t.Fatalf("%s %s %s: %d, proportional share %.3f", r.g, r.b, u, n, r.share(u))
			}
		}
	}
	noted := strings.Contains(strings.Join(p.Notes, ""), "各层合计未能按常住人口比例分配")
	for _, u := range survey.Urbanicities {
		exact := float64(urbTotal) * float64(f.County.PopulationIn(u)) / float64(f.County.Population)
		if math.Abs(float64(p.ByUrbanicity[u])-exact) >= 1 && (!capBinds || !noted) {
			t.Fatalf("%s: %d respondents, proportional share %.3f, notes %q", u, p.ByUrbanicity[u], exact, p.Notes)
		}
	}
	checkSchools(t, f, p, cells)
}

// checkSchools asserts the drawn schools hold their stratum's quotas exactly
// and no school is asked for more than it has.
func checkSchools(t *testing.T, f *Frame, p *Plan, cells map[cellID]int) {
	t.Helper()
	byCode := map[string]*School{}
	for i := range f.Schools {
		byCode[f.Schools[i].Code] = &f.Schools[i]
	}
	got := map[cellID]int{}
	for _, sp := range p.Schools {
		s := byCode[sp.SchoolCode]
		if s == nil || s.Urbanicity != sp.Urbanicity {
			t.Fatalf("drawn school %s not in the frame's stratum", sp.SchoolCode)
		}
		if !(sp.InclusionProbability > 0 && sp.InclusionProbability <= 1+1e-12) || sp.Certainty && sp.InclusionProbability != 1 {
			t.Fatalf("school %s: π = %g, certainty %v", sp.SchoolCode, sp.InclusionProbability, sp.Certainty)
		}
		sum := 0
		for _, q := range sp.Quotas {
			if q.Quota > capacity(s, cellID{q.Group, "", q.Band}) {
				t.Fatalf("school %s asked for %d %s %s, has %d", s.Code, q.Quota, q.Group, q.Band, capacity(s, cellID{q.Group, "", q.Band}))
			}
			got[cellID{q.Group, sp.Urbanicity, q.Band}] += q.Quota
			sum += q.Quota
		}
		if sum != sp.Total {
			t.Fatalf("school %s: quotas add to %d, total %d", s.Code, sum, sp.Total)
		}
	}
	for id, n := range cells {
		if id.g.ViaSchool() && got[id] != n {
			t.Fatalf("cell %v: schools hold %d, quota %d", id, got[id], n)
		}
	}
}

func minMax(a []int) (lo, hi int) {
	if len(a) == 0 {
		return 0, 0
	}
	lo, hi = a[0], a[0]
	for _, x := range a {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}

func TestPlanInvariantsOnRandomFrames(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 4))
	runs := 300
	if testing.Short() {
		runs = 60
	}
	for i := range runs {
		f := randomFrame(r)
		floor := 0
		if i%5 == 0 {
			floor = 600
		}
		p, err := MakePlan(f, Options{Seed: seed(int64(i)), Floor: floor})
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		checkPlan(t, f, p, floor)
	}
}

func TestPlanIsReproducibleBySeed(t *testing.T) {
	f := fixedFrame()
	a, err := MakePlan(f, Options{Seed: seed(99)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := MakePlan(f, Options{Seed: seed(99)})
	c, _ := MakePlan(f, Options{Seed: seed(100)})
	ja, _ := a.JSON()
	jb, _ := b.JSON()
	jc, _ := c.JSON()
	if !bytes.Equal(ja, jb) {
		t.Fatal("same frame and seed gave different plans")
	}
	if bytes.Equal(ja, jc) || sameSchools(a, c) {
		t.Fatal("different seeds drew the same schools")
	}
	d, err := MakePlan(f, Options{})
	if err != nil || d.Seed < 0 || d.Seed >= 1<<53 {
		t.Fatalf("drawn seed %d: %v", d.Seed, err)
	}
	e, _ := MakePlan(f, Options{Seed: seed(d.Seed)})
	jd, _ := d.JSON()
	je, _ := e.JSON()
	if !bytes.Equal(jd, je) {
		t.Fatal("the recorded seed does not redraw the plan")
	}
}

func sameSchools(a, b *Plan) bool {
	if len(a.Schools) != len(b.Schools) {
		return false
	}
	for i := range a.Schools {
		if a.Schools[i].SchoolCode != b.Schools[i].SchoolCode {
			return false
		}
	}
	return true
}

func TestPlanJSONShape(t *testing.T) {
	p, err := MakePlan(fixedFrame(), Options{Seed: seed(7)})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := p.JSON()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"seed", "total", "by_group", "by_urbanicity", "schools", "cells", "expected_se", "expected_pass_probability", "assumed_rate"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("plan JSON lacks %q", k)
		}
	}
	if doc["seed"].(float64) != 7 || int(doc["total"].(float64)) != p.Total {
		t.Errorf("seed/total: %v %v", doc["seed"], doc["total"])
	}
	byGroup := doc["by_group"].(map[string]any)
	for _, g := range survey.Groups {
		if _, ok := byGroup[string(g)]; !ok {
			t.Errorf("by_group lacks %s", g)
		}
	}
	byU := doc["by_urbanicity"].(map[string]any)
	for _, u := range []string{"城区", "镇区", "乡村"} {
		if _, ok := byU[u]; !ok {
			t.Errorf("by_urbanicity lacks %s", u)
		}
	}
	schools := doc["schools"].([]any)
	if len(schools) == 0 {
		t.Fatal("no schools drawn")
	}
	for _, s := range schools {
		m := s.(map[string]any)
		if m["school_code"] == "" || m["inclusion_probability"] == nil || m["quotas"] == nil {
			t.Fatalf("school entry %v", m)
		}
	}
	se, pass := doc["expected_se"].(float64), doc["expected_pass_probability"].(float64)
	if !(se > 0 && se < 0.1) || !(pass > 0.5 && pass < 1) {
		t.Errorf("se %g pass %g", se, pass)
	}
}

func TestCodeSpecsCoverThePlan(t *testing.T) {
	p, err := MakePlan(fixedFrame(), Options{Seed: seed(3)})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, sp := range p.CodeSpecs() {
		if err := sp.Validate(); err != nil {
			t.Fatalf("spec %+v: %v", sp, err)
		}
		if sp.Group.ViaSchool() != (sp.School.Code != "") {
			t.Fatalf("spec %+v: school where none belongs or missing", sp)
		}
		sum += sp.Quota
	}
	if sum != p.Total {
		t.Fatalf("specs hold %d respondents, plan %d", sum, p.Total)
	}
}

func TestPlanRejectsBadOptions(t *testing.T) {
	f := fixedFrame()
	for _, o := range []Options{{Rate: -1}, {Rate: 2}, {Floor: -1}, {TakePerSchool: -3}, {AssumedRate: 1.2}, {ICC: 1}} {
		if _, err := MakePlan(f, o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
	tiny := fixedFrame()
	tiny.County.Population, tiny.County.Urban, tiny.County.Town, tiny.County.Rural = 3, 1, 1, 1
	if _, err := MakePlan(tiny, Options{Floor: 1 << 30, Seed: seed(1)}); err == nil {
		t.Error("a sample larger than the frame was planned")
	}
}
