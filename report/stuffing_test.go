package report

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"renke/survey"
)

func TestBenjaminiHochberg(t *testing.T) {
	// Benjamini & Hochberg (1995)'s rule by hand: sorted p 0.001 0.008 0.039 0.041 0.6
	// with m = 5 give p·m/i = 0.005 0.02 0.065 0.05125 0.6, then the running minimum from the top.
	ps := []float64{0.041, 0.001, 0.6, 0.039, 0.008}
	want := []float64{0.05125, 0.005, 0.6, 0.05125, 0.02}
	got := benjaminiHochberg(ps)
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("q[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestBinomTailAndConvolution(t *testing.T) {
	choose := func(n, k int) float64 { return math.Exp(lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1)) }
	for _, c := range []struct {
		n, k int
		p    float64
	}{{10, 3, 0.2}, {40, 12, 0.05}, {7, 7, 0.5}, {30, 1, 0.001}} {
		direct := 0.0
		for j := c.k; j <= c.n; j++ {
			direct += choose(c.n, j) * math.Pow(c.p, float64(j)) * math.Pow(1-c.p, float64(c.n-j))
		}
		if got := binomTail(c.n, c.k, c.p); math.Abs(got-direct) > 1e-12*math.Max(1, direct) {
			t.Errorf("P(Bin(%d,%v) ≥ %d) = %v, direct sum %v", c.n, c.p, c.k, got, direct)
		}
	}
	// Three sheets with 0, 1 or 2 low answers at 1/2, 1/3, 1/6: P(total ≤ 1) by enumeration.
	pmf := []float64{0.5, 1.0 / 3, 1.0 / 6}
	want := 0.0
	for a := range pmf {
		for b := range pmf {
			for c := range pmf {
				if a+b+c <= 1 {
					want += pmf[a] * pmf[b] * pmf[c]
				}
			}
		}
	}
	if got := sumAtMost(pmf, 3, 1); math.Abs(got-want) > 1e-15 {
		t.Errorf("P(total ≤ 1) = %v, enumeration %v", got, want)
	}
}

func lgamma(n int) float64 { v, _ := math.Lgamma(float64(n)); return v }

func TestLongestRun(t *testing.T) {
	mk := func(ats []float64, addrs []int) []stamp {
		out := make([]stamp, len(ats))
		for i := range ats {
			out[i] = stamp{at: ats[i], addr: addrs[i], i: i}
		}
		return out
	}
	// Six sheets 75 s apart from two addresses, then a pause, then two more.
	ss := mk([]float64{0, 75, 150, 226, 300, 375, 5000, 5070}, []int{0, 1, 0, 1, 0, 1, 2, 2})
	if got := longestRun(ss, 600, 2); len(got) != 6 || got[0].i != 0 {
		t.Errorf("run %+v, want the first six", got)
	}
	if got := longestRun(ss, 600, 1); len(got) != 2 {
		t.Errorf("one address: run of %d, want 2", len(got))
	}
	// Irregular intervals break the run.
	ss = mk([]float64{0, 10, 200, 210, 220, 230}, []int{0, 0, 0, 0, 0, 0})
	if got := longestRun(ss, 600, 2); len(got) != 4 || got[0].i != 2 {
		t.Errorf("run %+v, want the last four", got)
	}
}

// syntheticCounty is ten schools × 30 parents answering 12 items
// independently; plant changes one school.
func syntheticCounty(seed uint64, plant func(rs []survey.Response)) []survey.Response {
	rng := rand.New(rand.NewPCG(seed, 1))
	base := time.Date(2025, 5, 12, 0, 0, 0, 0, survey.Shanghai)
	opts := []string{survey.OptRecognise, survey.OptRatherAgree, survey.OptBasicallyAgree, survey.OptNotRecognise, survey.OptDontKnow}
	var rs []survey.Response
	for s := 0; s < 10; s++ {
		for k := 0; k < 30; k++ {
			ans := map[string]string{}
			for j := 0; j < 12; j++ {
				x := rng.Float64()
				switch {
				case x < 0.5:
					ans[fmt.Sprintf("q%02d", j)] = opts[0]
				case x < 0.75:
					ans[fmt.Sprintf("q%02d", j)] = opts[1]
				case x < 0.88:
					ans[fmt.Sprintf("q%02d", j)] = opts[2]
				case x < 0.96:
					ans[fmt.Sprintf("q%02d", j)] = opts[3]
				default:
					ans[fmt.Sprintf("q%02d", j)] = opts[4]
				}
			}
			at := base.Add(time.Duration(rng.IntN(10*24*3600)) * time.Second)
			rs = append(rs, survey.Response{ID: fmt.Sprintf("r%d-%d", s, k), SurveyID: "s", Group: survey.Parent,
				School: fmt.Sprintf("S%d", s), Answers: ans, CodeKind: survey.SharedCode,
				AddrHash: fmt.Sprintf("a%d", rng.IntN(1<<30)), DeviceID: fmt.Sprintf("d%d-%d", s, k),
				SubmittedAt: at, StartedAt: at.Add(-time.Duration(120+rng.IntN(400)) * time.Second)})
		}
	}
	if plant != nil {
		plant(rs)
	}
	return rs
}

func TestTemplateFoundOnlyWherePlanted(t *testing.T) {
	cfg := DefaultQualityConfig()
	clean, err := CheckQuality(syntheticCounty(3, nil), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(clean.Stuffing.Findings); n != 0 {
		t.Fatalf("clean county: %d findings %+v", n, clean.Stuffing.Findings)
	}
	planted, err := CheckQuality(syntheticCounty(3, func(rs []survey.Response) {
		for k := 0; k < 8; k++ { // school S4: eight parents send the same mixed sheet
			r := &rs[4*30+k]
			r.Answers = map[string]string{}
			for j := 0; j < 12; j++ {
				r.Answers[fmt.Sprintf("q%02d", j)] = survey.OptRecognise
			}
			r.Answers["q03"] = survey.OptRatherAgree
		}
	}), cfg)
	if err != nil {
		t.Fatal(err)
	}
	fs := planted.Stuffing.Findings
	if len(fs) != 1 || fs[0].Rule != RuleTemplate || fs[0].School != "S4" || fs[0].Count != 8 || fs[0].Q > cfg.FDR {
		t.Fatalf("findings %+v", fs)
	}
	if d, _ := planted.Decision("r4-0"); len(d.Flags) != 1 || d.Flags[0] != RuleTemplate || d.Excluded {
		t.Errorf("decision %+v: flagged, not excluded, by default", d)
	}
	cfg.Template.Exclude = true
	ex, err := CheckQuality(syntheticCounty(3, nil), cfg)
	if err != nil || len(ex.Stuffing.Findings) != 0 {
		t.Fatalf("%v %+v", err, ex.Stuffing.Findings)
	}
	cfg.FDR = 0
	if _, err := CheckQuality(nil, cfg); err == nil {
		t.Error("FDR 0 accepted")
	}
}
