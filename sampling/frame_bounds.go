package sampling

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Bounds of a frame workbook. A county has at most a few thousand schools, so
// a genuine frame stays far below each; a workbook past one is refused at the
// first bound reached, before it can take the server's memory or time
// (a "zip bomb" of a few hundred KB may expand to gigabytes of cells).
const (
	// MaxFrameFile bounds the workbook file itself (compressed).
	MaxFrameFile = 16 << 20
	// MaxFrameRows bounds the rows of a sheet, header included.
	MaxFrameRows = 10001
	// MaxFrameCols bounds the cells of a row.
	MaxFrameCols = 64
	// MaxFrameCells bounds the cells of a sheet (MaxFrameRows full rows of
	// the template's 16 columns).
	MaxFrameCells = MaxFrameRows * 16
	// MaxSharedStrings bounds the workbook's shared-string table.
	MaxSharedStrings = 100000
	// maxUnzip bounds all parts of the workbook together, unzipped.
	maxUnzip = 48 << 20
	// maxSheetXML bounds one worksheet part, unzipped.
	maxSheetXML = 32 << 20
	// maxPartXML bounds any other part (shared strings, styles, ...), unzipped.
	maxPartXML = 8 << 20
	// inMemoryXML is the largest worksheet excelize keeps in memory; a larger
	// one is unpacked to a temporary file and its rows read from there.
	inMemoryXML = 4 << 20
	// ctxEvery is how many rows are read between checks of the context.
	ctxEvery = 256
)

// maxParses caps the frame workbooks read at once; a further upload waits
// for a slot (or for its client to leave).
const maxParses = 2

var parseSlots = make(chan struct{}, maxParses)

// ErrTooLarge is wrapped by the error of a workbook past a size bound.
var ErrTooLarge = errors.New("frame workbook too large")

// tooLargeError is a refusal of the workbook as a whole; its text is the
// Chinese message alone, and it matches ErrTooLarge.
type tooLargeError struct{ msg string }

func (e *tooLargeError) Error() string        { return e.msg }
func (e *tooLargeError) Is(target error) bool { return target == ErrTooLarge }

// tooLarge is a refusal of the workbook as a whole, in Chinese.
func tooLarge(format string, a ...any) error {
	return &tooLargeError{msg: fmt.Sprintf(format, a...)}
}

// acquire takes a parse slot, or returns when ctx ends first.
func acquire(ctx context.Context) (release func(), err error) {
	select {
	case parseSlots <- struct{}{}:
		return func() { <-parseSlots }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("等待读取抽样框时请求已结束: %w", ctx.Err())
	}
}

// readBounded reads the whole workbook file, refusing one past MaxFrameFile.
func readBounded(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFrameFile+1))
	if err != nil {
		return nil, fmt.Errorf("读取抽样框文件: %w", err)
	}
	if len(data) > MaxFrameFile {
		return nil, tooLarge("抽样框文件超过 %d MB，请只保留模板中的「概况」和「学校」两张表", MaxFrameFile>>20)
	}
	return data, nil
}

// checkParts looks at the workbook's parts before anything is unpacked: the
// unzipped sizes (Go's zip reader refuses a part longer than it declares)
// and the number of shared strings.
func checkParts(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("无法读取 Excel 文件（请使用 .xlsx 格式）: %w", err)
	}
	var total uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		total += size
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		limit := uint64(maxPartXML)
		if strings.HasPrefix(name, "xl/worksheets/") {
			limit = maxSheetXML
		}
		switch {
		case total > maxUnzip:
			return tooLarge("Excel 文件解压后超过 %d MB，远超一个区县抽样框的大小；请使用 renke 的模板，只填写本区县的学校", maxUnzip>>20)
		case size > limit:
			return tooLarge("Excel 文件中的「%s」解压后超过 %d MB，远超一个区县抽样框的大小；请使用 renke 的模板，只填写本区县的学校", f.Name, limit>>20)
		}
		if name == "xl/sharedstrings.xml" {
			if err := countSharedStrings(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// countSharedStrings streams the shared-string table and stops past
// MaxSharedStrings entries.
func countSharedStrings(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("无法读取 Excel 文件（请使用 .xlsx 格式）: %w", err)
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	n := 0
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("无法读取 Excel 文件的共享字符串表: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "si" {
			if n++; n > MaxSharedStrings {
				return tooLarge("Excel 文件中的不同文字超过 %d 条，远超一个区县抽样框的大小；请使用 renke 的模板，只填写本区县的学校", MaxSharedStrings)
			}
		}
	}
}

// errBound stops reading a sheet at a row or column bound; the problem is recorded.
var errBound = errors.New("frame sheet past a bound")

// sheetRows streams the rows of sheet name (as GetRows would return them,
// raw cell values, trailing empty rows dropped), stopping at MaxFrameRows,
// at a row of more than MaxFrameCols cells with text, past MaxFrameCells
// cells, or when ctx ends.
func sheetRows(ctx context.Context, xf *excelize.File, name string, p *problems) ([][]string, error) {
	it, err := xf.Rows(name)
	if err != nil {
		return nil, fmt.Errorf("无法读取工作表: %w", err)
	}
	defer it.Close()
	var rows [][]string
	last, cells := 0, 0
	for n := 1; it.Next(); n++ {
		if (n-1)%ctxEvery == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("读取抽样框时请求已结束: %w", ctx.Err())
		}
		if n > MaxFrameRows {
			p.add(name, n, "", "工作表超过 %d 行：一个区县的学校不会这么多。请删去第 %d 行及以后的内容（包括空白但有格式的行）后重新上传",
				MaxFrameRows, MaxFrameRows+1)
			return nil, errBound
		}
		row, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("无法读取工作表第 %d 行: %w", n, err)
		}
		if len(row) > MaxFrameCols {
			if !blank(row[MaxFrameCols:]) {
				p.add(name, n, "", "这一行超过 %d 列：模板只有 %d 列，请删去多余列中的内容后重新上传", MaxFrameCols, len(SchoolColumns))
				return nil, errBound
			}
			row = row[:MaxFrameCols:MaxFrameCols]
		}
		if cells += len(row); cells > MaxFrameCells {
			p.add(name, n, "", "工作表超过 %d 个单元格：一个区县的抽样框不会这么大。请只保留模板的 %d 列，删去多余的行和列后重新上传",
				MaxFrameCells, len(SchoolColumns))
			return nil, errBound
		}
		rows = append(rows, row)
		if len(row) > 0 {
			last = n
		}
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("无法读取工作表: %w", err)
	}
	return rows[:last], nil
}
