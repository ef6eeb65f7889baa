package render

// column is one table column: its head, relative width and alignment.
type column struct {
	head  string
	width float64
	right bool
}

// cols builds columns from heads and relative widths; the numeric columns
// (all but the first `left`) align right.
func cols(left int, heads []string, widths ...float64) []column {
	out := make([]column, len(heads))
	for i, h := range heads {
		out[i] = column{head: h, width: widths[i], right: i >= left}
	}
	return out
}

// pdfTable is a table; rows marked in red are those below the bar.
type pdfTable struct {
	cols []column
	rows [][]string
	red  []bool
}

func (t *pdfTable) add(red bool, cells ...string) {
	t.rows = append(t.rows, cells)
	t.red = append(t.red, red)
}

const (
	tableSize = 8.5 // points
	cellPad   = 1.2 // mm
)

// table draws t across the text block, repeating the head on a new page.
func (d *pdfDoc) table(t pdfTable) {
	if len(t.rows) == 0 {
		return
	}
	total := 0.0
	for _, c := range t.cols {
		total += c.width
	}
	widths := make([]float64, len(t.cols))
	for i, c := range t.cols {
		widths[i] = c.width / total * textW
	}
	heads := make([]string, len(t.cols))
	for i, c := range t.cols {
		heads[i] = c.head
	}
	d.style(tableSize, true, black)
	d.room(3 * d.lineH())
	d.tableRow(t.cols, widths, heads, true)
	for i, row := range t.rows {
		rgb := black
		if t.red[i] {
			rgb = red
		}
		d.style(tableSize, false, rgb)
		lines := d.cellLines(widths, row)
		h := float64(maxLines(lines))*d.lineH() + 2*cellPad
		if d.y+h > pageH-marginBottom {
			d.newPage()
			d.style(tableSize, true, black)
			d.tableRow(t.cols, widths, heads, true)
			d.style(tableSize, false, rgb)
		}
		d.drawCells(t.cols, widths, lines, h)
	}
	d.y += 3
}

func (d *pdfDoc) cellLines(widths []float64, row []string) [][]string {
	lines := make([][]string, len(widths))
	for j := range widths {
		cell := ""
		if j < len(row) {
			cell = row[j]
		}
		lines[j] = d.wrap(cell, widths[j]-2*cellPad)
	}
	return lines
}

func maxLines(lines [][]string) int {
	n := 1
	for _, l := range lines {
		n = max(n, len(l))
	}
	return n
}

// tableRow draws the head row on a grey band.
func (d *pdfDoc) tableRow(cs []column, widths []float64, cells []string, head bool) {
	lines := d.cellLines(widths, cells)
	h := float64(maxLines(lines))*d.lineH() + 2*cellPad
	if head {
		d.gp.SetFillColor(0xed, 0xf2, 0xf7)
		d.gp.RectFromUpperLeftWithStyle(marginX, d.y, textW, h, "F")
	}
	d.drawCells(cs, widths, lines, h)
}

func (d *pdfDoc) drawCells(cs []column, widths []float64, lines [][]string, h float64) {
	x := marginX
	for j, c := range cs {
		for k, l := range lines[j] {
			lx := x + cellPad
			if c.right {
				lx = x + widths[j] - cellPad - d.width(l)
			}
			d.text(lx, d.y+cellPad+float64(k)*d.lineH(), l)
		}
		x += widths[j]
	}
	d.y += h
	d.gp.SetStrokeColor(0xe2, 0xe8, 0xf0)
	d.gp.SetLineWidth(0.2)
	d.gp.Line(marginX, d.y, pageW-marginX, d.y)
}
