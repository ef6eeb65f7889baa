package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renke/account"
	"renke/hashchain"
)

const colAudit = "audit"

func init() {
	addIndexes(colAudit,
		index{name: "at", keys: bson.D{{Key: "at", Value: -1}}},
		index{name: "county_at", keys: bson.D{{Key: "county", Value: 1}, {Key: "at", Value: -1}}},
		index{name: "survey_at", keys: bson.D{{Key: "survey", Value: 1}, {Key: "at", Value: -1}}},
		// The audit chain's order: one entry per sequence number.
		index{name: "seq", keys: bson.D{{Key: "seq", Value: 1}}, unique: true},
	)
}

// auditTries is how many times an append re-reads the chain's head after
// another process took the sequence number it meant to use; it waits a
// random while, growing with each try, before the next.
const auditTries = 12

// auditChain orders this process's appends to the audit chain and caches its
// head; across processes the unique seq index decides.
type auditChain struct {
	mu       sync.Mutex
	known    bool // seq and hash are the head as of this process's last append
	seq      int64
	hash     string
	appended atomic.Int64 // entries this process has appended
}

// AuditAppends counts the entries this process has appended to the audit
// log: a reader holding a copy of the log knows it is stale for this process
// when the count moved.
func (s *Store) AuditAppends() int64 { return s.audit.appended.Load() }

// AppendAudit seals an entry into the audit chain and stores it. The log is
// append-only: the store offers no way to change or delete an entry.
func (s *Store) AppendAudit(ctx context.Context, e *account.Entry) error {
	if err := s.stampSettings(ctx, e); err != nil {
		return fmt.Errorf("append audit entry %s: %w", e.Action, err)
	}
	a := &s.audit
	a.mu.Lock()
	defer a.mu.Unlock()
	for try := 0; try < auditTries; try++ {
		if !a.known {
			seq, hash, err := s.AuditHead(ctx)
			if err != nil {
				return fmt.Errorf("append audit entry %s: %w", e.Action, err)
			}
			a.known, a.seq, a.hash = true, seq, hash
		}
		e.Seal(a.seq, a.hash)
		_, err := s.db.Collection(colAudit).InsertOne(ctx, e)
		if err == nil {
			a.seq, a.hash = e.Seq, e.Hash
			a.appended.Add(1)
			// The hint and checkpoints tell a verifier where the log
			// ended, should its tail be deleted.
			s.setHeadHint(ctx, AuditChain, e.Seq, e.Hash)
			s.checkpointIfDue(ctx, AuditChain, e.Seq, e.Hash, false)
			return nil
		}
		a.known = false
		if !mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("append audit entry %s: %w", e.Action, classify(err))
		}
		// Another process appended at this seq, or an earlier try of this
		// very entry was stored though its answer was lost.
		if n, cerr := s.db.Collection(colAudit).CountDocuments(ctx, bson.M{"_id": e.ID}); cerr == nil && n > 0 {
			a.appended.Add(1)
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("append audit entry %s: %w", e.Action, ctx.Err())
		case <-time.After(time.Duration(rand.Int64N(int64(time.Millisecond) << min(try, 6)))):
		}
	}
	return fmt.Errorf("append audit entry %s: the audit chain's head kept moving (%d tries)", e.Action, auditTries)
}

// AuditHead returns the audit chain's last sequence number and hash (0 and
// the genesis hash when the log is empty).
func (s *Store) AuditHead(ctx context.Context) (int64, string, error) {
	if s.direct != nil {
		seq, hash, found, err := s.direct.Last(ctx, s.db.Name(), colAudit)
		if err != nil {
			return 0, "", fmt.Errorf("read the audit chain's head: %w", err)
		}
		if !found {
			return 0, hashchain.Genesis, nil
		}
		return seq, hash, nil
	}
	var doc struct {
		Seq  int64  `bson:"seq"`
		Hash string `bson:"hash"`
	}
	err := s.db.Collection(colAudit).FindOne(ctx, bson.M{"seq": bson.M{"$gt": 0}},
		options.FindOne().SetSort(bson.D{{Key: "seq", Value: -1}}).SetProjection(bson.M{"seq": 1, "hash": 1})).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, hashchain.Genesis, nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("read the audit chain's head: %w", classify(err))
	}
	return doc.Seq, doc.Hash, nil
}

