package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// colChainHeads keeps each survey's chain head: {_id: survey, seq, hash}.
//
// It is a hint, read by _id, so that a process starting to append to a long
// chain need not find the head among the responses (a scan of the whole
// collection on the embedded store, which uses no index but the unique ones
// for writes). It is written after a stored batch at most every hintEvery per
// survey and process, and for every chain when the store closes, so it never
// runs ahead of the chain and is exact after a clean stop. When it lags (a
// crash, or another replica's appends), the unique (survey_id, seq) index
// refuses the next append and the writer falls back to the responses.
const colChainHeads = "chain_heads"

// hintEvery is how often a process writes a survey's hint while appending:
// each write is one more write transaction, which the embedded store
// serialises with the inserts.
const hintEvery = time.Second

// hintTries is how many refused appends in a row a writer retries from the
// hint (another replica's head is written just after its batch) before it
// reads the head from the responses.
const hintTries = 3

// headHint returns the survey's hinted head; found is false when it has none.
func (s *Store) headHint(ctx context.Context, surveyID string) (seq int64, hash string, found bool, err error) {
	var doc struct {
		Seq  int64  `bson:"seq"`
		Hash string `bson:"hash"`
	}
	err = s.db.Collection(colChainHeads).FindOne(ctx, bson.M{"_id": surveyID}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, "", false, nil
	}
	if err != nil {
		return 0, "", false, fmt.Errorf("read chain head hint of %s: %w", surveyID, classify(err))
	}
	return doc.Seq, doc.Hash, true, nil
}

// setHeadHint moves the survey's hint forward to seq (never back). A failure
// is only logged: the hint is an optimisation, the chain is in the responses.
func (s *Store) setHeadHint(ctx context.Context, surveyID string, seq int64, hash string) {
	_, err := s.db.Collection(colChainHeads).UpdateOne(ctx,
		bson.M{"_id": surveyID, "seq": bson.M{"$lt": seq}},
		bson.M{"$set": bson.M{"seq": seq, "hash": hash}},
		options.UpdateOne().SetUpsert(true))
	if err != nil && !mongo.IsDuplicateKeyError(err) { // duplicate: the hint is already further on
		s.log.Warn("could not write the chain head hint", "survey", surveyID, "seq", seq, "error", err)
	}
}

// hintAfterBatch writes the chain's new head to its hint if the last write
// is older than hintEvery. c.mu is not held: only the flushing writer calls it.
func (s *Store) hintAfterBatch(ctx context.Context, surveyID string, c *chainState) {
	if now := time.Now(); now.Sub(c.hintAt) >= hintEvery {
		s.setHeadHint(ctx, surveyID, c.seq, c.hash)
		c.hinted, c.hintAt = c.seq, now
	}
}

// writeHints brings every chain's hint up to this process's head, when the
// store closes; appends have stopped by then, and it waits for the flushes
// that are still finishing.
func (s *Store) writeHints(ctx context.Context) {
	s.flushes.Wait()
	s.mu.Lock()
	type head struct {
		survey string
		seq    int64
		hash   string
	}
	var heads []head
	for id, c := range s.chains {
		c.mu.Lock()
		if c.known && c.seq > c.hinted {
			heads = append(heads, head{id, c.seq, c.hash})
		}
		c.mu.Unlock()
	}
	s.mu.Unlock()
	for _, h := range heads {
		s.setHeadHint(ctx, h.survey, h.seq, h.hash)
	}
}

// startHead is where a writer that does not know the head starts: the hint
// while it has been refused fewer than hintTries times in a row, else the
// responses.
func (s *Store) startHead(ctx context.Context, surveyID string, refused int) (int64, string, error) {
	if refused < hintTries {
		seq, hash, found, err := s.headHint(ctx, surveyID)
		if err != nil || found {
			return seq, hash, err
		}
	}
	return s.head(ctx, surveyID)
}
