// Package render writes a survey's recognition report for evaluators: one
// self-contained HTML file, an A4 PDF with the CJK font embedded, and an
// Excel workbook with a sheet per breakdown; and the city view that lists
// many counties. All three formats are drawn from one view of the data, so
// they say the same thing, and the same input gives the same bytes.
package render

import (
	"errors"
	"time"

	"renke/report"
	"renke/survey"
)

// timeText formats t in Beijing time (survey.Shanghai).
func timeText(t time.Time) string {
	if t.IsZero() {
		return "未记录"
	}
	return t.In(survey.Shanghai).Format("2006-01-02 15:04:05") + "（北京时间）"
}

// checkInput refuses a report without its survey.
func checkInput(in *report.Published) error {
	if in == nil || in.Survey == nil {
		return errors.New("render: no survey to report on")
	}
	return nil
}

// chainOf returns the length and head of the response hash chain.
func chainOf(in *report.Published) (int64, string) {
	if in.Report != nil {
		return in.Report.ChainLength, in.Report.ChainHead
	}
	if n := len(in.Responses); n > 0 {
		last := in.Responses[n-1]
		return last.Seq, last.Hash
	}
	return 0, survey.GenesisHash
}

// schoolInfo is what the report knows of a school beyond its code.
type schoolInfo struct {
	Name       string
	Township   string
	Urbanicity survey.Urbanicity
}

// schoolsOf maps school codes to names from the plan, then the frame.
func schoolsOf(in *report.Published) map[string]schoolInfo {
	out := map[string]schoolInfo{}
	if in.Frame != nil {
		for _, s := range in.Frame.Schools {
			out[s.Code] = schoolInfo{Name: s.Name, Township: s.Township, Urbanicity: s.Urbanicity}
		}
	}
	if in.Plan != nil {
		for _, s := range in.Plan.Schools {
			out[s.SchoolCode] = schoolInfo{Name: s.Name, Township: s.Township, Urbanicity: s.Urbanicity}
		}
	}
	return out
}

// schoolName is "name（code）", or the code when the name is unknown.
func schoolName(names map[string]schoolInfo, code string) string {
	if code == "" {
		return "全县名单（不经学校）"
	}
	if s, ok := names[code]; ok && s.Name != "" {
		return s.Name + "（" + code + "）"
	}
	return code
}
