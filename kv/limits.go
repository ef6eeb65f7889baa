package kv

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limit is one per-minute budget of submissions.
type Limit struct {
	Key       string
	PerMinute int
}

// limitKey is a budget's counter. Budgets named "survey:<id>" and
// "code:<survey id>:<code>" end with their survey (EndSurvey).
func (c *Client) limitKey(key string) string { return c.ns + "lim:" + key }

// AllowAll takes one event from each budget, counting in fixed one-minute
// windows (a window starts at its key's first event). It returns whether
// every budget allowed the event and, when not, how long until the fullest
// one's window ends. Refused events count too, so a client that keeps trying
// stays refused.
func (c *Client) AllowAll(ctx context.Context, limits []Limit) (bool, time.Duration, error) {
	a, err := c.Admit(ctx, limits, "", "")
	return a.Allowed, a.Retry, err
}

// Admission is Redis's answer to a submission before it is stored.
type Admission struct {
	// Allowed: every budget allowed the submission; else Retry is how long
	// until the fullest one's window ends.
	Allowed bool
	Retry   time.Duration
	// Holder is the id of the stored response that holds the uniqueness key
	// asked about ("" when Redis knows of none).
	Holder string
}

// Admit takes one event from each budget (as AllowAll) and, in the same
// round trip, reads who holds the uniqueness key once of survey surveyID
// (none asked when once is ""). One pipelined INCR per budget and one HGET,
// no Lua and no MULTI: the in-process Redis answers each command with a
// write of its own, and runs a script in a fresh interpreter (about 0.5 ms
// under its global lock). A second round trip, rare, starts a window's
// expiry or reads a refusal's wait.
func (c *Client) Admit(ctx context.Context, limits []Limit, surveyID, once string) (Admission, error) {
	incr := make([]*redis.IntCmd, len(limits))
	var holder *redis.StringCmd
	cmds, err := c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, l := range limits {
			incr[i] = p.Incr(ctx, c.limitKey(l.Key))
		}
		if once != "" {
			holder = p.HGet(ctx, c.onceKey(surveyID), once)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return Admission{}, fmt.Errorf("%w: rate limit: %v", ErrUnavailable, err)
	}
	for _, cmd := range cmds {
		if err := cmd.Err(); err != nil && !errors.Is(err, redis.Nil) {
			return Admission{}, fmt.Errorf("%w: rate limit: %v", ErrUnavailable, err)
		}
	}
	a := Admission{}
	if holder != nil {
		a.Holder = holder.Val()
	}
	ttl := make([]*redis.DurationCmd, len(limits))
	follow := false
	p := c.rdb.Pipeline()
	for i, l := range limits {
		switch n := incr[i].Val(); {
		case n == 1:
			p.Expire(ctx, c.limitKey(l.Key), time.Minute)
			follow = true
		case n > int64(l.PerMinute):
			ttl[i] = p.PTTL(ctx, c.limitKey(l.Key))
			follow = true
		}
	}
	if follow {
		if _, err := p.Exec(ctx); err != nil {
			return Admission{}, fmt.Errorf("%w: rate limit: %v", ErrUnavailable, err)
		}
	}
	ok, retry := true, time.Duration(0)
	for i, l := range limits {
		if ttl[i] == nil {
			continue
		}
		ok = false
		wait := ttl[i].Val()
		if wait < 0 {
			// A window whose expiry was never set (a process stopped between
			// its INCR and EXPIRE): start it now rather than refuse for ever.
			if err := c.rdb.Expire(ctx, c.limitKey(l.Key), time.Minute).Err(); err != nil {
				return Admission{}, fmt.Errorf("%w: rate limit: %v", ErrUnavailable, err)
			}
			wait = time.Minute
		}
		retry = max(retry, wait, time.Second)
	}
	a.Allowed = ok
	if !ok {
		a.Retry = min(retry, time.Minute)
	}
	return a, nil
}

// EndSurvey drops what Redis holds for a survey that has closed: its
// one-response marks, its quota counters and its codes' and its own
// rate-limit budgets. Call it
// when a survey closes; a survey that reopens reloads its counters from the
// store, and the store alone decides uniqueness until marks are set again.
func (c *Client) EndSurvey(ctx context.Context, surveyID string) error {
	keys := []string{c.onceKey(surveyID), c.limitKey("survey:" + surveyID)}
	for _, pattern := range []string{c.quotaKey(surveyID, "*"), c.limitKey("code:" + surveyID + ":*")} {
		iter := c.rdb.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			return fmt.Errorf("%w: end survey %s: %v", ErrUnavailable, surveyID, err)
		}
	}
	if err := c.rdb.Del(ctx, keys...).Err(); err != nil {
		return fmt.Errorf("%w: end survey %s: %v", ErrUnavailable, surveyID, err)
	}
	return nil
}
