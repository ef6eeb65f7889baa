package render

import (
	"bytes"
	"testing"

	"renke/report"
)

func TestFormatsTable(t *testing.T) {
	if got := FormatNames(); got != "html, json, pdf, xlsx" {
		t.Errorf("format names %q", got)
	}
	for _, f := range Formats {
		g, ok := FormatNamed(f.Name)
		if !ok || g.MediaType != f.MediaType || g.Ext != f.Ext || f.MediaType == "" || f.Write == nil {
			t.Errorf("format %q: %+v", f.Name, g)
		}
		if err := f.Write(&bytes.Buffer{}, &report.Published{}); err == nil {
			t.Errorf("%s: no error without a survey", f.Name)
		}
	}
	if _, ok := FormatNamed("docx"); ok {
		t.Error("an unknown format is found")
	}
	x, _ := FormatNamed("xlsx")
	c, ok := CityFormatNamed("xlsx")
	if !ok || c.MediaType != x.MediaType || x.MediaType != XLSXType {
		t.Errorf("the workbook's media type differs: report %q, city %q", x.MediaType, c.MediaType)
	}
	if _, ok := CityFormatNamed("pdf"); ok {
		t.Error("the city view has no PDF")
	}
}
