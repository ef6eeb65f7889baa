package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renke/survey"
)

// InsertCodes stores a batch of access codes.
func (s *Store) InsertCodes(ctx context.Context, codes []survey.Code) error {
	if len(codes) == 0 {
		return nil
	}
	docs := make([]any, len(codes))
	for i := range codes {
		docs[i] = codes[i]
	}
	if _, err := s.db.Collection(colCodes).InsertMany(ctx, docs); err != nil {
		return fmt.Errorf("insert %d codes: %w", len(codes), classify(err))
	}
	return nil
}

// Code returns one access code.
func (s *Store) Code(ctx context.Context, code string) (*survey.Code, error) {
	var c survey.Code
	if err := s.db.Collection(colCodes).FindOne(ctx, bson.M{"_id": code}).Decode(&c); err != nil {
		return nil, fmt.Errorf("code: %w", classify(err))
	}
	return &c, nil
}

// Codes lists a survey's codes in creation order.
func (s *Store) Codes(ctx context.Context, surveyID string) ([]survey.Code, error) {
	cur, err := s.db.Collection(colCodes).Find(ctx, bson.M{"survey_id": surveyID},
		options.Find().SetSort(bson.D{{Key: "created", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("list codes of %s: %w", surveyID, classify(err))
	}
	var out []survey.Code
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("list codes of %s: %w", surveyID, classify(err))
	}
	return out, nil
}

// VoidCodes marks the survey's codes named in codes voided at at; codes
// already voided keep their first time. It returns how many were voided now.
func (s *Store) VoidCodes(ctx context.Context, surveyID string, codes []string, at time.Time) (int64, error) {
	if len(codes) == 0 {
		return 0, nil
	}
	res, err := s.db.Collection(colCodes).UpdateMany(ctx,
		bson.M{"survey_id": surveyID, "_id": bson.M{"$in": codes}, "voided": bson.M{"$exists": false}},
		bson.M{"$set": bson.M{"voided": at.UTC().Truncate(time.Millisecond)}})
	if err != nil {
		return 0, fmt.Errorf("void %d codes of %s: %w", len(codes), surveyID, classify(err))
	}
	return res.ModifiedCount, nil
}
