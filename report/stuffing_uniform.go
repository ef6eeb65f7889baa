package report

import (
	"fmt"
	"sort"

	"renke/survey"
)

// lowAnswers counts a sheet's answers below 比较认可 (基本认可, 不认可, 不了解):
// the spread a group of genuine respondents always shows some of.
func lowAnswers(answers map[string]string) int {
	n := 0
	for _, a := range answers {
		if a != survey.OptRecognise && a != survey.OptRatherAgree {
			n++
		}
	}
	return n
}

// sumAtMost is P(c_1 + … + c_n ≤ t) for independent c_i with distribution
// pmf (on 0, 1, …): exact, by convolution truncated at t.
func sumAtMost(pmf []float64, n, t int) float64 {
	dist := make([]float64, t+1)
	dist[0] = 1
	next := make([]float64, t+1)
	for k := 0; k < n; k++ {
		clear(next)
		for s, w := range dist {
			if w == 0 {
				continue
			}
			for c, pc := range pmf {
				if s+c > t {
					break
				}
				next[s+c] += w * pc
			}
		}
		dist, next = next, dist
	}
	sum := 0.0
	for _, w := range dist {
		sum += w
	}
	return min(1, sum)
}

// minNullSchools is the fewest other schools way (a) of the uniformity rule
// compares a school with.
const minNullSchools = 5

// mixtureAtMost is P(T ≤ obs) for the total T of n sheets drawn as at a school
// picked at random among the other schools with at least minSheets sheets:
// the average over those schools of the exact convolution. Schools differ
// (their respondents are warmer or cooler), and drawing from the pooled
// county would call a warm school's ordinary agreement unusual. 1 when fewer
// than minNullSchools schools qualify.
func mixtureAtMost(hists map[string][]int, school string, minSheets, n, obs int) float64 {
	var names []string
	for name, h := range hists {
		total := 0
		for _, c := range h {
			total += c
		}
		if name != school && total >= minSheets {
			names = append(names, name)
		}
	}
	if len(names) < minNullSchools {
		return 1
	}
	sort.Strings(names) // a fixed order of summation
	sum := 0.0
	for _, name := range names {
		h := hists[name]
		total := 0
		for _, c := range h {
			total += c
		}
		pmf := make([]float64, len(h))
		for c, k := range h {
			pmf[c] = float64(k) / float64(total)
		}
		sum += sumAtMost(pmf, n, obs)
	}
	return sum / float64(len(names))
}

