package sampling

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"renke/survey"
)

// templateRows is how many school rows the template's dropdowns cover.
const templateRows = 3000

// helpLines is the sheet 说明 of the template.
var helpLines = []string{
	"社会认可度调查 抽样框填写说明",
	"",
	"本文件有两张需要填写的工作表：「概况」和「学校」。请不要改动表名和第 1 行的表头，也不要增删列。",
	"",
	"一、概况（只填第 2 行）",
	"  区县名称：本区县全称。",
	"  常住人口：最近一次统计的常住人口（人）。",
	"  城区人口、镇区人口、乡村人口：三者之和必须等于常住人口。",
	"  人大代表数、政协委员数：本区县的人大代表和政协委员人数，没有请填 0。",
	"",
	"二、学校（每行一所义务教育学校，从第 2 行起）",
	"  学校代码：学校的唯一代码（如教育事业统计代码），不能为空，不能重复。",
	"  学校名称、乡镇街道：学校所在乡镇（街道）用于抽样时的排序，请统一写法。",
	"  城乡类型：从下拉框选择 城区、镇区 或 乡村。",
	"  学校类型：从下拉框选择 小学、初中、九年一贯制 或 十二年一贯制。",
	"  一年级 … 九年级：各年级在校生人数；没有该年级的留空或填 0。",
	"    小学不应填七至九年级人数，初中不应填一至六年级人数；十二年一贯制学校只填义务教育阶段（一至九年级）。",
	"  教师数、校长数：在编在岗教师人数、正副校长人数。",
	"",
	"三、检查",
	"  填好后运行 renke frame check 文件名.xlsx，或在管理后台上传。系统会列出所有错误（工作表、行号、列名和原因），",
	"  全部改正后才会导入；有错误的文件不会被部分导入。",
	"",
	"四、抽样",
	"  样本量 = 常住人口 × 1.5‰（向上取整，可设下限）；家长不少于一半，其余六类对象大体相当；",
	"  城区、镇区、乡村样本按人口比例分配；学校在各城乡类型内按在校生规模以系统 PPS 方式抽取，抽样随机种子会记录在抽样方案中。",
}

// WriteTemplate writes a blank frame workbook: the sheets 说明, 概况 and 学校
// with their headers, dropdowns for 城乡类型 and 学校类型, and whole-number
// checks on every count.
func WriteTemplate(w io.Writer) error {
	xf := excelize.NewFile()
	defer xf.Close()
	if err := buildTemplate(xf); err != nil {
		return fmt.Errorf("frame template: %w", err)
	}
	if _, err := xf.WriteTo(w); err != nil {
		return fmt.Errorf("frame template: write: %w", err)
	}
	return nil
}

func buildTemplate(xf *excelize.File) error {
	if err := xf.SetSheetName("Sheet1", SheetHelp); err != nil {
		return err
	}
	for i, line := range helpLines {
		if err := xf.SetCellStr(SheetHelp, fmt.Sprintf("A%d", i+1), line); err != nil {
			return err
		}
	}
	if err := xf.SetColWidth(SheetHelp, "A", "A", 120); err != nil {
		return err
	}
	head, err := xf.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Color: []string{"DDEBF7"}, Pattern: 1},
		Alignment: &excelize.Alignment{Horizontal: "center"}})
	if err != nil {
		return err
	}
	for _, sh := range []struct {
		name string
		cols []string
	}{{SheetCounty, CountyColumns}, {SheetSchools, SchoolColumns}} {
		if _, err := xf.NewSheet(sh.name); err != nil {
			return err
		}
		if err := xf.SetSheetRow(sh.name, "A1", &sh.cols); err != nil {
			return err
		}
		last, _ := excelize.ColumnNumberToName(len(sh.cols))
		if err := xf.SetCellStyle(sh.name, "A1", last+"1", head); err != nil {
			return err
		}
		if err := xf.SetColWidth(sh.name, "A", last, 12); err != nil {
			return err
		}
		if err := xf.SetPanes(sh.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	if err := xf.SetColWidth(SheetSchools, "B", "C", 24); err != nil {
		return err
	}
	if err := templateValidations(xf); err != nil {
		return err
	}
	xf.SetActiveSheet(0)
	return nil
}

// templateValidations adds the dropdowns and whole-number checks.
func templateValidations(xf *excelize.File) error {
	col := func(name string) string {
		for i, c := range SchoolColumns {
			if c == name {
				n, _ := excelize.ColumnNumberToName(i + 1)
				return n
			}
		}
		return ""
	}
	rng := func(from, to string) string { return fmt.Sprintf("%s2:%s%d", from, to, templateRows+1) }
	urb := make([]string, len(survey.Urbanicities))
	for i, u := range survey.Urbanicities {
		urb[i] = string(u)
	}
	types := make([]string, len(SchoolTypes))
	for i, t := range SchoolTypes {
		types[i] = string(t)
	}
	lists := []struct {
		sqref string
		keys  []string
	}{{rng(col(ColUrbanicity), col(ColUrbanicity)), urb}, {rng(col(ColType), col(ColType)), types}}
	for _, l := range lists {
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(l.sqref)
		if err := dv.SetDropList(l.keys); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "输入有误", "请从下拉框中选择："+strings.Join(l.keys, "、"))
		if err := xf.AddDataValidation(SheetSchools, dv); err != nil {
			return err
		}
	}
	whole := []struct{ sheet, sqref string }{
		{SheetSchools, rng(col(GradeColumns[0]), col(ColPrincipals))},
		{SheetCounty, "B2:G2"},
	}
	for _, x := range whole {
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(x.sqref)
		if err := dv.SetRange(0, 100000000, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "输入有误", "请填写不小于 0 的整数")
		if err := xf.AddDataValidation(x.sheet, dv); err != nil {
			return err
		}
	}
	return nil
}

// WriteXLSX writes the frame into the template workbook, so that
// ReadFrameXLSX reads it back unchanged.
func (f *Frame) WriteXLSX(w io.Writer) error {
	xf := excelize.NewFile()
	defer xf.Close()
	if err := buildTemplate(xf); err != nil {
		return fmt.Errorf("frame workbook: %w", err)
	}
	c := f.County
	county := []any{c.Name, c.Population, c.Urban, c.Town, c.Rural, c.Deputies, c.CPPCC}
	if err := xf.SetSheetRow(SheetCounty, "A2", &county); err != nil {
		return fmt.Errorf("frame workbook: %w", err)
	}
	for i, s := range f.Schools {
		row := []any{s.Code, s.Name, s.Township, string(s.Urbanicity), string(s.Type)}
		for _, e := range s.Enrolment {
			row = append(row, e)
		}
		row = append(row, s.Teachers, s.Principals)
		if err := xf.SetSheetRow(SheetSchools, fmt.Sprintf("A%d", i+2), &row); err != nil {
			return fmt.Errorf("frame workbook: %w", err)
		}
	}
	if _, err := xf.WriteTo(w); err != nil {
		return fmt.Errorf("frame workbook: write: %w", err)
	}
	return nil
}
