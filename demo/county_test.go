package demo

import (
	"reflect"
	"strings"
	"testing"

	"renke/sampling"
	"renke/survey"
)

func TestFrameIsAPlausibleCounty(t *testing.T) {
	f := Frame()
	if err := f.Validate(); err != nil {
		t.Fatalf("demo frame does not pass the sampling package's checks: %v", err)
	}
	c := f.County
	if c.Population < 650000 || c.Population > 750000 {
		t.Errorf("population %d, want about 700,000", c.Population)
	}
	if c.Deputies < 230 || c.Deputies > 270 || c.CPPCC < 180 || c.CPPCC > 220 {
		t.Errorf("deputies %d, CPPCC %d: want about 250 and 200", c.Deputies, c.CPPCC)
	}
	if n := len(f.Schools); n < 110 || n > 130 {
		t.Errorf("%d schools, want about 120", n)
	}
	perStratum := map[survey.Urbanicity]int{}
	names := map[string]bool{}
	pupils := 0
	for _, s := range f.Schools {
		perStratum[s.Urbanicity]++
		if names[s.Name] {
			t.Errorf("school name %s twice", s.Name)
		}
		names[s.Name] = true
		pupils += s.Pupils()
		if s.Principals < 1 || s.Teachers < 3 {
			t.Errorf("%s: %d principals, %d teachers", s.Name, s.Principals, s.Teachers)
		}
		if r := float64(s.Pupils()) / float64(s.Teachers); r > 25 {
			t.Errorf("%s: %.1f pupils per teacher", s.Name, r)
		}
		if !strings.ContainsAny(s.Township, "镇乡道") {
			t.Errorf("%s: township %q is not a 镇, 乡 or 街道", s.Name, s.Township)
		}
	}
	for _, u := range survey.Urbanicities {
		if perStratum[u] < 10 {
			t.Errorf("stratum %s has %d schools", u, perStratum[u])
		}
	}
	// Compulsory-age pupils are roughly a tenth of a county's residents.
	if share := float64(pupils) / float64(c.Population); share < 0.06 || share > 0.13 {
		t.Errorf("pupils are %.1f%% of residents", 100*share)
	}
	for _, kind := range []string{"镇中心小学", "中学", "九年一贯制学校"} {
		found := false
		for n := range names {
			found = found || strings.HasSuffix(n, kind)
		}
		if !found {
			t.Errorf("no school named …%s", kind)
		}
	}
	if !reflect.DeepEqual(f, Frame()) {
		t.Error("Frame differs between calls")
	}
}

func TestCodesFollowThePlan(t *testing.T) {
	seed := int64(3)
	plan, err := sampling.MakePlan(Frame(), sampling.Options{Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	codes, err := Codes(plan, "s", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	want := map[survey.Group]int{}
	got := map[survey.Group]int{}
	for g, n := range plan.ByGroup {
		want[g] = n
	}
	for _, c := range codes {
		switch {
		case c.Group == survey.Parent && c.School == sequenceSchool(plan):
			if c.Kind != survey.OneTimeCode {
				t.Fatalf("the sequence school's parents have a %s code", c.Kind)
			}
			got[c.Group]++
		case oneTime[c.Group] && c.Kind != survey.OneTimeCode, !oneTime[c.Group] && c.Kind != survey.SharedCode:
			t.Fatalf("%s has a %s code", c.Group, c.Kind)
		case c.Kind == survey.SharedCode:
			got[c.Group] += c.Quota
		default:
			got[c.Group]++
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("places by group %v, plan wants %v", got, want)
	}
}
