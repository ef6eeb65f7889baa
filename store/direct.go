package store

import (
	"context"

	"renke/survey"
)

// Direct reads the store's responses past the MongoDB driver, faster than
// the server can answer: the embedded store implements it over its SQLite
// files (embedded.Direct), where FerretDB would decode every document of a
// survey to answer any query on it. A store without one (MongoDB) reads
// through the driver, whose queries its indexes serve.
type Direct interface {
	// EachResponseAfter calls fn with every response of the collection
	// whose seq is above after, in seq order; the *Response is reused.
	EachResponseAfter(ctx context.Context, database, collection string, after int64, fn func(*survey.Response) error) error
	// Last is the seq and hash of the collection's document with the
	// highest seq; found is false when it holds none.
	Last(ctx context.Context, database, collection string) (seq int64, hash string, found bool, err error)
	// CodesOf lists the codes of one kind of a survey kept in the
	// collection, in the order they were stored.
	CodesOf(ctx context.Context, database, collection, surveyID string, kind survey.CodeKind) ([]survey.Code, error)
}

// UseDirect makes the store read responses and chain heads through d (nil:
// through the driver again). Call it before the store is used.
func (s *Store) UseDirect(d Direct) { s.direct = d }

// Tip returns the survey's chain head (its last sequence number and hash,
// 0 and the genesis when empty) as cheaply as the store can: one index
// entry, on MongoDB and through Direct alike.
func (s *Store) Tip(ctx context.Context, surveyID string) (int64, string, error) {
	return s.head(ctx, surveyID)
}