// EachAudit calls fn for every audit entry in chain order (see
// eachInChainOrder). The *Entry passed to fn is reused between calls.
func (s *Store) EachAudit(ctx context.Context, fn func(*account.Entry) error) error {
	cur, err := s.db.Collection(colAudit).Find(ctx, bson.M{}, options.Find().SetBatchSize(2000))
	if err != nil {
		return fmt.Errorf("read audit log: %w", classify(err))
	}
	return eachInChainOrder(ctx, cur, "audit log", 1, func(e *account.Entry) int64 { return e.Seq }, fn)
}

// chainLegacyAudit seals, in the order they were written, the audit entries
// that an earlier version of renke stored before the log was a chain: it
// adds their seq and hashes and changes nothing else. It runs at start,
// before the unique seq index is created (entries without a seq would
// collide in it).
func (s *Store) chainLegacyAudit(ctx context.Context) error {
	cur, err := s.db.Collection(colAudit).Find(ctx, bson.M{"seq": bson.M{"$exists": false}},
		options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return fmt.Errorf("find unchained audit entries: %w", classify(err))
	}
	var legacy []account.Entry
	if err := cur.All(ctx, &legacy); err != nil {
		return fmt.Errorf("find unchained audit entries: %w", classify(err))
	}
	if len(legacy) == 0 {
		return nil
	}
	seq, hash, err := s.AuditHead(ctx)
	if err != nil {
		return err
	}
	for i := range legacy {
		e := &legacy[i]
		e.Seal(seq, hash)
		if _, err := s.db.Collection(colAudit).UpdateOne(ctx, bson.M{"_id": e.ID, "seq": bson.M{"$exists": false}},
			bson.M{"$set": bson.M{"seq": e.Seq, "prev_hash": e.PrevHash, "hash": e.Hash}}); err != nil {
			return fmt.Errorf("chain audit entry %s: %w", e.ID, classify(err))
		}
		seq, hash = e.Seq, e.Hash
	}
	s.log.Info("sealed audit entries written before the audit log was a hash chain", "entries", len(legacy), "head_seq", seq)
	return nil
}

// AuditFilter selects audit entries; empty fields select everything.
type AuditFilter struct {
	County string // entries about this county
	Survey string // entries about this survey
	Actor  string // entries by this user name
	// Counties, when not nil, keeps only entries about these counties.
	Counties []string
	// Before, when set, keeps entries strictly older (for paging).
	Before time.Time
}

// MaxAuditPage bounds one read of the audit log.
const MaxAuditPage = 1000

// Audit returns up to limit entries matching f, newest first (limit is
// capped at MaxAuditPage; 0 means MaxAuditPage). The report package calls it
// with a survey to include that survey's trail.
func (s *Store) Audit(ctx context.Context, f AuditFilter, limit int) ([]account.Entry, error) {
	if limit <= 0 || limit > MaxAuditPage {
		limit = MaxAuditPage
	}
	filter := bson.M{}
	if f.County != "" {
		filter["county"] = f.County
	}
	if f.Survey != "" {
		filter["survey"] = f.Survey
	}
	if f.Actor != "" {
		filter["actor"] = f.Actor
	}
	if f.Counties != nil {
		if f.County != "" {
			filter["county"] = bson.M{"$eq": f.County, "$in": f.Counties}
		} else {
			filter["county"] = bson.M{"$in": f.Counties}
		}
	}
	if !f.Before.IsZero() {
		filter["at"] = bson.M{"$lt": f.Before}
	}
	cur, err := s.db.Collection(colAudit).Find(ctx, filter,
		options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", classify(err))
	}
	out := []account.Entry{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read audit log: %w", classify(err))
	}
	return out, nil
}
