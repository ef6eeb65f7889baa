package sampling

import (
	"renke/survey"
)

// stratumColumn is the 概况 column holding each stratum's population.
var stratumColumn = map[survey.Urbanicity]string{survey.Urban: ColUrban, survey.Town: ColTown, survey.Rural: ColRural}

// Validate runs every check on a frame built in code (JSON positions are used
// in the messages). ReadFrameXLSX and ParseFrameJSON run the same checks.
func (f *Frame) Validate() error {
	p := newProblems(true)
	rows := make([]int, len(f.Schools))
	for i := range rows {
		rows[i] = i + 1
	}
	validateFrame(f, 0, rows, true, p)
	return p.err()
}

// rowWord is how a position is named: spreadsheet rows or JSON entries.
func (p *problems) rowWord() string {
	if p.json {
		return "项"
	}
	return "行"
}

// validateFrame adds every semantic problem of f. countyRow is the row of the
// county's values (negative when the sheet could not be read at all), rows[i]
// the row of school i, schoolsRead false when the sheet 学校 could not be read;
// unreadable cells (already reported by the reader) are skipped.
func validateFrame(f *Frame, countyRow int, rows []int, schoolsRead bool, p *problems) {
	if countyRow >= 0 {
		validateCounty(&f.County, countyRow, p)
	}
	if !schoolsRead {
		return
	}
	if len(f.Schools) == 0 {
		p.add(SheetSchools, 0, "", "没有任何学校数据，请从第 2 行起每行填写一所学校")
		return
	}
	seen := map[string]int{}
	perStratum := map[survey.Urbanicity]int{}
	for i := range f.Schools {
		s := &f.Schools[i]
		validateSchool(s, rows[i], seen, p)
		if s.Urbanicity.Valid() {
			perStratum[s.Urbanicity]++
		}
	}
	for _, u := range survey.Urbanicities {
		col := stratumColumn[u]
		if countyRow >= 0 && perStratum[u] > 0 && f.County.PopulationIn(u) == 0 && p.readable(SheetCounty, countyRow, col) {
			p.add(SheetCounty, countyRow, col, "%s为 0，但学校表中有 %d 所%s学校", col, perStratum[u], u)
		}
	}
}

func validateCounty(c *County, row int, p *problems) {
	if c.Name == "" {
		p.add(SheetCounty, row, ColCountyName, "缺少区县名称")
	}
	counts := []struct {
		col string
		v   int
	}{{ColPopulation, c.Population}, {ColUrban, c.Urban}, {ColTown, c.Town}, {ColRural, c.Rural},
		{ColDeputies, c.Deputies}, {ColCPPCC, c.CPPCC}}
	for _, x := range counts {
		if x.v < 0 {
			p.add(SheetCounty, row, x.col, "%s不能为负数（填了 %d）", x.col, x.v)
		}
	}
	if c.Population == 0 && p.readable(SheetCounty, row, ColPopulation) {
		p.add(SheetCounty, row, ColPopulation, "常住人口必须大于 0")
	}
	if p.readable(SheetCounty, row, ColPopulation, ColUrban, ColTown, ColRural) {
		if sum := c.Urban + c.Town + c.Rural; sum != c.Population {
			p.add(SheetCounty, row, ColPopulation, "城区人口 %d + 镇区人口 %d + 乡村人口 %d = %d，与常住人口 %d 不相等",
				c.Urban, c.Town, c.Rural, sum, c.Population)
		}
	}
}

func validateSchool(s *School, row int, seen map[string]int, p *problems) {
	switch first, dup := seen[s.Code]; {
	case s.Code == "":
		p.add(SheetSchools, row, ColCode, "缺少学校代码")
	case !survey.ValidSchoolCode(s.Code):
		p.add(SheetSchools, row, ColCode, "「%s」：%s", s.Code, survey.SchoolCodeRule)
	case dup:
		p.add(SheetSchools, row, ColCode, "学校代码「%s」与第 %d %s重复", s.Code, first, p.rowWord())
	default:
		seen[s.Code] = row
	}
	if s.Name == "" {
		p.add(SheetSchools, row, ColName, "缺少学校名称")
	}
	if s.Township == "" {
		p.add(SheetSchools, row, ColTownship, "缺少乡镇街道")
	}
	switch {
	case s.Urbanicity == "":
		p.add(SheetSchools, row, ColUrbanicity, "缺少城乡类型，应填 城区、镇区 或 乡村")
	case !s.Urbanicity.Valid():
		p.add(SheetSchools, row, ColUrbanicity, "「%s」不是有效的城乡类型，应填 城区、镇区 或 乡村", s.Urbanicity)
	}
	switch {
	case s.Type == "":
		p.add(SheetSchools, row, ColType, "缺少学校类型，应填 小学、初中、九年一贯制 或 十二年一贯制")
	case !s.Type.Valid():
		p.add(SheetSchools, row, ColType, "「%s」不是有效的学校类型，应填 小学、初中、九年一贯制 或 十二年一贯制", s.Type)
	}
	allRead := true
	for g, e := range s.Enrolment {
		col := GradeColumns[g]
		allRead = allRead && p.readable(SheetSchools, row, col)
		switch {
		case e < 0:
			p.add(SheetSchools, row, col, "%s人数不能为负数（填了 %d）", col, e)
		case e > 0 && s.Type.Valid() && !s.Type.HasGrade(g+1):
			p.add(SheetSchools, row, col, "%s不应有%s学生（填了 %d 人）；请核对学校类型或人数", s.Type, col, e)
		}
	}
	if allRead && s.Pupils() <= 0 {
		p.add(SheetSchools, row, "", "一至九年级在校生合计为 0，请填写各年级人数或删去该行")
	}
	if s.Teachers < 0 {
		p.add(SheetSchools, row, ColTeachers, "教师数不能为负数（填了 %d）", s.Teachers)
	}
	if s.Principals < 0 {
		p.add(SheetSchools, row, ColPrincipals, "校长数不能为负数（填了 %d）", s.Principals)
	}
}
