// Package texttable prints plain-text tables whose columns line up by display
// width, so that Chinese (wide) and Latin (narrow) text align in a terminal.
package texttable

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/width"
)

// Table collects rows and prints them with columns padded to display width.
type Table struct {
	rows [][]string
	gap  int
}

// New returns an empty table whose columns are separated by two spaces.
func New() *Table { return &Table{gap: 2} }

// Row adds one row; cells may be fewer or more than in other rows.
func (t *Table) Row(cells ...string) { t.rows = append(t.rows, cells) }

// Width is the display width of s: East Asian wide and fullwidth runes count
// two columns, combining marks and control characters none, others one.
func Width(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f || (r >= 0x300 && r <= 0x36f) || r == 0x200b:
		case isWide(r):
			n += 2
		default:
			n++
		}
	}
	return n
}

func isWide(r rune) bool {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return true
	}
	return false
}

// WriteTo prints the table to w; the last cell of each row is not padded.
func (t *Table) WriteTo(w io.Writer) (int64, error) {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], Width(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-Width(c)+t.gap))
			}
		}
		b.WriteByte('\n')
	}
	n, err := io.WriteString(w, b.String())
	if err != nil {
		return int64(n), fmt.Errorf("print table: %w", err)
	}
	return int64(n), nil
}
