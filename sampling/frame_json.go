package sampling

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"renke/survey"
)

// ParseFrameJSON reads a frame in its JSON form (the shape Frame marshals to:
// {"county": {...}, "schools": [{..., "enrolment": [9 numbers]}]}) and runs the
// same checks as ReadFrameXLSX. Problems name the sheet, the school's 1-based
// position in "schools" and the column header.
func ParseFrameJSON(data []byte) (*Frame, error) {
	var raw jsonFrame
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, &FrameError{Problems: []Problem{{Sheet: "JSON", Message: "JSON 格式错误：" + err.Error(), json: true}}}
	}
	p := newProblems(true)
	f := &Frame{}
	if raw.County == nil {
		p.add(SheetCounty, 0, "", "缺少 \"county\"（区县概况）")
	} else {
		c := raw.County
		f.County = County{Name: c.Name.text(), Population: c.Population.get(p, SheetCounty, 0, ColPopulation, true),
			Urban: c.Urban.get(p, SheetCounty, 0, ColUrban, true), Town: c.Town.get(p, SheetCounty, 0, ColTown, true),
			Rural: c.Rural.get(p, SheetCounty, 0, ColRural, true), Deputies: c.Deputies.get(p, SheetCounty, 0, ColDeputies, true),
			CPPCC: c.CPPCC.get(p, SheetCounty, 0, ColCPPCC, true)}
	}
	rows := make([]int, len(raw.Schools))
	for i, rs := range raw.Schools {
		row := i + 1
		rows[i] = row
		s := School{Code: rs.Code.text(), Name: rs.Name.text(), Township: rs.Township.text(),
			Urbanicity: survey.Urbanicity(rs.Urbanicity.text()), Type: SchoolType(rs.Type.text()),
			Teachers: rs.Teachers.get(p, SheetSchools, row, ColTeachers, true), Principals: rs.Principals.get(p, SheetSchools, row, ColPrincipals, true)}
		if len(rs.Enrolment) != maxGrade {
			p.add(SheetSchools, row, "", "\"enrolment\" 应为 9 个数（一至九年级人数），实为 %d 个", len(rs.Enrolment))
			for _, col := range GradeColumns {
				p.unreadable(SheetSchools, row, col)
			}
		} else {
			for g := range rs.Enrolment {
				s.Enrolment[g] = rs.Enrolment[g].get(p, SheetSchools, row, GradeColumns[g], false)
			}
		}
		f.Schools = append(f.Schools, s)
	}
	validateFrame(f, 0, rows, true, p)
	if raw.County == nil {
		// validateFrame reported the empty county's fields too; keep only the cause.
		p.list = dropCountyFieldProblems(p.list)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return f, nil
}

// dropCountyFieldProblems removes per-field 概况 problems, keeping sheet-level ones.
func dropCountyFieldProblems(list []Problem) []Problem {
	out := list[:0]
	for _, pr := range list {
		if pr.Sheet != SheetCounty || pr.Column == "" {
			out = append(out, pr)
		}
	}
	return out
}

type jsonFrame struct {
	County  *jsonCounty  `json:"county"`
	Schools []jsonSchool `json:"schools"`
}

type jsonCounty struct {
	Name       jsonText  `json:"name"`
	Population jsonCount `json:"population"`
	Urban      jsonCount `json:"urban"`
	Town       jsonCount `json:"town"`
	Rural      jsonCount `json:"rural"`
	Deputies   jsonCount `json:"deputies"`
	CPPCC      jsonCount `json:"cppcc"`
}

type jsonSchool struct {
	Code       jsonText    `json:"code"`
	Name       jsonText    `json:"name"`
	Township   jsonText    `json:"township"`
	Urbanicity jsonText    `json:"urbanicity"`
	Type       jsonText    `json:"type"`
	Enrolment  []jsonCount `json:"enrolment"`
	Teachers   jsonCount   `json:"teachers"`
	Principals jsonCount   `json:"principals"`
}

// jsonText accepts a string or a number (school codes are often numeric).
type jsonText string

// UnmarshalJSON never fails: a value that is neither string nor number reads as empty.
func (t *jsonText) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*t = jsonText(cleanCell(s))
		return nil
	}
	var n json.Number
	if json.Unmarshal(b, &n) == nil {
		*t = jsonText(n.String())
	}
	return nil
}

func (t jsonText) text() string { return string(t) }

// jsonCount accepts a number or a numeric string and keeps what was wrong.
type jsonCount struct {
	set bool
	raw string
}

// UnmarshalJSON never fails; get reports a bad value with its location.
func (c *jsonCount) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	c.set = true
	var str string
	if json.Unmarshal(b, &str) == nil {
		s = str
	}
	c.raw = s
	return nil
}

// get is the count's value; problems go to p at sheet/row/col.
func (c jsonCount) get(p *problems, sheet string, row int, col string, required bool) int {
	if !c.set || cleanCell(c.raw) == "" {
		if required {
			p.add(sheet, row, col, "缺少%s", col)
			p.unreadable(sheet, row, col)
		}
		return 0
	}
	v, msg := parseCount(c.raw)
	if msg != "" {
		p.add(sheet, row, col, "%s", msg)
		p.unreadable(sheet, row, col)
	}
	return v
}

// JSON returns the frame in the form ParseFrameJSON reads.
func (f *Frame) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode frame: %w", err)
	}
	return b, nil
}
