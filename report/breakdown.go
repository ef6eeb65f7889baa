package report

import (
	"sort"

	"renke/survey"
)

// Counts tallies the units added so far.
func (e *Estimator) Counts() Counts {
	return Counts{Responses: e.responses, Excluded: e.excluded, NoScore: e.noScore, Valid: e.valid}
}

// Design describes the design of the valid units added so far.
func (e *Estimator) Design() Design {
	d := Design{Strata: len(e.strata), LonelyStrata: []string{}}
	for h, m := range e.psuPerH {
		d.PSUs += m
		if m == 1 {
			d.LonelyStrata = append(d.LonelyStrata, e.strata[h])
		}
	}
	sort.Strings(d.LonelyStrata)
	d.DF = d.PSUs - d.Strata
	return d
}

// CellWeight is the weight w of a unit of the given cell (CellKey; empty
// means the group's own cell): N_c/n_c, or 1 when the frame has no count or
// no valid unit fell in the cell. Call it once every unit is in (the export
// writes it beside each response).
func (e *Estimator) CellWeight(cell string) float64 {
	c, ok := e.cellIdx[cell]
	if !ok || e.cfg.PrecomputedWeights {
		return 1
	}
	n, ok := e.cfg.Frame[cell]
	if !ok || e.cells[c].n == 0 {
		return 1
	}
	return n / float64(e.cells[c].n)
}

// Cells lists the weighting cells, by key.
func (e *Estimator) Cells() []CellRow {
	rows := make([]CellRow, 0, len(e.cells))
	for c, ci := range e.cells {
		r := CellRow{Cell: ci.key, Group: survey.Groups[ci.group], N: ci.n, Weight: e.CellWeight(ci.key)}
		if n, ok := e.cfg.Frame[ci.key]; ok && !e.cfg.PrecomputedWeights {
			r.Frame = &n
		}
		if e.cfg.PrecomputedWeights && ci.n > 0 {
			var sw float64
			e.eachSlot(func(sl *slot) {
				if sl.cell == int32(c) {
					sw += sl.v[fB]
				}
			})
			r.Weight = sw / float64(ci.n)
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Cell < rows[j].Cell })
	return rows
}

// Summary computes the overall rate and each group's rate.
func (e *Estimator) Summary() (*Summary, error) {
	d, err := e.design()
	if err != nil {
		return nil, err
	}
	return d.summary()
}

func (d *design) summary() (*Summary, error) {
	est, gt, ok := d.estimate(spec{v: 0, group: -1, doms: d.allDoms})
	if !ok {
		return nil, errNoWeight
	}
	bar := d.e.cfg.Bar
	s := &Summary{Overall: Overall{Estimate: est, Bar: bar, Passed: est.Rate >= bar, CIClearsBar: est.CILow >= bar}}
	s.Overall.Verdict = VerdictFail
	if s.Overall.Passed {
		s.Overall.Verdict = VerdictPass
	}
	s.Groups = []GroupRow{}
	for g, grp := range survey.Groups {
		if gt.n[g] == 0 {
			continue
		}
		ge, _, _ := d.estimate(spec{v: 0, group: g, doms: d.allDoms})
		s.Groups = append(s.Groups, GroupRow{Group: grp, Label: grp.Label(), GroupWeight: gt.w[g], Estimate: ge})
	}
	return s, nil
}

// Report computes every estimate of the recognition report. The caller fills
// in the survey, the chain head and the quality summary.
func (e *Estimator) Report() (*Report, error) {
	d, err := e.design()
	if err != nil {
		return nil, err
	}
	s, err := d.summary()
	if err != nil {
		return nil, err
	}
	r := &Report{Counts: e.Counts(), Design: e.Design(), Overall: s.Overall, Groups: s.Groups,
		Dimensions: []DimensionRow{}, Items: []ItemRow{}, Cells: e.Cells()}
	for j, dim := range e.cat.dims {
		v := e.cat.dimVar(j)
		est, gt, ok := d.estimate(spec{v: v, group: -1, doms: d.allDoms})
		if !ok {
			continue
		}
		row := DimensionRow{Dimension: dim, Estimate: est, ByGroup: []GroupEstimate{}}
		for g, grp := range survey.Groups {
			if gt.n[g] == 0 {
				continue
			}
			ge, _, _ := d.estimate(spec{v: v, group: g, doms: d.allDoms})
			row.ByGroup = append(row.ByGroup, GroupEstimate{Group: grp, Label: grp.Label(), Estimate: ge})
		}
		r.Dimensions = append(r.Dimensions, row)
	}
	for k, it := range e.cat.items {
		if est, _, ok := d.estimate(spec{v: e.cat.itemVarIndex(k), group: -1, doms: d.allDoms}); ok {
			r.Items = append(r.Items, ItemRow{Form: it.form, Item: it.id, Text: it.text, Dimension: it.dimension, Estimate: est})
		}
	}
	r.Urbanicities, r.Townships, r.Schools = d.domainRows()
	r.Weakest = weakest(r, e.cfg.Bar)
	return r, nil
}

