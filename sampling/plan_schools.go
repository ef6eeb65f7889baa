package sampling

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"renke/survey"
)

// viaSchool lists the cells (group, band) reached through a school, in quota order.
func viaSchool() []cellID {
	var out []cellID
	for _, g := range []survey.Group{survey.Student, survey.Parent, survey.Teacher} {
		bands := survey.BandsFor(g)
		if len(bands) == 0 {
			out = append(out, cellID{g: g})
		}
		for _, b := range bands {
			out = append(out, cellID{g: g, b: b})
		}
	}
	return out
}

// capacity is how many respondents of cell c school s can give: the pupils of
// the band (for students and for their parents) or the teachers.
func capacity(s *School, c cellID) int {
	if c.g == survey.Teacher {
		return s.Teachers
	}
	return s.BandPupils(c.b)
}

// stratumList is the stratum's schools in draw order: by township, then by
// enrolment (largest first), then by code — the implicit stratification of
// docs/method.md §4.
func stratumList(f *Frame, u survey.Urbanicity) []*School {
	var list []*School
	for i := range f.Schools {
		if f.Schools[i].Urbanicity == u {
			list = append(list, &f.Schools[i])
		}
	}
	slices.SortFunc(list, func(a, b *School) int {
		return cmp.Or(cmp.Compare(a.Township, b.Township), cmp.Compare(b.Pupils(), a.Pupils()), cmp.Compare(a.Code, b.Code))
	})
	return list
}

// drawStratum draws the schools of stratum u and spreads the stratum's
// student, parent and teacher quotas over them.
//
// How many schools: k = ceil(respondents / takePerSchool), at least 2 where the
// stratum has two schools (so its variance can be estimated), at most all of
// them. Each cell's quota is spread equally over the drawn schools that have
// the band (or teachers), never more than a school has; what a school cannot
// take goes to the others. When the drawn schools cannot hold a quota (say no
// drawn school teaches grades 7–9), k grows by one and the stratum is drawn
// again from the same random stream; with all schools drawn every quota fits,
// since the allocation never asks a stratum for more than it has. The
// inclusion probabilities reported are those of the final k's draw.
func drawStratum(f *Frame, u survey.Urbanicity, a *allocation, takePerSchool int, rng *rand.Rand) (Stratum, []SchoolPlan, error) {
	list := stratumList(f, u)
	st := Stratum{Urbanicity: u, Schools: len(list)}
	sizes := make([]float64, len(list))
	for i, s := range list {
		sizes[i] = float64(s.Pupils())
		st.Pupils += s.Pupils()
	}
	cells := viaSchool()
	quota := make([]int, len(cells))
	for i, c := range cells {
		quota[i] = a.cell[cellID{c.g, u, c.b}]
		st.Respondents += quota[i]
	}
	if st.Respondents == 0 || len(list) == 0 {
		return st, nil, nil
	}
	k := (st.Respondents + takePerSchool - 1) / takePerSchool
	k = min(max(k, min(2, st.Respondents)), len(list))
	for {
		st.Attempts++
		d := systematicPPS(sizes, k, rng)
		plans, err := fitQuotas(list, d, cells, quota)
		if err == nil {
			st.Drawn, st.Interval, st.Start = len(d.selected), d.interval, d.start
			for _, i := range d.selected {
				if d.certain[i] {
					st.Certainty++
				}
			}
			return st, plans, nil
		}
		if !errors.Is(err, errNoFit) || k >= len(list) {
			return st, nil, fmt.Errorf("%s: %w", u, err)
		}
		k++
	}
}

// fitQuotas spreads each cell's quota over the drawn schools; errNoFit when a
// quota exceeds what the drawn schools have.
func fitQuotas(list []*School, d ppsDraw, cells []cellID, quota []int) ([]SchoolPlan, error) {
	n := len(d.selected)
	plans := make([]SchoolPlan, n)
	for j, i := range d.selected {
		s := list[i]
		plans[j] = SchoolPlan{SchoolCode: s.Code, Name: s.Name, Township: s.Township, Urbanicity: s.Urbanicity,
			Type: s.Type, Pupils: s.Pupils(), InclusionProbability: d.pi[i], Certainty: d.certain[i], Quotas: []Quota{}}
	}
	deficit := make([]float64, n)
	weights, caps := make([]float64, n), make([]int, n)
	for ci, c := range cells {
		for j, i := range d.selected {
			caps[j] = capacity(list[i], c)
			weights[j] = 0
			if caps[j] > 0 {
				weights[j] = 1
			}
		}
		alloc, exact, err := apportion(quota[ci], weights, caps, deficit)
		if err != nil {
			return nil, errNoFit
		}
		for j := range n {
			deficit[j] += exact[j] - float64(alloc[j])
			if alloc[j] > 0 {
				plans[j].Quotas = append(plans[j].Quotas, Quota{Group: c.g, Band: c.b, Urbanicity: plans[j].Urbanicity, Quota: alloc[j]})
				plans[j].Total += alloc[j]
			}
		}
	}
	return plans, nil
}

// fillTotals sets the plan's totals, cells and county-level quotas from the
// allocation and the drawn schools.
func (p *Plan) fillTotals(f *Frame, a *allocation) {
	p.ByGroup = map[survey.Group]int{}
	p.ByUrbanicity = map[survey.Urbanicity]int{}
	for _, u := range survey.Urbanicities {
		p.ByUrbanicity[u] = 0
	}
	p.Cells = []Cell{}
	p.CountyQuotas = []Quota{}
	for _, g := range survey.Groups {
		p.ByGroup[g] = a.group[g]
		strata := survey.Urbanicities
		if g == survey.Deputy || g == survey.CPPCC {
			strata = []survey.Urbanicity{""}
			p.CountyWide += a.group[g]
		}
		bands := survey.BandsFor(g)
		if len(bands) == 0 {
			bands = []survey.Band{""}
		}
		for _, u := range strata {
			for _, b := range bands {
				n := a.cell[cellID{g, u, b}]
				pop, _ := f.Population(g, u, b)
				p.Cells = append(p.Cells, Cell{Quota: Quota{Group: g, Band: b, Urbanicity: u, Quota: n}, Population: pop})
				if u != "" {
					p.ByUrbanicity[u] += n
				}
				if !g.ViaSchool() && n > 0 {
					p.CountyQuotas = append(p.CountyQuotas, Quota{Group: g, Band: b, Urbanicity: u, Quota: n})
				}
			}
		}
	}
}
