// Package render writes a survey's recognition report for evaluators: one
// self-contained HTML file, an A4 PDF with the CJK font embedded, and an
// Excel workbook with a sheet per breakdown; and the city view that lists
// many counties. All three formats are drawn from one view of the data, so
// they say the same thing, and the same input gives the same bytes.
package render

import (
	"errors"
	"time"

	"renke/account"
	"renke/hashchain"
	"renke/report"
	"renke/sampling"
	"renke/survey"
)

// Input is what a report is drawn from: the estimates and the stored data
// they came from (the fields of reporting.Data, without the store).
type Input struct {
	// Report is nil when the survey has no valid response to estimate from.
	Report *report.Report
	Survey *survey.Survey
	Frame  *sampling.Frame // nil without a frame
	Plan   *sampling.Plan  // nil when no sample was drawn
	// Responses are all raw responses in chain order.
	Responses []survey.Response
	// Quality holds the quality rules' decisions (with overrides applied).
	Quality *report.Quality
	// Audit is the survey's audit trail, oldest first: who changed what, when.
	Audit []account.Entry
	// AuditChain is the whole audit log's hash chain as verified when the
	// report was built (a zero State: not verified).
	AuditChain hashchain.State
	// Unaudited are the overrides that no audit entry records.
	Unaudited []report.Override
	// ChainError is the first record of the hash chain that does not verify.
	ChainError error
	// Generated is when the report was computed; Version the software's version.
	Generated time.Time
	Version   string
	// NoData says why Report is nil (the estimator's message); empty means
	// the default wording.
	NoData string
}

// timeText formats t in Beijing time (survey.Shanghai).
func timeText(t time.Time) string {
	if t.IsZero() {
		return "未记录"
	}
	return t.In(survey.Shanghai).Format("2006-01-02 15:04:05") + "（北京时间）"
}

func (in *Input) check() error {
	if in == nil || in.Survey == nil {
		return errors.New("render: no survey to report on")
	}
	return nil
}

// chain returns the length and head of the response hash chain.
func (in *Input) chain() (int64, string) {
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

// schools maps school codes to names from the plan, then the frame.
func (in *Input) schools() map[string]schoolInfo {
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
