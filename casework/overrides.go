package casework

import (
	"context"
	"strings"

	"renke/account"
	"renke/report"
	"renke/reporting"
	"renke/survey"
)

// OverrideInput is an evaluator's decision on one response: exclude it or
// keep it, and why.
type OverrideInput struct {
	ResponseID string `json:"response_id"`
	Exclude    bool   `json:"exclude"`
	Reason     string `json:"reason"`
}

// Overrides lists survey id's evaluators' decisions, oldest first (never nil).
func (s *Service) Overrides(ctx context.Context, a Actor, id string) ([]report.Override, error) {
	sv, err := s.Survey(ctx, a, id, account.ViewReports)
	if err != nil {
		return nil, err
	}
	list, err := s.store.Overrides(ctx, sv.ID)
	if err != nil {
		return nil, From(err)
	}
	if list == nil {
		list = []report.Override{}
	}
	return list, nil
}

// AddOverride records an evaluator's decision on one response of survey id,
// audited with the response's decision before (excluded, flags) and the new
// one after. The response must be the survey's; the reason is required.
func (s *Service) AddOverride(ctx context.Context, a Actor, id string, in OverrideInput) (*report.Override, error) {
	sv, err := s.Survey(ctx, a, id, account.OverrideExclusion)
	if err != nil {
		return nil, err
	}
	var rs []survey.Response
	if err := s.store.EachResponse(ctx, sv.ID, func(r *survey.Response) error { rs = append(rs, *r); return nil }); err != nil {
		return nil, From(err)
	}
	q, _, err := reporting.Quality(ctx, s.store, sv.ID, rs)
	if err != nil {
		return nil, From(err)
	}
	rid := strings.TrimSpace(in.ResponseID)
	before, ok := q.Decision(rid)
	if !ok {
		return nil, Errorf(Invalid, "本调查没有编号为“%s”的应答", rid)
	}
	o := report.Override{ResponseID: rid, Exclude: in.Exclude, Reason: strings.TrimSpace(in.Reason), By: a.Name(), At: survey.TruncateTime(s.now())}
	if err := o.Validate(); err != nil {
		return nil, Wrap(Invalid, err)
	}
	if err := s.store.AddOverride(ctx, sv.ID, o); err != nil {
		return nil, From(err)
	}
	s.changed(sv.ID, QualityChanged)
	return &o, s.Record(ctx, a, account.ActExclusion, Scope{County: sv.County, Survey: sv.ID, Target: rid, Note: o.Reason},
		map[string]any{"excluded": before.Excluded, "flags": before.Flags}, map[string]any{"excluded": o.Exclude, "reason": o.Reason})
}
