package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renke/report"
)

// colQualityRules holds each survey's data-quality rules, when an evaluator
// has set them: {_id: survey, rules, by, at}. Without one a survey runs
// report.DefaultQualityConfig.
const colQualityRules = "quality_rules"

type qualityRulesDoc struct {
	SurveyID string               `bson:"_id"`
	Rules    report.QualityConfig `bson:"rules"`
	By       string               `bson:"by"`
	At       time.Time            `bson:"at"`
}

// QualityRules is a survey's data-quality rules: those last set for it, else
// the defaults.
func (s *Store) QualityRules(ctx context.Context, surveyID string) (report.QualityConfig, error) {
	var doc qualityRulesDoc
	err := s.db.Collection(colQualityRules).FindOne(ctx, bson.M{"_id": surveyID}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return report.DefaultQualityConfig(), nil
	}
	if err != nil {
		return report.QualityConfig{}, fmt.Errorf("read quality rules of survey %s: %w", surveyID, classify(err))
	}
	return doc.Rules, nil
}

// SetQualityRules replaces a survey's data-quality rules after checking them.
// The responses are untouched: decisions are derived from them on each read.
func (s *Store) SetQualityRules(ctx context.Context, surveyID string, rules report.QualityConfig, by string, at time.Time) error {
	if err := rules.Validate(); err != nil {
		return err
	}
	doc := qualityRulesDoc{SurveyID: surveyID, Rules: rules, By: by, At: at}
	_, err := s.db.Collection(colQualityRules).ReplaceOne(ctx, bson.M{"_id": surveyID}, doc, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("set quality rules of survey %s: %w", surveyID, classify(err))
	}
	return nil
}
