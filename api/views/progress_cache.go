package views

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"renke/survey"
	"renke/web/console"
)

// Every open progress page asks for its survey's progress every 10 seconds,
// and computing it reads all the survey's responses. progressCache shares one
// computation per survey between all viewers: concurrent requests wait for the
// computation under way rather than starting their own, and a result is
// reused while it is younger than max(progressMinAge, progressCostFactor ×
// the time it took), which keeps the panel's cost under about a fifth of a
// core however many people watch.
const (
	progressMinAge     = 10 * time.Second
	progressCostFactor = 5
	// progressTimeout bounds one computation, which no single viewer's
	// request may cancel since others may be waiting for it.
	progressTimeout = 5 * time.Minute
)

type progressCache struct {
	mu      sync.Mutex
	entries map[string]*progressEntry // by survey id
	// runs counts computations (tests read it).
	runs atomic.Int64
}

// progressEntry is one survey's computation: under way until done is closed,
// then its result, reused until expires (on the server's clock).
type progressEntry struct {
	done    chan struct{}
	ready   bool // set under progressCache.mu with expires, before done closes
	expires time.Time
	p       console.Progress
	err     error
}

// Progress is the survey's progress as shared between viewers: the cached
// result while fresh, else one new computation. Updated says when the figures
// were computed; Status is the survey's current one.
func (s *Views) Progress(c *gin.Context, sv *survey.Survey) (console.Progress, error) {
	ctx := c.Request.Context()
	pc := &s.progressCache
	pc.mu.Lock()
	e := pc.entries[sv.ID]
	if e != nil && e.ready && !s.Now().Before(e.expires) {
		e = nil
	}
	if e == nil {
		e = &progressEntry{done: make(chan struct{})}
		pc.entries[sv.ID] = e
		pc.mu.Unlock()
		s.runProgress(ctx, sv, e)
	} else {
		pc.mu.Unlock()
	}
	select {
	case <-e.done:
	case <-ctx.Done():
		return console.Progress{}, ctx.Err()
	}
	if e.err != nil {
		return console.Progress{}, e.err
	}
	// A copy: callers trim and reverse the hours in place.
	p := e.p
	p.Quotas, p.Hours = slices.Clone(e.p.Quotas), slices.Clone(e.p.Hours)
	p.Status = string(sv.Status)
	return p, nil
}

// errProgressAborted answers the requests waiting for a computation that
// panicked (the panic itself goes on to the recovery middleware).
var errProgressAborted = errors.New("progress computation aborted")

// runProgress computes e for sv, publishes it and drops stale entries.
// A failed computation is not kept: the next request tries again.
func (s *Views) runProgress(ctx context.Context, sv *survey.Survey, e *progressEntry) {
	pc := &s.progressCache
	pc.runs.Add(1)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), progressTimeout)
	defer cancel()
	began := time.Now()
	p, err := console.Progress{}, errProgressAborted
	defer func() {
		took := time.Since(began)
		pc.mu.Lock()
		defer pc.mu.Unlock()
		e.p, e.err, e.ready = p, err, true
		e.expires = p.Updated.Add(max(progressMinAge, progressCostFactor*took))
		now := s.Now()
		for id, x := range pc.entries {
			if x.ready && (x.err != nil || !now.Before(x.expires)) {
				delete(pc.entries, id)
			}
		}
		close(e.done)
	}()
	p, err = s.computeProgress(ctx, sv)
}

// forgetProgress drops a survey's cached progress after this server changed
// what it shows (codes issued, overrides recorded). A computation under way
// still answers the requests already waiting for it.
func (s *Views) forgetProgress(surveyID string) {
	s.progressCache.mu.Lock()
	delete(s.progressCache.entries, surveyID)
	s.progressCache.mu.Unlock()
}
