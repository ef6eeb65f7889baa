package render

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"renke/report"
)

// Cell formats of the workbook.
const (
	fmtNone = iota
	fmtPct  // 0.0%
	fmtSE   // 0.0000
	fmtDec2 // 0.00
	fmtWrap // wrapped text
)

// xlsxBook writes sheets of header + rows; the first error sticks.
type xlsxBook struct {
	f      *excelize.File
	styles map[int]int
	head   int
	err    error
	first  bool
}

func newBook(v *view, generated time.Time) (*xlsxBook, error) {
	f := excelize.NewFile()
	b := &xlsxBook{f: f, styles: map[int]int{}, first: true}
	stamp := generated.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Title: v.County + "社会认可度调查报告", Creator: "renke " + v.Version,
		LastModifiedBy: "renke " + v.Version, Created: stamp, Modified: stamp, Language: "zh-CN"}); err != nil {
		return nil, fmt.Errorf("render: workbook properties: %w", err)
	}
	// In a fixed order: style ids end up in the file.
	for _, nf := range []struct {
		kind   int
		format string
	}{{fmtPct, "0.0%"}, {fmtSE, "0.0000"}, {fmtDec2, "0.00"}} {
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &nf.format})
		if err != nil {
			return nil, fmt.Errorf("render: workbook style: %w", err)
		}
		b.styles[nf.kind] = id
	}
	id, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, fmt.Errorf("render: workbook style: %w", err)
	}
	b.styles[fmtWrap] = id
	if b.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDF2F7"}}}); err != nil {
		return nil, fmt.Errorf("render: workbook style: %w", err)
	}
	return b, nil
}

// xcol is one column of a sheet: head, cell format and width in characters.
type xcol struct {
	head   string
	format int
	width  float64
}

// sheet adds a sheet with a bold, frozen head row. Cells are float64, int,
// string or nil (left empty).
func (b *xlsxBook) sheet(name string, cs []xcol, rows [][]any) {
	if b.err != nil {
		return
	}
	f := b.f
	if b.first {
		b.err = f.SetSheetName("Sheet1", name)
		b.first = false
	} else if _, err := f.NewSheet(name); err != nil {
		b.err = err
	}
	if b.err != nil {
		b.err = fmt.Errorf("render: sheet %s: %w", name, b.err)
		return
	}
	head := make([]any, len(cs))
	for i, c := range cs {
		head[i] = c.head
	}
	b.row(name, 1, head)
	for i, r := range rows {
		b.row(name, i+2, r)
	}
	last := len(rows) + 1
	for i, c := range cs {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if c.width > 0 {
			b.fail(f.SetColWidth(name, col, col, c.width))
		}
		if s, ok := b.styles[c.format]; ok && last > 1 {
			b.fail(f.SetCellStyle(name, col+"2", fmt.Sprintf("%s%d", col, last), s))
		}
	}
	endCol, _ := excelize.ColumnNumberToName(len(cs))
	b.fail(f.SetCellStyle(name, "A1", endCol+"1", b.head))
	b.fail(f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
}

// row writes cells into row n; nil cells stay empty. Floats are numbers with
// Excel's 15 significant digits.
func (b *xlsxBook) row(sheet string, n int, cells []any) {
	for i, c := range cells {
		if p, ok := c.(*float64); ok {
			if p == nil {
				continue
			}
			c = *p
		}
		if c == nil {
			continue
		}
		cell, err := excelize.CoordinatesToCellName(i+1, n)
		if err != nil {
			b.fail(err)
			return
		}
		if x, ok := c.(float64); ok {
			b.fail(b.f.SetCellFloat(sheet, cell, x, -1, 64))
		} else {
			b.fail(b.f.SetCellValue(sheet, cell, c))
		}
	}
}

func (b *xlsxBook) fail(err error) {
	if b.err == nil && err != nil {
		b.err = fmt.Errorf("render: workbook: %w", err)
	}
}

// rateCols are the columns of a breakdown sheet after the leading ones.
var rateCols = []xcol{{"认可度", fmtPct, 9}, {"标准误", fmtSE, 9}, {"95%下限", fmtPct, 9}, {"95%上限", fmtPct, 9},
	{"有效样本", fmtNone, 9}, {"估计总体", fmtDec2, 12}, {"设计效应", fmtDec2, 9}, {"有效样本量", fmtDec2, 10}, {"低于达标线", fmtNone, 10}}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// rateSheet writes rows with the leading columns lead(row) under heads.
func (b *xlsxBook) rateSheet(name string, heads []xcol, rows []rateRow, lead func(rateRow) []any) {
	out := make([][]any, 0, len(rows))
	for _, r := range rows {
		var se any = r.SE
		if r.NoDesign {
			se = "—"
		}
		cells := append(lead(r), r.Rate, se, r.CILow, r.CIHigh, r.N, r.Population, r.Deff, r.EffectiveN, yesNo(r.Below))
		out = append(out, cells)
	}
	b.sheet(name, append(append([]xcol{}, heads...), rateCols...), out)
}

// XLSX writes the report as an Excel workbook: a sheet per breakdown,
// rates as numbers formatted 0.0%, rows from the weakest up.
func XLSX(w io.Writer, in *report.Published) error {
	if err := checkInput(in); err != nil {
		return err
	}
	v := newView(in)
	b, err := newBook(v, in.Generated)
	if err != nil {
		return err
	}
	defer b.f.Close()
	xlsxSummary(b, v)
	xlsxSample(b, v)
	if v.HasData {
		xlsxRates(b, v)
	}
	xlsxQuality(b, v)
	xlsxStuffing(b, v)
	xlsxMethod(b, v)
	xlsxAudit(b, v)
	if b.err != nil {
		return b.err
	}
	b.f.SetActiveSheet(0)
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("render: write workbook: %w", err)
	}
	return nil
}
