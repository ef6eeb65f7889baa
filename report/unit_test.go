package report

import (
	"math"
	"strings"
	"testing"

	"renke/survey"
)

func TestFromResponse(t *testing.T) {
	q := fixtureForms()[survey.StudentForm]
	r := &survey.Response{ID: "r1", Group: survey.Student, School: "S9", Township: "龙镇", Urbanicity: survey.Town,
		Band: survey.BandUpper, Answers: map[string]string{"s1": "1", "s2": "9", "s3": "4"}}
	u := FromResponse(r, q, survey.DefaultScheme())
	if u.Cell != "student|镇区|g5-6" || u.Stratum != "school|镇区" || u.PSU != "S9" || u.Form != survey.StudentForm ||
		u.School != "S9" || u.Township != "龙镇" || u.Urbanicity != survey.Town {
		t.Errorf("labels: %+v", u)
	}
	if !u.HasY || u.Y != 0.5 || u.Scores[0] != 1 || !math.IsNaN(u.Scores[1]) || u.Scores[2] != 0 {
		t.Errorf("scores: y=%v %v", u.Y, u.Scores)
	}
	p := &survey.Response{ID: "r2", Group: survey.Principal, School: "S9", Urbanicity: survey.Rural,
		Answers: map[string]string{"t1": "9", "t2": "9", "t3": "9"}}
	u = FromResponse(p, fixtureForms()[survey.StaffForm], survey.DefaultScheme())
	if u.Cell != "principal|乡村" || u.Stratum != "principal|乡村" || u.PSU != "r2" || u.HasY {
		t.Errorf("principal: %+v", u)
	}
	pub := &survey.Response{ID: "r3", Group: survey.Public, Urbanicity: survey.Urban, Answers: map[string]string{"c1": "2"}}
	if s, psu := DesignLabels(pub); s != "public|城区" || psu != "r3" {
		t.Errorf("public: %s %s", s, psu)
	}
}

func TestAddRejects(t *testing.T) {
	good := Unit{ID: "a", Group: survey.Parent, Cell: "parent|城区|g1-2", Stratum: "school|城区", PSU: "S1", Y: 1, HasY: true}
	cases := []struct {
		name string
		cfg  Config
		edit func(u *Unit)
		want string
	}{
		{"y", Config{}, func(u *Unit) { u.Y = 1.2 }, "不在 0 到 1 之间"},
		{"group", Config{}, func(u *Unit) { u.Group = "alien"; u.Cell = "alien" }, "不存在"},
		{"psu", Config{}, func(u *Unit) { u.PSU = "" }, "缺少 PSU"},
		{"weight", Config{PrecomputedWeights: true}, func(u *Unit) { u.Weight = 0 }, "权重 0 应为正数"},
		{"scores", Config{Forms: fixtureForms()}, func(u *Unit) { u.Form = survey.SocialForm; u.Scores = []float64{1} }, "有 1 个题目得分，问卷却有 3 道题"},
		{"form", Config{Forms: fixtureForms()}, func(u *Unit) { u.Form = survey.StaffForm; u.Scores = []float64{1, 1, 1} }, "parent 组应答 social 问卷"},
	}
	for _, c := range cases {
		e, err := NewEstimator(c.cfg)
		if err != nil {
			t.Fatal(err)
		}
		u := good
		c.edit(&u)
		if err := e.Add(u); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
	e, _ := NewEstimator(Config{})
	if err := e.Add(good); err != nil {
		t.Fatal(err)
	}
	clash := good
	clash.ID, clash.Group = "b", survey.Teacher
	if err := e.Add(clash); err == nil || !strings.Contains(err.Error(), "属于 parent 组") {
		t.Errorf("cell of another group: %v", err)
	}
}

func TestConfigRejects(t *testing.T) {
	for name, cfg := range map[string]Config{
		"bar":    {Bar: 1.5},
		"weight": {GroupWeights: map[survey.Group]float64{survey.Parent: -1}},
		"group":  {GroupWeights: map[survey.Group]float64{"alien": 1}},
		"frame":  {Frame: map[string]float64{"parent|城区|g1-2": 0}},
	} {
		if _, err := NewEstimator(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestNoValidUnits(t *testing.T) {
	e, _ := NewEstimator(Config{})
	_ = e.Add(Unit{ID: "x", Group: survey.Parent, PSU: "p", Excluded: true})
	if _, err := e.Summary(); err == nil {
		t.Error("estimate without valid units")
	}
	e, _ = NewEstimator(Config{GroupWeights: map[survey.Group]float64{survey.Parent: 1}})
	_ = e.Add(Unit{ID: "y", Group: survey.Teacher, PSU: "p", Y: 1, HasY: true})
	if _, err := e.Summary(); err == nil {
		t.Error("estimate with only zero-weight groups")
	}
}

// The verdict follows the rate, and says whether the whole interval clears the bar.
func TestVerdict(t *testing.T) {
	s := newSynth(5, false)
	units := s.units(3000)
	sum := mustSummary(t, Config{Frame: s.frame, Bar: 0.5}, units)
	if sum.Overall.Verdict != VerdictPass || !sum.Overall.Passed || !sum.Overall.CIClearsBar || sum.Overall.Bar != 0.5 {
		t.Errorf("bar 0.5: %+v", sum.Overall)
	}
	sum = mustSummary(t, Config{Frame: s.frame, Bar: 0.99}, units)
	if sum.Overall.Verdict != VerdictFail || sum.Overall.CIClearsBar || *sum.Overall.PassProbability > 0.01 {
		t.Errorf("bar 0.99: %+v", sum.Overall)
	}
	mid := mustSummary(t, Config{Frame: s.frame, Bar: sum.Overall.Rate}, units)
	if mid.Overall.Verdict != VerdictPass || mid.Overall.CIClearsBar || math.Abs(*mid.Overall.PassProbability-0.5) > 1e-12 {
		t.Errorf("bar at the rate: %+v", mid.Overall)
	}
}

func TestWilsonEdges(t *testing.T) {
	if lo, hi := Wilson(1, 5); hi < 1-1e-12 || !(lo > 0.5 && lo < 0.6) {
		t.Errorf("Wilson(1, 5) = %v, %v", lo, hi)
	}
	if lo, hi := Wilson(0.5, 0); lo != 0 || hi != 1 {
		t.Errorf("Wilson with n = 0: %v, %v", lo, hi)
	}
}
