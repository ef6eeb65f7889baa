package sampling

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"renke/survey"
)

// ReadFrameFile reads and checks the frame workbook at path.
func ReadFrameFile(path string) (*Frame, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open frame: %w", err)
	}
	defer fh.Close()
	return ReadFrameXLSX(fh)
}

// ReadFrameXLSX reads a frame workbook (sheets 概况 and 学校) and runs every
// check. It returns either a complete frame or a *FrameError listing every
// problem (up to MaxProblems) by sheet, row and column; never half a frame.
func ReadFrameXLSX(r io.Reader) (*Frame, error) {
	return ReadFrameXLSXContext(context.Background(), r)
}

// ReadFrameXLSXContext is ReadFrameXLSX that gives up when ctx ends (the
// client left). At most maxParses workbooks are read at once; the others
// wait. A workbook past a bound (MaxFrameFile, the unzipped sizes,
// MaxSharedStrings, MaxFrameRows, MaxFrameCols) is refused at the first
// bound reached: an error wrapping ErrTooLarge, or a *FrameError naming
// the sheet and row.
func ReadFrameXLSXContext(ctx context.Context, r io.Reader) (*Frame, error) {
	release, err := acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("读取抽样框时请求已结束: %w", err)
	}
	data, err := readBounded(r)
	if err != nil {
		return nil, err
	}
	if err := checkParts(data); err != nil {
		return nil, err
	}
	xf, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzip, UnzipXMLSizeLimit: inMemoryXML})
	if err != nil {
		return nil, fmt.Errorf("无法读取 Excel 文件（请使用 .xlsx 格式）: %w", err)
	}
	defer xf.Close()
	p := newProblems(false)
	f := &Frame{}
	countyRow, err := readCountySheet(ctx, xf, &f.County, p)
	if err != nil {
		return nil, stopped(err, p)
	}
	rows, schoolsRead, err := readSchoolSheet(ctx, xf, &f.Schools, p)
	if err != nil {
		return nil, stopped(err, p)
	}
	validateFrame(f, countyRow, rows, schoolsRead, p)
	if err := p.err(); err != nil {
		return nil, err
	}
	return f, nil
}

// stopped is the error of a read that stopped early: the problems found so
// far (the bound among them) when a bound was reached, err otherwise.
func stopped(err error, p *problems) error {
	if errors.Is(err, errBound) {
		return p.err()
	}
	return err
}

// sheet reads one sheet's rows and maps its header row to column indexes.
// ok is false (and a problem recorded) when the sheet or a header is missing;
// err is set when reading stopped (a bound, the context, a broken file).
func sheet(ctx context.Context, xf *excelize.File, name string, cols []string, p *problems) (rows [][]string, idx map[string]int, ok bool, err error) {
	found := false
	for _, s := range xf.GetSheetList() {
		found = found || s == name
	}
	if !found {
		p.add(name, 0, "", "缺少工作表「%s」（请使用 renke frame template 生成的模板）", name)
		return nil, nil, false, nil
	}
	rows, err = sheetRows(ctx, xf, name, p)
	if errors.Is(err, errBound) || ctx.Err() != nil {
		return nil, nil, false, err
	}
	if err != nil {
		p.add(name, 0, "", "%v", err)
		return nil, nil, false, nil
	}
	if len(rows) == 0 || blank(rows[0]) {
		p.add(name, 0, "", "工作表为空：第 1 行应为表头（%s）", strings.Join(cols, "、"))
		return nil, nil, false, nil
	}
	idx = map[string]int{}
	ok = true
	for i, h := range rows[0] {
		h = cleanCell(h)
		if _, dup := idx[h]; dup && h != "" {
			p.add(name, 1, h, "表头「%s」出现了两次", h)
			ok = false
		}
		idx[h] = i
	}
	for _, c := range cols {
		if _, has := idx[c]; !has {
			p.add(name, 1, c, "缺少列「%s」", c)
			ok = false
		}
	}
	return rows, idx, ok, nil
}

