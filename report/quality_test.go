package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"renke/survey"
)

var t0 = time.Date(2025, 5, 10, 9, 0, 0, 0, time.UTC)

// resp makes a response submitted at t0+at after taking secs seconds.
func resp(id string, g survey.Group, at time.Duration, secs int) survey.Response {
	sub := t0.Add(at)
	answers := map[string]string{}
	for i := range 12 {
		answers[fmt.Sprintf("q%02d", i)] = []string{"1", "2", "3"}[i%3]
	}
	return survey.Response{ID: id, SurveyID: "sv", Group: g, School: "S1", Answers: answers,
		StartedAt: sub.Add(-time.Duration(secs) * time.Second), SubmittedAt: sub}
}

func flagsOf(t *testing.T, q *Quality, id string) []Rule {
	t.Helper()
	d, ok := q.Decision(id)
	if !ok {
		t.Fatalf("no decision for %s", id)
	}
	return d.Flags
}

func TestSpeeders(t *testing.T) {
	var rs []survey.Response
	for i, secs := range []int{300, 310, 290, 305, 50} { // teachers: median 300 s
		rs = append(rs, resp(fmt.Sprintf("t%d", i), survey.Teacher, time.Duration(i)*time.Hour, secs))
	}
	for i, secs := range []int{120, 110, 130, 50} { // parents: median 115 s; 50 s is not under a third
		rs = append(rs, resp(fmt.Sprintf("p%d", i), survey.Parent, time.Duration(i)*time.Hour, secs))
	}
	rs = append(rs, resp("slowish", survey.Teacher, 9*time.Hour, 70)) // under a third, above the floor
	noStart := resp("nostart", survey.Teacher, 10*time.Hour, 1)
	noStart.StartedAt = time.Time{}
	rs = append(rs, noStart)
	q, err := CheckQuality(rs, DefaultQualityConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range q.Decisions {
		want := d.ResponseID == "t4"
		if got := slices.Contains(d.Flags, RuleSpeeder); got != want {
			t.Errorf("%s: speeder %v, want %v", d.ResponseID, got, want)
		}
		if d.Excluded != want {
			t.Errorf("%s: excluded %v, want %v (speeders are excluded by default)", d.ResponseID, d.Excluded, want)
		}
	}
}

func TestStraightLining(t *testing.T) {
	same := func(id string, n int) survey.Response {
		r := resp(id, survey.Parent, 0, 400)
		r.Answers = map[string]string{}
		for i := range n {
			r.Answers[fmt.Sprintf("q%02d", i)] = "1"
		}
		return r
	}
	mixed := same("mixed", 12)
	mixed.Answers["q05"] = "9"
	q, err := CheckQuality([]survey.Response{same("all10", 10), same("all9", 9), mixed}, DefaultQualityConfig())
	if err != nil {
		t.Fatal(err)
	}
	if f := flagsOf(t, q, "all10"); !slices.Equal(f, []Rule{RuleStraightLine}) {
		t.Errorf("all10 flags %v", f)
	}
	if d, _ := q.Decision("all10"); d.Excluded {
		t.Error("straight-lining excludes by default; it should only flag")
	}
	if len(flagsOf(t, q, "all9")) != 0 || len(flagsOf(t, q, "mixed")) != 0 {
		t.Errorf("all9 %v, mixed %v: want no flags", flagsOf(t, q, "all9"), flagsOf(t, q, "mixed"))
	}
}

func TestRepeatDevices(t *testing.T) {
	mk := func(id, survey_, device string, at time.Duration) survey.Response {
		r := resp(id, survey.Student, at, 400)
		r.SurveyID, r.DeviceID = survey_, device
		return r
	}
	rs := []survey.Response{
		mk("late", "sv", "dev1", 3*time.Hour), mk("first", "sv", "dev1", time.Hour), mk("mid", "sv", "dev1", 2*time.Hour),
		mk("other", "sv2", "dev1", 4*time.Hour), mk("blank1", "sv", "", 0), mk("blank2", "sv", "", time.Minute),
	}
	q, err := CheckQuality(rs, DefaultQualityConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range q.Decisions {
		want := d.ResponseID == "late" || d.ResponseID == "mid"
		if slices.Contains(d.Flags, RuleRepeatDevice) != want || d.Excluded != want {
			t.Errorf("%s: flags %v excluded %v, want repeat=%v", d.ResponseID, d.Flags, d.Excluded, want)
		}
	}
}

func TestBursts(t *testing.T) {
	cfg := DefaultQualityConfig()
	cfg.Burst.MaxPerWindow = 3
	var rs []survey.Response
	add := func(id, addr string, at time.Duration) {
		r := resp(id, survey.Public, at, 400)
		r.AddrHash = addr
		rs = append(rs, r)
	}
	for i, m := range []int{0, 2, 5, 9} { // four within 9 minutes: a burst
		add(fmt.Sprintf("a%d", i), "A", time.Duration(m)*time.Minute)
	}
	add("a-later", "A", 30*time.Minute)
	for i, m := range []int{0, 4, 8, 12, 16} { // never more than three within 10 minutes
		add(fmt.Sprintf("b%d", i), "B", time.Duration(m)*time.Minute)
	}
	for i, m := range []int{0, 10, 20, 30} { // exactly 10 minutes apart: separate windows
		add(fmt.Sprintf("c%d", i), "C", time.Duration(m)*time.Minute)
	}
	q, err := CheckQuality(rs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range q.Decisions {
		want := strings.HasPrefix(d.ResponseID, "a") && d.ResponseID != "a-later"
		if slices.Contains(d.Flags, RuleBurst) != want {
			t.Errorf("%s: flags %v, want burst=%v", d.ResponseID, d.Flags, want)
		}
		if d.Excluded {
			t.Errorf("%s: bursts are flagged only by default", d.ResponseID)
		}
	}
	s := q.Summary()
	if s.ByRule[3].Rule != RuleBurst || s.ByRule[3].Flagged != 4 || s.Flagged != 4 || s.Excluded != 0 {
		t.Errorf("summary %+v", s)
	}
}

func TestQualityConfigValidate(t *testing.T) {
	cfg := DefaultQualityConfig()
	cfg.Speeder.MedianFraction = 0
	cfg.Burst.Window = 0
	if _, err := CheckQuality(nil, cfg); err == nil || !strings.Contains(err.Error(), "中位数比例") || !strings.Contains(err.Error(), "时间窗") {
		t.Errorf("want both problems named, got %v", err)
	}
	var off QualityConfig
	off.Speeder.MedianFraction = 0 // disabled rules are not checked
	if err := off.Validate(); err != nil {
		t.Errorf("zero config: %v", err)
	}
}

func TestOverrides(t *testing.T) {
	rs := []survey.Response{
		resp("fast", survey.Teacher, 0, 5), resp("ok1", survey.Teacher, time.Hour, 300),
		resp("ok2", survey.Teacher, 2*time.Hour, 310), resp("ok3", survey.Teacher, 3*time.Hour, 320),
	}
	rs[3].School = "S2"
	q, err := CheckQuality(rs, DefaultQualityConfig())
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := q.Decision("fast"); !d.Excluded || !d.RuleExcluded {
		t.Fatalf("fast: %+v", d)
	}
	ov := []Override{
		{ResponseID: "fast", Exclude: true, Reason: "核实", By: "评估员甲", At: t0},
		{ResponseID: "fast", Exclude: false, Reason: "电话核实为真实作答", By: "评估员乙", At: t0.Add(time.Hour)},
		{ResponseID: "ok3", Exclude: true, Reason: "同一教师填了两次", By: "评估员甲", At: t0},
	}
	if err := q.Apply(ov); err != nil {
		t.Fatal(err)
	}
	if d, _ := q.Decision("fast"); d.Excluded || d.Override == nil || d.Override.By != "评估员乙" || !slices.Contains(d.Flags, RuleSpeeder) {
		t.Errorf("fast after override: %+v", d)
	}
	s := q.Summary()
	if s.Excluded != 1 || s.Overrides != (OverrideCount{Applied: 2, Excluded: 1, Reinstated: 1}) {
		t.Errorf("summary %+v", s)
	}
	if len(s.BySchool) != 2 || s.BySchool[0].School != "S1" || s.BySchool[0].ByRule[RuleSpeeder] != 1 ||
		s.BySchool[0].Excluded != 0 || s.BySchool[1].Excluded != 1 {
		t.Errorf("by school %+v", s.BySchool)
	}
	if s.ByRule[0].Flagged != 1 || s.ByRule[0].Excluded != 0 || !s.ByRule[0].Excludes {
		t.Errorf("speeder count %+v", s.ByRule[0])
	}
	// Applying an empty list returns every response to the rules' decision.
	if err := q.Apply(nil); err != nil {
		t.Fatal(err)
	}
	if d, _ := q.Decision("fast"); !d.Excluded || d.Override != nil {
		t.Errorf("fast after clearing overrides: %+v", d)
	}
	bad := []Override{{ResponseID: "ok1", Exclude: true, By: "x", At: t0}, {ResponseID: "nope", Reason: "r", By: "x", At: t0}}
	err = q.Apply(bad)
	if err == nil || !strings.Contains(err.Error(), "未填写理由") || !strings.Contains(err.Error(), "nope") {
		t.Errorf("bad overrides: %v", err)
	}
}

func TestDuplicateResponseID(t *testing.T) {
	r := resp("x", survey.Parent, 0, 300)
	if _, err := CheckQuality([]survey.Response{r, r}, DefaultQualityConfig()); err == nil {
		t.Error("duplicate response ids accepted")
	}
}
