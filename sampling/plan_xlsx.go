package sampling

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"renke/survey"
)

// Sheet names of a plan workbook.
const (
	planSummary = "概要"
	planCells   = "配额"
	planSchools = "抽中学校"
	planCounty  = "县级配额"
)

// WriteXLSX writes the plan as a workbook: 概要 (sizes, seed, precision),
// 配额 (group × urbanicity × band with frame populations), 抽中学校 (each drawn
// school's quotas and inclusion probability) and 县级配额.
func (p *Plan) WriteXLSX(w io.Writer) error {
	xf := excelize.NewFile()
	defer xf.Close()
	if err := p.buildXLSX(xf); err != nil {
		return fmt.Errorf("plan workbook: %w", err)
	}
	if _, err := xf.WriteTo(w); err != nil {
		return fmt.Errorf("plan workbook: write: %w", err)
	}
	return nil
}

// cellLabel is a band's or the whole group's Chinese name.
func cellLabel(g survey.Group, b survey.Band) string {
	if b == "" {
		return g.Label()
	}
	return g.Label() + " " + b.Label()
}

func (p *Plan) buildXLSX(xf *excelize.File) error {
	if err := xf.SetSheetName("Sheet1", planSummary); err != nil {
		return err
	}
	summary := [][]any{
		{"区县", p.County}, {"常住人口", p.Population}, {"抽样比例", p.Rate}, {"样本量下限", p.Floor},
		{"随机种子", fmt.Sprint(p.Seed)}, {"样本量", p.Total}, {"每校目标人数", p.TakePerSchool},
	}
	for _, g := range survey.Groups {
		summary = append(summary, []any{g.Label(), p.ByGroup[g]})
	}
	for _, u := range survey.Urbanicities {
		summary = append(summary, []any{string(u), p.ByUrbanicity[u]})
	}
	summary = append(summary, []any{"全县（人大代表、政协委员）", p.CountyWide},
		[]any{"假定认可度", p.AssumedRate}, []any{"假定校内相关系数", p.AssumedICC},
		[]any{"设计效应", p.DesignEffect}, []any{"自由度", p.DF},
		[]any{"预计标准误", p.ExpectedSE}, []any{"达到85%的概率", p.ExpectedPassProbability})
	for _, n := range p.Notes {
		summary = append(summary, []any{"说明", n})
	}
	if err := writeRows(xf, planSummary, nil, summary); err != nil {
		return err
	}
	var cells [][]any
	for _, c := range p.Cells {
		cells = append(cells, []any{c.Group.Label(), string(c.Urbanicity), c.Band.Label(), c.Quota.Quota, c.Population})
	}
	if err := writeRows(xf, planCells, []string{"对象", "城乡类型", "学段", "配额", "抽样框人数"}, cells); err != nil {
		return err
	}
	head := []string{"学校代码", "学校名称", "乡镇街道", "城乡类型", "学校类型", "在校生", "入样概率", "必选"}
	vc := viaSchool()
	for _, c := range vc {
		head = append(head, cellLabel(c.g, c.b))
	}
	head = append(head, "合计")
	var rows [][]any
	for _, s := range p.Schools {
		certain := ""
		if s.Certainty {
			certain = "是"
		}
		row := []any{s.SchoolCode, s.Name, s.Township, string(s.Urbanicity), string(s.Type), s.Pupils, s.InclusionProbability, certain}
		for _, c := range vc {
			n := 0
			for _, q := range s.Quotas {
				if q.Group == c.g && q.Band == c.b {
					n = q.Quota
				}
			}
			row = append(row, n)
		}
		rows = append(rows, append(row, s.Total))
	}
	if err := writeRows(xf, planSchools, head, rows); err != nil {
		return err
	}
	var county [][]any
	for _, q := range p.CountyQuotas {
		u := string(q.Urbanicity)
		if u == "" {
			u = "全县"
		}
		county = append(county, []any{q.Group.Label(), u, q.Quota})
	}
	return writeRows(xf, planCounty, []string{"对象", "城乡类型", "配额"}, county)
}

// writeRows creates sheet (unless it exists) and writes an optional header and rows.
func writeRows(xf *excelize.File, sheet string, head []string, rows [][]any) error {
	if idx, _ := xf.GetSheetIndex(sheet); idx < 0 {
		if _, err := xf.NewSheet(sheet); err != nil {
			return err
		}
	}
	r := 1
	if head != nil {
		if err := xf.SetSheetRow(sheet, "A1", &head); err != nil {
			return err
		}
		r = 2
	}
	for i := range rows {
		if err := xf.SetSheetRow(sheet, fmt.Sprintf("A%d", r+i), &rows[i]); err != nil {
			return err
		}
	}
	return xf.SetColWidth(sheet, "A", "B", 18)
}
