package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renke/evidence/checkpoint"
	"renke/hashchain"
	"renke/signing"
)

// colCheckpoints keeps the signed checkpoints of every chain (see package
// checkpoint): a copy in the database, which a verifier compares the chain
// with; the copies that count are those kept outside it.
const colCheckpoints = "checkpoints"

// AuditChain names the audit log among the chains (head hints, checkpoints).
const AuditChain = checkpoint.AuditChain

func init() {
	addIndexes(colCheckpoints, index{name: "chain_seq", keys: bson.D{{Key: "chain", Value: 1}, {Key: "seq", Value: -1}}})
}

// CheckpointEvery is how often a growing chain gets a stored checkpoint.
const CheckpointEvery = time.Minute

// evidenceState is the store's signing key, when each chain was last
// checkpointed by this process, and the surveys' commitment keys.
type evidenceState struct {
	mu   sync.Mutex
	key  *signing.Key
	last map[string]cpMark

	kmu  sync.Mutex
	keys map[string][]byte // surveys' commitment keys read or made (see CommitKey)
}

type cpMark struct {
	at  time.Time
	seq int64
}

// SetSigningKey gives the store the server's key: from then on it writes a
// signed checkpoint of each chain at most every CheckpointEvery while the
// chain grows, when a survey closes and when the store closes.
func (s *Store) SetSigningKey(k *signing.Key) {
	s.evidence.mu.Lock()
	s.evidence.key = k
	s.evidence.mu.Unlock()
}

// SigningKey is the key set by SetSigningKey (nil: none).
func (s *Store) SigningKey() *signing.Key {
	s.evidence.mu.Lock()
	defer s.evidence.mu.Unlock()
	return s.evidence.key
}

// Checkpoint signs the chain's head seq/head now and stores it; without a
// signing key it returns nil.
func (s *Store) Checkpoint(ctx context.Context, chain string, seq int64, head string) (*checkpoint.Checkpoint, error) {
	k := s.SigningKey()
	if k == nil {
		return nil, nil
	}
	c := checkpoint.Sign(k, chain, seq, head, time.Now())
	if _, err := s.db.Collection(colCheckpoints).InsertOne(ctx, c); err != nil {
		return nil, fmt.Errorf("store checkpoint of %s: %w", chain, classify(err))
	}
	s.evidence.mu.Lock()
	if s.evidence.last == nil {
		s.evidence.last = map[string]cpMark{}
	}
	if seq >= s.evidence.last[chain].seq {
		s.evidence.last[chain] = cpMark{at: c.At, seq: seq}
	}
	s.evidence.mu.Unlock()
	return c, nil
}

// checkpointIfDue writes a checkpoint of a chain that grew to seq when the
// last one this process wrote is older than CheckpointEvery. A failure is
// logged: the chain is in the records; a checkpoint is extra evidence.
func (s *Store) checkpointIfDue(ctx context.Context, chain string, seq int64, head string, force bool) {
	s.evidence.mu.Lock()
	m := s.evidence.last[chain]
	due := s.evidence.key != nil && seq > m.seq && (force || time.Since(m.at) >= CheckpointEvery)
	s.evidence.mu.Unlock()
	if !due {
		return
	}
	if _, err := s.Checkpoint(ctx, chain, seq, head); err != nil {
		s.log.Warn("could not write a chain checkpoint", "chain", chain, "seq", seq, "error", err)
	}
}

// NewestCheckpoint returns the chain's stored checkpoint with the highest
// seq (nil when it has none).
func (s *Store) NewestCheckpoint(ctx context.Context, chain string) (*checkpoint.Checkpoint, error) {
	var c checkpoint.Checkpoint
	err := s.db.Collection(colCheckpoints).FindOne(ctx, bson.M{"chain": chain},
		options.FindOne().SetSort(bson.D{{Key: "seq", Value: -1}, {Key: "at", Value: -1}})).Decode(&c)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the newest checkpoint of %s: %w", chain, classify(err))
	}
	return &c, nil
}

// Anchors are what the database says of a chain's end besides its records:
// its head hint and its newest stored checkpoint. The checkpoint's signature
// is checked with the key it carries (a key rotated since still counts; a
// checkpoint changed after it was signed is an error).
func (s *Store) Anchors(ctx context.Context, chain string) ([]hashchain.Anchor, error) {
	var out []hashchain.Anchor
	a, found, err := s.HeadHint(ctx, chain)
	if err != nil {
		return nil, err
	}
	if found {
		out = append(out, a)
	}
	c, err := s.NewestCheckpoint(ctx, chain)
	if err != nil {
		return nil, err
	}
	if c != nil {
		if err := c.Verify(nil); err != nil {
			return nil, fmt.Errorf("the newest stored checkpoint of %s: %w", chain, err)
		}
		out = append(out, c.Anchor("the newest stored checkpoint"))
	}
	return out, nil
}

// checkpointClosed writes a checkpoint of a survey's chain as it closes.
func (s *Store) checkpointClosed(ctx context.Context, surveyID string) {
	if s.SigningKey() == nil {
		return
	}
	seq, head, err := s.head(ctx, surveyID)
	if err == nil && seq > 0 {
		_, err = s.Checkpoint(ctx, surveyID, seq, head)
	}
	if err != nil {
		s.log.Warn("could not checkpoint a closing survey's chain", "survey", surveyID, "error", err)
	}
}
