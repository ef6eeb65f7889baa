package report

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"renke/survey"
)

// oneSchoolTownship: township 独校镇 has one sampled school; 两校镇 has two.
func oneSchoolTownship(t *testing.T) *Report {
	t.Helper()
	var units []Unit
	add := func(school, town string, ys ...float64) {
		for i, y := range ys {
			units = append(units, Unit{ID: fmt.Sprintf("%s-%d", school, i), Group: survey.Parent, Cell: "parent|乡村|g1-2",
				Stratum: "school|乡村", PSU: school, Y: y, HasY: true, Urbanicity: survey.Rural, Township: town, School: school})
		}
	}
	add("S1", "独校镇", 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1)
	add("S2", "两校镇", 1, 1, 1, 0, 1, 1)
	add("S3", "两校镇", 1, 0, 1, 1, 1, 1, 1)
	rep, err := estimateUnits(t, Config{}, units).Report()
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestSinglePSUDomain: a township whose respondents all come from one school
// gets no design interval, standard error, design effect or probability of
// passing; it says why and shows the within-school Wilson interval.
func TestSinglePSUDomain(t *testing.T) {
	rep := oneSchoolTownship(t)
	rows := map[string]DomainRow{}
	for _, r := range rep.Townships {
		rows[r.Key] = r
	}
	one, two := rows["独校镇"], rows["两校镇"]
	lo, hi := Wilson(10.0/13, 13)
	if one.Estimable || one.Note != NoteOneSchool || one.PSUs != 1 || one.PassProbability != nil || one.Deff != nil ||
		one.CILow != lo || one.CIHigh != hi || one.UnweightedRate != 10.0/13 || one.CILow == one.CIHigh {
		t.Errorf("one-school township: %+v, want the Wilson interval %.4f–%.4f and no design figures", one, lo, hi)
	}
	if !two.Estimable || two.Note != "" || two.PSUs != 2 || two.PassProbability == nil || two.SE == 0 {
		t.Errorf("two-school township: %+v", two)
	}
	b, err := json.Marshal(one)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"estimable":false`, `"note":"` + NoteOneSchool + `"`, `"pass_probability":null`, `"psus":1`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
}

func TestFormatPassProbability(t *testing.T) {
	for p, want := range map[float64]string{1: "> 99.9%", 0.9997: "> 99.9%", 0.9994: "99.9%", 0.5: "50.0%", 0.0004: "< 0.1%", 0: "< 0.1%", 0.0005: "0.1%"} {
		if got := FormatPassProbability(p); got != want {
			t.Errorf("%v: %q, want %q", p, got, want)
		}
	}
}

func TestCellLabel(t *testing.T) {
	for key, want := range map[string]string{
		"parent|乡村|g1-2": "家长 · 乡村 · " + survey.Band("g1-2").Label(),
		"cppcc|":         "政协委员",
		"school|城区":      "学校 · 城区",
		"public|镇区":      "其他群众 · 镇区",
		"somethingelse":  "somethingelse",
	} {
		if got := CellLabel(key); got != want {
			t.Errorf("%q: %q, want %q", key, got, want)
		}
	}
}
