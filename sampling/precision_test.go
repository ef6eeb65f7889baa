package sampling

import (
	"math"
	"math/rand/v2"
	"testing"

	"renke/survey"
)

// TestExpectedSEMatchesSimulation simulates the model the plan assumes — a
// school effect shared by a school's students, parents and teachers plus
// individual noise, independent county-level respondents — and compares the
// spread of the simulated overall rate with the plan's expected SE.
func TestExpectedSEMatchesSimulation(t *testing.T) {
	const icc, p0 = 0.2, 0.88
	p, err := MakePlan(fixedFrame(), Options{Seed: seed(5), ICC: icc, AssumedRate: p0})
	if err != nil {
		t.Fatal(err)
	}
	sigma := math.Sqrt(p0 * (1 - p0))
	w := survey.DefaultGroupWeights()
	r := rand.New(rand.NewPCG(8, 9))
	const reps = 6000
	var sum, sum2 float64
	for range reps {
		groupSum := map[survey.Group]float64{}
		for _, s := range p.Schools {
			a := r.NormFloat64() * sigma * math.Sqrt(icc)
			for _, q := range s.Quotas {
				// The mean of q.Quota individual errors, times the quota.
				e := r.NormFloat64() * sigma * math.Sqrt((1-icc)/float64(q.Quota))
				groupSum[q.Group] += float64(q.Quota) * (a + e)
			}
		}
		for _, q := range p.CountyQuotas {
			groupSum[q.Group] += float64(q.Quota) * r.NormFloat64() * sigma / math.Sqrt(float64(q.Quota))
		}
		y, wsum := 0.0, 0.0
		for _, g := range survey.Groups {
			if n := p.ByGroup[g]; n > 0 {
				y += w[g] * groupSum[g] / float64(n)
				wsum += w[g]
			}
		}
		y /= wsum
		sum += y
		sum2 += y * y
	}
	sd := math.Sqrt(sum2/reps - (sum/reps)*(sum/reps))
	// The SD of a sample SD over 6000 draws is about 1%; allow 5%.
	if math.Abs(sd/p.ExpectedSE-1) > 0.05 {
		t.Fatalf("simulated SE %.5f, plan says %.5f", sd, p.ExpectedSE)
	}
	if p.DesignEffect <= 1 {
		t.Errorf("design effect %g with ICC %g", p.DesignEffect, icc)
	}
}

func TestExpectedPrecisionWithoutClustering(t *testing.T) {
	f := fixedFrame()
	p, err := MakePlan(f, Options{Seed: seed(5), ICC: -1})
	if err != nil {
		t.Fatal(err)
	}
	w := survey.DefaultGroupWeights()
	v, wsum := 0.0, 0.0
	for _, g := range survey.Groups {
		if p.ByGroup[g] > 0 {
			wsum += w[g]
		}
	}
	for _, g := range survey.Groups {
		if n := p.ByGroup[g]; n > 0 {
			v += (w[g] / wsum) * (w[g] / wsum) * 0.88 * 0.12 / float64(n)
		}
	}
	if math.Abs(p.ExpectedSE-math.Sqrt(v)) > 1e-12 || math.Abs(p.DesignEffect-1) > 1e-9 {
		t.Fatalf("SE %g (want %g), deff %g", p.ExpectedSE, math.Sqrt(v), p.DesignEffect)
	}
	// More people, a smaller SE; a higher assumed rate, a higher chance to pass.
	big := *f
	big.County.Population *= 2
	big.County.Urban *= 2
	big.County.Town *= 2
	big.County.Rural *= 2
	q, err := MakePlan(&big, Options{Seed: seed(5), ICC: -1})
	if err != nil {
		t.Fatal(err)
	}
	if q.Total <= p.Total || q.ExpectedSE >= p.ExpectedSE {
		t.Errorf("doubling the population: n %d→%d, SE %g→%g", p.Total, q.Total, p.ExpectedSE, q.ExpectedSE)
	}
	hi, _ := MakePlan(f, Options{Seed: seed(5), AssumedRate: 0.9})
	lo, _ := MakePlan(f, Options{Seed: seed(5), AssumedRate: 0.86})
	at, _ := MakePlan(f, Options{Seed: seed(5), AssumedRate: 0.85})
	if !(hi.ExpectedPassProbability > lo.ExpectedPassProbability && lo.ExpectedPassProbability > 0.5) ||
		math.Abs(at.ExpectedPassProbability-0.5) > 1e-9 {
		t.Errorf("pass probability at 0.90, 0.86, 0.85: %g %g %g", hi.ExpectedPassProbability, lo.ExpectedPassProbability, at.ExpectedPassProbability)
	}
}
