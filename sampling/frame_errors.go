package sampling

import (
	"fmt"
	"strings"
)

// Sheet names and column headers of the frame workbook (issue 4).
const (
	SheetCounty  = "概况"
	SheetSchools = "学校"
	SheetHelp    = "说明"
)

// Column headers of the sheet 概况.
const (
	ColCountyName = "区县名称"
	ColPopulation = "常住人口"
	ColUrban      = "城区人口"
	ColTown       = "镇区人口"
	ColRural      = "乡村人口"
	ColDeputies   = "人大代表数"
	ColCPPCC      = "政协委员数"
)

// Column headers of the sheet 学校 (the grade columns are GradeColumns).
const (
	ColCode       = "学校代码"
	ColName       = "学校名称"
	ColTownship   = "乡镇街道"
	ColUrbanicity = "城乡类型"
	ColType       = "学校类型"
	ColTeachers   = "教师数"
	ColPrincipals = "校长数"
)

// GradeColumns are the headers of the enrolment columns, grades 1..9.
var GradeColumns = [maxGrade]string{"一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级"}

// CountyColumns lists the headers of 概况 in template order.
var CountyColumns = []string{ColCountyName, ColPopulation, ColUrban, ColTown, ColRural, ColDeputies, ColCPPCC}

// SchoolColumns lists the headers of 学校 in template order.
var SchoolColumns = append(append([]string{ColCode, ColName, ColTownship, ColUrbanicity, ColType},
	GradeColumns[:]...), ColTeachers, ColPrincipals)

// MaxProblems caps the problems one check reports.
const MaxProblems = 200

// Problem is one thing wrong with a frame, located by sheet, row and column.
type Problem struct {
	Sheet string `json:"sheet"`
	// Row is the spreadsheet row (the header is row 1) or, for a JSON frame,
	// the 1-based position of the school in "schools"; 0 means the whole sheet.
	Row int `json:"row,omitempty"`
	// Column is the column header; empty means the whole row.
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
	json    bool
}

// String is the problem in Chinese with its location.
func (p Problem) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "工作表「%s」", p.Sheet)
	if p.json {
		b.Reset()
		fmt.Fprintf(&b, "JSON「%s」", p.Sheet)
	}
	if p.Row > 0 {
		if p.json {
			fmt.Fprintf(&b, "第 %d 项", p.Row)
		} else {
			fmt.Fprintf(&b, "第 %d 行", p.Row)
		}
	}
	if p.Column != "" {
		fmt.Fprintf(&b, "「%s」列", p.Column)
	}
	b.WriteString("：")
	b.WriteString(p.Message)
	return b.String()
}

// FrameError is every problem found in a frame; nothing of such a frame is kept.
type FrameError struct {
	Problems  []Problem `json:"problems"`
	Truncated bool      `json:"truncated"` // more than MaxProblems were found
}

// Error lists the problems, one a line.
func (e *FrameError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "抽样框有 %d 处错误", len(e.Problems))
	if e.Truncated {
		fmt.Fprintf(&b, "（只列出前 %d 处）", MaxProblems)
	}
	b.WriteString("：")
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// problems collects the problems of one check, up to MaxProblems.
type problems struct {
	list      []Problem
	truncated bool
	json      bool
	bad       map[cellKey]bool // cells whose value could not be read
}

// cellKey names one cell: sheet, row and column header.
type cellKey struct {
	sheet string
	row   int
	col   string
}

func newProblems(json bool) *problems {
	return &problems{json: json, bad: map[cellKey]bool{}}
}

// add records a problem at sheet/row/column.
func (p *problems) add(sheet string, row int, col, format string, args ...any) {
	if len(p.list) >= MaxProblems {
		p.truncated = true
		return
	}
	p.list = append(p.list, Problem{Sheet: sheet, Row: row, Column: col, Message: fmt.Sprintf(format, args...), json: p.json})
}

// unreadable records that a cell's value is unusable, so checks that build on
// it are skipped rather than reported twice.
func (p *problems) unreadable(sheet string, row int, col string) {
	p.bad[cellKey{sheet, row, col}] = true
}

// readable reports whether none of the named cells was unreadable.
func (p *problems) readable(sheet string, row int, cols ...string) bool {
	for _, c := range cols {
		if p.bad[cellKey{sheet, row, c}] {
			return false
		}
	}
	return true
}

// err returns the collected problems as a *FrameError, or nil.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &FrameError{Problems: p.list, Truncated: p.truncated}
}
