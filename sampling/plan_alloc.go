package sampling

import (
	"errors"
	"fmt"

	"renke/survey"
)

// cellID names a group × urbanicity × band cell; urbanicity is empty for
// deputies and CPPCC members, band for groups without bands.
type cellID struct {
	g survey.Group
	u survey.Urbanicity
	b survey.Band
}

// allocation is the plan's split of the total before schools are drawn.
type allocation struct {
	group map[survey.Group]int
	cell  map[cellID]int
	notes []string
}

// nonParents are the six groups that share the non-parent half equally.
var nonParents = []survey.Group{survey.Student, survey.Teacher, survey.Principal, survey.Deputy, survey.CPPCC, survey.Public}

// allocate splits n over groups, bands and strata (docs/method.md §2):
//   - parents get ceil(n/2), the other six groups share the rest equally; a
//     group whose frame population is below its share is taken whole and the
//     leftover goes to the other non-parent groups (and, when all of them are
//     exhausted, to parents);
//   - students' and parents' quotas are shared equally over their bands, a band
//     with too few pupils taken whole;
//   - every group but deputies and CPPCC members is split over 城区/镇区/乡村 in
//     proportion to the resident population, never above the cell's frame
//     population; largest remainders, with the cumulative rounding error of
//     earlier rows (against their proportional, uncapped share) as
//     tie-break; rows where a cap binds go first, so the rounding of the
//     others makes up what they could not take as far as it can, and each
//     stratum's total stays within one of its proportional share when no cap
//     binds. The notes say where the split could not follow the residents.
func allocate(f *Frame, n int) (*allocation, error) {
	a := &allocation{group: map[survey.Group]int{}, cell: map[cellID]int{}}
	pop := func(g survey.Group, u survey.Urbanicity, b survey.Band) int { v, _ := f.Population(g, u, b); return v }
	parentCap := pop(survey.Parent, "", "")
	parents := min((n+1)/2, parentCap)
	rest := n - parents
	caps := make([]int, len(nonParents))
	room := 0
	for i, g := range nonParents {
		caps[i] = pop(g, "", "")
		room += caps[i]
	}
	if rest > room {
		parents += rest - room
		rest = room
		a.notes = append(a.notes, "其他各类对象总人数不足，余额计入家长")
	}
	if parents > parentCap {
		return nil, fmt.Errorf("样本量 %d 超过抽样框中可调查的总人数", n)
	}
	a.group[survey.Parent] = parents
	if parents*2 < n {
		a.notes = append(a.notes, fmt.Sprintf("家长总数 %d 不足样本量的一半", parentCap))
	}
	ones := func(k int) []float64 {
		w := make([]float64, k)
		for i := range w {
			w[i] = 1
		}
		return w
	}
	alloc, _, err := apportion(rest, ones(len(nonParents)), caps, nil)
	if err != nil {
		return nil, fmt.Errorf("allocate groups: %w", err)
	}
	equal := float64(rest) / float64(len(nonParents))
	for i, g := range nonParents {
		a.group[g] = alloc[i]
		if alloc[i] == caps[i] && float64(caps[i]) < equal-eps {
			a.notes = append(a.notes, fmt.Sprintf("%s总数 %d 少于平均份额，全部纳入，余额分给其他对象", g.Label(), caps[i]))
		}
	}
	weights := make([]float64, len(survey.Urbanicities))
	for j, u := range survey.Urbanicities {
		weights[j] = float64(f.County.PopulationIn(u))
	}
	rows, err := a.stratumRows(pop)
	if err != nil {
		return nil, err
	}
	wsum := 0.0
	for _, w := range weights {
		wsum += w
	}
	// deficit carries, per stratum, how far the rows so far fall short of
	// their proportional share (capped cells included), so that the rounding
	// of later rows leans towards the strata left short.
	deficit := make([]float64, len(survey.Urbanicities))
	for _, r := range rows {
		ucaps := make([]int, len(survey.Urbanicities))
		for j, u := range survey.Urbanicities {
			ucaps[j] = pop(r.g, u, r.b)
		}
		alloc, _, err := apportion(r.n, weights, ucaps, deficit)
		if err != nil {
			return nil, fmt.Errorf("allocate %s %s over strata: %w", r.g, r.b, err)
		}
		for j, u := range survey.Urbanicities {
			a.cell[cellID{r.g, u, r.b}] = alloc[j]
			deficit[j] += float64(r.n)*weights[j]/wsum - float64(alloc[j])
		}
	}
	a.balanceStrata(rows, weights, wsum, pop)
	a.noteStrata(f, weights, wsum)
	return a, nil
}

// errNoFit says the drawn schools cannot hold a stratum's quotas.
var errNoFit = errors.New("quotas do not fit the drawn schools")
