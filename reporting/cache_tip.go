package reporting

import (
	"context"
	"time"
)

// unmoved says an open survey's held data are still all there is: its
// chain's tip and the audit log's head are where they were when the data
// were read (the survey itself was compared by the caller). Then nothing is
// read again but the overrides, quality rules and audit trail finish reads
// anyway: the frame, plan, anchors and commitment key are kept, and the
// responses after the held ones are known to be none. Both tips are one
// index entry on MongoDB and on the embedded store (store.Direct).
//
// Held data older than 3/4 of the cache's lifetime are read whole again in
// the background meanwhile (refreshAhead), so that a city view never finds
// them all expired at once, and a record changed in the store behind the
// chain is found within the lifetime as before.
func (c *Cache) unmoved(ctx context.Context, st Source, l *loaded, now time.Time) (bool, error) {
	seq, head, err := st.Tip(ctx, l.survey.ID)
	if err != nil {
		return false, err
	}
	if seq != l.seq || (seq > 0 && head != l.head) {
		return false, nil
	}
	aseq, ahash, err := st.AuditHead(ctx)
	if err != nil {
		return false, err
	}
	if aseq != l.auditSeq || ahash != l.auditHash {
		return false, nil
	}
	if now.Sub(l.at) >= c.ttl*3/4 {
		c.refreshAhead(st, l)
	}
	c.unmovedHits.Add(1)
	return true, nil
}

// refreshAhead reads the survey of l whole again in the background and
// keeps the result in l's place; data whose chain no longer verifies are
// dropped, so that the next build reads them and names the break.
func (c *Cache) refreshAhead(st Source, l *loaded) {
	key := "\x00refresh " + l.survey.ID
	c.group.DoChan(key, func() (any, error) {
		ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
		defer cancel()
		c.refreshes.Add(1)
		aseq, ahash, err := st.AuditHead(ctx)
		if err != nil {
			return nil, err
		}
		fresh, err := load(ctx, st, l.survey)
		if err != nil {
			return nil, err
		}
		fresh.auditSeq, fresh.auditHash = aseq, ahash
		if fresh.chainErr != nil {
			c.mu.Lock()
			c.drop(l.survey.ID)
			c.mu.Unlock()
			return nil, nil
		}
		c.put(fresh)
		return nil, nil
	})
}

// Unmoved counts the builds of open surveys that read no response because
// neither the chain's tip nor the audit log's head had moved.
func (c *Cache) Unmoved() int64 { return c.unmovedHits.Load() }

// Refreshes counts the reads made ahead of the data's expiry.
func (c *Cache) Refreshes() int64 { return c.refreshes.Load() }