// weakest picks, for each kind of breakdown, the rows furthest below the bar.
func weakest(r *Report, bar float64) []Weak {
	out := []Weak{}
	take := func(rows []Weak) {
		var below []Weak
		for _, w := range rows {
			if w.Rate < bar {
				below = append(below, w)
			}
		}
		sort.SliceStable(below, func(i, j int) bool { return below[i].Rate < below[j].Rate })
		out = append(out, below[:min(len(below), WeakestPerKind)]...)
	}
	var rows []Weak
	for _, g := range r.Groups {
		rows = append(rows, Weak{"group", string(g.Group), g.Label, g.Rate, g.N})
	}
	take(rows)
	rows = rows[:0]
	for _, d := range r.Dimensions {
		rows = append(rows, Weak{"dimension", d.Dimension, d.Dimension, d.Rate, d.N})
	}
	take(rows)
	rows = rows[:0]
	for _, it := range r.Items {
		rows = append(rows, Weak{"item", string(it.Form) + ":" + it.Item, it.Text, it.Rate, it.N})
	}
	take(rows)
	rows = rows[:0]
	for _, t := range r.Townships {
		rows = append(rows, Weak{"township", t.Key, t.Key, t.Rate, t.N})
	}
	take(rows)
	rows = rows[:0]
	for _, s := range r.Schools {
		rows = append(rows, Weak{"school", s.School, s.School, s.Rate, s.N})
	}
	take(rows)
	return out
}

// domainRows estimates each urbanicity, township and school as a domain.
func (d *design) domainRows() (urb, town []DomainRow, schools []SchoolRow) {
	e := d.e
	byUrb := map[survey.Urbanicity][]int32{}
	byTown := map[string][]int32{}
	bySchool := map[string][]int32{}
	for i, k := range e.doms {
		if k.urb != "" {
			byUrb[k.urb] = append(byUrb[k.urb], int32(i))
		}
		if k.township != "" {
			byTown[k.township] = append(byTown[k.township], int32(i))
		}
		if k.school != "" {
			bySchool[k.school] = append(bySchool[k.school], int32(i))
		}
	}
	urb, town, schools = []DomainRow{}, []DomainRow{}, []SchoolRow{}
	var urbKeys []string
	for _, u := range survey.Urbanicities {
		if _, ok := byUrb[u]; ok {
			urbKeys = append(urbKeys, string(u))
		}
	}
	var others []string
	for u := range byUrb {
		if !u.Valid() {
			others = append(others, string(u))
		}
	}
	sort.Strings(others)
	for _, k := range append(urbKeys, others...) {
		doms := byUrb[survey.Urbanicity(k)]
		if est, _, ok := d.estimate(spec{v: 0, group: -1, doms: doms}); ok {
			urb = append(urb, d.domainRow(k, est, doms))
		}
	}
	for _, k := range sortedKeys(byTown) {
		if est, _, ok := d.estimate(spec{v: 0, group: -1, doms: byTown[k]}); ok {
			town = append(town, d.domainRow(k, est, byTown[k]))
		}
	}
	for _, k := range sortedKeys(bySchool) {
		doms := bySchool[k]
		est, _, ok := d.estimate(spec{v: 0, group: -1, doms: doms})
		if !ok {
			continue
		}
		var sumY, n float64
		for _, dm := range doms {
			for _, sl := range d.domAll[dm] {
				sumY += sl.sumY
				n += sl.v[fN]
			}
		}
		first := e.doms[doms[0]]
		row := SchoolRow{School: k, Township: first.township, Urbanicity: first.urb, Estimate: est}
		row.UnweightedRate = sumY / n
		row.WilsonLow, row.WilsonHigh = Wilson(row.UnweightedRate, int(n))
		schools = append(schools, row)
	}
	return urb, town, schools
}

// eachSlot calls f on every slot.
func (e *Estimator) eachSlot(f func(*slot)) {
	for i := range e.singles {
		f(&e.singles[i].slot)
	}
	for p := range e.psus {
		for s := range e.psus[p].slots {
			f(&e.psus[p].slots[s])
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
