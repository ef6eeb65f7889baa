package report

import "fmt"

// Notes of a domain whose design variance cannot be estimated.
const (
	NoteOneSchool = "仅 1 所样本学校，无法按设计估计区间"
	NoteOnePSU    = "仅 1 个初级抽样单位，无法按设计估计区间"
	NoteNoDF      = "设计自由度为 0，无法按设计估计区间"
)

// FormatPassProbability writes the probability that the true rate reaches
// the bar with one rounding rule for every format: one decimal, never 100%
// or 0% (at most "> 99.9%", at least "< 0.1%"), since a sample never gives
// certainty.
func FormatPassProbability(p float64) string {
	switch {
	case p >= 0.9995:
		return "> 99.9%"
	case p < 0.0005:
		return "< 0.1%"
	}
	return fmt.Sprintf("%.1f%%", p*100)
}

// domainPSUs counts the PSUs with valid respondents in the domains doms: a
// shared PSU (a school) once, and each respondent who is its own PSU. shared
// is how many of them are shared PSUs.
func (d *design) domainPSUs(doms []int32) (psus, shared int) {
	seen := map[int32]bool{}
	for _, dm := range doms {
		for _, r := range d.domPSU[dm] {
			if !seen[r.p] {
				seen[r.p] = true
				shared++
			}
		}
		for _, i := range d.domSgl[dm] {
			psus += int(d.e.singles[i].slot.v[fN]) // variable 0 is y: one count per respondent
		}
	}
	return psus + shared, shared
}

// unweighted is the unweighted rate of the domains doms and its respondents.
func (d *design) unweighted(doms []int32) (rate float64, n int) {
	var sumY, cnt float64
	for _, dm := range doms {
		for _, sl := range d.domAll[dm] {
			sumY += sl.sumY
			cnt += sl.v[fN]
		}
	}
	if cnt == 0 {
		return 0, 0
	}
	return sumY / cnt, int(cnt)
}

// domainRow is the row of an urbanicity or township. When the design gives
// the domain no variance (one PSU, or no degrees of freedom) the row says so:
// its interval is the Wilson interval of the unweighted rate within the
// domain (as for a school), and it has no standard error, design effect or
// probability of passing.
func (d *design) domainRow(key string, est Estimate, doms []int32) DomainRow {
	row := DomainRow{Key: key, Estimate: est, Estimable: true}
	psus, shared := d.domainPSUs(doms)
	row.PSUs = psus
	switch {
	case psus <= 1 && shared == 1:
		row.Note = NoteOneSchool
	case psus <= 1:
		row.Note = NoteOnePSU
	case d.df < 1:
		row.Note = NoteNoDF
	default:
		return row
	}
	row.Estimable = false
	rate, n := d.unweighted(doms)
	row.CILow, row.CIHigh = Wilson(rate, n)
	row.UnweightedRate = rate
	row.SE, row.Deff, row.EffectiveN, row.PassProbability = 0, nil, nil, nil
	return row
}
