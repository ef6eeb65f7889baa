package sampling

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestTemplateHasSheetsHeadersAndDropdowns(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	xf, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer xf.Close()
	if got := xf.GetSheetList(); !reflect.DeepEqual(got, []string{SheetHelp, SheetCounty, SheetSchools}) {
		t.Fatalf("sheets %v", got)
	}
	for sheet, want := range map[string][]string{SheetCounty: CountyColumns, SheetSchools: SchoolColumns} {
		rows, _ := xf.GetRows(sheet)
		if len(rows) != 1 || !reflect.DeepEqual(rows[0], want) {
			t.Errorf("%s header %v, want %v", sheet, rows, want)
		}
	}
	dvs, err := xf.GetDataValidations(SheetSchools)
	if err != nil {
		t.Fatal(err)
	}
	var lists []string
	for _, dv := range dvs {
		if dv.Type == "list" {
			lists = append(lists, dv.Sqref+"="+dv.Formula1)
		}
	}
	joined := strings.Join(lists, ";")
	if !strings.Contains(joined, "D2:D") || !strings.Contains(joined, "城区,镇区,乡村") ||
		!strings.Contains(joined, "E2:E") || !strings.Contains(joined, "小学,初中,九年一贯制,十二年一贯制") {
		t.Errorf("dropdowns %q", joined)
	}
	// The blank template is not a frame: it says what is missing.
	_, err = ReadFrameXLSX(bytes.NewReader(buf.Bytes()))
	var fe *FrameError
	if !errors.As(err, &fe) || !hasProblem(fe, SheetCounty, 2, "", "缺少数据") || !hasProblem(fe, SheetSchools, 0, "", "没有任何学校") {
		t.Fatalf("blank template: %v", err)
	}
}

func TestFrameXLSXRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 5 {
		f := randomFrame(r)
		got, err := ReadFrameXLSX(bytes.NewReader(xlsxBytes(t, f, nil)))
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, f) {
			t.Fatalf("frame %d changed in the round trip", i)
		}
	}
}

func hasProblem(fe *FrameError, sheet string, row int, col, msg string) bool {
	return slices.ContainsFunc(fe.Problems, func(p Problem) bool {
		return p.Sheet == sheet && p.Row == row && p.Column == col && strings.Contains(p.Message, msg)
	})
}

// firstOf is the spreadsheet row of the first school of type t.
func firstOf(f *Frame, t SchoolType) int {
	for i, s := range f.Schools {
		if s.Type == t {
			return i + 2
		}
	}
	return -1
}

func TestFrameErrorsNameSheetRowColumn(t *testing.T) {
	f := fixedFrame()
	prim, junior := firstOf(f, Primary), firstOf(f, Junior)
	if prim < 0 || junior < 0 {
		t.Fatal("fixed frame lacks a primary or a junior school")
	}
	set := func(sheet, cell string, v any) func(*excelize.File) {
		return func(xf *excelize.File) { _ = xf.SetCellValue(sheet, cell, v) }
	}
	cases := []struct {
		name       string
		edit       func(*excelize.File)
		sheet      string
		row        int
		col, msg   string
		frameLevel *Frame
	}{
		{"missing code", set(SheetSchools, "A3", ""), SheetSchools, 3, ColCode, "缺少学校代码", nil},
		{"negative count", set(SheetSchools, "O4", -3), SheetSchools, 4, ColTeachers, "不能为负数", nil},
		{"not a number", set(SheetSchools, "F2", "很多"), SheetSchools, 2, "一年级", "「很多」不是数字", nil},
		{"fraction", set(SheetSchools, "F2", 12.5), SheetSchools, 2, "一年级", "应为整数", nil},
		{"primary with grade 8", set(SheetSchools, fmt.Sprintf("M%d", prim), 12), SheetSchools, prim, "八年级", "小学不应有八年级学生", nil},
		{"junior with grade 2", set(SheetSchools, fmt.Sprintf("G%d", junior), 5), SheetSchools, junior, "二年级", "初中不应有二年级学生", nil},
		{"strata do not add up", set(SheetCounty, "C2", f.County.Urban+1), SheetCounty, 2, ColPopulation, "不相等", nil},
		{"duplicate code", set(SheetSchools, "A5", f.Schools[0].Code), SheetSchools, 5, ColCode, "与第 2 行重复", nil},
		{"formula as code", set(SheetSchools, "A4", `=HYPERLINK("http://x.example","y")`), SheetSchools, 4, ColCode, "10 位全国学校标识码", nil},
		{"code with a dash", set(SheetSchools, "A4", "-A1-A2"), SheetSchools, 4, ColCode, "不超过 20 位的字母和数字", nil},
		{"unknown urbanicity", set(SheetSchools, "D3", "郊区"), SheetSchools, 3, ColUrbanicity, "「郊区」不是有效的城乡类型", nil},
		{"unknown type", set(SheetSchools, "E3", "高中"), SheetSchools, 3, ColType, "「高中」不是有效的学校类型", nil},
		{"missing population", set(SheetCounty, "B2", ""), SheetCounty, 2, ColPopulation, "缺少常住人口", nil},
		{"missing column", set(SheetSchools, "O1", "老师数"), SheetSchools, 1, ColTeachers, "缺少列", nil},
		{"missing sheet", func(xf *excelize.File) { _ = xf.DeleteSheet(SheetCounty) }, SheetCounty, 0, "", "缺少工作表", nil},
		{"no pupils", func(xf *excelize.File) {
			for c := 'F'; c <= 'N'; c++ {
				_ = xf.SetCellValue(SheetSchools, fmt.Sprintf("%c6", c), 0)
			}
		}, SheetSchools, 6, "", "合计为 0", nil},
		{"empty school sheet", nil, SheetSchools, 0, "", "没有任何学校", &Frame{County: f.County}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := f
			if tc.frameLevel != nil {
				src = tc.frameLevel
			}
			got, err := ReadFrameXLSX(bytes.NewReader(xlsxBytes(t, src, tc.edit)))
			var fe *FrameError
			if !errors.As(err, &fe) {
				t.Fatalf("want a *FrameError, got %v", err)
			}
			if got != nil {
				t.Error("a frame with errors was returned")
			}
			if !hasProblem(fe, tc.sheet, tc.row, tc.col, tc.msg) {
				t.Fatalf("no problem at %s/%d/%s with %q in:\n%v", tc.sheet, tc.row, tc.col, tc.msg, err)
			}
			if len(fe.Problems) != 1 {
				t.Errorf("one fault should give one problem, got:\n%v", err)
			}
			want := fmt.Sprintf("工作表「%s」", tc.sheet)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err.Error(), want)
			}
		})
	}
}

