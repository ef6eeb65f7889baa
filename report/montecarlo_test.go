package report

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"renke/survey"
)

// mcCounty is a synthetic county whose every resident's score is known.
type mcCounty struct {
	schools [3][][]popCell // urbanicity → school → cells
	singles [3][]popCell   // urbanicity → principals, public
	truth   float64
}

type popCell struct {
	group survey.Group
	band  survey.Band
	y     []float64
	take  int
}

// binomScore is a respondent's score: the share of 4 items recognised.
func binomScore(rng *rand.Rand, p float64) float64 {
	k := 0
	for range 4 {
		if rng.Float64() < p {
			k++
		}
	}
	return float64(k) / 4
}

func newMCCounty(rng *rand.Rand) *mcCounty {
	c := &mcCounty{}
	base := [3]float64{0.88, 0.84, 0.80}
	var sum, n [7]float64
	add := func(pc popCell) popCell {
		g := groupIndex(pc.group)
		for _, y := range pc.y {
			sum[g] += y
			n[g]++
		}
		return pc
	}
	draw := func(size int, p float64) []float64 {
		ys := make([]float64, size)
		for i := range ys {
			ys[i] = binomScore(rng, p)
		}
		return ys
	}
	for u := range 3 {
		for range 300 {
			p := math.Min(0.99, math.Max(0.3, base[u]+0.07*rng.NormFloat64()))
			var cells []popCell
			for _, b := range survey.BandsFor(survey.Student) {
				cells = append(cells, add(popCell{survey.Student, b, draw(40, math.Min(0.99, p+0.03)), 4}))
			}
			for _, b := range survey.BandsFor(survey.Parent) {
				cells = append(cells, add(popCell{survey.Parent, b, draw(50, p), 5}))
			}
			cells = append(cells, add(popCell{survey.Teacher, "", draw(25, math.Min(0.99, p+0.05)), 4}))
			c.schools[u] = append(c.schools[u], cells)
		}
		c.singles[u] = []popCell{
			add(popCell{survey.Principal, "", draw(120, 0.85), 12}),
			add(popCell{survey.Public, "", draw(5000, base[u]-0.05), 50}),
		}
	}
	w := survey.DefaultGroupWeights()
	var sumW float64
	for g, grp := range survey.Groups {
		if n[g] > 0 {
			c.truth += w[grp] * sum[g] / n[g]
			sumW += w[grp]
		}
	}
	c.truth /= sumW
	return c
}

// pick draws k of n indexes without replacement.
func pick(rng *rand.Rand, n, k int, buf []int) []int {
	buf = buf[:0]
	for i := range n {
		buf = append(buf, i)
	}
	for i := range k {
		j := i + rng.IntN(n-i)
		buf[i], buf[j] = buf[j], buf[i]
	}
	return buf[:k]
}

// sample draws 16 schools per urbanicity (simple random, without
// replacement), a fixed take per cell in each, and simple random samples of
// principals and public; it returns the units and the frame counts.
func (c *mcCounty) sample(rng *rand.Rand) ([]Unit, map[string]float64) {
	var units []Unit
	frame := map[string]float64{}
	var buf, buf2 []int
	for u, urb := range survey.Urbanicities {
		for _, s := range c.schools[u] {
			for _, pc := range s {
				frame[CellKey(pc.group, urb, pc.band)] += float64(len(pc.y))
			}
		}
		buf = pick(rng, len(c.schools[u]), 16, buf)
		for _, si := range buf {
			school := fmt.Sprintf("%s-%03d", urb, si)
			for ci, pc := range c.schools[u][si] {
				buf2 = pick(rng, len(pc.y), pc.take, buf2)
				for k, yi := range buf2 {
					units = append(units, Unit{ID: fmt.Sprintf("%s-%d-%d", school, ci, k), Group: pc.group,
						Cell: CellKey(pc.group, urb, pc.band), Stratum: SchoolStratumPrefix + string(urb),
						PSU: school, Y: pc.y[yi], HasY: true, Urbanicity: urb, School: school})
				}
			}
		}
		for _, pc := range c.singles[u] {
			frame[CellKey(pc.group, urb, "")] = float64(len(pc.y))
			buf2 = pick(rng, len(pc.y), pc.take, buf2)
			for _, yi := range buf2 {
				id := fmt.Sprintf("%s-%s-%d", pc.group, urb, yi)
				units = append(units, Unit{ID: id, Group: pc.group, Cell: CellKey(pc.group, urb, ""),
					Stratum: string(pc.group) + "|" + string(urb), PSU: id, Y: pc.y[yi], HasY: true, Urbanicity: urb})
			}
		}
	}
	return units, frame
}

// TestMonteCarloCoverage draws 500 samples from one synthetic county and
// checks that the 95% interval of the overall rate covers the county's true
// rate 93–97% of the time.
func TestMonteCarloCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(20240601, 85))
	county := newMCCounty(rng)
	const reps = 500
	covered := 0
	var meanRate float64
	for range reps {
		units, frame := county.sample(rng)
		s := mustSummary(t, Config{Frame: frame}, units)
		if s.Overall.CILow <= county.truth && county.truth <= s.Overall.CIHigh {
			covered++
		}
		meanRate += s.Overall.Rate / reps
	}
	rate := float64(covered) / reps
	t.Logf("true rate %.4f, mean estimate %.4f, coverage %.3f", county.truth, meanRate, rate)
	if rate < 0.93 || rate > 0.97 {
		t.Errorf("95%% interval covered the true rate in %d of %d samples (%.1f%%), want 93–97%%", covered, reps, 100*rate)
	}
}
