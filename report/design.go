package report

import (
	"math"
)

// spec is one estimand: a variable over a domain, for one group or for the
// groups combined with the group weights W_g.
type spec struct {
	v     int     // global variable: 0 = y
	group int     // -1: all groups combined
	doms  []int32 // domains the estimand covers
}

type psuRef struct{ p, s int32 }

// design is the state the estimates share once every unit is in: the cell
// weights, indexes from domain to sums, and scratch space for the variance.
type design struct {
	e       *Estimator
	mult    []float64 // per cell: w = mult·w0 (N_c/n_c, or 1)
	domAll  [][]*slot // every slot of a domain
	domSgl  [][]int32
	domPSU  [][]psuRef
	allDoms []int32
	df      int
	nPSU    int

	zPSU  []float64
	inPSU []bool
	tPSU  []int32
	zH    []float64
	z2H   []float64
	inH   []bool
	tH    []int32
	beta  []float64 // per cell, for the current estimand
}

// groupTotals are one estimand's group-level results.
type groupTotals struct {
	n       [7]int
	s, rate [7]float64
	w       [7]float64 // normalised W_g (0 for absent groups)
}

func (e *Estimator) design() (*design, error) {
	if e.valid == 0 {
		return nil, ErrNoData
	}
	d := &design{e: e, mult: make([]float64, len(e.cells))}
	for c, ci := range e.cells {
		d.mult[c] = 1
		if !e.cfg.PrecomputedWeights {
			if n, ok := e.cfg.Frame[ci.key]; ok && ci.n > 0 {
				d.mult[c] = n / float64(ci.n)
			}
		}
	}
	nd := len(e.doms)
	d.domAll, d.domSgl, d.domPSU = make([][]*slot, nd), make([][]int32, nd), make([][]psuRef, nd)
	for i := range e.singles {
		sl := &e.singles[i].slot
		d.domSgl[sl.dom] = append(d.domSgl[sl.dom], int32(i))
		d.domAll[sl.dom] = append(d.domAll[sl.dom], sl)
	}
	for p := range e.psus {
		for s := range e.psus[p].slots {
			sl := &e.psus[p].slots[s]
			d.domPSU[sl.dom] = append(d.domPSU[sl.dom], psuRef{int32(p), int32(s)})
			d.domAll[sl.dom] = append(d.domAll[sl.dom], sl)
		}
	}
	d.allDoms = make([]int32, nd)
	for i := range d.allDoms {
		d.allDoms[i] = int32(i)
	}
	for _, m := range e.psuPerH {
		d.nPSU += m
	}
	d.df = d.nPSU - len(e.strata)
	d.zPSU, d.inPSU = make([]float64, len(e.psus)), make([]bool, len(e.psus))
	d.zH, d.z2H, d.inH = make([]float64, len(e.strata)), make([]float64, len(e.strata)), make([]bool, len(e.strata))
	d.beta = make([]float64, len(e.cells))
	return d, nil
}

// estimate computes one estimand. ok is false when no respondent with a
// positive group weight is in it.
func (d *design) estimate(sp spec) (est Estimate, gt groupTotals, ok bool) {
	e := d.e
	var sumA [7]float64
	for _, dm := range sp.doms {
		for _, sl := range d.domAll[dm] {
			ci := &e.cells[sl.cell]
			if sp.group >= 0 && ci.group != sp.group {
				continue
			}
			li := localOf(ci.layout, sp.v)
			if li < 0 || sl.v[li*sl.stride+fN] == 0 {
				continue
			}
			b := sl.v[li*sl.stride:]
			m := d.mult[sl.cell]
			gt.n[ci.group] += int(b[fN])
			gt.s[ci.group] += m * b[fB]
			sumA[ci.group] += m * b[fA]
		}
	}
	var sumW float64
	for g := range gt.n {
		if gt.n[g] == 0 {
			continue
		}
		gt.rate[g] = sumA[g] / gt.s[g]
		if sp.group >= 0 {
			gt.w[g] = 1
		} else {
			gt.w[g] = e.gw[g]
		}
		sumW += gt.w[g]
	}
	if !(sumW > 0) {
		return Estimate{}, gt, false
	}
	var rate, pop float64
	n := 0
	for g := range gt.w {
		gt.w[g] /= sumW
		if gt.w[g] > 0 {
			rate += gt.w[g] * gt.rate[g]
			pop += gt.s[g]
			n += gt.n[g]
		}
	}
	for c := range e.cells {
		g := e.cells[c].group
		if gt.w[g] > 0 {
			d.beta[c] = gt.w[g] * d.mult[c] / gt.s[g]
		} else {
			d.beta[c] = 0
		}
	}
	// Σ u_i (y_i − rate)², u_i = W_g w_i / S_g, for the design effect.
	var ssu float64
	for _, dm := range sp.doms {
		for _, sl := range d.domAll[dm] {
			ci := &e.cells[sl.cell]
			if (sp.group >= 0 && ci.group != sp.group) || d.beta[sl.cell] == 0 {
				continue
			}
			li := localOf(ci.layout, sp.v)
			if li < 0 || sl.v[li*sl.stride+fN] == 0 {
				continue
			}
			b := sl.v[li*sl.stride:]
			ssu += d.beta[sl.cell] * (b[fQ] - 2*rate*b[fA] + rate*rate*b[fB])
		}
	}
	variance := d.variance(sp, &gt)
	est = finish(rate, variance, n, pop, srsVariance(ssu, 1, n, pop), d.df, e.cfg.Bar)
	return est, gt, true
}

