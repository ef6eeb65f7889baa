package report

import (
	"fmt"
	"math"
	"math/rand/v2"

	"renke/survey"
)

// synth makes a synthetic county's valid responses with the sample shares of
// docs/method.md §2: parents 1/2, each other group 1/12. Schools get about 500
// respondents each; principals, deputies, CPPCC members and the public are
// their own PSUs. With forms, each unit carries item scores drawn from a
// pool (shared, read-only slices) and y is their mean.
type synth struct {
	rng    *rand.Rand
	forms  map[survey.FormKind]survey.Questionnaire
	pools  map[survey.FormKind][][]float64
	frame  map[string]float64
	scheme survey.Scheme
}

func newSynth(seed uint64, withForms bool) *synth {
	s := &synth{rng: rand.New(rand.NewPCG(seed, 1)), frame: map[string]float64{}, scheme: survey.GradedScheme()}
	if withForms {
		s.forms = survey.DefaultForms()
		s.pools = map[survey.FormKind][][]float64{}
		codes := []string{"1", "1", "1", "2", "2", "3", "4", "9"}
		for k, q := range s.forms {
			for range 512 {
				sc := make([]float64, len(q.Items))
				for i := range sc {
					if v, ok := s.scheme.Score(codes[s.rng.IntN(len(codes))]); ok {
						sc[i] = v
					} else {
						sc[i] = math.NaN()
					}
				}
				s.pools[k] = append(s.pools[k], sc)
			}
		}
	}
	return s
}

// pickGroup draws a group with the planned shares.
func (s *synth) pickGroup() survey.Group {
	x := s.rng.IntN(12)
	switch {
	case x < 6:
		return survey.Parent
	case x < 7:
		return survey.Student
	case x < 8:
		return survey.Teacher
	case x < 9:
		return survey.Principal
	case x < 10:
		return survey.Deputy
	case x < 11:
		return survey.CPPCC
	}
	return survey.Public
}

// units returns n units and fills s.frame with a population for every cell.
func (s *synth) units(n int) []Unit {
	nSchools := max(n/500, 6)
	out := make([]Unit, 0, n)
	for i := range n {
		g := s.pickGroup()
		school := s.rng.IntN(nSchools)
		urb := survey.Urbanicities[school%3]
		band := survey.Band("")
		if bs := survey.BandsFor(g); len(bs) > 0 {
			band = bs[s.rng.IntN(len(bs))]
		}
		u := Unit{ID: fmt.Sprintf("r%07d", i), Group: g, Cell: CellKey(g, urb, band), Weight: 1,
			Urbanicity: urb, Township: fmt.Sprintf("镇%02d", school%20)}
		if g.ViaSchool() {
			u.School = fmt.Sprintf("S%04d", school)
			u.Stratum, u.PSU = SchoolStratumPrefix+string(urb), u.School
		} else {
			u.Stratum, u.PSU = string(g)+"|"+string(urb), u.ID
		}
		p := 0.75 + 0.2*float64(school%7)/6
		if s.forms != nil {
			u.Form = g.Form()
			pool := s.pools[u.Form]
			u.Scores = pool[s.rng.IntN(len(pool))]
			var sum float64
			k := 0
			for _, v := range u.Scores {
				if v == v {
					sum += v
					k++
				}
			}
			if k > 0 {
				u.Y, u.HasY = sum/float64(k), true
			}
		} else {
			u.HasY = true
			if s.rng.Float64() < p {
				u.Y = 1
			} else {
				u.Y = float64(s.rng.IntN(3)) / 3
			}
		}
		if _, ok := s.frame[u.Cell]; !ok {
			s.frame[u.Cell] = float64(1000 + s.rng.IntN(100000))
		}
		out = append(out, u)
	}
	return out
}
