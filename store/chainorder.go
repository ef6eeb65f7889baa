package store

import (
	"context"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// eachInChainOrder decodes every document of cur into a T and calls fn with
// them in sequence order first, first+1, … (seq tells a document's number);
// what names the documents in errors. The T passed to fn is reused between
// calls.
//
// The server is not asked to sort: the embedded FerretDB sorts by holding
// every document in memory. Documents come in insertion order there and in
// index order on MongoDB, which is chain order in both cases but for appends
// racing between replicas; the few that arrive early wait in a small buffer
// for their turn. Records after a gap in the chain (which a verifier reports)
// come last, in order.
func eachInChainOrder[T any](ctx context.Context, cur *mongo.Cursor, what string, first int64, seq func(*T) int64, fn func(*T) error) error {
	defer cur.Close(ctx)
	next := first
	early := map[int64]*T{}
	var doc T
	for cur.Next(ctx) {
		var zero T
		doc = zero
		if err := cur.Decode(&doc); err != nil {
			return fmt.Errorf("decode %s: %w", what, err)
		}
		if n := seq(&doc); n != next {
			d := doc
			early[n] = &d
			continue
		}
		if err := fn(&doc); err != nil {
			return err
		}
		for next++; early[next] != nil; next++ {
			d := early[next]
			delete(early, next)
			if err := fn(d); err != nil {
				return err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("read %s: %w", what, classify(err))
	}
	rest := make([]int64, 0, len(early))
	for n := range early {
		rest = append(rest, n)
	}
	slices.Sort(rest)
	for _, n := range rest {
		if err := fn(early[n]); err != nil {
			return err
		}
	}
	return nil
}
