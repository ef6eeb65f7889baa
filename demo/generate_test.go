package demo

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"testing"
	"time"

	"renke/report"
	"renke/sampling"
	"renke/survey"
)

// fixedNow is a Wednesday afternoon in Shanghai.
var fixedNow = time.Date(2025, 5, 21, 15, 4, 5, 0, survey.Shanghai)

// generated is one run of Generate over a fresh survey, plan and codes.
type generated struct {
	sv       *survey.Survey
	plan     *sampling.Plan
	codes    []survey.Code
	rs       []*survey.Response
	injected Injected
}

func generate(t *testing.T, seed int64, now time.Time) generated {
	t.Helper()
	return generateCounty(t, seed, now, false)
}

// generateCounty is generate, clean: without the injected problems.
func generateCounty(t testing.TB, seed int64, now time.Time, clean bool) generated {
	t.Helper()
	plan, err := sampling.MakePlan(Frame(), sampling.Options{Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	sv, err := survey.NewSurvey(CountyName, Title, now.Add(-10*24*time.Hour), now.Add(20*24*time.Hour), survey.DefaultForms())
	if err != nil {
		t.Fatal(err)
	}
	codes, err := Codes(plan, sv.ID, sv.Opens)
	if err != nil {
		t.Fatal(err)
	}
	rs, inj := simulateCounty(sv, plan, codes, seed, now, testSecret, clean)
	return generated{sv, plan, codes, rs, inj}
}

var idShape = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

func TestGenerateKeepsTheCollectionRules(t *testing.T) {
	g := generate(t, 1, fixedNow)
	byCode := map[string]*survey.Code{}
	for i := range g.codes {
		byCode[g.codes[i].Code] = &g.codes[i]
	}
	used := map[string]int{}
	ids, devices := map[string]bool{}, map[string]bool{}
	for i, r := range g.rs {
		c := byCode[r.Code]
		if c == nil {
			t.Fatalf("response %s names an unknown code", r.ID)
		}
		used[r.Code]++
		if !idShape.MatchString(r.ID) || ids[r.ID] {
			t.Fatalf("response id %q malformed or repeated", r.ID)
		}
		ids[r.ID] = true
		if c.Kind == survey.SharedCode {
			if devices[r.DeviceID] {
				t.Fatalf("device %s answers shared codes twice: the store allows one", r.DeviceID)
			}
			devices[r.DeviceID] = true
		}
		if r.Group != c.Group || r.School != c.School || r.Urbanicity != c.Urbanicity || (c.Band != "" && r.Band != c.Band) {
			t.Fatalf("response %s does not carry its code's labels", r.ID)
		}
		q := g.sv.Forms[r.Form]
		sub := survey.Submission{Answers: r.Answers, Band: string(r.Band)}
		if err := q.Validate(sub, r.Group); err != nil {
			t.Fatalf("response %s: %v", r.ID, err)
		}
		if err := survey.RequireBand(sub, r.Group); err != nil {
			t.Fatalf("response %s: %v", r.ID, err)
		}
		if !r.SubmittedAt.After(g.sv.Opens) || !r.SubmittedAt.Before(fixedNow) || !r.StartedAt.Before(r.SubmittedAt) {
			t.Fatalf("response %s: started %v, submitted %v, window from %v to now %v", r.ID, r.StartedAt, r.SubmittedAt, g.sv.Opens, fixedNow)
		}
		if i > 0 && r.SubmittedAt.Before(g.rs[i-1].SubmittedAt) {
			t.Fatal("responses are not in submission order")
		}
	}
	for code, n := range used {
		c := byCode[code]
		if (c.Kind == survey.SharedCode && n > c.Quota) || (c.Kind == survey.OneTimeCode && n > 1) {
			t.Errorf("code of %s at %s used %d times (quota %d)", c.Group, c.SchoolName, n, c.Quota)
		}
	}
	if fill := float64(len(g.rs)) / float64(places(g.codes)); fill < 0.85 || fill > 0.95 {
		t.Errorf("quotas filled %.1f%%, want 85–95%%", 100*fill)
	}
}

// acc accumulates scores for a rate.
type acc struct{ sum, n float64 }

func tally[K comparable](m map[K]*acc, k K, v float64) {
	if m[k] == nil {
		m[k] = &acc{}
	}
	m[k].sum += v
	m[k].n++
}

func TestGenerateAnswerPatterns(t *testing.T) {
	g := generate(t, 2, fixedNow)
	scheme := survey.DefaultScheme()
	group, dim, school := map[survey.Group]*acc{}, map[string]*acc{}, map[string]*acc{}
	names := map[string]string{}
	for _, s := range g.plan.Schools {
		names[s.SchoolCode] = s.Name
	}
	times := map[survey.Group][]float64{}
	for _, r := range g.rs {
		y, ok := scheme.RespondentScore(r.Answers)
		if !ok {
			continue
		}
		tally(group, r.Group, y)
		if r.School != "" {
			tally(school, names[r.School], y)
		}
		q := g.sv.Forms[r.Form]
		for _, it := range q.Items {
			if v, scored := scheme.Score(r.Answers[it.ID]); scored {
				tally(dim, it.Dimension, v)
			}
		}
		times[r.Group] = append(times[r.Group], r.CompletionTime().Minutes())
	}
	rate := func(a *acc) float64 { return a.sum / a.n }
	for _, low := range []survey.Group{survey.Parent, survey.Public} {
		if rate(group[low]) >= rate(group[survey.Teacher]) {
			t.Errorf("%s rate %.3f not below teachers' %.3f", low, rate(group[low]), rate(group[survey.Teacher]))
		}
	}
	var dims []string
	for d := range dim {
		dims = append(dims, d)
	}
	sort.Slice(dims, func(i, j int) bool { return rate(dim[dims[i]]) < rate(dim[dims[j]]) })
	if low := map[string]bool{dims[0]: true, dims[1]: true}; !low["课业负担"] || !low["资源共享"] {
		t.Errorf("lowest dimensions %s, %s; want 课业负担 and 资源共享", dims[0], dims[1])
	}
	if len(g.injected.LowSchools) != lowSchoolCount {
		t.Fatalf("low schools %v", g.injected.LowSchools)
	}
	for _, s := range g.injected.LowSchools {
		if r := rate(school[s]); r >= 0.83 {
			t.Errorf("school %s meant to be well below 85%% has %.3f", s, r)
		}
	}
	above := 0
	for s, a := range school {
		if rate(a) >= 0.85 {
			above++
		} else {
			t.Logf("below 85%%: %s %.3f", s, rate(a))
		}
	}
	if above < len(school)*2/3 {
		t.Errorf("only %d of %d schools at 85%% or more", above, len(school))
	}
	for gr, ts := range times {
		sort.Float64s(ts)
		if m := ts[len(ts)/2]; m < 3.5 || m > 6.5 {
			t.Errorf("%s: median completion %.1f min, want about 4–6", gr, m)
		}
	}
}

// The answers, codes and durations do not depend on the day the demo runs,
// only on the seed.
func TestGenerateIsDeterministicForASeed(t *testing.T) {
	type key struct {
		code, device, addr string
		dur                time.Duration
	}
	content := func(g generated) map[string]key {
		idx := map[string]int{}
		for i, c := range g.codes {
			idx[c.Code] = i
		}
		out := map[string]key{}
		for _, r := range g.rs {
			k := key{code: string(rune(idx[r.Code])), device: r.DeviceID, addr: r.AddrHash, dur: r.CompletionTime()}
			for _, it := range g.sv.Forms[r.Form].Items {
				k.code += r.Answers[it.ID]
			}
			out[r.ID] = k
		}
		return out
	}
	a := content(generate(t, 5, fixedNow))
	b := content(generate(t, 5, fixedNow.Add(3*24*time.Hour+7*time.Hour)))
	if len(a) != len(b) {
		t.Fatalf("%d responses, then %d", len(a), len(b))
	}
	for id, ka := range a {
		if kb, ok := b[id]; !ok || kb != ka {
			t.Fatalf("response %s differs between days: %+v vs %+v", id, ka, kb)
		}
	}
	answers := func(m map[string]key) []string {
		var out []string
		for _, k := range m {
			out = append(out, k.code)
		}
		sort.Strings(out)
		return out
	}
	if reflect.DeepEqual(answers(a), answers(content(generate(t, 6, fixedNow)))) {
		t.Error("seeds 5 and 6 give the same answers")
	}
}

// On another day the chain order changes with the times, and with it the
// order of the estimator's sums: the report's numbers agree to rounding.
func TestReportDoesNotDependOnTheDay(t *testing.T) {
	reportOn := func(now time.Time) any {
		g := generate(t, 9, now)
		rs := make([]survey.Response, len(g.rs))
		for i, r := range g.rs {
			rs[i] = *r
		}
		rep := estimate(t, g.sv, Frame(), rs)
		// The stuffing rules look at school hours and weekdays, which move
		// with the day: their findings are compared apart, by where they are.
		var found []string
		for _, f := range rep.Quality.Stuffing.Findings {
			found = append(found, fmt.Sprint(f.Rule, f.School, f.Group))
		}
		sort.Strings(found)
		rep.Quality.Stuffing = nil
		for i := range rep.Quality.BySchool {
			for _, r := range report.StuffingRules {
				delete(rep.Quality.BySchool[i].ByRule, r)
			}
		}
		rep.Quality.ByRule = rep.Quality.ByRule[:4]
		rep.Quality.Flagged, rep.Quality.BySchool = 0, nil
		b, err := json.Marshal(struct {
			Report *report.Report
			Found  []string
		}{rep, found})
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	a, b := reportOn(fixedNow), reportOn(fixedNow.Add(4*24*time.Hour+5*time.Hour+17*time.Minute))
	if d := sameNumbers(a, b, 1e-12, "report"); d != "" {
		t.Errorf("reports of one seed on two days differ at %s", d)
	}
}
