package sampling

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	mrand "math/rand/v2"

	"renke/survey"
)

// Defaults of a plan (docs/method.md §2 and the choices documented on Options).
const (
	DefaultRate          = 0.0015 // 1.5‰ of the resident population
	DefaultTakePerSchool = 40     // students + parents + teachers asked per drawn school
	DefaultAssumedRate   = 0.88
	DefaultICC           = 0.05
	PassMark             = 0.85
	// pcgStream is the second PCG word; the seed is the first.
	pcgStream = 0x72656e6b65 // "renke"
)

// Options tune a plan. The zero value gives the national defaults.
type Options struct {
	// Rate is the sample's share of the resident population; 0 means DefaultRate.
	Rate float64
	// Floor is the smallest total sample (older provincial rules use 600); 0 means none.
	Floor int
	// Seed fixes the draw; nil draws a seed (below 2^53, so JSON tools keep it exact),
	// which the plan records.
	Seed *int64
	// TakePerSchool is the target number of students, parents and teachers asked
	// in one drawn school; it sets how many schools a stratum draws. 0 means
	// DefaultTakePerSchool.
	TakePerSchool int
	// AssumedRate is the true recognition rate assumed for the expected
	// precision; 0 means DefaultAssumedRate.
	AssumedRate float64
	// ICC is the assumed intra-school correlation of respondent scores; 0 means
	// DefaultICC, a negative value means none.
	ICC float64
	// GroupWeights are the W_g of the overall rate; nil means survey.DefaultGroupWeights().
	GroupWeights map[survey.Group]float64
}

// Quota is a number of respondents of one group (and band, and stratum).
type Quota struct {
	Group      survey.Group      `json:"group"`
	Band       survey.Band       `json:"band,omitempty"`
	Urbanicity survey.Urbanicity `json:"urbanicity,omitempty"`
	Quota      int               `json:"quota"`
}

// Cell is one group × urbanicity × band total of the plan with its frame population.
type Cell struct {
	Quota
	Population int `json:"population"`
}

// SchoolPlan is one drawn school with its quotas.
type SchoolPlan struct {
	SchoolCode           string            `json:"school_code"`
	Name                 string            `json:"name"`
	Township             string            `json:"township"`
	Urbanicity           survey.Urbanicity `json:"urbanicity"`
	Type                 SchoolType        `json:"type"`
	Pupils               int               `json:"pupils"`
	InclusionProbability float64           `json:"inclusion_probability"`
	Certainty            bool              `json:"certainty"`
	Total                int               `json:"total"`
	Quotas               []Quota           `json:"quotas"`
}

// Survey is the school as the survey package knows it (for access codes).
func (s *SchoolPlan) Survey() survey.School {
	return survey.School{Code: s.SchoolCode, Name: s.Name, Township: s.Township, Urbanicity: s.Urbanicity}
}

// Stratum summarises the draw of schools in one urbanicity stratum.
type Stratum struct {
	Urbanicity  survey.Urbanicity `json:"urbanicity"`
	Schools     int               `json:"schools"`     // schools in the frame
	Pupils      int               `json:"pupils"`      // total measure of size
	Respondents int               `json:"respondents"` // students + parents + teachers to reach
	Drawn       int               `json:"drawn"`
	Certainty   int               `json:"certainty"`
	Interval    float64           `json:"interval"` // among non-certain schools
	Start       float64           `json:"start"`    // random start in [0, interval)
	Attempts    int               `json:"attempts"` // draws made until every quota fitted
}

// Plan is a county's sample: sizes, allocation, drawn schools and precision.
type Plan struct {
	County        string                    `json:"county"`
	Seed          int64                     `json:"seed"`
	Rate          float64                   `json:"rate"`
	Floor         int                       `json:"floor"`
	Population    int                       `json:"population"`
	TakePerSchool int                       `json:"take_per_school"`
	Total         int                       `json:"total"`
	ByGroup       map[survey.Group]int      `json:"by_group"`
	ByUrbanicity  map[survey.Urbanicity]int `json:"by_urbanicity"` // all but deputies and CPPCC members
	CountyWide    int                       `json:"county_wide"`   // deputies and CPPCC members, no stratum
	Cells         []Cell                    `json:"cells"`
	Strata        []Stratum                 `json:"strata"`
	Schools       []SchoolPlan              `json:"schools"`
	CountyQuotas  []Quota                   `json:"county_quotas"` // principals, deputies, CPPCC members, public
	Precision
	Notes []string `json:"notes,omitempty"`
}

