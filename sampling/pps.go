package sampling

import (
	"math/rand/v2"
	"slices"
)

// ppsDraw is the outcome of one systematic PPS draw.
type ppsDraw struct {
	selected []int     // indexes of the drawn units, in list order
	pi       []float64 // inclusion probability of every unit
	certain  []bool    // units taken with certainty
	interval float64   // sampling interval among the non-certain units (0 if none)
	start    float64   // random start in [0, interval)
}

// systematicPPS draws k units from a list in its given order with probability
// proportional to size. Units at least as large as the interval M/k are taken
// with certainty, removed, and the interval recomputed over the rest until no
// unit reaches it. Then a random start u in [0, I) is drawn and the units whose
// cumulated-size segment holds one of u, u+I, …, u+(k'-1)I are selected, where
// k' counts the draws left. A non-certain unit's inclusion probability is
// exactly k'·size/M'. Units of size 0 are never drawn; k at least the number of
// positive units takes them all.
func systematicPPS(sizes []float64, k int, rng *rand.Rand) ppsDraw {
	n := len(sizes)
	d := ppsDraw{pi: make([]float64, n), certain: make([]bool, n)}
	positive := 0
	for _, s := range sizes {
		if s > 0 {
			positive++
		}
	}
	k = min(k, positive)
	left := k
	var total float64
	for left > 0 {
		total = 0
		for i, s := range sizes {
			if s > 0 && !d.certain[i] {
				total += s
			}
		}
		interval := total / float64(left)
		more := false
		for i, s := range sizes {
			if s > 0 && !d.certain[i] && s >= interval*(1-eps) {
				d.certain[i] = true
				left--
				more = true
			}
		}
		if !more || left <= 0 {
			break
		}
	}
	for i := range sizes {
		if d.certain[i] {
			d.pi[i] = 1
		}
	}
	if left > 0 {
		d.interval = total / float64(left)
		d.start = rng.Float64() * d.interval
		point, taken, cum := d.start, 0, 0.0
		last := -1
		for i, s := range sizes {
			if s <= 0 || d.certain[i] {
				continue
			}
			d.pi[i] = s / d.interval
			cum += s
			last = i
			if taken < left && point < cum {
				d.selected = append(d.selected, i)
				taken++
				point += d.interval
			}
		}
		// Rounding can leave the last point a hair beyond the cumulated total.
		if taken < left && last >= 0 && (len(d.selected) == 0 || d.selected[len(d.selected)-1] != last) {
			d.selected = append(d.selected, last)
		}
	}
	for i := range sizes {
		if d.certain[i] {
			d.selected = append(d.selected, i)
		}
	}
	slices.Sort(d.selected)
	return d
}
