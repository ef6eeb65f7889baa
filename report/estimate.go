package report

import (
	"errors"
	"fmt"
	"math"

	"renke/survey"
)

var nan = math.NaN()

// DefaultBar is the recognition rate a county must reach (docs/method.md §1).
const DefaultBar = 0.85

// Config sets up an Estimator.
type Config struct {
	// Frame holds N_c, the frame population of each weighting cell (CellKey).
	// A cell without a count gets w = 1.
	Frame map[string]float64
	// GroupWeights are W_g; nil means survey.DefaultGroupWeights(). They are
	// normalised over the groups present in each estimate; a group with
	// weight 0 (or absent from a non-nil map) is left out of combined rates.
	GroupWeights map[survey.Group]float64
	// PrecomputedWeights makes the estimator use each Unit.Weight as w_i
	// (a replication file) instead of N_c/n_c.
	PrecomputedWeights bool
	// Forms are the questionnaires, for the item and dimension breakdowns.
	// Without them only y_i is rated.
	Forms map[survey.FormKind]survey.Questionnaire
	// Bar is the pass mark; 0 means DefaultBar.
	Bar float64
}

// Field offsets of the per-variable blocks of a slot (cell × domain sums
// within a shared PSU, or within a stratum for units that are their own
// PSU): count, Σw0·y, Σw0, Σw0·y². Own-PSU slots add a shift K (the first y
// seen) and Σw0², Σw0²·d, Σw0²·d² with d = y − K, from which the sum of their
// squared PSU totals follows without cancellation (constant data give exact
// zeros).
const (
	fN, fA, fB, fQ, psuLen = 0, 1, 2, 3, 4
	fK, fR, fU, fV, sglLen = 4, 5, 6, 7, 8
)

type cellInfo struct {
	key    string
	group  int
	layout *formLayout
	n      int // valid units
}

type domKey struct {
	urb      survey.Urbanicity
	township string
	school   string
}

type slot struct {
	cell, dom int32
	stride    int
	sumY      float64 // Σy of y_i itself, unweighted
	v         []float64
}

type singleKey struct{ h, cell, dom int32 }

type singleSlot struct {
	h int32
	slot
}

type psuKey struct {
	h   int32
	psu string
}

type psuState struct {
	h     int32
	slots []slot
}

// Estimator reads units once and keeps only sums: per cell × domain, per
// stratum × cell × domain for units that are their own PSU, and per PSU ×
// cell × domain for shared PSUs (schools). It is not safe for concurrent use.
type Estimator struct {
	cfg Config
	cat *catalog
	gw  [7]float64

	cells   []cellInfo
	cellIdx map[string]int32
	doms    []domKey
	domIdx  map[domKey]int32
	strata  []string
	stratIx map[string]int32
	psuPerH []int // PSUs per stratum

	singles []singleSlot
	sglIdx  map[singleKey]int32
	psus    []psuState
	psuIdx  map[psuKey]int32

	responses, excluded, noScore, valid int

	vals   []float64
	dimSum []float64
	dimN   []int
}

// groupIndex is a group's position in survey.Groups.
func groupIndex(g survey.Group) int {
	for i, x := range survey.Groups {
		if x == g {
			return i
		}
	}
	return -1
}

// NewEstimator checks the configuration and returns an empty estimator.
func NewEstimator(cfg Config) (*Estimator, error) {
	if cfg.Bar == 0 {
		cfg.Bar = DefaultBar
	}
	if !(cfg.Bar > 0 && cfg.Bar <= 1) {
		return nil, fmt.Errorf("达标线 %v 应在 (0, 1] 内", cfg.Bar)
	}
	e := &Estimator{cfg: cfg, cellIdx: map[string]int32{}, domIdx: map[domKey]int32{},
		stratIx: map[string]int32{},
		sglIdx:  map[singleKey]int32{}, psuIdx: map[psuKey]int32{}}
	gw := cfg.GroupWeights
	if gw == nil {
		gw = survey.DefaultGroupWeights()
	}
	for g, w := range gw {
		i := groupIndex(g)
		if i < 0 {
			return nil, fmt.Errorf("组权重：调查对象组“%s”不存在", g)
		}
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("组权重：%s 的权重 %v 应为不小于 0 的有限数", g, w)
		}
		e.gw[i] = w
	}
	for c, n := range cfg.Frame {
		if !(n > 0) || math.IsInf(n, 0) {
			return nil, fmt.Errorf("抽样框：单元“%s”的总体数 %v 应为正数", c, n)
		}
	}
	cat, err := newCatalog(cfg.Forms)
	if err != nil {
		return nil, fmt.Errorf("问卷：%w", err)
	}
	e.cat = cat
	maxDims := len(cat.dims) + 1
	e.dimSum, e.dimN = make([]float64, maxDims), make([]int, maxDims)
	return e, nil
}

