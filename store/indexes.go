package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// indexes lists every collection's indexes. Creating an index that exists
// with the same keys and options is a no-op, so this runs at every start.
var indexes = map[string][]mongo.IndexModel{
	colSurveys: {
		{Keys: bson.D{{Key: "county", Value: 1}}, Options: options.Index().SetName("county")},
	},
	colCodes: {
		{Keys: bson.D{{Key: "survey_id", Value: 1}, {Key: "kind", Value: 1}}, Options: options.Index().SetName("survey_kind")},
	},
	colResponses: {
		// The hash chain's order: one record per sequence number per survey.
		{Keys: bson.D{{Key: "survey_id", Value: 1}, {Key: "seq", Value: 1}}, Options: options.Index().SetName("survey_seq").SetUnique(true)},
		// One response per one-time code, and one per device per survey on shared codes.
		{Keys: bson.D{{Key: "once_key", Value: 1}}, Options: options.Index().SetName("once_key").SetUnique(true)},
		// Quota counts and progress by code.
		{Keys: bson.D{{Key: "code", Value: 1}}, Options: options.Index().SetName("code")},
	},
}

// extraIndexes lets other files of the package add their collections' indexes.
func addIndexes(col string, models ...mongo.IndexModel) {
	indexes[col] = append(indexes[col], models...)
}

func (s *Store) ensureIndexes(ctx context.Context) error {
	for col, models := range indexes {
		if _, err := s.db.Collection(col).Indexes().CreateMany(ctx, models); err != nil {
			return fmt.Errorf("create indexes on %s: %w", col, classify(err))
		}
	}
	return nil
}
