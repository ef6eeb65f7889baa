package render

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// internalKey matches a weighting-cell or stratum key such as parent|乡村|g1-2 or cppcc|.
var internalKey = regexp.MustCompile(`\b(student|parent|teacher|principal|deputy|cppcc|public|school)\|`)

// TestNoInternalKeysForReaders: the appendix and the workbook name weighting
// cells in Chinese, and the method section names no floor of 0.
func TestNoInternalKeysForReaders(t *testing.T) {
	in := fixture(t)
	page := string(htmlOf(t, in))
	if k := internalKey.FindString(page); k != "" {
		t.Errorf("HTML shows the internal key %q", k)
	}
	if !strings.Contains(page, "家长 · 城区 · ") {
		t.Error("HTML appendix lacks the Chinese cell names")
	}
	if strings.Contains(page, "下限 0") || strings.Contains(page, "（下限") && in.Plan.Floor == 0 {
		t.Error("the method section names a sample-size floor the plan does not have")
	}
	f, err := excelize.OpenReader(bytes.NewReader(xlsxOf(t, in)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if k := internalKey.FindString(strings.Join(r, "\t")); k != "" {
				t.Errorf("sheet %s row %d shows the internal key %q", sheet, i+1, k)
			}
		}
	}
	if text := pdfText(t, pdfOf(t, in)); internalKey.MatchString(text) {
		t.Errorf("PDF shows the internal key %q", internalKey.FindString(text))
	}
}

// TestCityRowSaysEachThingOnce: the city workbook's notes join sentences
// without "。；", and a suspicious school is named in its column only.
func TestCityRowSaysEachThingOnce(t *testing.T) {
	rows := cityRows(t)
	if len(rows[0].Suspects) == 0 {
		t.Fatal("the fixture has no suspicious school")
	}
	for _, w := range rows[0].Warnings {
		if strings.Contains(w, "作答模式可疑") {
			t.Errorf("the city row repeats the suspicious schools in its notes: %q", w)
		}
	}
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
	for i, r := range got {
		if line := strings.Join(r, "|"); strings.Contains(line, "。；") {
			t.Errorf("row %d joins with 。；: %s", i+1, line)
		}
	}
}
