package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renke/hashchain"
	"renke/survey"
)

// colChainHeads keeps each survey's chain head, and the audit log's under
// AuditChain: {_id: survey or "audit", seq, hash, at}.
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
	a, found, err := s.HeadHint(ctx, surveyID)
	return a.Seq, a.Head, found, err
}

// HeadHint returns a chain's head hint (a survey id, or AuditChain for the
// audit log) as an anchor for verification; found is false when it has none.
// The hint is written after the records, so a chain shorter than its hint
// lost its tail.
func (s *Store) HeadHint(ctx context.Context, chain string) (a hashchain.Anchor, found bool, err error) {
	var doc struct {
		Seq  int64     `bson:"seq"`
		Hash string    `bson:"hash"`
		At   time.Time `bson:"at"`
	}
	err = s.db.Collection(colChainHeads).FindOne(ctx, bson.M{"_id": chain}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return a, false, nil
	}
	if err != nil {
		return a, false, fmt.Errorf("read chain head hint of %s: %w", chain, classify(err))
	}
	return hashchain.Anchor{Source: "the head hint", Seq: doc.Seq, Head: doc.Hash, At: doc.At}, true, nil
}

// setHeadHint moves the survey's hint forward to seq (never back). A failure
// is only logged: the hint is an optimisation, the chain is in the responses.
func (s *Store) setHeadHint(ctx context.Context, surveyID string, seq int64, hash string) {
	_, err := s.db.Collection(colChainHeads).UpdateOne(ctx,
		bson.M{"_id": surveyID, "seq": bson.M{"$lt": seq}},
		bson.M{"$set": bson.M{"seq": seq, "hash": hash, "at": time.Now().UTC()}},
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
	s.checkpointIfDue(ctx, surveyID, c.seq, c.hash, false)
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
	// Every chain this process extended gets a checkpoint of its last head.
	for id, c := range s.chainHeads() {
		s.checkpointIfDue(ctx, id, c.Seq, c.Head, true)
	}
}

// chainHeads are the heads this process knows of the chains it appended
// to, the audit log's included.
func (s *Store) chainHeads() map[string]hashchain.Anchor {
	out := map[string]hashchain.Anchor{}
	s.mu.Lock()
	for id, c := range s.chains {
		c.mu.Lock()
		if c.known {
			out[id] = hashchain.Anchor{Seq: c.seq, Head: c.hash}
		}
		c.mu.Unlock()
	}
	s.mu.Unlock()
	s.audit.mu.Lock()
	if s.audit.known && s.audit.appended.Load() > 0 {
		out[AuditChain] = hashchain.Anchor{Seq: s.audit.seq, Head: s.audit.hash}
	}
	s.audit.mu.Unlock()
	return out
}

// startHead is where a writer that does not know the head starts: the hint
// while it has been refused fewer than hintTries times in a row, else the
// responses.
func (s *Store) startHead(ctx context.Context, surveyID string, refused int) (int64, string, error) {
	if refused < hintTries {
		seq, hash, found, err := s.headHint(ctx, surveyID)
		if err != nil {
			return 0, "", err
		}
		if found {
			return seq, hash, s.checkTail(ctx, surveyID, seq)
		}
	}
	seq, hash, err := s.head(ctx, surveyID)
	if err != nil {
		return 0, "", err
	}
	return seq, hash, s.checkTail(ctx, surveyID, 0)
}

// ErrTailCut means a chain is shorter than its head hint or its newest
// checkpoint says it was: records were deleted from its end. Nothing is
// appended to such a chain (a deleted response's one-time code would be
// accepted again) until an administrator has looked into it.
var ErrTailCut = errors.New("the chain's tail was deleted")

// checkTail refuses to append to a survey's chain whose record at its hint
// (seq, when not 0) or at its newest stored checkpoint is gone: one indexed
// lookup each, when a writer starts on the chain.
func (s *Store) checkTail(ctx context.Context, surveyID string, hinted int64) error {
	seqs := []int64{hinted}
	cp, err := s.NewestCheckpoint(ctx, surveyID)
	if err != nil {
		return err
	}
	if cp != nil {
		seqs = append(seqs, cp.Seq)
	}
	for _, seq := range seqs {
		if seq <= 0 {
			continue
		}
		n, err := s.responses(surveyID).CountDocuments(ctx, bson.M{"survey_id": surveyID, "seq": seq})
		if err != nil {
			return fmt.Errorf("check the chain tail of %s: %w", surveyID, classify(err))
		}
		if n == 0 {
			s.log.Error("a survey's response chain lost its tail; appends refused", "survey", surveyID, "missing_seq", seq)
			return fmt.Errorf("store response: %w: %w (seq %d)", survey.ErrUnavailable, ErrTailCut, seq)
		}
	}
	return nil
}
