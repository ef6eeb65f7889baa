package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"renke/survey"
)

// pipelineResponses makes raw responses for a default-form survey: three
// schools (students, parents, teachers), principals and public, one speeder
// and one respondent who answered 不了解 throughout.
func pipelineResponses(sv *survey.Survey) []survey.Response {
	rng := rand.New(rand.NewPCG(11, 12))
	codes := []string{"1", "1", "2", "3", "4", "9"}
	var rs []survey.Response
	add := func(g survey.Group, school string, urb survey.Urbanicity, band survey.Band, secs int, all string) {
		q := sv.Forms[g.Form()]
		ans := map[string]string{}
		for _, it := range q.Items {
			ans[it.ID] = codes[rng.IntN(len(codes))]
			if all != "" {
				ans[it.ID] = all
			}
		}
		sub := t0.Add(time.Duration(len(rs)) * time.Hour)
		rs = append(rs, survey.Response{ID: fmt.Sprintf("r%03d", len(rs)), SurveyID: sv.ID, Group: g, Form: g.Form(),
			School: school, Township: "镇" + school, Urbanicity: urb, Band: band, Answers: ans,
			StartedAt: sub.Add(-time.Duration(secs) * time.Second), SubmittedAt: sub})
	}
	for i, urb := range []survey.Urbanicity{survey.Urban, survey.Urban, survey.Rural} {
		school := fmt.Sprintf("S%d", i+1)
		for range 6 {
			add(survey.Student, school, urb, survey.BandUpper, 400, "")
			add(survey.Parent, school, urb, survey.BandLower, 300, "")
			add(survey.Parent, school, urb, survey.BandJunior, 300, "")
		}
		add(survey.Teacher, school, urb, "", 500, "")
		add(survey.Teacher, school, urb, "", 500, "")
		add(survey.Principal, school, urb, "", 500, "")
	}
	for range 5 {
		add(survey.Public, "", survey.Urban, "", 200, "")
	}
	add(survey.Parent, "S1", survey.Urban, survey.BandLower, 20, "")  // speeder: excluded
	add(survey.Public, "", survey.Rural, "", 200, survey.OptDontKnow) // no scored answer
	return rs
}

func TestSurveyPipeline(t *testing.T) {
	sv, err := survey.NewSurvey("测试县", "测试调查", t0, t0.Add(30*24*time.Hour), survey.DefaultForms())
	if err != nil {
		t.Fatal(err)
	}
	rs := pipelineResponses(sv)
	q, err := CheckQuality(rs, DefaultQualityConfig())
	if err != nil {
		t.Fatal(err)
	}
	frame := map[string]float64{"parent|城区|g1-2": 900, "parent|城区|g7-9": 1500, "student|城区|g5-6": 700,
		"parent|乡村|g1-2": 400, "public|城区": 50000}
	p := &Published{Survey: sv, Responses: rs, Quality: q}
	rep, err := estimateSurvey(p, frame, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Report = rep
	qs := q.Summary()
	rep.Quality, rep.ChainHead = &qs, "abc"
	if rep.Counts != (Counts{Responses: len(rs), Excluded: 1, NoScore: 1, Valid: len(rs) - 2}) {
		t.Errorf("counts %+v", rep.Counts)
	}
	nItems := 0
	for _, f := range sv.Forms {
		nItems += len(f.Items)
	}
	if len(rep.Items) != nItems || len(rep.Schools) != 3 || len(rep.Urbanicities) != 2 || len(rep.Dimensions) == 0 {
		t.Errorf("items %d (want %d), schools %d, urbanicities %d", len(rep.Items), nItems, len(rep.Schools), len(rep.Urbanicities))
	}

	// One item's rate by hand: W_g-weighted mean of the group rates, with
	// weights N_c/n_c over the valid respondents.
	item := sv.Forms[survey.SocialForm].Items[0]
	nc := map[string]float64{}
	for _, r := range rs {
		d, _ := q.Decision(r.ID)
		if _, ok := sv.Scheme.RespondentScore(r.Answers); ok && !d.Excluded {
			nc[CellKey(r.Group, r.Urbanicity, r.Band)]++
		}
	}
	sw, swy := map[survey.Group]float64{}, map[survey.Group]float64{}
	for _, r := range rs {
		d, _ := q.Decision(r.ID)
		score, scored := sv.Scheme.Score(r.Answers[item.ID])
		if d.Excluded || !scored || r.Group.Form() != survey.SocialForm {
			continue
		}
		c := CellKey(r.Group, r.Urbanicity, r.Band)
		w := 1.0
		if n, ok := frame[c]; ok {
			w = n / nc[c]
		}
		sw[r.Group] += w
		swy[r.Group] += w * score
	}
	var want, sumW float64
	for g, s := range sw {
		want += sv.GroupWeights[g] * swy[g] / s
		sumW += sv.GroupWeights[g]
	}
	want /= sumW
	for _, it := range rep.Items {
		if it.Item == item.ID && math.Abs(it.Rate-want) > 1e-12 {
			t.Errorf("item %s: rate %v, by hand %v", item.ID, it.Rate, want)
		}
	}

	if len(rep.Weakest) == 0 {
		t.Error("no weakest rows, though the rates lie around 0.8")
	}
	for i, w := range rep.Weakest {
		if w.Rate >= rep.Overall.Bar {
			t.Errorf("weakest row above the bar: %+v", w)
		}
		if i > 0 && rep.Weakest[i-1].Kind == w.Kind && rep.Weakest[i-1].Rate > w.Rate {
			t.Errorf("weakest rows out of order: %+v, %+v", rep.Weakest[i-1], w)
		}
	}
	// The replication file reproduces the overall and group estimates.
	var buf bytes.Buffer
	if err := WriteReplication(&buf, p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), ",true,speeder,") {
		t.Error("the speeder's row does not say excluded, speeder")
	}
	again, err := EstimateReplication(context.Background(), &buf, sv.GroupWeights, 0)
	if err != nil {
		t.Fatal(err)
	}
	sameRates(t, "replication file", &Summary{Overall: rep.Overall, Groups: rep.Groups}, again, 1e-12)

	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"chain_head":"abc"`, `"weakest":`, `"quality":{`, `"by_school":`, `"wilson_low":`, `"verdict":`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("report JSON lacks %s", key)
		}
	}
}

func TestItemIDs(t *testing.T) {
	forms := fixtureForms()
	staff := forms[survey.StaffForm]
	staff.Items = append(staff.Items, survey.Item{ID: "c1", Text: "同号", Dimension: "教育质量"})
	forms[survey.StaffForm] = staff
	got := strings.Join(ItemIDs(&survey.Survey{Forms: forms}), ",")
	if want := "s1,s2,s3,t1,t2,t3,c1,c2,c3"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