func TestFrameErrorsAreAllCollectedAndCapped(t *testing.T) {
	f := fixedFrame()
	data := xlsxBytes(t, f, func(xf *excelize.File) {
		_ = xf.SetCellValue(SheetSchools, "A3", "")
		_ = xf.SetCellValue(SheetSchools, "O4", -1)
		_ = xf.SetCellValue(SheetSchools, "P7", "x")
		_ = xf.SetCellValue(SheetCounty, "F2", -5)
	})
	_, err := ReadFrameXLSX(bytes.NewReader(data))
	var fe *FrameError
	if !errors.As(err, &fe) || len(fe.Problems) != 4 || fe.Truncated {
		t.Fatalf("want 4 problems, got %v", err)
	}
	big := &Frame{County: f.County}
	for i := range MaxProblems + 50 {
		s := f.Schools[0]
		s.Code, s.Teachers = fmt.Sprint("C", i), -1
		big.Schools = append(big.Schools, s)
	}
	_, err = ReadFrameXLSX(bytes.NewReader(xlsxBytes(t, big, nil)))
	if !errors.As(err, &fe) || len(fe.Problems) != MaxProblems || !fe.Truncated {
		t.Fatalf("want %d problems and truncation, got %d", MaxProblems, len(fe.Problems))
	}
}

func TestSchoolInEmptyStratum(t *testing.T) {
	f := fixedFrame()
	s := f.Schools[0]
	f.County.Population -= f.County.PopulationIn(s.Urbanicity)
	for i := range f.Schools {
		f.Schools[i].Urbanicity = s.Urbanicity
	}
	switch s.Urbanicity {
	case "城区":
		f.County.Urban = 0
	case "镇区":
		f.County.Town = 0
	default:
		f.County.Rural = 0
	}
	err := f.Validate()
	var fe *FrameError
	if !errors.As(err, &fe) || !hasProblem(fe, SheetCounty, 0, stratumColumn[s.Urbanicity], "为 0，但学校表中有") {
		t.Fatalf("got %v", err)
	}
}

func TestFrameJSON(t *testing.T) {
	f := fixedFrame()
	data, err := f.JSON()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseFrameJSON(data)
	if err != nil || !reflect.DeepEqual(got, f) {
		t.Fatalf("round trip: %v", err)
	}
	bad := strings.Replace(string(data), `"teachers": `+fmt.Sprint(f.Schools[1].Teachers), `"teachers": "许多"`, 1)
	bad = strings.Replace(bad, `"code": "`+f.Schools[2].Code+`"`, `"code": "`+f.Schools[0].Code+`"`, 1)
	_, err = ParseFrameJSON([]byte(bad))
	var fe *FrameError
	if !errors.As(err, &fe) {
		t.Fatalf("want FrameError, got %v", err)
	}
	if !hasProblem(fe, SheetSchools, 2, ColTeachers, "不是数字") || !hasProblem(fe, SheetSchools, 3, ColCode, "与第 1 项重复") {
		t.Fatalf("problems: %v", err)
	}
	if !strings.Contains(err.Error(), "JSON「学校」第 2 项「教师数」列") {
		t.Errorf("message: %v", err)
	}
	for _, doc := range []string{`{"county":`, `{"county":{}, "schools":[], "extra":1}`} {
		if _, err := ParseFrameJSON([]byte(doc)); !errors.As(err, &fe) || !strings.Contains(err.Error(), "JSON 格式错误") {
			t.Errorf("%s: %v", doc, err)
		}
	}
	_, err = ParseFrameJSON([]byte(`{"schools":[{"code":1,"name":"a","township":"t","urbanicity":"城区","type":"小学","enrolment":[1,2],"teachers":1,"principals":1}]}`))
	if !errors.As(err, &fe) || !hasProblem(fe, SheetCounty, 0, "", "缺少 \"county\"") || !hasProblem(fe, SheetSchools, 1, "", "应为 9 个数") {
		t.Fatalf("got %v", err)
	}
}