// readCountySheet fills c from 概况 and returns the row of its values, or -1
// when the sheet could not be read.
func readCountySheet(ctx context.Context, xf *excelize.File, c *County, p *problems) (int, error) {
	rows, idx, ok, err := sheet(ctx, xf, SheetCounty, CountyColumns, p)
	if !ok {
		return -1, err
	}
	row := -1
	for i := 1; i < len(rows); i++ {
		if blank(rows[i]) {
			continue
		}
		if row > 0 {
			p.add(SheetCounty, i+1, "", "概况表只应有一行数据（已在第 %d 行填写），请删去此行", row)
			continue
		}
		row = i + 1
		rd := cells{rows[i], idx, SheetCounty, row, p}
		*c = County{Name: rd.str(ColCountyName), Population: rd.count(ColPopulation, true),
			Urban: rd.count(ColUrban, true), Town: rd.count(ColTown, true), Rural: rd.count(ColRural, true),
			Deputies: rd.count(ColDeputies, true), CPPCC: rd.count(ColCPPCC, true)}
	}
	if row < 0 {
		p.add(SheetCounty, 2, "", "缺少数据：请在第 2 行填写本区县的人口和代表、委员人数")
	}
	return row, nil
}

// readSchoolSheet fills schools from 学校; rows[i] is the row of school i.
func readSchoolSheet(ctx context.Context, xf *excelize.File, schools *[]School, p *problems) (rowsOf []int, ok bool, err error) {
	rows, idx, ok, err := sheet(ctx, xf, SheetSchools, SchoolColumns, p)
	if !ok {
		return nil, false, err
	}
	for i := 1; i < len(rows); i++ {
		if blank(rows[i]) {
			continue
		}
		rd := cells{rows[i], idx, SheetSchools, i + 1, p}
		s := School{Code: rd.str(ColCode), Name: rd.str(ColName), Township: rd.str(ColTownship),
			Urbanicity: survey.Urbanicity(rd.str(ColUrbanicity)), Type: SchoolType(rd.str(ColType)),
			Teachers: rd.count(ColTeachers, true), Principals: rd.count(ColPrincipals, true)}
		for g, col := range GradeColumns {
			s.Enrolment[g] = rd.count(col, false)
		}
		*schools = append(*schools, s)
		rowsOf = append(rowsOf, i+1)
	}
	return rowsOf, true, nil
}

// cells reads the cells of one data row by column header.
type cells struct {
	vals  []string
	idx   map[string]int
	sheet string
	row   int
	p     *problems
}

// str is the trimmed text of column col.
func (c cells) str(col string) string {
	i, ok := c.idx[col]
	if !ok || i >= len(c.vals) {
		return ""
	}
	return cleanCell(c.vals[i])
}

// count reads a non-negative-or-not integer; an empty cell is 0 unless required.
func (c cells) count(col string, required bool) int {
	s := c.str(col)
	if s == "" {
		if required {
			c.p.add(c.sheet, c.row, col, "缺少%s", col)
			c.p.unreadable(c.sheet, c.row, col)
		}
		return 0
	}
	v, msg := parseCount(s)
	if msg != "" {
		c.p.add(c.sheet, c.row, col, "%s", msg)
		c.p.unreadable(c.sheet, c.row, col)
	}
	return v
}

// parseCount parses a whole number as people type it in a spreadsheet
// ("1,234", "1234.0"); msg says in Chinese what is wrong otherwise.
func parseCount(s string) (v int, msg string) {
	t := strings.NewReplacer(",", "", "，", "", " ", "").Replace(s)
	f, err := strconv.ParseFloat(t, 64)
	switch {
	case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
		return 0, fmt.Sprintf("「%s」不是数字", s)
	case math.Abs(f) > 1e10:
		return 0, fmt.Sprintf("「%s」数值过大", s)
	case f != math.Trunc(f):
		return 0, fmt.Sprintf("应为整数（填了 %s）", s)
	}
	return int(f), ""
}

// cleanCell trims ordinary and full-width spaces and line breaks.
func cleanCell(s string) string {
	return strings.Trim(s, " \t\r\n\u3000\u00a0")
}

// blank reports whether a row has no text at all.
func blank(row []string) bool {
	for _, c := range row {
		if cleanCell(c) != "" {
			return false
		}
	}
	return true
}
