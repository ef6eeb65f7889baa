package report

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"renke/internal/csvsafe"
	"renke/survey"
)

// ReplicationColumns are the leading columns of the replication file; one
// column per item id (the raw answer code) follows them.
var ReplicationColumns = []string{"response_id", "group", "stratum", "psu", "weight", "y", "excluded", "flags"}

const bom = "\ufeff"

func isFixedColumn(name string) bool {
	for _, c := range ReplicationColumns {
		if c == name {
			return true
		}
	}
	return false
}

// ReplicationRow is one response in the replication file: its design labels,
// its weight, y (HasY false: no scored answer, written empty), whether it is
// excluded, the quality flags and the raw answers by item id.
type ReplicationRow struct {
	ResponseID string
	Group      survey.Group
	Stratum    string
	PSU        string
	Weight     float64
	Y          float64
	HasY       bool
	Excluded   bool
	Flags      []string
	Answers    map[string]string
}

// Unit is the row as the estimator takes it, with its weight precomputed
// (use Config.PrecomputedWeights). The group is the weighting cell.
func (r *ReplicationRow) Unit() Unit {
	return Unit{ID: r.ResponseID, Group: r.Group, Cell: string(r.Group), Stratum: r.Stratum, PSU: r.PSU, LabelPSU: true,
		Weight: r.Weight, Y: r.Y, HasY: r.HasY, Excluded: r.Excluded}
}

// ReplicationWriter writes the replication file: UTF-8 with a byte-order
// mark (so Excel reads it as UTF-8), a header, one row per response.
type ReplicationWriter struct {
	w     *csvsafe.Writer
	items []string
	rec   []string
}

// NewReplicationWriter writes the BOM and the header with the given item ids.
func NewReplicationWriter(w io.Writer, items []string) (*ReplicationWriter, error) {
	seen := map[string]bool{}
	for _, c := range ReplicationColumns {
		seen[c] = true
	}
	for _, it := range items {
		if seen[it] || seen[strings.ToLower(it)] && isFixedColumn(strings.ToLower(it)) {
			return nil, fmt.Errorf("replication file: item id %q repeats or collides with a column", it)
		}
		seen[it] = true
	}
	if _, err := io.WriteString(w, bom); err != nil {
		return nil, fmt.Errorf("replication file: %w", err)
	}
	rw := &ReplicationWriter{w: csvsafe.NewWriter(w), items: items}
	rw.w.UseCRLF = true
	if err := rw.w.Write(append(append([]string{}, ReplicationColumns...), items...)); err != nil {
		return nil, fmt.Errorf("replication file header: %w", err)
	}
	return rw, nil
}

// formatFloat writes the shortest decimal that reads back to the same float.
func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// Write writes one row.
func (rw *ReplicationWriter) Write(r ReplicationRow) error {
	rec := rw.rec[:0]
	y := ""
	if r.HasY {
		y = formatFloat(r.Y)
	}
	rec = append(rec, r.ResponseID, string(r.Group), r.Stratum, r.PSU, formatFloat(r.Weight), y,
		strconv.FormatBool(r.Excluded), strings.Join(r.Flags, ";"))
	for _, it := range rw.items {
		rec = append(rec, r.Answers[it])
	}
	rw.rec = rec
	if err := rw.w.Write(rec); err != nil {
		return fmt.Errorf("replication file, response %s: %w", r.ResponseID, err)
	}
	return nil
}

// Flush writes out buffered rows and reports any write error.
func (rw *ReplicationWriter) Flush() error {
	rw.w.Flush()
	if err := rw.w.Error(); err != nil {
		return fmt.Errorf("replication file: %w", err)
	}
	return nil
}

// CSVError locates a problem in a replication file.
type CSVError struct {
	Line   int
	Column int    // 1-based; 0 when the whole line is at fault
	Name   string // column name, when known
	Msg    string
}

