package render

import (
	"bytes"
	"testing"

	"renke/report"
)

// benchFormat renders the fixture (450 planned, 417 responses, 10 schools)
// and reports the output size.
func benchFormat(b *testing.B, f func(*bytes.Buffer, *report.Published) error) {
	in := fixture(b)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := f(&buf, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/file")
}

func BenchmarkHTML(b *testing.B) {
	benchFormat(b, func(w *bytes.Buffer, in *report.Published) error { return HTML(w, in) })
}

func BenchmarkPDF(b *testing.B) {
	benchFormat(b, func(w *bytes.Buffer, in *report.Published) error { return PDF(w, in) })
}

func BenchmarkXLSX(b *testing.B) {
	benchFormat(b, func(w *bytes.Buffer, in *report.Published) error { return XLSX(w, in) })
}
