package reporting

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"renke/config"
	"renke/report"
)

// built is a survey's last built report, kept with the fingerprint of
// everything it was computed from.
type built struct {
	key [sha256.Size]byte
	pub *report.Published
}

// fingerprint hashes every input of a survey's report but the responses
// themselves, which the chain head stands for (responses are never changed
// once stored, and the head's hash covers every one before it): the survey,
// frame and plan as read for l, the quality rules, the overrides and the
// survey's audit trail with the audit chain's state.
func fingerprint(ctx context.Context, st Source, l *loaded, c *Cache) ([sha256.Size]byte, error) {
	id := l.survey.ID
	rules, err := st.QualityRules(ctx, id)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	overrides, err := st.Overrides(ctx, id)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	trail, state, err := c.trail(ctx, st, id, false)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	chainErr := ""
	if l.chainErr != nil {
		chainErr = l.chainErr.Error()
	}
	b, err := json.Marshal([]any{l.survey, l.frame, l.plan, l.seq, l.head, len(l.responses), chainErr,
		rules, overrides, trail, state.Verified, state.Last, state.Head, fmt.Sprint(state.Err()), config.Version})
	if err != nil {
		return [sha256.Size]byte{}, fmt.Errorf("fingerprint the report of %s: %w", id, err)
	}
	return sha256.Sum256(b), nil
}

// finishMemo is finish with the last result of the survey reused while
// nothing it was computed from has changed: the city view and a report's
// downloads then cost the check, not the estimation. A reused report gets
// a fresh Data (its own generation time); reports with overrides no audit
// entry records yet are always built afresh, since that depends on the time.
func (c *Cache) finishMemo(ctx context.Context, st Source, l *loaded) (*report.Published, error) {
	key, err := fingerprint(ctx, st, l, c)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	b := c.built[l.survey.ID]
	c.mu.Unlock()
	if b != nil && b.key == key {
		c.reused.Add(1)
		p := *b.pub
		p.Generated = time.Now().UTC()
		return &p, nil
	}
	p, err := finish(ctx, st, l, c.trail)
	if p != nil && len(p.Unaudited) == 0 && l.chainErr == nil {
		c.mu.Lock()
		if _, held := c.entries[l.survey.ID]; held {
			c.built[l.survey.ID] = &built{key: key, pub: p}
		}
		c.mu.Unlock()
	}
	return p, err
}

// Reused counts the builds answered with a kept report.
func (c *Cache) Reused() int64 { return c.reused.Load() }
