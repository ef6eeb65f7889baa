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

	"renke/survey"
)

// responseDoc is a stored response: the domain record plus its uniqueness key.
type responseDoc struct {
	survey.Response `bson:",inline"`
	// OnceKey is unique: "c:<code>" for a one-time code, "d:<survey>:<device>" for a shared one.
	OnceKey string `bson:"once_key"`
}

// chainState orders appends to one survey's chain within this process and
// caches its head; across processes the unique seq index of the survey's
// response collection decides.
type chainState struct {
	mu       sync.Mutex
	prepared bool // the survey's response collection and indexes exist
	pending  []*appendReq
	flushing bool
	known    bool
	refused  int       // appends refused in a row for a taken sequence number
	hinted   int64     // the head last written to the survey's hint
	hintAt   time.Time // when
	seq      int64
	hash     string
}

// appendReq is one response waiting to be sealed and stored.
type appendReq struct {
	r     *survey.Response
	key   string
	tries int
	done  chan error
}

func (s *Store) chain(surveyID string) *chainState {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chains[surveyID]
	if c == nil {
		c = &chainState{}
		s.chains[surveyID] = c
	}
	return c
}

// OnceKey is the uniqueness key of a response.
func OnceKey(r *survey.Response) string {
	if r.CodeKind == survey.OneTimeCode {
		return "c:" + r.Code
	}
	return "d:" + r.SurveyID + ":" + r.DeviceID
}

// ErrAlreadyRecorded means this very submission (same response id) was stored
// before: a client retry whose first attempt succeeded.
var ErrAlreadyRecorded = errors.New("this submission was already recorded")

// ErrIDReused means the response id (the client's Idempotency-Key) already
// names another stored submission.
var ErrIDReused = errors.New("response id already used by another submission")

// maxBatch bounds one group commit.
const maxBatch = 256

// AppendResponse seals r into its survey's hash chain and stores it. It returns
// survey.ErrDuplicate when the one-time code or the device has answered already,
// ErrAlreadyRecorded when r itself was stored before, survey.ErrUnavailable when
// the store cannot be reached.
//
// Appends wait in a per-survey queue; whoever finds no flush under way starts
// one, which seals the queue in order and writes it in ordered InsertMany
// batches (group commit) until it is empty, so concurrent respondents share
// round trips without breaking the chain.
func (s *Store) AppendResponse(ctx context.Context, r *survey.Response) error {
	if err := s.commitPersonal(ctx, r); err != nil {
		return err
	}
	c := s.chain(r.SurveyID)
	req := &appendReq{r: r, key: OnceKey(r), done: make(chan error, 1)}
	c.mu.Lock()
	c.pending = append(c.pending, req)
	lead := !c.flushing
	if lead {
		c.flushing = true
	}
	c.mu.Unlock()
	if lead {
		// Its own goroutine: under sustained load the queue may not empty
		// for a long time, and no respondent should wait for others' batches.
		s.flushes.Add(1)
		go func() {
			defer s.flushes.Done()
			s.flush(context.WithoutCancel(ctx), c)
		}()
	}
	return <-req.done
}

// flush writes the queue until it is empty; each batch has its own deadline,
// since under sustained load the queue may not empty for a long time.
func (s *Store) flush(ctx context.Context, c *chainState) {
	for {
		c.mu.Lock()
		if len(c.pending) == 0 {
			c.flushing = false
			c.mu.Unlock()
			return
		}
		n := min(len(c.pending), maxBatch)
		batch := append([]*appendReq(nil), c.pending[:n]...)
		c.pending = c.pending[n:]
		c.mu.Unlock()
		bctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		retry := s.writeBatch(bctx, c, batch)
		cancel()
		if len(retry) > 0 {
			c.mu.Lock()
			c.pending = append(retry, c.pending...)
			c.mu.Unlock()
		}
	}
}

