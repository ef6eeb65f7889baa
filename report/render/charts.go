package render

import (
	"fmt"

	"renke/report/chart"
)

// schoolsPerChart is how many schools one dot plot holds (one PDF page).
const schoolsPerChart = 40

// chartSet is the report's figures; nil where there is nothing to draw.
type chartSet struct {
	Overall, Groups, Dimensions *chart.Figure
	Schools                     []*chart.Figure
}

func rowsOf(rows []rateRow, label func(rateRow) string) []chart.Row {
	out := make([]chart.Row, len(rows))
	for i, r := range rows {
		out[i] = chart.Row{Label: label(r), Rate: r.Rate, Low: r.CILow, High: r.CIHigh}
	}
	return out
}

func withN(r rateRow) string { return fmt.Sprintf("%s（n=%d）", r.Label, r.N) }

// makeCharts draws the figures of a view with data.
func makeCharts(v *view) (*chartSet, error) {
	cs := &chartSet{}
	if !v.HasData {
		return cs, nil
	}
	o := v.Verdict.Overall
	var err error
	title := fmt.Sprintf("总体认可度 %s（95%%置信区间 %s – %s），达标线 %s", pct(o.Rate), pct(o.CILow), pct(o.CIHigh), pct0(v.Bar))
	if cs.Overall, err = chart.Overall(title, chart.Row{Label: "总体", Rate: o.Rate, Low: o.CILow, High: o.CIHigh}, v.Bar); err != nil {
		return nil, fmt.Errorf("overall chart: %w", err)
	}
	if len(v.Groups) > 0 {
		if cs.Groups, err = chart.Intervals("各群体认可度及 95% 置信区间（由低到高）", rowsOf(v.Groups, withN), v.Bar); err != nil {
			return nil, fmt.Errorf("group chart: %w", err)
		}
	}
	if len(v.Dimensions) > 0 {
		if cs.Dimensions, err = chart.Intervals("各维度认可度及 95% 置信区间（由低到高）", rowsOf(v.Dimensions, withN), v.Bar); err != nil {
			return nil, fmt.Errorf("dimension chart: %w", err)
		}
	}
	for i := 0; i < len(v.Schools); i += schoolsPerChart {
		part := v.Schools[i:min(i+schoolsPerChart, len(v.Schools))]
		title := "各校认可度（未加权）及 Wilson 95% 区间"
		if len(v.Schools) > schoolsPerChart {
			title += fmt.Sprintf("，第 %d–%d 所", i+1, i+len(part))
		}
		f, err := chart.Dots(title, rowsOf(part, withN), v.Bar)
		if err != nil {
			return nil, fmt.Errorf("school chart: %w", err)
		}
		cs.Schools = append(cs.Schools, f)
	}
	return cs, nil
}
