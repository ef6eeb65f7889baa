package main

import (
	"io"

	"renke/report"
	"renke/report/render"
	"renke/reporting"
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
		return f(w, renderInput(rep, d))
	}
}

// renderInput is the renderers' view of a built report; rep may be nil when
// the survey has no valid response.
func renderInput(rep *report.Report, d *reporting.Data) *render.Input {
	in := &render.Input{Report: rep}
	if rep == nil {
		in.NoData = report.ErrNoData.Error()
	}
	if d != nil {
		in.Survey, in.Frame, in.Plan = d.Survey, d.Frame, d.Plan
		in.Responses, in.Quality, in.ChainError = d.Responses, d.Quality, d.ChainError
		in.Generated, in.Version = d.Generated, d.Version
	}
	return in
}
