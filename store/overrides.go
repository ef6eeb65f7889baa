package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renke/report"
)

// colOverrides holds evaluators' exclusion decisions: append-only, beside the
// raw responses, which are never edited.
const colOverrides = "overrides"

func init() {
	addIndexes(colOverrides, index{name: "survey_at", keys: bson.D{{Key: "survey_id", Value: 1}, {Key: "at", Value: 1}}})
}

type overrideDoc struct {
	SurveyID        string `bson:"survey_id"`
	report.Override `bson:",inline"`
}

// AddOverride records an evaluator's decision on one response of a survey.
func (s *Store) AddOverride(ctx context.Context, surveyID string, o report.Override) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if _, err := s.db.Collection(colOverrides).InsertOne(ctx, overrideDoc{SurveyID: surveyID, Override: o}); err != nil {
		return fmt.Errorf("record override: %w", classify(err))
	}
	return nil
}

// Overrides lists a survey's decisions, oldest first.
func (s *Store) Overrides(ctx context.Context, surveyID string) ([]report.Override, error) {
	cur, err := s.db.Collection(colOverrides).Find(ctx, bson.M{"survey_id": surveyID},
		options.Find().SetSort(bson.D{{Key: "at", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("list overrides: %w", classify(err))
	}
	var docs []overrideDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list overrides: %w", classify(err))
	}
	out := make([]report.Override, len(docs))
	for i, d := range docs {
		out[i] = d.Override
	}
	return out, nil
}
