package report

import (
	"math"
	"math/rand/v2"
	"testing"

	"renke/survey"
)

func mustSummary(t *testing.T, cfg Config, units []Unit) *Summary {
	t.Helper()
	s, err := estimateUnits(t, cfg, units).Summary()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func closeTo(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

// sameRates compares rate, SE, CI and pass probability of two summaries.
func sameRates(t *testing.T, what string, a, b *Summary, tol float64) {
	t.Helper()
	cmp := func(key string, x, y Estimate) {
		if !closeTo(x.Rate, y.Rate, tol) || !closeTo(x.SE, y.SE, tol) || !closeTo(x.CILow, y.CILow, tol) ||
			!closeTo(x.CIHigh, y.CIHigh, tol) || x.N != y.N || x.DF != y.DF {
			t.Errorf("%s, %s: %+v vs %+v", what, key, x, y)
		}
		if (x.PassProbability == nil) != (y.PassProbability == nil) ||
			(x.PassProbability != nil && !closeTo(*x.PassProbability, *y.PassProbability, tol)) {
			t.Errorf("%s, %s: pass probability differs", what, key)
		}
	}
	cmp("overall", a.Overall.Estimate, b.Overall.Estimate)
	if len(a.Groups) != len(b.Groups) {
		t.Fatalf("%s: %d vs %d groups", what, len(a.Groups), len(b.Groups))
	}
	for i := range a.Groups {
		cmp(string(a.Groups[i].Group), a.Groups[i].Estimate, b.Groups[i].Estimate)
	}
}

// The weights of a cell sum to its frame count N_c: each group's estimated
// population is the sum of its cells' N_c (n_c for cells the frame lacks).
func TestWeightsSumToFrame(t *testing.T) {
	s := newSynth(1, false)
	units := s.units(3000)
	delete(s.frame, CellKey(survey.Teacher, survey.Rural, ""))
	e := estimateUnits(t, Config{Frame: s.frame}, units)
	sum, err := e.Summary()
	if err != nil {
		t.Fatal(err)
	}
	want := map[survey.Group]float64{}
	perCell := map[string]float64{}
	for _, u := range units {
		perCell[u.Cell] += e.CellWeight(u.Cell)
	}
	for _, c := range e.Cells() {
		n, ok := s.frame[c.Cell]
		if !ok {
			n = float64(c.N)
		}
		if !closeTo(perCell[c.Cell], n, 1e-12) {
			t.Errorf("cell %s: weights sum to %v, want %v", c.Cell, perCell[c.Cell], n)
		}
		want[c.Group] += n
	}
	for _, g := range sum.Groups {
		if !closeTo(g.Population, want[g.Group], 1e-12) {
			t.Errorf("group %s: population %v, want %v", g.Group, g.Population, want[g.Group])
		}
	}
}

// Scaling every N_c (or every precomputed weight) by one constant changes
// no rate, SE, interval or probability.
func TestScalingWeightsChangesNothing(t *testing.T) {
	s := newSynth(2, false)
	units := s.units(4000)
	base := mustSummary(t, Config{Frame: s.frame}, units)
	scaled := map[string]float64{}
	for c, n := range s.frame {
		scaled[c] = 37.5 * n
	}
	sameRates(t, "frame × 37.5", base, mustSummary(t, Config{Frame: scaled}, units), 1e-12)

	pre := make([]Unit, len(units))
	for i, u := range units {
		u.Weight = 1.7 + float64(i%13)
		pre[i] = u
	}
	a := mustSummary(t, Config{PrecomputedWeights: true}, pre)
	for i := range pre {
		pre[i].Weight *= 1e-3
	}
	sameRates(t, "weights × 0.001", a, mustSummary(t, Config{PrecomputedWeights: true}, pre), 1e-12)
}

// With no variation to sample there is no sampling variance: when every
// respondent of a group gives the same score, or every school of a stratum
// holds the same respondents, the SE is 0.
func TestNoVariationGivesZeroSE(t *testing.T) {
	s := newSynth(3, false)
	units := s.units(2000)
	for i := range units {
		if units[i].Group == survey.Parent {
			units[i].Y = 0.75
		}
	}
	sum := mustSummary(t, Config{Frame: s.frame}, units)
	for _, g := range sum.Groups {
		if g.Group == survey.Parent && (g.SE != 0 || !closeTo(g.Rate, 0.75, 1e-14) || g.CILow != g.Rate || g.CIHigh != g.Rate) {
			t.Errorf("constant parents: %+v", g.Estimate)
		}
		if g.Group != survey.Parent && !(g.SE > 0) {
			t.Errorf("group %s: SE %v, want > 0", g.Group, g.SE)
		}
	}

	// Replicated schools: ten identical copies of one school per stratum, and
	// the non-school groups constant: the whole sample has no between-PSU
	// variation left.
	var rep []Unit
	for _, urb := range survey.Urbanicities {
		for k := range 10 {
			for j, y := range []float64{1, 0.5, 1, 0, 2.0 / 3} {
				g := []survey.Group{survey.Student, survey.Parent, survey.Parent, survey.Teacher, survey.Parent}[j]
				school := string(urb) + string(rune('A'+k))
				rep = append(rep, Unit{ID: school + string(rune('a'+j)), Group: g, Cell: CellKey(g, urb, ""), Stratum: SchoolStratumPrefix + string(urb),
					PSU: school, Y: y, HasY: true, Urbanicity: urb, School: school})
			}
		}
		for k := range 4 {
			id := string(urb) + "pub" + string(rune('0'+k))
			rep = append(rep, Unit{ID: id, Group: survey.Public, Cell: CellKey(survey.Public, urb, ""), Stratum: "public|" + string(urb), PSU: id, Y: 0.8, HasY: true, Urbanicity: urb})
		}
	}
	r := mustSummary(t, Config{}, rep)
	if r.Overall.SE != 0 {
		t.Errorf("replicated schools: overall SE %v, want 0", r.Overall.SE)
	}
	for _, g := range r.Groups {
		if g.SE != 0 {
			t.Errorf("replicated schools: group %s SE %v, want 0", g.Group, g.SE)
		}
	}
}

// A census is not SE 0 under docs/method.md §4's with-replacement formula: taking
// every principal (N_c = n_c) still gives SE > 0 when their scores differ,
// the known conservative side of ignoring the finite population correction,
// and the design effect (against SRS without replacement, zero variance) is
// undefined.
func TestCensusKeepsWithReplacementSE(t *testing.T) {
	var units []Unit
	frame := map[string]float64{}
	for i, urb := range survey.Urbanicities {
		for k := range 6 {
			id := string(urb) + string(rune('a'+k))
			units = append(units, Unit{ID: id, Group: survey.Principal, Cell: CellKey(survey.Principal, urb, ""),
				Stratum: "principal|" + string(urb), PSU: id, Y: float64((k+i)%3) / 2, HasY: true})
		}
		frame[CellKey(survey.Principal, urb, "")] = 6
	}
	s := mustSummary(t, Config{Frame: frame}, units)
	if !(s.Overall.SE > 0) || s.Overall.Deff != nil || s.Overall.EffectiveN != nil {
		t.Errorf("census of principals: %+v", s.Overall.Estimate)
	}
}

// The two ways of keeping PSU sums (per unit for own-PSU units, per PSU for
// shared ones) and the order of the units give the same estimates.
func TestStreamingInvariance(t *testing.T) {
	s := newSynth(4, true)
	units := s.units(5000)
	cfg := Config{Frame: s.frame, Forms: s.forms}
	base, err := estimateUnits(t, cfg, units).Report()
	if err != nil {
		t.Fatal(err)
	}
	shuffled := append([]Unit(nil), units...)
	rand.New(rand.NewPCG(9, 9)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	clustered := append([]Unit(nil), units...)
	for i := range clustered {
		if clustered[i].PSU == clustered[i].ID {
			clustered[i].PSU = "psu-" + clustered[i].ID
		}
	}
	for name, us := range map[string][]Unit{"shuffled": shuffled, "own PSUs kept as shared": clustered} {
		r, err := estimateUnits(t, cfg, us).Report()
		if err != nil {
			t.Fatal(err)
		}
		sameRates(t, name, &Summary{Overall: base.Overall, Groups: base.Groups}, &Summary{Overall: r.Overall, Groups: r.Groups}, 1e-10)
		if len(r.Items) != len(base.Items) || len(r.Schools) != len(base.Schools) || len(r.Dimensions) != len(base.Dimensions) {
			t.Fatalf("%s: breakdown sizes differ", name)
		}
		for i := range r.Items {
			if !closeTo(r.Items[i].SE, base.Items[i].SE, 1e-10) || !closeTo(r.Items[i].Rate, base.Items[i].Rate, 1e-10) {
				t.Errorf("%s: item %s %+v vs %+v", name, r.Items[i].Item, r.Items[i].Estimate, base.Items[i].Estimate)
			}
		}
		for i := range r.Dimensions {
			if !closeTo(r.Dimensions[i].SE, base.Dimensions[i].SE, 1e-10) {
				t.Errorf("%s: dimension %s SE %v vs %v", name, r.Dimensions[i].Dimension, r.Dimensions[i].SE, base.Dimensions[i].SE)
			}
		}
	}
}
