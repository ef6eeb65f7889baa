package main

import (
	"io"

	"renke/report"
	"renke/report/render"
	"renke/reporting"
	"renke/reporting/view"
)

// The rendered formats of `renke report`: one HTML file, an A4 PDF and an
// Excel workbook (package report/render).
func init() {
	renderers["html"] = renderWith(render.HTML)
	renderers["pdf"] = renderWith(render.PDF)
	renderers["xlsx"] = renderWith(render.XLSX)
}

func renderWith(f func(io.Writer, *render.Input) error) func(io.Writer, *report.Report, *reporting.Data) error {
	return func(w io.Writer, rep *report.Report, d *reporting.Data) error {
		return f(w, view.Input(rep, d))
	}
}
