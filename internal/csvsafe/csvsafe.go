// Package csvsafe writes CSV files that open in a spreadsheet without
// running anything (CSV or "formula" injection, OWASP): a cell that begins
// with =, +, -, @, a tab or a carriage return is written with a leading
// apostrophe, so Excel, WPS and LibreOffice show it as text. Every CSV file
// renke writes goes through Writer; files renke reads back go through
// Unescape, which undoes exactly what Cell did.
package csvsafe

import (
	"encoding/csv"
	"fmt"
	"io"
)

// quote is the prefix that makes a spreadsheet take a cell as text.
const quote = '\''

// trigger reports whether a spreadsheet may read a cell starting with b as a
// formula (or, for tab and CR, hide a formula behind white space).
func trigger(b byte) bool {
	switch b {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// number reports whether s is a plain decimal number ("-1", "+0.5",
// "-2.5e-3"), which spreadsheets read as a number and never as a formula.
func number(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// needsQuote reports whether Cell prefixes s: s could run as a formula, or s
// already starts with the prefix before such text (so Unescape stays exact).
func needsQuote(s string) bool {
	for len(s) > 0 && s[0] == quote {
		s = s[1:]
	}
	return len(s) > 0 && trigger(s[0]) && !number(s)
}

// Cell is s as a CSV cell that a spreadsheet shows as text: s itself, or s
// with a leading apostrophe when it could be read as a formula.
func Cell(s string) string {
	if needsQuote(s) {
		return string(quote) + s
	}
	return s
}

// Unescape undoes Cell: it is the text that was passed to Cell.
func Unescape(s string) string {
	if len(s) > 1 && s[0] == quote && needsQuote(s[1:]) {
		return s[1:]
	}
	return s
}

// Writer is a csv.Writer whose rows are made safe with Cell.
type Writer struct {
	*csv.Writer
	rec []string
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{Writer: csv.NewWriter(w)} }

// Write writes one row, each cell through Cell.
func (w *Writer) Write(record []string) error {
	w.rec = w.rec[:0]
	for _, s := range record {
		w.rec = append(w.rec, Cell(s))
	}
	if err := w.Writer.Write(w.rec); err != nil {
		return fmt.Errorf("csv row: %w", err)
	}
	return nil
}

// WriteAll writes every row through Cell and flushes.
func (w *Writer) WriteAll(records [][]string) error {
	for _, r := range records {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("csv flush: %w", err)
	}
	return nil
}