// uniformTests tests each school × group for unnatural uniformity, two ways,
// each against the same group at the county's other schools: (a) the total
// number of answers below 比较认可 on the unit's n sheets, whose distribution
// under independent answering is the n-fold convolution of a per-sheet
// distribution, averaged over the county's other schools' distributions
// (exact; a total at or above the county's expectation gets p = 1); (b) the number of completion times within TimeBand of the unit's
// median, Binomial(n, s) under independence with s the share of the county's
// times in that band (exact tail). The unit's p is twice the smaller
// (Bonferroni over the two ways). Both look at mixed sheets only, and leave
// out a unit's clusters of at least cluster identical sheets: one answer
// throughout is the straight-line rule's business, a shared sheet the
// template rule's. The county's times in (b) are all its sheets'.
func uniformTests(rs []survey.Response, units []unit, rule UniformRule, cluster int) []Finding {
	low := make([]int, len(rs))
	mixed := make([]bool, len(rs))
	keys := make([]string, len(rs))
	lowCount := map[survey.Group][]int{} // group → histogram of low answers per mixed sheet
	bySchool := map[survey.Group]map[string][]int{}
	times := map[survey.Group][]float64{}
	for i := range rs {
		if known(&rs[i]) {
			times[rs[i].Group] = append(times[rs[i].Group], rs[i].CompletionTime().Seconds())
		}
		keys[i], mixed[i] = sheetKey(rs[i].Answers)
		if !mixed[i] {
			continue
		}
		low[i] = lowAnswers(rs[i].Answers)
		h := lowCount[rs[i].Group]
		for len(h) <= low[i] {
			h = append(h, 0)
		}
		h[low[i]]++
		lowCount[rs[i].Group] = h
		if rs[i].School != "" {
			if bySchool[rs[i].Group] == nil {
				bySchool[rs[i].Group] = map[string][]int{}
			}
			hs := bySchool[rs[i].Group][rs[i].School]
			for len(hs) <= low[i] {
				hs = append(hs, 0)
			}
			hs[low[i]]++
			bySchool[rs[i].Group][rs[i].School] = hs
		}
	}
	var out []Finding
	for _, u := range units {
		size := map[string]int{}
		for _, i := range u.idx {
			size[keys[i]]++
		}
		hist := append([]int(nil), lowCount[u.group]...)
		total, obs := 0, 0
		var ownTimes []float64
		var sheets []int // the mixed sheets outside template clusters, which the test looks at
		for _, i := range u.idx {
			if !mixed[i] {
				continue
			}
			hist[low[i]]-- // the null is the other schools'
			if size[keys[i]] < cluster {
				sheets = append(sheets, i)
				obs += low[i]
				if known(&rs[i]) {
					ownTimes = append(ownTimes, rs[i].CompletionTime().Seconds())
				}
			}
		}
		for _, c := range hist {
			total += c
		}
		n := len(sheets)
		if len(u.idx) < rule.MinResponses || total < minNullSheets {
			continue
		}
		pmf, mean := make([]float64, len(hist)), 0.0
		for c, k := range hist {
			pmf[c] = float64(k) / float64(total)
			mean += float64(c) * pmf[c]
		}
		pa := 1.0
		if n >= rule.MinResponses && float64(obs) < mean*float64(n) {
			pa = mixtureAtMost(bySchool[u.group], u.school, rule.MinResponses, n, obs)
		}
		pt, inBand, median, share := 1.0, []int(nil), 0.0, 0.0
		if len(ownTimes) >= rule.MinResponses {
			median = medianOf(ownTimes)
			lo, hi := median*(1-rule.TimeBand), median*(1+rule.TimeBand)
			for _, i := range sheets {
				if t := rs[i].CompletionTime().Seconds(); known(&rs[i]) && t >= lo && t <= hi {
					inBand = append(inBand, i)
				}
			}
			all, hits := 0, 0
			for _, t := range times[u.group] {
				all++
				if t >= lo && t <= hi {
					hits++
				}
			}
			all -= len(ownTimes)
			hits -= len(inBand)
			if all >= minNullSheets {
				share = float64(hits+1) / float64(all+1)
				pt = binomTail(len(ownTimes), len(inBand), share)
			}
		}
		f := Finding{Rule: RuleUniform, School: u.school, Group: u.group, Responses: len(u.idx), P: min(1, 2*min(pa, pt)),
			Observed: fmt.Sprintf("%d 份非同一答案的答卷中低于第二档（比较满意／比较认可）的回答共 %d 个；%d 份答卷中 %d 份用时在本组中位数 %.0f 秒 ±%.0f%% 以内",
				n, obs, len(ownTimes), len(inBand), median, 100*rule.TimeBand),
			Expected: fmt.Sprintf("独立作答时预计低于第二档的回答约 %.1f 个；全县同类受访者用时落在该区间的比例为 %.1f%%，预计 %.1f 份",
				mean*float64(n), 100*share, share*float64(len(ownTimes)))}
		var flagged []int
		if pa <= pt {
			for _, i := range sheets {
				if low[i] == 0 {
					flagged = append(flagged, i)
				}
			}
		} else {
			flagged = inBand
		}
		if f.P < 1 {
			f.Count, f.ResponseIDs = len(flagged), ids(rs, flagged)
		}
		out = append(out, f)
	}
	return out
}

// known reports whether a response has both its times.
func known(r *survey.Response) bool { return !r.StartedAt.IsZero() && !r.SubmittedAt.IsZero() }

// medianOf is the median of xs (which it sorts).
func medianOf(xs []float64) float64 {
	sort.Float64s(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return xs[m]
	}
	return (xs[m-1] + xs[m]) / 2
}
