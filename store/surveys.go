package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renke/survey"
)

// CreateSurvey inserts a new survey.
func (s *Store) CreateSurvey(ctx context.Context, sv *survey.Survey) error {
	if _, err := s.db.Collection(colSurveys).InsertOne(ctx, sv); err != nil {
		return fmt.Errorf("create survey %s: %w", sv.ID, classify(err))
	}
	return nil
}

// Survey returns one survey by id.
func (s *Store) Survey(ctx context.Context, id string) (*survey.Survey, error) {
	var sv survey.Survey
	if err := s.db.Collection(colSurveys).FindOne(ctx, bson.M{"_id": id}).Decode(&sv); err != nil {
		return nil, fmt.Errorf("survey %s: %w", id, classify(err))
	}
	return &sv, nil
}

// Surveys lists surveys, newest first; counties limits them to those counties when not nil.
func (s *Store) Surveys(ctx context.Context, counties []string) ([]survey.Survey, error) {
	filter := bson.M{}
	if counties != nil {
		filter["county"] = bson.M{"$in": counties}
	}
	cur, err := s.db.Collection(colSurveys).Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "created", Value: -1}}))
	if err != nil {
		return nil, fmt.Errorf("list surveys: %w", classify(err))
	}
	var out []survey.Survey
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("list surveys: %w", classify(err))
	}
	return out, nil
}

// UpdateSurvey replaces a survey, but only if it is still in the status it
// was read in (so two coordinators cannot both open or edit it).
func (s *Store) UpdateSurvey(ctx context.Context, sv *survey.Survey, from survey.Status) error {
	res, err := s.db.Collection(colSurveys).ReplaceOne(ctx, bson.M{"_id": sv.ID, "status": from}, sv)
	if err != nil {
		return fmt.Errorf("update survey %s: %w", sv.ID, classify(err))
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("update survey %s: %w (it is no longer %s)", sv.ID, survey.ErrNotFound, from)
	}
	if sv.Status == survey.Closed && from != survey.Closed {
		s.checkpointClosed(ctx, sv.ID)
	}
	return nil
}
