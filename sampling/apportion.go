package sampling

import (
	"errors"
	"math"
)

// errOverCapacity says a total does not fit under the caps of its parts.
var errOverCapacity = errors.New("total exceeds the parts' capacity")

// unlimited marks a part without a cap.
const unlimited = -1

// eps absorbs floating-point noise in exact shares.
const eps = 1e-9

// apportion divides total among the parts in proportion to weights, no part
// above its cap (unlimited = none). A part whose proportional share exceeds its
// cap gets the cap and the rest is shared again among the others (water
// filling); parts of weight 0 take a share only when the weighted parts cannot
// hold the total. Whole numbers come by the largest remainder: every part gets
// the floor of its exact share and the leftover units go, one each, to the
// parts with the largest fractional part plus bias[i] (bias may be nil), ties
// to the lower index; only parts with a fractional share qualify and none gets
// more than one, so every part stays within one of its exact share. It returns the allocation and the exact shares.
func apportion(total int, weights []float64, caps []int, bias []float64) (alloc []int, exact []float64, err error) {
	n := len(weights)
	alloc, exact = make([]int, n), make([]float64, n)
	if total <= 0 {
		return alloc, exact, nil
	}
	room := 0.0
	for i := range n {
		if caps[i] == unlimited {
			room = math.Inf(1)
		} else {
			room += float64(caps[i])
		}
	}
	if room < float64(total) {
		return alloc, exact, errOverCapacity
	}
	fixed := make([]bool, n)
	remaining := float64(total)
	for _, useZero := range []bool{false, true} {
		remaining = waterFill(remaining, weights, caps, fixed, exact, useZero)
		if remaining <= eps {
			break
		}
	}
	left := total
	for i := range n {
		alloc[i] = int(math.Floor(exact[i] + eps))
		if caps[i] != unlimited && alloc[i] > caps[i] {
			alloc[i] = caps[i]
		}
		left -= alloc[i]
	}
	bumped := make([]bool, n)
	for ; left > 0; left-- {
		best, bestKey := -1, math.Inf(-1)
		for i := range n {
			if bumped[i] || exact[i]-float64(alloc[i]) <= eps || caps[i] != unlimited && alloc[i] >= caps[i] {
				continue
			}
			key := exact[i] - float64(alloc[i])
			if bias != nil {
				key += bias[i]
			}
			if key > bestKey+eps {
				best, bestKey = i, key
			}
		}
		if best < 0 {
			// Only floating-point noise leaves more units than fractional
			// parts: give them to any part with room.
			for i := range n {
				if best < 0 && (caps[i] == unlimited || alloc[i] < caps[i]) && exact[i] > 0 {
					best = i
				}
			}
		}
		if best < 0 {
			return alloc, exact, errOverCapacity
		}
		alloc[best]++
		bumped[best] = true
	}
	return alloc, exact, nil
}

// waterFill shares remaining among the unfixed parts by weight (or equally
// among the zero-weight parts when useZero), fixing at their cap the parts
// whose share would exceed it; it adds to exact and returns what is left.
func waterFill(remaining float64, weights []float64, caps []int, fixed []bool, exact []float64, useZero bool) float64 {
	weight := func(i int) float64 {
		if useZero {
			if weights[i] <= 0 {
				return 1
			}
			return 0
		}
		return max(weights[i], 0)
	}
	for remaining > eps {
		sum := 0.0
		for i := range weights {
			if !fixed[i] && (caps[i] == unlimited || exact[i] < float64(caps[i])-eps) {
				sum += weight(i)
			}
		}
		if sum <= 0 {
			return remaining
		}
		capped := false
		for i := range weights {
			if fixed[i] || weight(i) == 0 || caps[i] == unlimited {
				continue
			}
			share := remaining * weight(i) / sum
			if exact[i]+share >= float64(caps[i])-eps {
				remaining -= float64(caps[i]) - exact[i]
				exact[i] = float64(caps[i])
				fixed[i] = true
				capped = true
			}
		}
		if capped {
			continue
		}
		for i := range weights {
			if !fixed[i] && weight(i) > 0 {
				exact[i] += remaining * weight(i) / sum
			}
		}
		return 0
	}
	return max(remaining, 0)
}
