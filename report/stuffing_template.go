package report

import (
	"fmt"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mathext"

	"renke/survey"
)

// minNullSheets is the fewest answer sheets of a group outside a school that
// the null distribution of a per-group test is built from.
const minNullSheets = 20

// sheetKey is an answer sheet as a string ("item=answer;…" by item id), and
// whether it gives more than one answer (uniform sheets are the
// straight-line rule's business, not a template's).
func sheetKey(answers map[string]string) (string, bool) {
	keys := make([]string, 0, len(answers))
	for k := range answers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	first, mixed := "", false
	for i, k := range keys {
		a := answers[k]
		if i == 0 {
			first = a
		} else if a != first {
			mixed = true
		}
		b.WriteString(k + "=" + a + ";")
	}
	return b.String(), mixed
}

// binomTail is P(X ≥ k) for X ~ Binomial(n, p), accurate in the far tail.
func binomTail(n, k int, p float64) float64 {
	switch {
	case k <= 0:
		return 1
	case k > n || p <= 0:
		return 0
	case p >= 1:
		return 1
	}
	return mathext.RegIncBeta(float64(k), float64(n-k+1), p)
}

// templateTests tests each school × group: is its largest cluster of
// identical mixed answer sheets larger than independent answering makes
// likely? Under the null the unit's n sheets are independent draws from the
// sheets of the same group at the county's other schools. The probability
// that any sheet is drawn K or more times is at most the sum over sheets v of
// P(Binomial(n, p_v) ≥ K) (exact binomial tails; the bound is tight in the
// far tail); sheets not seen elsewhere are covered by the Good–Turing share
// of sheets seen once, each at probability 1/N.
func templateTests(rs []survey.Response, units []unit, rule TemplateRule) []Finding {
	keys := make([]string, len(rs))
	mixed := make([]bool, len(rs))
	county := map[survey.Group]map[string]int{}
	total := map[survey.Group]int{}
	mixedKey := map[string]bool{}
	for i := range rs {
		keys[i], mixed[i] = sheetKey(rs[i].Answers)
		mixedKey[keys[i]] = mixed[i]
		g := rs[i].Group
		if county[g] == nil {
			county[g] = map[string]int{}
		}
		county[g][keys[i]]++
		total[g]++
	}
	var out []Finding
	for _, u := range units {
		n := len(u.idx)
		own := map[string][]int{}
		for _, i := range u.idx {
			own[keys[i]] = append(own[keys[i]], i)
		}
		others := total[u.group] - n
		if n < rule.MinCluster || others < minNullSheets {
			continue // too few sheets here, or elsewhere to compare with
		}
		k, top := 0, ""
		var flagged []int
		for key, idx := range own {
			if !mixed[idx[0]] {
				continue
			}
			if len(idx) > k || (len(idx) == k && key < top) {
				k, top = len(idx), key
			}
			if len(idx) >= rule.MinCluster {
				flagged = append(flagged, idx...)
			}
		}
		f := Finding{Rule: RuleTemplate, School: u.school, Group: u.group, Responses: n, P: 1,
			Observed: fmt.Sprintf("最大的一组完全相同（且非同一答案）的答卷 %d 份，共 %d 份答卷", k, n)}
		// byCount[c] is how many mixed sheets occur c times at the other schools.
		byCount := map[int]int{}
		mostCommon := 0
		for key, c := range county[u.group] {
			c -= len(own[key])
			if c <= 0 || !mixedKey[key] {
				continue
			}
			byCount[c]++
			mostCommon = max(mostCommon, c)
		}
		f.Expected = fmt.Sprintf("全县其他学校同类受访者 %d 份答卷中最常见的非同一答案答卷占 %.2f%%，独立作答时出现 %d 份以上雷同的概率如 p 所示",
			others, 100*float64(mostCommon)/float64(others), max(k, rule.MinCluster))
		if k >= rule.MinCluster {
			p := float64(byCount[1]) * binomTail(n, k, 1/float64(others))
			counts := make([]int, 0, len(byCount))
			for c := range byCount {
				counts = append(counts, c)
			}
			sort.Ints(counts) // a fixed order of summation: the same p on every run
			for _, c := range counts {
				p += float64(byCount[c]) * binomTail(n, k, float64(c)/float64(others))
			}
			f.P = min(1, p)
			f.Count = len(flagged)
			f.ResponseIDs = ids(rs, flagged)
		}
		out = append(out, f)
	}
	return out
}