func (e *CSVError) Error() string {
	switch {
	case e.Column > 0 && e.Name != "":
		return fmt.Sprintf("第 %d 行第 %d 列（%s）：%s", e.Line, e.Column, e.Name, e.Msg)
	case e.Column > 0:
		return fmt.Sprintf("第 %d 行第 %d 列：%s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("第 %d 行：%s", e.Line, e.Msg)
}

// ReplicationReader reads a replication file row by row.
type ReplicationReader struct {
	r      *csv.Reader
	header []string
	items  []string
}

// NewReplicationReader reads and checks the header. A leading BOM is optional.
func NewReplicationReader(r io.Reader) (*ReplicationReader, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(len(bom)); err == nil && string(b) == bom {
		_, _ = br.Discard(len(bom))
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &CSVError{Line: 1, Msg: "文件为空，缺少表头"}
	}
	if err != nil {
		return nil, csvParseError(err)
	}
	header = append([]string(nil), header...)
	for i := range header {
		header[i] = csvsafe.Unescape(header[i])
	}
	for i, want := range ReplicationColumns {
		if i >= len(header) {
			return nil, &CSVError{Line: 1, Msg: fmt.Sprintf("表头缺少列 %s（前 %d 列应为 %s）", want,
				len(ReplicationColumns), strings.Join(ReplicationColumns, ", "))}
		}
		if got := strings.TrimSpace(header[i]); !strings.EqualFold(got, want) {
			return nil, &CSVError{Line: 1, Column: i + 1, Msg: fmt.Sprintf("表头应为 %s，实为“%s”", want, got)}
		}
	}
	// Fixed columns match in any case, so an item named like one (in any
	// case) would be ambiguous; item ids are compared exactly among themselves.
	seen := map[string]int{}
	for i, c := range ReplicationColumns {
		seen[c] = i
	}
	for i := len(ReplicationColumns); i < len(header); i++ {
		h := strings.TrimSpace(header[i])
		j, dup := seen[h]
		if !dup {
			j, dup = seen[strings.ToLower(h)]
			dup = dup && j < len(ReplicationColumns)
		}
		if dup {
			return nil, &CSVError{Line: 1, Column: i + 1, Msg: fmt.Sprintf("列名“%s”与第 %d 列重复", h, j+1)}
		}
		seen[h] = i
	}
	items := make([]string, 0, len(header)-len(ReplicationColumns))
	for _, h := range header[len(ReplicationColumns):] {
		items = append(items, strings.TrimSpace(h))
	}
	return &ReplicationReader{r: cr, header: header, items: items}, nil
}

// Items returns the item ids of the file's answer columns.
func (rr *ReplicationReader) Items() []string { return rr.items }

func csvParseError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			msg = "列数与表头不一致"
		} else if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
			msg = "引号使用有误：" + msg
		}
		return &CSVError{Line: pe.Line, Column: pe.Column, Msg: msg}
	}
	return fmt.Errorf("读取复现文件：%w", err)
}

// Read returns the next row, or io.EOF after the last.
func (rr *ReplicationReader) Read() (ReplicationRow, error) {
	rec, err := rr.r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return ReplicationRow{}, io.EOF
		}
		return ReplicationRow{}, csvParseError(err)
	}
	bad := func(col int, format string, a ...any) error {
		line, _ := rr.r.FieldPos(col)
		return &CSVError{Line: line, Column: col + 1, Name: ReplicationColumns[col], Msg: fmt.Sprintf(format, a...)}
	}
	for i := range rec {
		rec[i] = csvsafe.Unescape(rec[i])
	}
	row := ReplicationRow{ResponseID: strings.TrimSpace(rec[0]), Stratum: rec[2], PSU: rec[3]}
	if row.ResponseID == "" {
		return row, bad(0, "应答编号为空")
	}
	g, err := survey.ParseGroup(strings.TrimSpace(rec[1]))
	if err != nil {
		return row, bad(1, "调查对象组“%s”无效（应为 student、parent、teacher、principal、deputy、cppcc 或 public）", rec[1])
	}
	row.Group = g
	if row.PSU == "" {
		return row, bad(3, "PSU 为空")
	}
	w, err := strconv.ParseFloat(strings.TrimSpace(rec[4]), 64)
	if err != nil || !(w > 0) || math.IsInf(w, 0) {
		return row, bad(4, "权重“%s”应为正数", rec[4])
	}
	row.Weight = w
	if s := strings.TrimSpace(rec[5]); s != "" {
		y, err := strconv.ParseFloat(s, 64)
		if err != nil || !(y >= 0 && y <= 1) {
			return row, bad(5, "得分“%s”应为 0 到 1 之间的数（无计分答案时留空）", rec[5])
		}
		row.Y, row.HasY = y, true
	}
	switch strings.ToLower(strings.TrimSpace(rec[6])) {
	case "true", "1":
		row.Excluded = true
	case "false", "0":
	default:
		return row, bad(6, "“%s”应为 true/false 或 1/0", rec[6])
	}
	if f := strings.TrimSpace(rec[7]); f != "" {
		row.Flags = strings.Split(f, ";")
	}
	if len(rr.items) > 0 {
		row.Answers = make(map[string]string, len(rr.items))
		for i, it := range rr.items {
			if a := strings.TrimSpace(rec[len(ReplicationColumns)+i]); a != "" {
				row.Answers[it] = a
			}
		}
	}
	return row, nil
}
