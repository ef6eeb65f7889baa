package store

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// countPass is one pass counting a survey's stored responses by code.
type countPass struct {
	ticket uint64 // calls with a smaller ticket arrived before the pass began
	done   chan struct{}
	counts map[string]int64
	err    error
}

// codeCounts lets concurrent callers share passes over a survey's responses.
type codeCounts struct {
	mu      sync.Mutex
	tick    uint64
	running map[string]*countPass // by survey
}

// CountOfCode counts the stored responses of one code of a survey, from a pass
// over the survey's responses that began after the call did: a response stored
// before the call is counted. Callers for one survey share passes, so the
// quota counters of all its codes, lost with an emptied Redis, are reloaded
// with one or two reads of the survey rather than one per code (on the
// embedded store every such read scans the whole collection).
func (s *Store) CountOfCode(ctx context.Context, surveyID, code string) (int64, error) {
	cc := &s.counts
	cc.mu.Lock()
	cc.tick++
	mine := cc.tick
	for {
		p := cc.running[surveyID]
		if p == nil {
			cc.tick++
			p = &countPass{ticket: cc.tick, done: make(chan struct{})}
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
		if p.ticket > mine { // the pass began after this call
			return p.counts[code], p.err
		}
		cc.mu.Lock() // it began before: look for (or start) a later one
	}
}
