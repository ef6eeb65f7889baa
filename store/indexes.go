package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// index is one index of a collection, known by its name.
type index struct {
	name   string
	keys   bson.D
	unique bool
}

// indexes lists every fixed collection's indexes; ensureIndexes creates the
// missing ones at every start. (Each survey's response collection has
// responseIndexes, created when it is first written.)
var indexes = map[string][]index{
	colSurveys: {{name: "county", keys: bson.D{{Key: "county", Value: 1}}}},
	colCodes:   {{name: "survey_kind", keys: bson.D{{Key: "survey_id", Value: 1}, {Key: "kind", Value: 1}}}},
}

// addIndexes lets other files of the package add their collections' indexes.
func addIndexes(col string, ix ...index) {
	indexes[col] = append(indexes[col], ix...)
}

// ensureIndexes creates the indexes a collection lacks, by name. (Asking
// FerretDB v1 to create an index that exists trips a bug in it, so this
// looks before it creates.)
func (s *Store) ensureIndexes(ctx context.Context) error {
	for col, models := range indexes {
		if err := s.ensureIndexesOf(ctx, col, models); err != nil {
			return err
		}
	}
	return nil
}

// ensureIndexesOf creates the indexes of models that col lacks (and col
// itself when it does not exist).
func (s *Store) ensureIndexesOf(ctx context.Context, col string, models []index) error {
	have, err := s.indexNames(ctx, col)
	if err != nil {
		return err
	}
	var missing []mongo.IndexModel
	for _, ix := range models {
		if !have[ix.name] {
			missing = append(missing, mongo.IndexModel{Keys: ix.keys,
				Options: options.Index().SetName(ix.name).SetUnique(ix.unique)})
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if _, err := s.db.Collection(col).Indexes().CreateMany(ctx, missing); err != nil {
		return fmt.Errorf("create indexes on %s: %w", col, classify(err))
	}
	return nil
}

func (s *Store) indexNames(ctx context.Context, col string) (map[string]bool, error) {
	cur, err := s.db.Collection(col).Indexes().List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list indexes of %s: %w", col, classify(err))
	}
	var specs []struct {
		Name string `bson:"name"`
	}
	if err := cur.All(ctx, &specs); err != nil {
		return nil, fmt.Errorf("list indexes of %s: %w", col, classify(err))
	}
	have := make(map[string]bool, len(specs))
	for _, sp := range specs {
		have[sp.Name] = true
	}
	return have, nil
}
