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
