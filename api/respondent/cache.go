package respondent

import (
	"context"
	"sync"
	"time"

	"renke/survey"
)

// lookups caches access codes (immutable once issued but for being voided:
// kept for codeTTL) and surveys (whose status may change: kept for a few
// seconds only) on the submission path.
type lookups struct {
	codes   *readCache[*survey.Code]
	surveys *readCache[*survey.Survey]
}

// codeTTL bounds how long a replica answers a voided code as live.
const codeTTL = 30 * time.Second

// surveyTTL bounds how long a replica answers a survey's status changed
// elsewhere (closed, reopened) as it was.
const surveyTTL = 3 * time.Second

// maxCachedCodes bounds the code cache; past it the cache starts afresh.
const maxCachedCodes = 200000

func newLookups() lookups {
	return lookups{
		codes:   newReadCache[*survey.Code](codeTTL, maxCachedCodes),
		surveys: newReadCache[*survey.Survey](surveyTTL, 0),
	}
}

func (s *Handler) code(ctx context.Context, code string) (*survey.Code, error) {
	return s.cache.codes.get(ctx, code, s.now(), func(ctx context.Context) (*survey.Code, error) {
		return s.store.Code(ctx, code)
	})
}

func (s *Handler) survey(ctx context.Context, id string) (*survey.Survey, error) {
	return s.cache.surveys.get(ctx, id, s.now(), func(ctx context.Context) (*survey.Survey, error) {
		return s.store.Survey(ctx, id)
	})
}

// readCache is a read-through cache of values loaded from the store, with
// refresh-ahead: a value is never served older than ttl; once it is half
// that old, the first caller to see it reloads it while the others go on
// with the cached value, and a missing or expired value is loaded by one
// caller while the others for the same key wait for it. So a popular key
// is never reloaded by every concurrent request at once. Errors are not
// cached.
type readCache[V any] struct {
	ttl, ahead time.Duration
	max        int // entries kept at most (0: no bound)

	mu      sync.Mutex
	gen     uint64 // bumped by forget: a load begun before it is not kept
	entries map[string]*cacheEntry[V]
	loads   map[string]*cacheLoad[V]
}

type cacheEntry[V any] struct {
	v          V
	at         time.Time
	refreshing bool
}

// cacheLoad is one load under way, which other callers wait for.
type cacheLoad[V any] struct {
	done chan struct{}
	v    V
	err  error
}

func newReadCache[V any](ttl time.Duration, max int) *readCache[V] {
	return &readCache[V]{ttl: ttl, ahead: ttl / 2, max: max,
		entries: map[string]*cacheEntry[V]{}, loads: map[string]*cacheLoad[V]{}}
}

// get returns key's value, loading it with load when it is missing or too old.
func (c *readCache[V]) get(ctx context.Context, key string, now time.Time, load func(context.Context) (V, error)) (V, error) {
	c.mu.Lock()
	if e := c.entries[key]; e != nil {
		switch age := now.Sub(e.at); {
		case age >= 0 && age < c.ahead:
			v := e.v // read under the lock: a refresh may be writing it
			c.mu.Unlock()
			return v, nil
		case age >= 0 && age < c.ttl:
			if e.refreshing {
				v := e.v
				c.mu.Unlock()
				return v, nil
			}
			e.refreshing = true
			gen := c.gen
			c.mu.Unlock()
			v, err := c.load(ctx, load)
			c.mu.Lock()
			e.refreshing = false
			if err == nil && gen == c.gen && c.entries[key] == e {
				e.v, e.at = v, now
			}
			old := e.v
			c.mu.Unlock()
			if err != nil {
				return old, nil // still fresh enough; the next caller tries again
			}
			return v, nil
		}
	}
	if l := c.loads[key]; l != nil {
		c.mu.Unlock()
		select {
		case <-l.done:
			return l.v, l.err
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
	}
	l := &cacheLoad[V]{done: make(chan struct{})}
	c.loads[key] = l
	gen := c.gen
	c.mu.Unlock()
	l.v, l.err = c.load(ctx, load)
	c.mu.Lock()
	delete(c.loads, key)
	if l.err == nil && gen == c.gen {
		if c.max > 0 && len(c.entries) >= c.max {
			c.entries = map[string]*cacheEntry[V]{}
		}
		c.entries[key] = &cacheEntry[V]{v: l.v, at: now}
	}
	c.mu.Unlock()
	close(l.done)
	return l.v, l.err
}

// loadTimeout bounds a load that other callers may be waiting for.
const loadTimeout = 10 * time.Second

// load runs load for every caller that waits on it: the one that runs it
// leaving does not cancel it for the others.
func (c *readCache[V]) load(ctx context.Context, load func(context.Context) (V, error)) (V, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), loadTimeout)
	defer cancel()
	return load(ctx)
}

// forget drops key, and keeps no load of it that began before.
func (c *readCache[V]) forget(key string) {
	c.mu.Lock()
	c.gen++
	delete(c.entries, key)
	c.mu.Unlock()
}

// forgetAll drops every entry, and keeps no load that began before.
func (c *readCache[V]) forgetAll() {
	c.mu.Lock()
	c.gen++
	c.entries = map[string]*cacheEntry[V]{}
	c.mu.Unlock()
}
