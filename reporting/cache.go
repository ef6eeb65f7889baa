package reporting

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"renke/account"
	"renke/hashchain"
	"renke/report"
	"renke/survey"
)

// ClosedSettle is how long a survey must have been closed before its
// responses are cached: a submission that was accepted just before the close
// may still be on its way into the store.
const ClosedSettle = time.Minute

// loadTimeout bounds one read of a survey's responses, which no single
// caller may cancel since others may be waiting for it.
const loadTimeout = 5 * time.Minute

// Cache keeps what surveys' reports are computed from, so that the report
// page, each of its downloads (HTML, PDF, Excel, replication file, JSON) and
// the city view do not each read every response again; callers asking at the
// same time share one read.
//
// Responses are never changed once stored and are chained in order, so a
// later build reads only the responses after those it holds, and checks that
// they continue the verified chain. A survey closed for ClosedSettle can
// receive none, and is not read again at all. The survey, frame and plan are
// read afresh on every build, and the evaluators' overrides, quality rules and
// audit trail by finish, so a change there shows at once. After ttl an entry
// is dropped and the next build reads and verifies everything again; data
// whose chain did not verify are never kept.
type Cache struct {
	max          int
	maxResponses int // 0: no bound but max
	ttl          time.Duration
	group        singleflight.Group

	mu      sync.Mutex
	entries map[string]*loaded // by survey id
	built   map[string]*built  // the last report of a held survey (finishMemo)
	audit   *auditSnap         // the last walk of the audit log
	loads   atomic.Int64
	extends atomic.Int64
	walks   atomic.Int64
	reused  atomic.Int64

	unmovedHits atomic.Int64 // builds of open surveys that read nothing new
	refreshes   atomic.Int64 // reads ahead of expiry
}

// auditTTL is how long one walk of the audit log serves the trails of all
// surveys' reports in this process (the city view builds them all at once).
// An entry appended by this process ends it at once, so a change made here
// shows in the next report; one made through another replica, within auditTTL.
const auditTTL = 15 * time.Second

// AuditWalks counts the walks of the audit log the cache has made.
func (c *Cache) AuditWalks() int64 { return c.walks.Load() }

// trail is Trail from the last walk of the audit log while it is fresh; with
// fresh set, from a walk that began after the call.
func (c *Cache) trail(ctx context.Context, st Source, surveyID string, fresh bool) ([]account.Entry, hashchain.Result, error) {
	called := time.Now()
	for range 2 {
		c.mu.Lock()
		snap := c.audit
		c.mu.Unlock()
		if snap != nil && time.Since(snap.at) < auditTTL && snap.appends == st.AuditAppends() && (!fresh || !snap.at.Before(called)) {
			return snap.trail(surveyID), snap.result, nil
		}
		ch := c.group.DoChan("\x00audit", func() (any, error) {
			c.walks.Add(1)
			lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), loadTimeout)
			defer cancel()
			s, err := walkAudit(lctx, st)
			if err != nil {
				return nil, err
			}
			c.mu.Lock()
			c.audit = s
			c.mu.Unlock()
			return s, nil
		})
		select {
		case res := <-ch:
			if res.Err != nil {
				return nil, hashchain.Result{}, res.Err
			}
		case <-ctx.Done():
			return nil, hashchain.Result{}, fmt.Errorf("read the audit log: %w", ctx.Err())
		}
		// A walk that began before this process's latest append is stale:
		// the loop walks once more.
	}
	s, err := walkAudit(ctx, st)
	if err != nil {
		return nil, hashchain.Result{}, err
	}
	return s.trail(surveyID), s.result, nil
}

// NewCache keeps the data of at most max surveys, each for at most ttl.
func NewCache(max int, ttl time.Duration) *Cache {
	return &Cache{max: max, ttl: ttl, entries: map[string]*loaded{}, built: map[string]*built{}}
}

// LimitResponses bounds the responses the cache holds over all its surveys
// (n < 1: no bound but the number of surveys); the survey read last is kept
// whatever its size. A held response of the default forms costs about
// 1.7 KB (BENCHMARKS.md); a kept report adds little, its data share the
// held responses.
func (c *Cache) LimitResponses(n int) *Cache {
	c.maxResponses = max(n, 0)
	return c
}

// Loads counts the reads of all of a survey's responses the cache has made.
func (c *Cache) Loads() int64 { return c.loads.Load() }

// Extends counts the reads of only the responses after those held.
func (c *Cache) Extends() int64 { return c.extends.Load() }

// Build computes the report of a survey as Build does, from cached data
// brought up to date.
func (c *Cache) Build(ctx context.Context, st Source, surveyID string) (*report.Published, error) {
	sv, err := st.Survey(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	l, err := c.data(ctx, st, sv, time.Now())
	if err != nil {
		return nil, err
	}
	return c.finishMemo(ctx, st, l)
}

// settled says no response can be added to the survey any more.
func settled(sv *survey.Survey, now time.Time) bool {
	return (sv.Status == survey.Closed || sv.Status == survey.Archived) && now.Sub(sv.Updated) >= ClosedSettle
}

// held returns the survey's entry while it is alive.
func (c *Cache) held(id string, now time.Time) *loaded {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l := c.entries[id]; l != nil && now.Sub(l.at) < c.ttl {
		return l
	}
	return nil
}

// data returns the survey's data up to date: the held entry itself when the
// survey had settled when it was read, else the entry extended by the
// responses stored since (or all of them, read afresh, when none is held).
func (c *Cache) data(ctx context.Context, st Source, sv *survey.Survey, now time.Time) (*loaded, error) {
	if l := c.held(sv.ID, now); l != nil && l.survey.Updated.Equal(sv.Updated) {
		if l.final {
			return l, nil
		}
		if same, err := c.unmoved(ctx, st, l, now); err != nil || same {
			return l, err
		}
	}
	key := sv.ID + "@" + sv.Updated.UTC().Format(time.RFC3339Nano)
	ch := c.group.DoChan(key, func() (any, error) {
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), loadTimeout)
		defer cancel()
		prev := c.held(sv.ID, now)
		if prev != nil {
			c.extends.Add(1)
		} else {
			c.loads.Add(1)
		}
		aseq, ahash, err := st.AuditHead(lctx)
		if err != nil {
			return nil, err
		}
		l, err := extend(lctx, st, sv, prev)
		if err != nil {
			return nil, err
		}
		l.auditSeq, l.auditHash = aseq, ahash
		l.final = settled(sv, now)
		if l.chainErr == nil {
			c.put(l)
		}
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

// put keeps l, dropping expired entries and then the oldest beyond max
// surveys or maxResponses responses (never l itself).
func (c *Cache) put(l *loaded) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[l.survey.ID] = l
	held := 0
	for id, e := range c.entries {
		if time.Since(e.at) >= c.ttl {
			c.drop(id)
			continue
		}
		held += len(e.responses)
	}
	for len(c.entries) > c.max || (c.maxResponses > 0 && held > c.maxResponses && len(c.entries) > 1) {
		var oldest string
		for id, e := range c.entries {
			if e != l && (oldest == "" || e.at.Before(c.entries[oldest].at)) {
				oldest = id
			}
		}
		if oldest == "" {
			return
		}
		held -= len(c.entries[oldest].responses)
		c.drop(oldest)
	}
}

// drop forgets a survey's data and its kept report; c.mu is held.
func (c *Cache) drop(id string) {
	delete(c.entries, id)
	delete(c.built, id)
}