// MakePlan draws the sample of a checked frame. The same frame, options and
// seed give the same plan, byte for byte once encoded.
func MakePlan(f *Frame, opt Options) (*Plan, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	p := &Plan{County: f.County.Name, Seed: *opt.Seed, Rate: opt.Rate, Floor: opt.Floor,
		Population: f.County.Population, TakePerSchool: opt.TakePerSchool}
	p.Total = SampleSize(f.County.Population, opt.Rate, opt.Floor)
	a, err := allocate(f, p.Total)
	if err != nil {
		return nil, err
	}
	p.Notes = a.notes
	rng := mrand.New(mrand.NewPCG(uint64(p.Seed), pcgStream))
	for _, u := range survey.Urbanicities {
		st, schools, err := drawStratum(f, u, a, opt.TakePerSchool, rng)
		if err != nil {
			return nil, err
		}
		p.Strata = append(p.Strata, st)
		p.Schools = append(p.Schools, schools...)
	}
	p.fillTotals(f, a)
	p.Precision = expectedPrecision(p, opt)
	return p, nil
}

// SampleSize is ceil(rate × population), at least floor. A product within
// 1e-9 of a whole number counts as that number (0.0015 × 400000 is 600).
func SampleSize(population int, rate float64, floor int) int {
	x := rate * float64(population)
	n := int(math.Ceil(x))
	if r := math.Round(x); math.Abs(x-r) < 1e-9*max(1, x) {
		n = int(r)
	}
	return max(n, floor)
}

// withDefaults fills the zero fields and checks the ranges.
func (o Options) withDefaults() (Options, error) {
	if o.Rate == 0 {
		o.Rate = DefaultRate
	}
	if o.TakePerSchool == 0 {
		o.TakePerSchool = DefaultTakePerSchool
	}
	if o.AssumedRate == 0 {
		o.AssumedRate = DefaultAssumedRate
	}
	switch {
	case o.ICC == 0:
		o.ICC = DefaultICC
	case o.ICC < 0:
		o.ICC = 0
	}
	if o.GroupWeights == nil {
		o.GroupWeights = survey.DefaultGroupWeights()
	}
	switch {
	case !(o.Rate > 0 && o.Rate <= 1):
		return o, fmt.Errorf("抽样比例 %g 无效，应在 0 到 1 之间", o.Rate)
	case o.Floor < 0:
		return o, fmt.Errorf("样本量下限 %d 无效，不能为负数", o.Floor)
	case o.TakePerSchool < 1:
		return o, fmt.Errorf("每校目标人数 %d 无效，应至少为 1", o.TakePerSchool)
	case !(o.AssumedRate > 0 && o.AssumedRate < 1):
		return o, fmt.Errorf("假定认可度 %g 无效，应在 0 到 1 之间", o.AssumedRate)
	case o.ICC >= 1:
		return o, fmt.Errorf("校内相关系数 %g 无效，应小于 1", o.ICC)
	}
	for g, w := range o.GroupWeights {
		if !g.Valid() || w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return o, fmt.Errorf("群体权重 %s=%g 无效", g, w)
		}
	}
	if o.Seed == nil {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return o, fmt.Errorf("draw a seed: %w", err)
		}
		s := int64(binary.LittleEndian.Uint64(b[:]) & (1<<53 - 1))
		o.Seed = &s
	}
	return o, nil
}

// JSON is the plan as indented JSON (map keys sorted, so byte-stable).
func (p *Plan) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode plan: %w", err)
	}
	return append(b, '\n'), nil
}
