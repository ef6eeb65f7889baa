package sampling

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestPlanWorkbook(t *testing.T) {
	p, err := MakePlan(fixedFrame(), Options{Seed: seed(1234567890123)})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	xf, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer xf.Close()
	rows, _ := xf.GetRows(planSchools)
	if len(rows) != len(p.Schools)+1 {
		t.Fatalf("%d school rows for %d schools", len(rows)-1, len(p.Schools))
	}
	for i, s := range p.Schools {
		row := rows[i+1]
		total, _ := strconv.Atoi(row[len(row)-1])
		if row[0] != s.SchoolCode || total != s.Total {
			t.Fatalf("row %d: %v, school %s total %d", i+2, row, s.SchoolCode, s.Total)
		}
	}
	summary, _ := xf.GetRows(planSummary)
	found := false
	for _, r := range summary {
		found = found || len(r) == 2 && r[0] == "随机种子" && r[1] == fmt.Sprint(p.Seed)
	}
	if !found {
		t.Error("the summary does not record the seed exactly")
	}
	cells, _ := xf.GetRows(planCells)
	if len(cells) != len(p.Cells)+1 {
		t.Errorf("%d cell rows for %d cells", len(cells)-1, len(p.Cells))
	}
}

// TestWorkbooksStoreFormulaTextAsText: a school name or township that looks
// like a formula is stored as text in the frame and plan workbooks (no
// formula cell), and reads back as typed.
func TestWorkbooksStoreFormulaTextAsText(t *testing.T) {
	f := fixedFrame()
	const name, town = `=HYPERLINK("http://x.example","点此")`, "+cmd|x!A0"
	for i := range f.Schools {
		f.Schools[i].Name, f.Schools[i].Township = name, town
	}
	p, err := MakePlan(f, Options{Seed: seed(7)})
	if err != nil {
		t.Fatal(err)
	}
	var frameBuf, planBuf bytes.Buffer
	if err := f.WriteXLSX(&frameBuf); err != nil {
		t.Fatal(err)
	}
	if err := p.WriteXLSX(&planBuf); err != nil {
		t.Fatal(err)
	}
	for _, wb := range []struct {
		name string
		buf  *bytes.Buffer
	}{{"frame", &frameBuf}, {"plan", &planBuf}} {
		xf, err := excelize.OpenReader(wb.buf)
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, sh := range xf.GetSheetList() {
			rows, _ := xf.GetRows(sh)
			for r, row := range rows {
				for c, v := range row {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
					if fm, _ := xf.GetCellFormula(sh, cell); fm != "" {
						t.Errorf("%s %s!%s holds the formula %q", wb.name, sh, cell, fm)
					}
					if v == name || v == town {
						seen++
						if typ, _ := xf.GetCellType(sh, cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
							t.Errorf("%s %s!%s: %q stored as cell type %v, want text", wb.name, sh, cell, v, typ)
						}
					}
				}
			}
		}
		if seen == 0 {
			t.Errorf("%s workbook shows neither name nor township", wb.name)
		}
		_ = xf.Close()
	}
}
