// Package evidence puts what decides a survey's number under the audit
// chain: each audited change of a setting (scoring, group weights, quality
// rules, frame, plan, code quotas, overrides) records the SHA-256 of the
// setting as stored after the change, and a report checks each stored
// setting against the newest such record before it computes from it.
package evidence

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"renke/account"
	"renke/report"
	"renke/sampling"
	"renke/survey"
)

// Setting names one setting that decides the number.
type Setting string

// The settings under the chain.
const (
	Scheme    Setting = "scheme"        // the survey's scoring scheme
	Weights   Setting = "group_weights" // the groups' weights
	Quality   Setting = "quality_rules" // the data-quality rules
	Frame     Setting = "frame"         // the sampling frame
	Plan      Setting = "plan"          // the drawn sample and its seed
	Quotas    Setting = "code_quotas"   // the shared codes and their quotas
	Overrides Setting = "overrides"     // the evaluators' decisions
)

// All lists the settings in the order reports state them.
var All = []Setting{Scheme, Weights, Quality, Frame, Plan, Quotas, Overrides}

var labels = map[Setting]string{Scheme: "计分方案", Weights: "群体权重", Quality: "数据质量规则", Frame: "抽样框",
	Plan: "抽样方案", Quotas: "共享码及名额", Overrides: "人工裁定"}

// Label is the setting's Chinese name.
func (s Setting) Label() string { return labels[s] }

// byAction says which settings an audited action changes.
var byAction = map[account.Action][]Setting{
	account.ActSurveyCreate: {Scheme, Weights}, account.ActSurveyScheme: {Scheme}, account.ActSurveyWeights: {Weights},
	account.ActQualityRules: {Quality}, account.ActSurveyFrame: {Frame}, account.ActSurveyPlan: {Plan},
	account.ActCodesIssue: {Quotas}, account.ActExclusion: {Overrides},
}

// Changes lists the settings an action changes (nil: none).
func Changes(a account.Action) []Setting { return byAction[a] }

// Settings are a survey's stored settings; a nil field is absent (no frame,
// no plan) or not read.
type Settings struct {
	Scheme    survey.Scheme
	Weights   map[survey.Group]float64
	Quality   *report.QualityConfig
	Frame     *sampling.Frame
	Plan      *sampling.Plan
	Quotas    []survey.Code // the shared codes
	Overrides []report.Override
}

// quota is what a shared code's hash covers.
type quota struct {
	Code       string            `json:"code"`
	Group      survey.Group      `json:"group"`
	School     string            `json:"school"`
	Urbanicity survey.Urbanicity `json:"urbanicity"`
	Band       survey.Band       `json:"band"`
	Quota      int               `json:"quota"`
}

// Hash is the SHA-256 (lowercase hex) of the setting's canonical JSON; a
// setting that is absent hashes as JSON null.
func (s *Settings) Hash(which Setting) string {
	var v any
	switch which {
	case Scheme:
		v = s.Scheme
	case Weights:
		v = s.Weights
	case Quality:
		v = s.Quality
	case Frame:
		v = s.Frame
	case Plan:
		v = s.Plan
	case Quotas:
		qs := make([]quota, 0, len(s.Quotas))
		for _, c := range s.Quotas {
			if c.Kind == survey.SharedCode {
				qs = append(qs, quota{c.Code, c.Group, c.School, c.Urbanicity, c.Band, c.Quota})
			}
		}
		slices.SortFunc(qs, func(a, b quota) int { return cmp.Compare(a.Code, b.Code) })
		v = qs
	case Overrides:
		os := slices.Clone(s.Overrides)
		for i := range os {
			os[i].At = survey.TruncateTime(os[i].At)
		}
		slices.SortStableFunc(os, func(a, b report.Override) int {
			return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ResponseID, b.ResponseID))
		})
		if os == nil {
			os = []report.Override{}
		}
		v = os
	default:
		panic(fmt.Sprintf("evidence: unknown setting %q", which))
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("evidence: setting %s cannot be encoded: %v", which, err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
