package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func cityRows(t *testing.T) []CityRow {
	t.Helper()
	full, err := NewCityRow(fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	empty, err := NewCityRow(emptyFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	// A second county, weaker: the same data under a lower rate.
	weak := full
	o := *full.Overall
	o.Rate, o.CILow, o.CIHigh, o.Verdict, o.Passed = 0.8, 0.75, 0.85, "未达标", false
	weak.County, weak.SurveyID, weak.Overall = "柳林县", "s-weak", &o
	broken := CityRow{County: "石门县", SurveyID: "s-broken", Problem: "读取调查失败：连接中断"}
	return []CityRow{full, empty, broken, weak}
}

func TestCityXLSX(t *testing.T) {
	rows := cityRows(t)
	var buf bytes.Buffer
	if err := CityXLSX(&buf, rows, generated, "v-test"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows("各区县")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("%d rows, want a head and 4", len(got))
	}
	// Weakest first; surveys without an estimate last, by county name.
	order := []string{got[1][0], got[2][0], got[3][0], got[4][0]}
	if strings.Join(order, ",") != "柳林县,清河县,石门县,空白县" {
		t.Errorf("order %v", order)
	}
	if rate := rawFloat(t, f, "各区县", "F3"); !same(rate, rows[0].Overall.Rate) {
		t.Errorf("清河县 rate %v, want %v", rate, rows[0].Overall.Rate)
	}
	if numFmt(t, f, "各区县", "F3") != "0.0%" {
		t.Error("rates not formatted as percentages")
	}
	if v := rawCell(t, f, "各区县", "F4"); v != "" {
		t.Errorf("a survey without estimate has rate %q", v)
	}
	for row, want := range map[int]string{3: rows[0].Suspects[0], 4: "连接中断", 5: "没有有效应答"} {
		line := strings.Join(got[row-1], "|")
		if !strings.Contains(line, want) {
			t.Errorf("row %d lacks %q: %s", row, want, line)
		}
	}
}

func TestCityHTML(t *testing.T) {
	var buf bytes.Buffer
	if err := CityHTML(&buf, cityRows(t), generated, "v-test"); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	if n := strings.Count(s, "<svg"); n != 1 {
		t.Errorf("%d charts, want 1", n)
	}
	for _, want := range []string{"柳林县", "清河县", "空白县", "石门县", "达标 1 项", "共 4 项调查"} {
		if !strings.Contains(s, want) {
			t.Errorf("city page lacks %q", want)
		}
	}
	body := s[strings.Index(s, "<tbody>"):]
	if strings.Index(body, "柳林县") > strings.Index(body, "清河县") {
		t.Error("the weaker county is not listed first")
	}
}
