package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Each survey's responses live in a collection of their own,
// responsesPrefix + survey id. The embedded FerretDB v1/SQLite answers every
// filter but one on _id by reading the whole collection, so with one shared
// collection every read of a survey (its report, progress, export, chain
// head, quota counts, verification) cost what all stored surveys cost. In a
// collection of its own a survey's reads cost its own data, on both stores,
// and a city's 38 counties do not slow each other down.
//
// The unique indexes keep their meaning: seq is the survey's chain order;
// once_key is per survey by construction ("d:<survey>:<device>") or names a
// one-time code, which belongs to one survey. Response ids are unique within
// a survey.
const responsesPrefix = "responses_"

// colLegacyResponses is the single collection earlier versions kept every
// survey's responses in; Open moves its documents to the surveys' own
// collections (migrateResponses).
const colLegacyResponses = "responses"

// responseIndexes are the indexes of every survey's response collection.
var responseIndexes = []index{
	// The hash chain's order: one record per sequence number.
	{name: "seq", keys: bson.D{{Key: "seq", Value: 1}}, unique: true},
	// One response per one-time code, and one per device on shared codes.
	{name: "once_key", keys: bson.D{{Key: "once_key", Value: 1}}, unique: true},
}

// responseColName is the name of a survey's response collection.
func responseColName(surveyID string) string { return responsesPrefix + surveyID }

// responses returns a survey's response collection. Reading one that does
// not exist yet reads nothing; writers call prepareResponses first.
func (s *Store) responses(surveyID string) *mongo.Collection {
	return s.db.Collection(responseColName(surveyID))
}

// ResponsesOf exposes a survey's raw response collection, for tests that
// store records past the chain's append path.
func (s *Store) ResponsesOf(surveyID string) *mongo.Collection { return s.responses(surveyID) }

// prepareResponses creates the survey's response collection and its unique
// indexes, once per process and survey (the chain state remembers it). The
// chain depends on the indexes, so no response is written without them.
func (s *Store) prepareResponses(ctx context.Context, surveyID string, c *chainState) error {
	if c.prepared {
		return nil
	}
	if err := s.ensureIndexesOf(ctx, responseColName(surveyID), responseIndexes); err != nil {
		return err
	}
	c.prepared = true
	return nil
}

// ResponseSurveys lists the surveys that have a response collection.
func (s *Store) ResponseSurveys(ctx context.Context) ([]string, error) {
	names, err := s.db.ListCollectionNames(ctx, bson.M{})
	if err != nil {
		return nil, fmt.Errorf("list response collections: %w", classify(err))
	}
	var out []string
	for _, n := range names {
		if id, ok := strings.CutPrefix(n, responsesPrefix); ok && id != "" {
			out = append(out, id)
		}
	}
	return out, nil
}

// migrateBatch is how many legacy documents one insert moves.
const migrateBatch = 1000

// migrateResponses moves the documents of the legacy shared collection into
// their surveys' own collections, unchanged, and then drops it. It runs at
// start, before anything is appended; an interrupted move is finished by the
// next start (documents already moved are recognised by their unique _id).
// Every replica must run this version before any accepts submissions again.
func (s *Store) migrateResponses(ctx context.Context) error {
	names, err := s.db.ListCollectionNames(ctx, bson.M{"name": colLegacyResponses})
	if err != nil {
		return fmt.Errorf("look for the legacy responses collection: %w", classify(err))
	}
	if len(names) == 0 {
		return nil
	}
	legacy := s.db.Collection(colLegacyResponses)
	cur, err := legacy.Find(ctx, bson.M{}, options.Find().SetBatchSize(migrateBatch))
	if err != nil {
		return fmt.Errorf("read legacy responses: %w", classify(err))
	}
	defer cur.Close(ctx)
	pending := map[string][]any{}
	prepared := map[string]bool{}
	moved := 0
	flush := func(id string) error {
		docs := pending[id]
		delete(pending, id)
		if len(docs) == 0 {
			return nil
		}
		if !prepared[id] {
			if err := s.ensureIndexesOf(ctx, responseColName(id), responseIndexes); err != nil {
				return err
			}
			prepared[id] = true
		}
		_, err := s.responses(id).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		var bwe mongo.BulkWriteException
		if errors.As(err, &bwe) && bwe.WriteConcernError == nil && allDuplicates(bwe.WriteErrors) {
			err = nil // moved by an earlier, interrupted start
		}
		if err != nil {
			return fmt.Errorf("move legacy responses of %s: %w", id, classify(err))
		}
		moved += len(docs)
		return nil
	}
	for cur.Next(ctx) {
		raw := append(bson.Raw(nil), cur.Current...)
		id, ok := raw.Lookup("survey_id").StringValueOK()
		if !ok || id == "" {
			return fmt.Errorf("legacy response %v has no survey id", raw.Lookup("_id"))
		}
		pending[id] = append(pending[id], raw)
		if len(pending[id]) >= migrateBatch {
			if err := flush(id); err != nil {
				return err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("read legacy responses: %w", classify(err))
	}
	for id := range pending {
		if err := flush(id); err != nil {
			return err
		}
	}
	if err := legacy.Drop(ctx); err != nil {
		return fmt.Errorf("drop the legacy responses collection: %w", classify(err))
	}
	s.log.Info("moved responses into one collection per survey", "responses", moved, "surveys", len(prepared))
	return nil
}

func allDuplicates(errs []mongo.BulkWriteError) bool {
	for _, e := range errs {
		if !mongo.IsDuplicateKeyError(e) {
			return false
		}
	}
	return len(errs) > 0
}
