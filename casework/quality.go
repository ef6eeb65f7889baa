package casework

import (
	"context"

	"renke/account"
	"renke/report"
	"renke/survey"
)

// QualityRules is survey id's data-quality rules as people set them (the
// stored ones, else the defaults).
func (s *Service) QualityRules(ctx context.Context, a Actor, id string) (report.RuleSettings, error) {
	sv, err := s.Survey(ctx, a, id, account.ViewReports)
	if err != nil {
		return report.RuleSettings{}, err
	}
	cfg, err := s.store.QualityRules(ctx, sv.ID)
	if err != nil {
		return report.RuleSettings{}, From(err)
	}
	return report.SettingsOf(cfg), nil
}

// SetQualityRules replaces survey id's data-quality rules with in, after
// checking their bounds (report.RuleSettings.Config); audited with the
// rules before and after. It returns the rules as stored.
func (s *Service) SetQualityRules(ctx context.Context, a Actor, id string, in report.RuleSettings) (report.RuleSettings, error) {
	return s.EditQualityRules(ctx, a, id, func(r *report.RuleSettings) error { *r = in; return nil })
}

// EditQualityRules changes survey id's data-quality rules by edit, which is
// given the current ones (a field it leaves alone keeps its value: the JSON
// API's partial body, the command line's key=value). An error of edit is
// returned as it is; the result is checked and stored as SetQualityRules.
func (s *Service) EditQualityRules(ctx context.Context, a Actor, id string, edit func(*report.RuleSettings) error) (report.RuleSettings, error) {
	sv, err := s.Survey(ctx, a, id, account.OverrideExclusion)
	if err != nil {
		return report.RuleSettings{}, err
	}
	before, err := s.store.QualityRules(ctx, sv.ID)
	if err != nil {
		return report.RuleSettings{}, From(err)
	}
	in := report.SettingsOf(before)
	if err := edit(&in); err != nil {
		return in, err
	}
	cfg, err := in.Config()
	if err != nil {
		return in, Wrap(Invalid, err)
	}
	if err := s.store.SetQualityRules(ctx, sv.ID, cfg, a.Name(), survey.TruncateTime(s.now())); err != nil {
		return in, From(err)
	}
	s.changed(sv.ID, QualityChanged)
	after := report.SettingsOf(cfg)
	return after, s.Record(ctx, a, account.ActQualityRules, Scope{County: sv.County, Survey: sv.ID},
		report.SettingsOf(before), after)
}
