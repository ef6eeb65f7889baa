package render

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"

	"renke/report"
	"renke/report/chart"
)

//go:embed templates
var templateFS embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"pct":        pct,
	"auditIntro": func() string { return auditIntro },
	"pctp":       pctp,
	"num2":       num2,
	"se":         func(x float64) string { return fmt.Sprintf("%.4f", x) },
	"below":      func(x *float64, bar float64) bool { return x != nil && *x < bar },
	"frame": func(x *float64) string {
		if x == nil {
			return "—"
		}
		return fmt.Sprintf("%.0f", *x)
	},
	"hasNotes":  hasNotes,
	"cellLabel": report.CellLabel,
	"probp":     probp,
	"seText":    seText,
	"rates": func(head string, notes bool, rows []rateRow) any {
		return struct {
			Head  string
			Notes bool
			Rows  []rateRow
		}{head, notes, rows}
	},
	"sample": func(head string, plan bool, rows []sampleRow) any {
		return struct {
			Head string
			Plan bool
			Rows []sampleRow
		}{head, plan, rows}
	},
}).ParseFS(templateFS, "templates/*.html"))

// htmlPage is the view with its inline CSS and SVG charts.
type htmlPage struct {
	*view
	CSS                                  template.CSS
	OverallSVG, GroupsSVG, DimensionsSVG template.HTML
	SchoolsSVG                           []template.HTML
}

// svg renders a figure for inlining; nil draws nothing. The SVG comes from
// gonum/plot, which escapes every text it writes.
func svg(f *chart.Figure) (template.HTML, error) {
	if f == nil {
		return "", nil
	}
	b, err := f.SVG()
	if err != nil {
		return "", err
	}
	return template.HTML(b), nil
}

// HTML writes the report as one self-contained HTML page: inline CSS and
// SVG charts, no script, no external resource.
func HTML(w io.Writer, in *report.Published) error {
	if err := checkInput(in); err != nil {
		return err
	}
	v := newView(in)
	css, err := templateFS.ReadFile("templates/style.css")
	if err != nil {
		return fmt.Errorf("render: read style: %w", err)
	}
	page := htmlPage{view: v, CSS: template.CSS(css)}
	cs, err := makeCharts(v)
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	for _, f := range []struct {
		fig *chart.Figure
		out *template.HTML
	}{{cs.Overall, &page.OverallSVG}, {cs.Groups, &page.GroupsSVG}, {cs.Dimensions, &page.DimensionsSVG}} {
		if *f.out, err = svg(f.fig); err != nil {
			return fmt.Errorf("render: %w", err)
		}
	}
	for _, f := range cs.Schools {
		s, err := svg(f)
		if err != nil {
			return fmt.Errorf("render: %w", err)
		}
		page.SchoolsSVG = append(page.SchoolsSVG, s)
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "report.html", page); err != nil {
		return fmt.Errorf("render: HTML template: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("render: write HTML: %w", err)
	}
	return nil
}
