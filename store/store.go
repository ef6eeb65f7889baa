// Package store is renke's storage adapter: the only code that knows MongoDB.
// It speaks to a real MongoDB replica set or to the embedded FerretDB through
// the same driver and the same code path.
package store

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"
)

// Collection names.
const (
	colSurveys = "surveys"
	colCodes   = "codes"
)

// Store is a connection to the database with renke's collections.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	log    *slog.Logger

	mu     sync.Mutex
	chains map[string]*chainState // per-survey append lock and cached head

	audit    auditChain     // this process's appends to the audit chain
	evidence evidenceState  // the signing key and checkpoint times
	counts   codeCounts     // shared passes counting responses by code
	flushes  sync.WaitGroup // flushes under way, for Close
	closed   atomic.Bool
	direct   Direct // a faster reader of responses, when the store has one
}

// Open connects to uri, checks the server answers and creates the indexes.
func Open(ctx context.Context, uri, database string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.Default()
	}
	opts := options.Client().ApplyURI(uri).
		SetServerSelectionTimeout(5 * time.Second).
		SetConnectTimeout(5 * time.Second).
		SetRetryWrites(true).
		SetWriteConcern(writeconcern.Majority()).
		SetMaxPoolSize(128).
		SetAppName("renke")
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("connect to MongoDB: %w", classify(err))
	}
	s := &Store{client: client, db: client.Database(database), log: log, chains: map[string]*chainState{}}
	if err := s.Ping(ctx); err != nil {
		client.Disconnect(context.Background())
		return nil, fmt.Errorf("connect to MongoDB: %w", err)
	}
	if err := s.chainLegacyAudit(ctx); err != nil {
		client.Disconnect(context.Background())
		return nil, err
	}
	if err := s.ensureIndexes(ctx); err != nil {
		client.Disconnect(context.Background())
		return nil, err
	}
	if err := s.migrateResponses(ctx); err != nil {
		client.Disconnect(context.Background())
		return nil, err
	}
	if err := s.migrateCodes(ctx); err != nil {
		client.Disconnect(context.Background())
		return nil, err
	}
	return s, nil
}

// Ping checks that the primary answers.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := s.client.Ping(ctx, readpref.Primary()); err != nil {
		return classify(err)
	}
	return nil
}

// Close writes the chain head hints and disconnects; later calls do nothing.
func (s *Store) Close(ctx context.Context) error {
	if s.closed.Swap(true) {
		return nil
	}
	s.writeHints(ctx)
	return s.client.Disconnect(ctx)
}

// Collection exposes a raw collection for benchmarks that measure the store's own limit.
func (s *Store) Collection(name string) *mongo.Collection { return s.db.Collection(name) }
