package report

import (
	"fmt"
	"sort"

	"renke/survey"
)

// A variable is something rated: y_i itself (variable 0), a dimension score
// (the mean of a respondent's scored items of one dimension) or one item's
// score. Variables are numbered globally; each form maps them to its local
// positions: local 0 is y, then the form's dimensions, then its items.

// itemVar describes one item variable.
type itemVar struct {
	form      survey.FormKind
	id, text  string
	dimension string
}

// formLayout is one form's local variables.
type formLayout struct {
	kind     survey.FormKind
	nItems   int
	itemDim  []int // local dimension index (0-based) of each item
	dimGlob  []int // global variable of each local dimension
	itemGlob []int // global variable of each item
	local    []int // global variable → local index, -1 when the form lacks it
}

// vars returns the number of local variables.
func (l *formLayout) vars() int {
	if l == nil {
		return 1
	}
	return 1 + len(l.dimGlob) + l.nItems
}

// catalog numbers the variables of all configured forms.
type catalog struct {
	dims    []string  // dimension names; global variable 1+j
	items   []itemVar // global variable 1+len(dims)+k
	layouts [3]*formLayout
}

func (c *catalog) nVars() int { return 1 + len(c.dims) + len(c.items) }

// dimVar and itemVarIndex give global variable numbers.
func (c *catalog) dimVar(j int) int       { return 1 + j }
func (c *catalog) itemVarIndex(k int) int { return 1 + len(c.dims) + k }

func formIndex(k survey.FormKind) int {
	switch k {
	case survey.StudentForm:
		return 0
	case survey.StaffForm:
		return 1
	case survey.SocialForm:
		return 2
	}
	return -1
}

// newCatalog lays out the forms' variables. Dimensions are ordered as in
// survey.Dimensions, unknown ones after them alphabetically.
func newCatalog(forms map[survey.FormKind]survey.Questionnaire) (*catalog, error) {
	c := &catalog{}
	rank := map[string]int{}
	for i, d := range survey.Dimensions {
		rank[d] = i
	}
	seenDim := map[string]bool{}
	var extra []string
	for _, k := range survey.FormKinds {
		q, ok := forms[k]
		if !ok {
			continue
		}
		if q.Kind != "" && q.Kind != k {
			return nil, fmt.Errorf("%s 问卷的类型写成了 %s", k, q.Kind)
		}
		for _, it := range q.Items {
			if !seenDim[it.Dimension] {
				seenDim[it.Dimension] = true
				if _, known := rank[it.Dimension]; !known {
					extra = append(extra, it.Dimension)
				}
			}
		}
	}
	for _, d := range survey.Dimensions {
		if seenDim[d] {
			c.dims = append(c.dims, d)
		}
	}
	sort.Strings(extra)
	c.dims = append(c.dims, extra...)
	dimIdx := map[string]int{}
	for j, d := range c.dims {
		dimIdx[d] = j
	}
	for _, k := range survey.FormKinds {
		q, ok := forms[k]
		if !ok {
			continue
		}
		l := &formLayout{kind: k, nItems: len(q.Items)}
		localDim := map[int]int{}
		seenItem := map[string]bool{}
		for _, it := range q.Items {
			if seenItem[it.ID] {
				return nil, fmt.Errorf("%s 问卷：题号 %s 出现了两次", k, it.ID)
			}
			seenItem[it.ID] = true
			g := dimIdx[it.Dimension]
			ld, ok := localDim[g]
			if !ok {
				ld = len(l.dimGlob)
				localDim[g] = ld
				l.dimGlob = append(l.dimGlob, c.dimVar(g))
			}
			l.itemDim = append(l.itemDim, ld)
			c.items = append(c.items, itemVar{form: k, id: it.ID, text: it.Text, dimension: it.Dimension})
		}
		c.layouts[formIndex(k)] = l
	}
	// Item globals are known only once every dimension is numbered.
	k := 0
	for _, fk := range survey.FormKinds {
		l := c.layouts[formIndex(fk)]
		if l == nil {
			continue
		}
		for range l.nItems {
			l.itemGlob = append(l.itemGlob, c.itemVarIndex(k))
			k++
		}
		l.local = make([]int, c.nVars())
		for i := range l.local {
			l.local[i] = -1
		}
		l.local[0] = 0
		for ld, g := range l.dimGlob {
			l.local[g] = 1 + ld
		}
		for i, g := range l.itemGlob {
			l.local[g] = 1 + len(l.dimGlob) + i
		}
	}
	return c, nil
}

// localOf returns the local index of global variable v for a form layout
// (nil layout: only y).
func localOf(l *formLayout, v int) int {
	if l == nil {
		if v == 0 {
			return 0
		}
		return -1
	}
	return l.local[v]
}

// fillVars writes a unit's local variable values into vals (NaN = missing).
func fillVars(l *formLayout, u *Unit, vals []float64, dimSum []float64, dimN []int) []float64 {
	vals = vals[:0]
	vals = append(vals, u.Y)
	if l == nil || u.Scores == nil {
		return vals
	}
	nd := len(l.dimGlob)
	for j := range nd {
		dimSum[j], dimN[j] = 0, 0
	}
	for i, s := range u.Scores {
		if s == s { // not NaN
			j := l.itemDim[i]
			dimSum[j] += s
			dimN[j]++
		}
	}
	for j := range nd {
		if dimN[j] > 0 {
			vals = append(vals, dimSum[j]/float64(dimN[j]))
		} else {
			vals = append(vals, nan)
		}
	}
	return append(vals, u.Scores...)
}
