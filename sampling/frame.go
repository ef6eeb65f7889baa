// Package sampling turns a county's sampling frame into a reproducible
// stratified sample plan (docs/method.md §2 and §4): the frame and its checks,
// the sample size, the allocation over groups, grade bands and urbanicity,
// the systematic PPS draw of schools, the per-school quotas and the
// expected precision. It knows nothing of HTTP or storage.
package sampling

import (
	"renke/survey"
)

// SchoolType is the kind of compulsory school.
type SchoolType string

// The four school types of a frame.
const (
	Primary SchoolType = "小学"
	Junior  SchoolType = "初中"
	Nine    SchoolType = "九年一贯制"
	Twelve  SchoolType = "十二年一贯制"
)

// maxGrade is the last grade of compulsory education.
const maxGrade = 9

// SchoolTypes lists the school types in the order the template offers them.
var SchoolTypes = []SchoolType{Primary, Junior, Nine, Twelve}

// Valid reports whether t is one of the four school types.
func (t SchoolType) Valid() bool {
	return t == Primary || t == Junior || t == Nine || t == Twelve
}

// HasGrade reports whether a school of type t may enrol pupils of grade g (1..9).
func (t SchoolType) HasGrade(g int) bool {
	switch t {
	case Primary:
		return g >= 1 && g <= 6
	case Junior:
		return g >= 7 && g <= 9
	}
	return g >= 1 && g <= maxGrade
}

// County is the sheet 概况: the county's population and its council members.
type County struct {
	Name       string `json:"name"`
	Population int    `json:"population"` // 常住人口
	Urban      int    `json:"urban"`      // 城区人口
	Town       int    `json:"town"`       // 镇区人口
	Rural      int    `json:"rural"`      // 乡村人口
	Deputies   int    `json:"deputies"`   // 人大代表数
	CPPCC      int    `json:"cppcc"`      // 政协委员数
}

// PopulationIn is the county's resident population in stratum u.
func (c County) PopulationIn(u survey.Urbanicity) int {
	switch u {
	case survey.Urban:
		return c.Urban
	case survey.Town:
		return c.Town
	case survey.Rural:
		return c.Rural
	}
	return 0
}

// School is one row of the sheet 学校.
type School struct {
	Code       string            `json:"code"`
	Name       string            `json:"name"`
	Township   string            `json:"township"`
	Urbanicity survey.Urbanicity `json:"urbanicity"`
	Type       SchoolType        `json:"type"`
	// Enrolment holds the pupils of grades 1..9 (index 0 is grade 1).
	Enrolment  [maxGrade]int `json:"enrolment"`
	Teachers   int           `json:"teachers"`
	Principals int           `json:"principals"`
}

// Pupils is the school's compulsory enrolment, grades 1..9.
func (s *School) Pupils() int {
	n := 0
	for _, e := range s.Enrolment {
		n += e
	}
	return n
}

// BandPupils is the school's enrolment in the grades of band b.
func (s *School) BandPupils(b survey.Band) int {
	n := 0
	for _, g := range b.Grades() {
		n += s.Enrolment[g-1]
	}
	return n
}

// Survey is the school as the survey package knows it (for access codes).
func (s *School) Survey() survey.School {
	return survey.School{Code: s.Code, Name: s.Name, Township: s.Township, Urbanicity: s.Urbanicity}
}

// Frame is a county's whole sampling frame. A Frame returned by ReadFrameXLSX
// or ParseFrameJSON has passed every check of Validate.
type Frame struct {
	County  County   `json:"county"`
	Schools []School `json:"schools"`
}

// Population is the frame count N of the weighting cell group × urbanicity ×
// band (docs/method.md §4). Students and parents count the pupils of the band's
// grades (one parent per pupil); teachers and principals the schools' staff;
// the public the resident population. An empty u or b sums over it. Deputies
// and CPPCC members have no urbanicity: for them u must be empty. ok is false
// where the frame has no count for the cell.
func (f *Frame) Population(g survey.Group, u survey.Urbanicity, b survey.Band) (n int, ok bool) {
	switch g {
	case survey.Deputy:
		return f.County.Deputies, u == "" && b == ""
	case survey.CPPCC:
		return f.County.CPPCC, u == "" && b == ""
	case survey.Public:
		if b != "" {
			return 0, false
		}
		if u == "" {
			return f.County.Population, true
		}
		return f.County.PopulationIn(u), u.Valid()
	}
	if u != "" && !u.Valid() {
		return 0, false
	}
	bands := []survey.Band{b}
	if g.HasBand() {
		if b == "" {
			bands = survey.BandsFor(g)
		} else if !bandOf(g, b) {
			return 0, false
		}
	} else if b != "" {
		return 0, false
	}
	for i := range f.Schools {
		s := &f.Schools[i]
		if u != "" && s.Urbanicity != u {
			continue
		}
		switch g {
		case survey.Teacher:
			n += s.Teachers
		case survey.Principal:
			n += s.Principals
		default:
			for _, bb := range bands {
				n += s.BandPupils(bb)
			}
		}
	}
	return n, true
}

// bandOf reports whether group g is split by band b.
func bandOf(g survey.Group, b survey.Band) bool {
	for _, x := range survey.BandsFor(g) {
		if x == b {
			return true
		}
	}
	return false
}