// variance is the Taylor-linearised, with-replacement variance of docs/method.md §4:
// Σ_h m_h/(m_h−1) Σ_p (Z_p − Z̄_h)², m_h counting every PSU of stratum h
// (those without a member of the domain have Z_p = 0, as in svyby).
//
// A stratum with one PSU contributes Z_p², which is what R's
// survey.lonely.psu = "adjust" does: survey 4.1 leaves the lonely PSU's total
// uncentred, and later versions centre it at the grand mean of all PSU
// totals — which is 0 here, because the linearised values z_i of a ratio sum
// to zero over the sample — so both agree with this formula.
func (d *design) variance(sp spec, gt *groupTotals) float64 {
	e := d.e
	touchH := func(h int32) {
		if !d.inH[h] {
			d.inH[h] = true
			d.tH = append(d.tH, h)
		}
	}
	for _, dm := range sp.doms {
		for _, si := range d.domSgl[dm] {
			sl := &e.singles[si]
			ci := &e.cells[sl.cell]
			beta := d.beta[sl.cell]
			if (sp.group >= 0 && ci.group != sp.group) || beta == 0 {
				continue
			}
			li := localOf(ci.layout, sp.v)
			if li < 0 || sl.v[li*sglLen+fN] == 0 {
				continue
			}
			b := sl.v[li*sglLen:]
			yg := gt.rate[ci.group]
			dd := yg - b[fK]
			touchH(sl.h)
			// Σ(a − ŷ·b) and Σ(a − ŷ·b)² over the units (a = w0·y, b = w0), by the shift.
			d.zH[sl.h] += beta * (b[fA] - yg*b[fB])
			d.z2H[sl.h] += beta * beta * (b[fV] - 2*dd*b[fU] + dd*dd*b[fR])
		}
		for _, r := range d.domPSU[dm] {
			sl := &e.psus[r.p].slots[r.s]
			ci := &e.cells[sl.cell]
			beta := d.beta[sl.cell]
			if (sp.group >= 0 && ci.group != sp.group) || beta == 0 {
				continue
			}
			li := localOf(ci.layout, sp.v)
			if li < 0 {
				continue
			}
			b := sl.v[li*psuLen:]
			if b[fN] == 0 {
				continue
			}
			if !d.inPSU[r.p] {
				d.inPSU[r.p] = true
				d.tPSU = append(d.tPSU, r.p)
			}
			d.zPSU[r.p] += beta * (b[fA] - gt.rate[ci.group]*b[fB])
		}
	}
	for _, p := range d.tPSU {
		h := e.psus[p].h
		z := d.zPSU[p]
		touchH(h)
		d.zH[h] += z
		d.z2H[h] += z * z
		d.zPSU[p], d.inPSU[p] = 0, false
	}
	d.tPSU = d.tPSU[:0]
	var v float64
	for _, h := range d.tH {
		m := float64(e.psuPerH[h])
		if m > 1 {
			v += m / (m - 1) * (d.z2H[h] - d.zH[h]*d.zH[h]/m)
		} else {
			v += d.z2H[h]
		}
		d.zH[h], d.z2H[h], d.inH[h] = 0, 0, false
	}
	d.tH = d.tH[:0]
	return math.Max(v, 0)
}
