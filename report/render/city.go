package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"time"

	"renke/report"
	"renke/report/chart"
	"renke/survey"
)

// CityRow is one survey's line in the city view: the organiser's table of
// every county surveyed.
type CityRow struct {
	SurveyID, County, Title string
	Status                  survey.Status
	Phase                   survey.Phase // the status read against the window, as every door words it
	// Overall is nil when the survey has no estimate (see Problem).
	Overall *report.Overall
	// Problem says why there is no estimate: no valid response, or an error
	// reading the survey.
	Problem           string
	Planned, Received int
	Valid, Excluded   int
	Flagged           int
	Suspects          []string // schools whose answer patterns look coached or stuffed
	Warnings          []string
}

// NewCityRow summarises one survey's report input.
func NewCityRow(in *report.Published) (CityRow, error) {
	if err := checkInput(in); err != nil {
		return CityRow{}, err
	}
	v := newView(in)
	r := CityRow{SurveyID: v.SurveyID, County: v.County, Title: v.Title, Status: in.Survey.Status, Phase: in.Survey.PhaseNow(),
		Planned: v.Sample.Planned, Received: v.Sample.Received, Valid: v.Sample.Valid,
		Excluded: v.Quality.Exclude, Flagged: v.Quality.Flagged}
	// The suspicious schools have their own column: their warning is not repeated.
	for _, w := range v.Warnings {
		if w != suspectWarning(v) {
			r.Warnings = append(r.Warnings, w)
		}
	}
	if v.HasData { // without data, the first warning says so
		o := v.Verdict.Overall
		r.Overall = &o
	}
	for _, s := range v.Quality.Suspects {
		r.Suspects = append(r.Suspects, s.Name)
	}
	return r, nil
}

// cityOrder sorts the rows weakest first; rows without an estimate last, by county.
func cityOrder(rows []CityRow) []CityRow {
	out := append([]CityRow(nil), rows...)
	sort.SliceStable(out, func(a, b int) bool {
		x, y := out[a].Overall, out[b].Overall
		switch {
		case x != nil && y != nil:
			return x.Rate < y.Rate
		case x != nil || y != nil:
			return x != nil
		}
		return out[a].County < out[b].County
	})
	return out
}

// verdictOf is the row's verdict word.
func (r CityRow) verdictOf() string {
	if r.Overall == nil {
		return "无结论"
	}
	return r.Overall.Verdict
}

// fill is received over planned, nil without a plan.
func (r CityRow) fill() *float64 {
	if r.Planned == 0 {
		return nil
	}
	f := float64(r.Received) / float64(r.Planned)
	return &f
}

// CityXLSX writes the city view as a workbook: one sheet, a row per survey,
// weakest first.
func CityXLSX(w io.Writer, rows []CityRow, generated time.Time, version string) error {
	b, err := newBook(&view{County: "全市", Version: version}, generated)
	if err != nil {
		return err
	}
	defer b.f.Close()
	var out [][]any
	for _, r := range cityOrder(rows) {
		cells := []any{r.County, r.Title, r.SurveyID, r.Phase.Label, r.verdictOf()}
		if o := r.Overall; o != nil {
			cells = append(cells, o.Rate, o.CILow, o.CIHigh, o.SE, o.DF, probp(o.PassProbability), yesNo(o.CIClearsBar))
		} else {
			cells = append(cells, nil, nil, nil, nil, nil, nil, nil)
		}
		cells = append(cells, r.Planned, r.Received, r.fill(), r.Valid, r.Excluded, r.Flagged, joinCN(r.Suspects), joinCN(append([]string{r.Problem}, r.Warnings...)))
		out = append(out, cells)
	}
	b.sheet("各区县", []xcol{{"区县", 0, 12}, {"调查", 0, 30}, {"调查编号", 0, 18}, {"状态", 0, 8}, {"结论", 0, 8},
		{"认可度", fmtPct, 9}, {"95%下限", fmtPct, 9}, {"95%上限", fmtPct, 9}, {"标准误", fmtSE, 9}, {"自由度", 0, 8},
		{"达标概率", 0, 9}, {"区间高于达标线", 0, 12}, {"计划样本", 0, 9}, {"收到应答", 0, 9}, {"完成率", fmtPct, 9},
		{"有效应答", 0, 9}, {"剔除", 0, 8}, {"标记", 0, 8}, {"可疑学校", fmtWrap, 30}, {"数据质量与其他提示", fmtWrap, 60}}, out)
	b.sheet("说明", []xcol{{"说明", fmtWrap, 100}}, [][]any{
		{"每行一项调查，按总体认可度由低到高排列；没有估计的调查排在最后。"},
		{"认可度、置信区间和达标概率的算法见各区县报告的“方法说明”（泰勒线性化、有放回 PSU、t 分布）。"},
		{fmt.Sprintf("生成时间 %s，软件版本 renke %s。", timeText(generated), version)},
	})
	if b.err != nil {
		return b.err
	}
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("render: write city workbook: %w", err)
	}
	return nil
}

func joinCN(parts []string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += "；"
		}
		out += strings.TrimRight(p, "。；")
	}
	return out
}

// CitySummary is the city view as its HTML file and the console show it.
type CitySummary struct {
	Rows       []CityRow // weakest first; rows without an estimate last
	Estimated  int       // rows with an estimate
	Passed     int       // of which clear the bar
	WithIssues int       // rows without an estimate, with a problem or with suspect schools
}

// SummarizeCity orders the rows and counts verdicts and issues.
func SummarizeCity(rows []CityRow) CitySummary {
	s := CitySummary{Rows: cityOrder(rows)}
	for _, r := range s.Rows {
		if o := r.Overall; o != nil {
			s.Estimated++
			if o.Passed {
				s.Passed++
			}
		}
		if len(r.Suspects) > 0 || r.Problem != "" || r.Overall == nil {
			s.WithIssues++
		}
	}
	return s
}

// ChartSVG draws every estimated county's rate and 95% interval against the
// bar, weakest first, as an SVG document; nil when no county has an estimate.
func (s CitySummary) ChartSVG() ([]byte, error) {
	var crows []chart.Row
	for _, r := range s.Rows {
		if o := r.Overall; o != nil {
			crows = append(crows, chart.Row{Label: r.County, Rate: o.Rate, Low: o.CILow, High: o.CIHigh})
		}
	}
	if len(crows) == 0 {
		return nil, nil
	}
	f, err := chart.Intervals("各区县认可度及 95% 置信区间（由低到高）", crows, report.DefaultBar)
	if err != nil {
		return nil, fmt.Errorf("render: city chart: %w", err)
	}
	b, err := f.SVG()
	if err != nil {
		return nil, fmt.Errorf("render: city chart: %w", err)
	}
	return b, nil
}

// cityPage is what the city template draws.
type cityPage struct {
	CitySummary
	Chart     template.HTML
	CSS       template.CSS
	Generated string
	Version   string
}

// CityHTML writes the city view as one self-contained HTML page with a chart
// of every county's rate and interval.
func CityHTML(w io.Writer, rows []CityRow, generated time.Time, version string) error {
	css, err := templateFS.ReadFile("templates/style.css")
	if err != nil {
		return fmt.Errorf("render: read style: %w", err)
	}
	p := cityPage{CitySummary: SummarizeCity(rows), CSS: template.CSS(css), Generated: timeText(generated), Version: version}
	svgDoc, err := p.ChartSVG()
	if err != nil {
		return err
	}
	p.Chart = template.HTML(svgDoc)
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "city.html", p); err != nil {
		return fmt.Errorf("render: city template: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("render: write city HTML: %w", err)
	}
	return nil
}
