package report

import (
	"fmt"
	"time"

	"renke/account"
	"renke/hashchain"
	"renke/sampling"
	"renke/survey"
)

// Published is one survey's built report: the estimates and everything they
// were computed from, as the renderers, exports and the evaluator's package
// need them. When no rate can be estimated (no valid response) Report is nil
// and NoData says why; the stored data are still given.
type Published struct {
	// Report is nil when the survey has no valid response to estimate from.
	Report    *Report
	Survey    *survey.Survey
	Frame     *sampling.Frame // nil when the survey has no frame
	Plan      *sampling.Plan  // nil when no plan was drawn
	Responses []survey.Response
	// Quality holds the quality rules' decisions (with overrides applied).
	Quality   *Quality
	Overrides []Override
	// Audit is the survey's audit trail, oldest first.
	Audit []account.Entry
	// AuditChain is the whole audit log's hash chain, verified when the
	// report was built (a zero State: not verified).
	AuditChain hashchain.State
	// Unaudited are the overrides no audit entry records; they are applied,
	// and every report format warns of them.
	Unaudited []Override
	// ChainError names every break of the response chain (a
	// *hashchain.Breaks), nil when it verifies.
	ChainError error
	// ResponseCheck and AuditCheck are the full results of checking the
	// response chain and the audit log, as the JSON report carries them.
	ResponseCheck, AuditCheck hashchain.Result
	// Settings are the settings computed from, each checked against the
	// newest audit entry that changed it.
	Settings []SettingCheck
	// Generated is when the report was computed; Version the software's.
	Generated time.Time
	Version   string
	// NoData says why Report is nil (the estimator's message); empty when
	// there is a report.
	NoData string
}

// HasData says whether the survey had a rate to estimate (p non-nil with a
// report).
func (p *Published) HasData() bool { return p != nil && p.Report != nil }

// NoDataMessage is what every door says of a survey without estimates: how
// many responses came in, and that none of them can be computed yet.
func (p *Published) NoDataMessage() string {
	why := p.NoData
	if why == "" {
		why = ErrNoData.Error()
	}
	return fmt.Sprintf("尚无可计算的答卷：已收到 %d 份应答，其中没有有效应答（%s）。有效应答出现后即可生成报告。", len(p.Responses), why)
}