// Add takes one unit into the sums. Excluded units and units without a score
// are only counted.
func (e *Estimator) Add(u Unit) error {
	e.responses++
	if u.Excluded {
		e.excluded++
		return nil
	}
	if !u.HasY {
		e.noScore++
		return nil
	}
	if !(u.Y >= 0 && u.Y <= 1) {
		return fmt.Errorf("应答 %s：得分 %v 不在 0 到 1 之间", u.ID, u.Y)
	}
	if u.PSU == "" {
		return fmt.Errorf("应答 %s：缺少 PSU", u.ID)
	}
	w0 := 1.0
	if e.cfg.PrecomputedWeights {
		w0 = u.Weight
		if !(w0 > 0) || math.IsInf(w0, 0) {
			return fmt.Errorf("应答 %s：权重 %v 应为正数", u.ID, u.Weight)
		}
	}
	c, err := e.cell(&u)
	if err != nil {
		return err
	}
	ci := &e.cells[c]
	if u.Scores != nil && ci.layout != nil {
		if u.Form != ci.layout.kind {
			return fmt.Errorf("应答 %s：问卷为 %q，但 %s 组应答 %s 问卷", u.ID, u.Form, u.Group, ci.layout.kind)
		}
		if len(u.Scores) != ci.layout.nItems {
			return fmt.Errorf("应答 %s：有 %d 个题目得分，问卷却有 %d 道题", u.ID, len(u.Scores), ci.layout.nItems)
		}
	}
	e.valid++
	ci.n++
	d := e.dom(&u)
	h := e.stratum(u.Stratum)
	e.vals = fillVars(ci.layout, &u, e.vals, e.dimSum, e.dimN)
	nv := ci.layout.vars()
	if u.PSU == u.ID && !u.LabelPSU {
		e.psuPerH[h]++
		addSingle(e.singleSlot(h, c, d, nv), e.vals, w0)
		return nil
	}
	addPSU(e.psuSlot(h, u.PSU, c, d, nv), e.vals, w0)
	return nil
}

func (e *Estimator) cell(u *Unit) (int32, error) {
	key := u.Cell
	if key == "" {
		key = string(u.Group)
	}
	if c, ok := e.cellIdx[key]; ok {
		if e.cells[c].group != groupIndex(u.Group) {
			return 0, fmt.Errorf("应答 %s：加权单元“%s”属于 %s 组，不属于 %s 组", u.ID, key,
				survey.Groups[e.cells[c].group], u.Group)
		}
		return c, nil
	}
	g := groupIndex(u.Group)
	if g < 0 {
		return 0, fmt.Errorf("应答 %s：调查对象组“%s”不存在", u.ID, u.Group)
	}
	var l *formLayout
	if fi := formIndex(u.Group.Form()); fi >= 0 {
		l = e.cat.layouts[fi]
	}
	c := int32(len(e.cells))
	e.cells = append(e.cells, cellInfo{key: key, group: g, layout: l})
	e.cellIdx[key] = c
	return c, nil
}

func (e *Estimator) dom(u *Unit) int32 {
	k := domKey{u.Urbanicity, u.Township, u.School}
	if d, ok := e.domIdx[k]; ok {
		return d
	}
	d := int32(len(e.doms))
	e.doms = append(e.doms, k)
	e.domIdx[k] = d
	return d
}

func (e *Estimator) stratum(s string) int32 {
	if h, ok := e.stratIx[s]; ok {
		return h
	}
	h := int32(len(e.strata))
	e.strata = append(e.strata, s)
	e.psuPerH = append(e.psuPerH, 0)
	e.stratIx[s] = h
	return h
}

func (e *Estimator) singleSlot(h, c, d int32, nv int) *slot {
	k := singleKey{h, c, d}
	if i, ok := e.sglIdx[k]; ok {
		return &e.singles[i].slot
	}
	e.sglIdx[k] = int32(len(e.singles))
	e.singles = append(e.singles, singleSlot{h: h, slot: slot{cell: c, dom: d, stride: sglLen, v: make([]float64, nv*sglLen)}})
	return &e.singles[len(e.singles)-1].slot
}

func (e *Estimator) psuSlot(h int32, psu string, c, d int32, nv int) *slot {
	k := psuKey{h, psu}
	i, ok := e.psuIdx[k]
	if !ok {
		i = int32(len(e.psus))
		e.psuIdx[k] = i
		e.psus = append(e.psus, psuState{h: h})
		e.psuPerH[h]++
	}
	p := &e.psus[i]
	for j := range p.slots {
		if p.slots[j].cell == c && p.slots[j].dom == d {
			return &p.slots[j]
		}
	}
	p.slots = append(p.slots, slot{cell: c, dom: d, stride: psuLen, v: make([]float64, nv*psuLen)})
	return &p.slots[len(p.slots)-1]
}

// addPSU adds a unit's variables to a shared PSU's slot.
func addPSU(sl *slot, vals []float64, w0 float64) {
	sl.sumY += vals[0]
	v := sl.v
	for i, y := range vals {
		if y != y {
			continue
		}
		b := v[i*psuLen : i*psuLen+psuLen : i*psuLen+psuLen]
		wy := w0 * y
		b[fN]++
		b[fA] += wy
		b[fB] += w0
		b[fQ] += wy * y
	}
}

// addSingle adds a unit that is its own PSU to its stratum × cell × domain slot.
func addSingle(sl *slot, vals []float64, w0 float64) {
	sl.sumY += vals[0]
	v := sl.v
	ww := w0 * w0
	for i, y := range vals {
		if y != y {
			continue
		}
		b := v[i*sglLen : i*sglLen+sglLen : i*sglLen+sglLen]
		if b[fN] == 0 {
			b[fK] = y
		}
		d := y - b[fK]
		wy := w0 * y
		b[fN]++
		b[fA] += wy
		b[fB] += w0
		b[fQ] += wy * y
		b[fR] += ww
		b[fU] += ww * d
		b[fV] += ww * d * d
	}
}

// ErrNoData is returned when no valid unit was added: there is no rate to report.
var ErrNoData = errors.New("没有有效应答，无法估计认可度")

// errNoWeight is returned when every group with respondents has weight 0.
var errNoWeight = errors.New("有应答的调查对象组的组权重都为 0，无法合成总体认可度")