// writeBatch seals and inserts a batch in order. It answers every request it
// settles and returns the ones to try again (after the head moved).
func (s *Store) writeBatch(ctx context.Context, c *chainState, batch []*appendReq) (retry []*appendReq) {
	col := s.responses(batch[0].r.SurveyID)
	if err := s.prepareResponses(ctx, batch[0].r.SurveyID, c); err != nil {
		for _, q := range batch {
			q.done <- err
		}
		return nil
	}
	if !c.known {
		seq, hash, err := s.startHead(ctx, batch[0].r.SurveyID, c.refused)
		if err != nil {
			for _, q := range batch {
				q.done <- err
			}
			return nil
		}
		c.seq, c.hash, c.known = seq, hash, true
	}
	docs := make([]any, len(batch))
	seq, hash := c.seq, c.hash
	for i, q := range batch {
		q.r.Seal(seq, hash)
		seq, hash = q.r.Seq, q.r.Hash
		docs[i] = responseDoc{Response: *q.r, OnceKey: q.key}
	}
	_, err := col.InsertMany(ctx, docs, options.InsertMany().SetOrdered(true))
	if err == nil {
		c.seq, c.hash, c.refused = seq, hash, 0
		// Answer first: the hint and checkpoint are this flush's own
		// writes, and no respondent whose answers are stored waits for them.
		for _, q := range batch {
			q.done <- nil
		}
		s.hintAfterBatch(ctx, batch[0].r.SurveyID, c)
		return nil
	}
	// Ordered: the documents before the first failure are stored.
	failed := 0
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) && len(bwe.WriteErrors) > 0 && bwe.WriteConcernError == nil {
		failed = bwe.WriteErrors[0].Index
	} else {
		// The outcome is unknown: reread the head, and let clients retry
		// (a retry of a stored submission is recognised by its id).
		c.known = false
		for _, q := range batch {
			q.done <- fmt.Errorf("store response: %w", classify(err))
		}
		return nil
	}
	for _, q := range batch[:failed] {
		q.done <- nil
	}
	if failed > 0 {
		c.seq, c.hash, c.refused = batch[failed-1].r.Seq, batch[failed-1].r.Hash, 0
		s.hintAfterBatch(ctx, batch[0].r.SurveyID, c)
	}
	bad := batch[failed]
	rest := batch[failed+1:]
	if !mongo.IsDuplicateKeyError(bwe.WriteErrors[0]) {
		c.known = false
		bad.done <- fmt.Errorf("store response: %w", classify(bwe.WriteErrors[0]))
		return rest
	}
	// Which unique index refused it? The id (this very submission, stored
	// before), the once key, or a sequence number another process took first
	// (then reload the head and try again).
	var prior responseDoc
	ferr := col.FindOne(ctx, bson.M{"_id": bad.r.ID}).Decode(&prior)
	if errors.Is(ferr, mongo.ErrNoDocuments) {
		ferr = col.FindOne(ctx, bson.M{"once_key": bad.key}).Decode(&prior)
	}
	switch {
	case ferr == nil && prior.ID == bad.r.ID && prior.OnceKey != bad.key:
		// The id names another stored submission: a reused Idempotency-Key.
		bad.done <- fmt.Errorf("store response: %w", ErrIDReused)
	case ferr == nil && prior.ID == bad.r.ID:
		*bad.r = prior.Response
		bad.done <- ErrAlreadyRecorded
	case ferr == nil:
		bad.done <- fmt.Errorf("store response: %w", survey.ErrDuplicate)
	case !errors.Is(ferr, mongo.ErrNoDocuments):
		bad.done <- fmt.Errorf("store response: %w", classify(ferr))
	default:
		c.known = false
		c.refused++
		if bad.tries++; bad.tries > 50 {
			bad.done <- fmt.Errorf("store response: %w: chain head kept moving", ErrUnavailable)
		} else {
			rest = append([]*appendReq{bad}, rest...)
		}
	}
	return rest
}

// head returns the survey's last sequence number and hash (0 and the genesis when empty).
func (s *Store) head(ctx context.Context, surveyID string) (int64, string, error) {
	if s.direct != nil {
		seq, hash, found, err := s.direct.Last(ctx, s.db.Name(), responseColName(surveyID))
		if err != nil {
			return 0, "", fmt.Errorf("read chain head of %s: %w", surveyID, err)
		}
		if !found {
			return 0, survey.GenesisHash, nil
		}
		return seq, hash, nil
	}
	var last survey.Response
	err := s.responses(surveyID).FindOne(ctx, bson.M{},
		options.FindOne().SetSort(bson.D{{Key: "seq", Value: -1}}).SetProjection(bson.M{"seq": 1, "hash": 1})).Decode(&last)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, survey.GenesisHash, nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("read chain head of %s: %w", surveyID, classify(err))
	}
	return last.Seq, last.Hash, nil
}

// Head returns the survey's chain head: its last sequence number and hash.
func (s *Store) Head(ctx context.Context, surveyID string) (int64, string, error) {
	return s.head(ctx, surveyID)
}

// EachResponse calls fn for every response of a survey in chain order
// (see eachInChainOrder). The *Response passed to fn is reused between calls.
func (s *Store) EachResponse(ctx context.Context, surveyID string, fn func(*survey.Response) error) error {
	return s.EachResponseAfter(ctx, surveyID, 0, fn)
}

// EachResponseAfter is EachResponse for the responses after sequence number
// after: what a reader holding the chain up to there has not seen.
func (s *Store) EachResponseAfter(ctx context.Context, surveyID string, after int64, fn func(*survey.Response) error) error {
	if s.direct != nil {
		if err := s.direct.EachResponseAfter(ctx, s.db.Name(), responseColName(surveyID), after, fn); err != nil {
			return fmt.Errorf("read responses of %s: %w", surveyID, err)
		}
		return nil
	}
	filter := bson.M{}
	if after > 0 {
		filter["seq"] = bson.M{"$gt": after}
	}
	cur, err := s.responses(surveyID).Find(ctx, filter, options.Find().SetBatchSize(2000))
	if err != nil {
		return fmt.Errorf("read responses of %s: %w", surveyID, classify(err))
	}
	return eachInChainOrder(ctx, cur, "responses of "+surveyID, after+1,
		func(d *responseDoc) int64 { return d.Seq },
		func(d *responseDoc) error { return fn(&d.Response) })
}

// CountsByCode counts a survey's responses per code.
func (s *Store) CountsByCode(ctx context.Context, surveyID string) (map[string]int64, error) {
	cur, err := s.responses(surveyID).Aggregate(ctx, mongo.Pipeline{
		{{Key: "$group", Value: bson.M{"_id": "$code", "n": bson.M{"$sum": 1}}}},
	})
	if err != nil {
		return nil, fmt.Errorf("count responses by code: %w", classify(err))
	}
	var rows []struct {
		Code string `bson:"_id"`
		N    int64  `bson:"n"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, fmt.Errorf("count responses by code: %w", classify(err))
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Code] = r.N
	}
	return out, nil
}

// RawDocument is the document AppendResponse would store for r under id,
// for benchmarks that measure bare inserts of the same documents.
func RawDocument(r *survey.Response, id string) any {
	d := responseDoc{Response: *r, OnceKey: "raw:" + id}
	d.ID = id
	return d
}
