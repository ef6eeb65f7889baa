package reporting

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"renke/report"
	"renke/store"
	"renke/survey"
)

// ClosedSettle is how long a survey must have been closed before its
// responses are cached: a submission that was accepted just before the close
// may still be on its way into the store.
const ClosedSettle = time.Minute

// loadTimeout bounds one read of a survey's responses, which no single
// caller may cancel since others may be waiting for it.
const loadTimeout = 5 * time.Minute

// Cache keeps what closed surveys' reports are computed from, so that the
// report page and each of its downloads (HTML, PDF, Excel, replication file,
// JSON) do not each read every response again; callers asking at the same
// time share one read. Only surveys closed for ClosedSettle are kept, as their
// responses no longer change; the evaluators' overrides are read afresh on
// every build, so a decision shows at once. A survey changed since it was
// read (its Updated time) is read again.
type Cache struct {
	max   int
	ttl   time.Duration
	group singleflight.Group

	mu      sync.Mutex
	entries map[string]*loaded // by survey id
	loads   atomic.Int64
}

// NewCache keeps the data of at most max surveys, each for at most ttl.
func NewCache(max int, ttl time.Duration) *Cache {
	return &Cache{max: max, ttl: ttl, entries: map[string]*loaded{}}
}

// Loads counts the reads of a survey's responses the cache has made.
func (c *Cache) Loads() int64 { return c.loads.Load() }

// Build computes the report of a survey as Build does, from cached data when
// the survey is closed and its data were read recently.
func (c *Cache) Build(ctx context.Context, st *store.Store, surveyID string) (*report.Report, *Data, error) {
	sv, err := st.Survey(ctx, surveyID)
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	if sv.Status != survey.Closed || now.Sub(sv.Updated) < ClosedSettle {
		c.loads.Add(1)
		l, err := load(ctx, st, sv)
		if err != nil {
			return nil, nil, err
		}
		return finish(ctx, st, l)
	}
	l, err := c.closed(ctx, st, sv, now)
	if err != nil {
		return nil, nil, err
	}
	return finish(ctx, st, l)
}

// closed returns the cached data of a closed survey, reading them when absent,
// stale or of an older version of the survey.
func (c *Cache) closed(ctx context.Context, st *store.Store, sv *survey.Survey, now time.Time) (*loaded, error) {
	c.mu.Lock()
	l := c.entries[sv.ID]
	c.mu.Unlock()
	if l != nil && l.survey.Updated.Equal(sv.Updated) && now.Sub(l.at) < c.ttl {
		return l, nil
	}
	key := sv.ID + "@" + sv.Updated.UTC().Format(time.RFC3339Nano)
	ch := c.group.DoChan(key, func() (any, error) {
		c.loads.Add(1)
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), loadTimeout)
		defer cancel()
		l, err := load(lctx, st, sv)
		if err != nil {
			return nil, err
		}
		c.put(l)
		return l, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.(*loaded), nil
	case <-ctx.Done():
		return nil, fmt.Errorf("read survey %s for its report: %w", sv.ID, ctx.Err())
	}
}

// put keeps l, dropping expired entries and then the oldest beyond max.
func (c *Cache) put(l *loaded) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[l.survey.ID] = l
	for id, e := range c.entries {
		if time.Since(e.at) >= c.ttl {
			delete(c.entries, id)
		}
	}
	for len(c.entries) > c.max {
		var oldest string
		for id, e := range c.entries {
			if oldest == "" || e.at.Before(c.entries[oldest].at) {
				oldest = id
			}
		}
		delete(c.entries, oldest)
	}
}
