package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"renke/account"
	"renke/evidence"
	"renke/survey"
)

// Settings reads the survey's stored settings named by which (all when
// empty), as reports compute from them.
func (s *Store) Settings(ctx context.Context, surveyID string, which ...evidence.Setting) (*evidence.Settings, error) {
	if len(which) == 0 {
		which = evidence.All
	}
	out := &evidence.Settings{}
	var sv *survey.Survey
	for _, w := range which {
		var err error
		switch w {
		case evidence.Scheme, evidence.Weights:
			if sv == nil {
				if sv, err = s.Survey(ctx, surveyID); err != nil {
					return nil, err
				}
			}
			out.Scheme, out.Weights = sv.Scheme, sv.GroupWeights
		case evidence.Quality:
			q, qerr := s.QualityRules(ctx, surveyID)
			out.Quality, err = &q, qerr
		case evidence.Frame:
			if out.Frame, err = s.Frame(ctx, surveyID); errors.Is(err, survey.ErrNotFound) {
				out.Frame, err = nil, nil
			}
		case evidence.Plan:
			if out.Plan, err = s.Plan(ctx, surveyID); errors.Is(err, survey.ErrNotFound) {
				out.Plan, err = nil, nil
			}
		case evidence.Quotas:
			out.Quotas, err = s.sharedCodes(ctx, surveyID)
		case evidence.Overrides:
			out.Overrides, err = s.Overrides(ctx, surveyID)
		}
		if err != nil {
			return nil, fmt.Errorf("read setting %s of %s: %w", w, surveyID, err)
		}
	}
	return out, nil
}

// sharedCodes lists a survey's shared codes (those with quotas) from the
// collection respondents' look-ups read, whose quotas are the ones enforced.
func (s *Store) sharedCodes(ctx context.Context, surveyID string) ([]survey.Code, error) {
	if s.direct != nil {
		out, err := s.direct.CodesOf(ctx, s.db.Name(), colCodes, surveyID, survey.SharedCode)
		if err != nil {
			return nil, fmt.Errorf("list shared codes of %s: %w", surveyID, err)
		}
		return out, nil
	}
	cur, err := s.db.Collection(colCodes).Find(ctx, bson.M{"survey_id": surveyID, "kind": survey.SharedCode})
	if err != nil {
		return nil, fmt.Errorf("list shared codes of %s: %w", surveyID, classify(err))
	}
	var out []survey.Code
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("list shared codes of %s: %w", surveyID, classify(err))
	}
	return out, nil
}

// stampSettings is the one place where the audit chain takes in the
// settings: an entry about a survey whose action changes settings gets the
// hash of each as stored now (after the change, which is made before it is
// audited).
func (s *Store) stampSettings(ctx context.Context, e *account.Entry) error {
	which := evidence.Changes(e.Action)
	if len(which) == 0 || e.Survey == "" || e.Settings != nil {
		return nil
	}
	set, err := s.Settings(ctx, e.Survey, which...)
	if errors.Is(err, survey.ErrNotFound) {
		return nil // an entry about a survey that is not (or no longer) stored
	}
	if err != nil {
		return fmt.Errorf("stamp the settings of audit entry %s: %w", e.Action, err)
	}
	e.Settings = map[string]string{}
	for _, w := range which {
		e.Settings[string(w)] = set.Hash(w)
	}
	return nil
}
