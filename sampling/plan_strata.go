package sampling

import (
	"fmt"
	"sort"
	"strings"

	"renke/survey"
)

// stratumRow is one group × band quota to be split over the strata.
type stratumRow struct {
	g    survey.Group
	b    survey.Band
	n    int
	caps bool // a stratum's frame population is below its proportional share
}

// stratumRows sets the county-wide cells (deputies, CPPCC members), splits
// students' and parents' quotas equally over their bands (a band with too few
// pupils taken whole), and returns the rows to split over the strata: those
// where a cap binds first, each kind in group order.
func (a *allocation) stratumRows(pop func(survey.Group, survey.Urbanicity, survey.Band) int) ([]stratumRow, error) {
	var bound, free []stratumRow
	total := 0
	for _, u := range survey.Urbanicities {
		total += pop(survey.Public, u, "")
	}
	for _, g := range survey.Groups {
		if g == survey.Deputy || g == survey.CPPCC {
			a.cell[cellID{g: g}] = a.group[g]
			continue
		}
		bands := survey.BandsFor(g)
		ns := []int{a.group[g]}
		if len(bands) > 0 {
			bcaps := make([]int, len(bands))
			ones := make([]float64, len(bands))
			for i, b := range bands {
				bcaps[i], ones[i] = pop(g, "", b), 1
			}
			var err error
			if ns, _, err = apportion(a.group[g], ones, bcaps, nil); err != nil {
				return nil, fmt.Errorf("allocate %s bands: %w", g, err)
			}
		} else {
			bands = []survey.Band{""}
		}
		for i, b := range bands {
			r := stratumRow{g: g, b: b, n: ns[i]}
			for _, u := range survey.Urbanicities {
				if total > 0 && float64(r.n)*float64(pop(survey.Public, u, ""))/float64(total) > float64(pop(g, u, b))+eps {
					r.caps = true
				}
			}
			if r.caps {
				bound = append(bound, r)
			} else {
				free = append(free, r)
			}
		}
	}
	return append(bound, free...), nil
}

// balanceStrata moves single places between two strata within the rows of
// students, parents and teachers where no cap binds, never above a cell's
// frame population, until every stratum's total is within one of its
// proportional share or no row can move a place: it makes up what the rows
// taken whole (principals, small bands) could not give. The public keeps its
// own split, which follows the residents already.
func (a *allocation) balanceStrata(rows []stratumRow, weights []float64, wsum float64, pop func(survey.Group, survey.Urbanicity, survey.Band) int) {
	if wsum <= 0 {
		return
	}
	us := survey.Urbanicities
	dev := make([]float64, len(us))
	for range 1 << 16 {
		total := 0
		got := make([]int, len(us))
		for id, n := range a.cell {
			for j, u := range us {
				if id.u == u {
					got[j] += n
					total += n
				}
			}
		}
		hi, lo := 0, 0
		for j := range us {
			dev[j] = float64(got[j]) - float64(total)*weights[j]/wsum
			if dev[j] > dev[hi] {
				hi = j
			}
			if dev[j] < dev[lo] {
				lo = j
			}
		}
		if dev[hi]-dev[lo] <= 1+eps {
			return
		}
		best, bestKey := -1, 0.0
		for i, r := range rows {
			if r.caps || !r.g.ViaSchool() {
				continue
			}
			from, to := a.cell[cellID{r.g, us[hi], r.b}], a.cell[cellID{r.g, us[lo], r.b}]
			if from == 0 || to >= pop(r.g, us[lo], r.b) {
				continue
			}
			// The row whose split gains least from the move's distortion.
			key := float64(from) - float64(r.n)*weights[hi]/wsum - (float64(to) - float64(r.n)*weights[lo]/wsum)
			if best < 0 || key > bestKey+eps {
				best, bestKey = i, key
			}
		}
		if best < 0 {
			return
		}
		r := rows[best]
		a.cell[cellID{r.g, us[hi], r.b}]--
		a.cell[cellID{r.g, us[lo], r.b}]++
	}
}

// noteStrata says where the split over 城区/镇区/乡村 could not follow the
// resident population: strata with residents but no school, and stratum
// totals that end more than one respondent from their proportional share.
func (a *allocation) noteStrata(f *Frame, weights []float64, wsum float64) {
	if wsum <= 0 {
		return
	}
	hasSchool := map[survey.Urbanicity]bool{}
	for i := range f.Schools {
		hasSchool[f.Schools[i].Urbanicity] = true
	}
	total, got := 0, map[survey.Urbanicity]int{}
	for id, n := range a.cell {
		if id.u != "" {
			got[id.u] += n
			total += n
		}
	}
	for j, u := range survey.Urbanicities {
		if weights[j] > 0 && !hasSchool[u] {
			a.notes = append(a.notes, fmt.Sprintf("%s有常住人口 %d 人（占 %.1f%%），但抽样框中没有%s学校：学生、家长、教师和校长无法在%s抽取，"+
				"其%s份额按常住人口比例分给其他有学校的层；%s只调查其他群众（%d 人）",
				string(u), int(weights[j]), 100*weights[j]/wsum, string(u), string(u), string(u), string(u), got[u]))
		}
	}
	var off []string
	for j, u := range survey.Urbanicities {
		share := float64(total) * weights[j] / wsum
		if d := float64(got[u]) - share; d >= 1-eps || d <= -1+eps {
			off = append(off, fmt.Sprintf("%s %d 人（按比例 %.1f 人）", string(u), got[u], share))
		}
	}
	if len(off) == 0 {
		return
	}
	var whole []string
	for _, g := range survey.Groups {
		if g.ViaSchool() || g == survey.Principal {
			for _, u := range survey.Urbanicities {
				n, ok := 0, false
				for id, q := range a.cell {
					if id.g == g && id.u == u {
						n, ok = n+q, true
					}
				}
				if ok && n > 0 && n == f.populationOf(g, u) {
					whole = append(whole, g.Label()+string(u))
				}
			}
		}
	}
	sort.Strings(whole)
	why := "抽样框中各层人数不足"
	if len(whole) > 0 {
		why = strings.Join(whole, "、") + "全部纳入后仍不足按比例分配的份额"
	}
	a.notes = append(a.notes, fmt.Sprintf("各层合计未能按常住人口比例分配（%s），已由其他对象在各层间尽量补足，仍为：%s",
		why, strings.Join(off, "、")))
}

// populationOf is the frame population of group g in stratum u, all bands.
func (f *Frame) populationOf(g survey.Group, u survey.Urbanicity) int {
	n, _ := f.Population(g, u, "")
	return n
}
