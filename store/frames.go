package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renke/sampling"
)

// Collections of a survey's sampling frame and drawn plan.
const (
	colFrames = "frames"
	colPlans  = "plans"
)

// jsonDoc keeps a document as its JSON encoding, keyed by survey id, so
// frames and plans round-trip exactly as the sampling package encodes them.
type jsonDoc struct {
	SurveyID string    `bson:"_id"`
	JSON     string    `bson:"json"`
	Saved    time.Time `bson:"saved"`
	By       string    `bson:"by,omitempty"`
}

func (s *Store) saveJSON(ctx context.Context, col, surveyID, by string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s of %s: %w", col, surveyID, err)
	}
	doc := jsonDoc{SurveyID: surveyID, JSON: string(b), Saved: time.Now().UTC(), By: by}
	_, err = s.db.Collection(col).ReplaceOne(ctx, bson.M{"_id": surveyID}, doc, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("save %s of %s: %w", col, surveyID, classify(err))
	}
	return nil
}

func (s *Store) loadJSON(ctx context.Context, col, surveyID string, v any) error {
	var doc jsonDoc
	if err := s.db.Collection(col).FindOne(ctx, bson.M{"_id": surveyID}).Decode(&doc); err != nil {
		return fmt.Errorf("%s of %s: %w", col, surveyID, classify(err))
	}
	if err := json.Unmarshal([]byte(doc.JSON), v); err != nil {
		return fmt.Errorf("decode %s of %s: %w", col, surveyID, err)
	}
	return nil
}

// SaveFrame keeps a survey's checked sampling frame, replacing an earlier one.
func (s *Store) SaveFrame(ctx context.Context, surveyID, by string, f *sampling.Frame) error {
	return s.saveJSON(ctx, colFrames, surveyID, by, f)
}

// Frame returns a survey's sampling frame (survey.ErrNotFound when none).
func (s *Store) Frame(ctx context.Context, surveyID string) (*sampling.Frame, error) {
	var f sampling.Frame
	if err := s.loadJSON(ctx, colFrames, surveyID, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// SavePlan keeps a survey's drawn plan, replacing an earlier one.
func (s *Store) SavePlan(ctx context.Context, surveyID, by string, p *sampling.Plan) error {
	return s.saveJSON(ctx, colPlans, surveyID, by, p)
}

// Plan returns a survey's drawn plan (survey.ErrNotFound when none).
func (s *Store) Plan(ctx context.Context, surveyID string) (*sampling.Plan, error) {
	var p sampling.Plan
	if err := s.loadJSON(ctx, colPlans, surveyID, &p); err != nil {
		return nil, err
	}
	return &p, nil
}
