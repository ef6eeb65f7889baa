package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renke/survey"
)

// Access codes are stored twice: in the shared codes collection, where a
// respondent's code is looked up by _id (and its uniqueness over every
// survey is decided), and in their survey's own collection
// (surveyCodesPrefix + survey id), from which a survey's codes are listed
// (progress, the codes page, simulate) without scanning every survey's codes
// on the embedded store. Codes are never changed once issued; a change to
// one must be made to both copies.
const surveyCodesPrefix = "codes_"

func (s *Store) surveyCodes(surveyID string) *mongo.Collection {
	return s.db.Collection(surveyCodesPrefix + surveyID)
}

// InsertCodes stores a batch of access codes.
func (s *Store) InsertCodes(ctx context.Context, codes []survey.Code) error {
	if len(codes) == 0 {
		return nil
	}
	docs := make([]any, len(codes))
	bySurvey := map[string][]any{}
	for i := range codes {
		docs[i] = codes[i]
		bySurvey[codes[i].SurveyID] = append(bySurvey[codes[i].SurveyID], codes[i])
	}
	if _, err := s.db.Collection(colCodes).InsertMany(ctx, docs); err != nil {
		return fmt.Errorf("insert %d codes: %w", len(codes), classify(err))
	}
	for id, cs := range bySurvey {
		if _, err := s.surveyCodes(id).InsertMany(ctx, cs); err != nil {
			// Take the batch back, so no code works that its survey does not list.
			ids := make([]string, len(codes))
			for i := range codes {
				ids[i] = codes[i].Code
			}
			bg := context.WithoutCancel(ctx)
			s.db.Collection(colCodes).DeleteMany(bg, bson.M{"_id": bson.M{"$in": ids}})
			for other := range bySurvey {
				s.surveyCodes(other).DeleteMany(bg, bson.M{"_id": bson.M{"$in": ids}})
			}
			return fmt.Errorf("insert %d codes of %s: %w", len(cs), id, classify(err))
		}
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
	cur, err := s.surveyCodes(surveyID).Find(ctx, bson.M{},
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

// colMigrations records the one-time moves of earlier versions' data done.
const colMigrations = "migrations"

// migrateCodes copies the codes an earlier version stored only in the shared
// collection into their surveys' collections, once (an interrupted copy is
// finished by the next start: copies made already are recognised by _id).
func (s *Store) migrateCodes(ctx context.Context) error {
	const marker = "codes_by_survey"
	err := s.db.Collection(colMigrations).FindOne(ctx, bson.M{"_id": marker}).Err()
	if err == nil {
		return nil
	}
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return fmt.Errorf("read migrations: %w", classify(err))
	}
	cur, err := s.db.Collection(colCodes).Find(ctx, bson.M{})
	if err != nil {
		return fmt.Errorf("read codes to copy: %w", classify(err))
	}
	bySurvey := map[string][]any{}
	n := 0
	for cur.Next(ctx) {
		raw := append(bson.Raw(nil), cur.Current...)
		id, _ := raw.Lookup("survey_id").StringValueOK()
		bySurvey[id] = append(bySurvey[id], raw)
		n++
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("read codes to copy: %w", classify(err))
	}
	cur.Close(ctx)
	for id, docs := range bySurvey {
		_, err := s.surveyCodes(id).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		var bwe mongo.BulkWriteException
		if errors.As(err, &bwe) && bwe.WriteConcernError == nil && allDuplicates(bwe.WriteErrors) {
			err = nil
		}
		if err != nil {
			return fmt.Errorf("copy the codes of %s: %w", id, classify(err))
		}
	}
	if _, err := s.db.Collection(colMigrations).InsertOne(ctx, bson.M{"_id": marker}); err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("record the codes' copy: %w", classify(err))
	}
	if n > 0 {
		s.log.Info("copied access codes into one collection per survey", "codes", n, "surveys", len(bySurvey))
	}
	return nil
}

// VoidCodes marks the survey's codes named in codes voided at at; codes
// already voided keep their first time. It returns how many were voided now.
func (s *Store) VoidCodes(ctx context.Context, surveyID string, codes []string, at time.Time) (int64, error) {
	if len(codes) == 0 {
		return 0, nil
	}
	filter := bson.M{"survey_id": surveyID, "_id": bson.M{"$in": codes}, "voided": bson.M{"$exists": false}}
	update := bson.M{"$set": bson.M{"voided": at.UTC().Truncate(time.Millisecond)}}
	// The survey's own copy first (it lists the codes), then the shared
	// collection respondents' lookups read: a void cut off between the two
	// is finished by the next call, which matches what is not yet voided.
	if _, err := s.surveyCodes(surveyID).UpdateMany(ctx, filter, update); err != nil {
		return 0, fmt.Errorf("void %d codes of %s: %w", len(codes), surveyID, classify(err))
	}
	res, err := s.db.Collection(colCodes).UpdateMany(ctx, filter, update)
	if err != nil {
		return 0, fmt.Errorf("void %d codes of %s: %w", len(codes), surveyID, classify(err))
	}
	return res.ModifiedCount, nil
}
