package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// countPass is one pass counting a survey's stored responses by code.
type countPass struct {
	began  time.Time
	done   chan struct{}
	counts map[string]int64
	err    error
}

// codeCounts lets concurrent callers share passes over a survey's responses.
type codeCounts struct {
	mu      sync.Mutex
	running map[string]*countPass // by survey
}

// CountOfCode counts the stored responses of one code of a survey, from a pass
// over the survey's responses that began after the time given: every
// response stored before then is counted. Callers for one survey share
// passes, so the quota counters of all its codes, lost with an emptied Redis,
// are reloaded with one or two reads of the survey rather than one per code
// (on the embedded store every such read scans the whole collection).
func (s *Store) CountOfCode(ctx context.Context, surveyID, code string, after time.Time) (int64, error) {
	cc := &s.counts
	cc.mu.Lock()
	for {
		p := cc.running[surveyID]
		if p == nil {
			p = &countPass{began: time.Now(), done: make(chan struct{})}
			if cc.running == nil {
				cc.running = map[string]*countPass{}
			}
			cc.running[surveyID] = p
			cc.mu.Unlock()
			// The pass outlives a caller that gives up: the others wait for it.
			pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			p.counts, p.err = s.CountsByCode(pctx, surveyID)
			cancel()
			cc.mu.Lock()
			delete(cc.running, surveyID)
			close(p.done)
			cc.mu.Unlock()
			return p.counts[code], p.err
		}
		cc.mu.Unlock()
		select {
		case <-p.done:
		case <-ctx.Done():
			return 0, fmt.Errorf("count responses of code: %w", classify(ctx.Err()))
		}
		if p.began.After(after) {
			return p.counts[code], p.err
		}
		cc.mu.Lock() // it began too early: look for (or start) a later one
	}
}

// OnceHeld reports whether a stored response of the survey holds the
// uniqueness key (a one-time code, or a device on a shared code).
func (s *Store) OnceHeld(ctx context.Context, surveyID, key string) (bool, error) {
	n, err := s.responses(surveyID).CountDocuments(ctx, bson.M{"once_key": key}, options.Count().SetLimit(1))
	if err != nil {
		return false, fmt.Errorf("look up a uniqueness key of %s: %w", surveyID, classify(err))
	}
	return n > 0, nil
}
