package kv

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"renke/survey"
)

// quotaBase offsets a loaded quota counter: a counter holds quotaBase plus
// the places used, so a value below quotaBase is one that INCR created (not
// loaded). This keeps taking a place to plain INCR/DECR, with no Lua script:
// a script costs about 0.5 ms under the in-process Redis's global lock.
const quotaBase = 1 << 40

// ErrNotLoaded means the quota counter is absent (new code, or Redis restarted).
var ErrNotLoaded = errors.New("quota counter not loaded")

func (c *Client) quotaKey(surveyID, code string) string {
	return c.ns + "quota:" + surveyID + ":" + code
}

// TakeQuota takes one place of quota from code's counter. It returns
// survey.ErrQuotaFull when none is left and ErrNotLoaded when the counter
// must first be loaded from the store with LoadQuota.
func (c *Client) TakeQuota(ctx context.Context, surveyID, code string, quota int) error {
	// Not cut short by the caller's deadline: a place taken whose answer was
	// lost would stay taken. Redis's own timeouts still bound the call.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
	defer cancel()
	k := c.quotaKey(surveyID, code)
	n, err := c.rdb.Incr(ctx, k).Result()
	if err != nil {
		return fmt.Errorf("%w: quota: %v", ErrUnavailable, err)
	}
	if n >= quotaBase && n-quotaBase <= int64(quota) {
		return nil
	}
	// Not loaded, or full: give the increment back.
	if err := c.rdb.Decr(ctx, k).Err(); err != nil {
		return fmt.Errorf("%w: quota: %v", ErrUnavailable, err)
	}
	if n < quotaBase {
		return ErrNotLoaded
	}
	return survey.ErrQuotaFull
}

// LoadQuota sets code's counter to the number of responses stored, unless
// another server loaded it first. The counter lasts until until (the
// survey's close); a later take after that reloads it.
func (c *Client) LoadQuota(ctx context.Context, surveyID, code string, stored int64, until time.Time) error {
	k := c.quotaKey(surveyID, code)
	load := func(tx *redis.Tx) error {
		v, err := tx.Get(ctx, k).Int64()
		if err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
		if v >= quotaBase {
			return nil // loaded by another server
		}
		// Takes in flight between their INCR and DECR are kept: each gives
		// its increment back after the load.
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.IncrBy(ctx, k, quotaBase+stored)
			p.PExpireAt(ctx, k, until)
			return nil
		})
		return err
	}
	var err error
	for attempt := 0; attempt < 10; attempt++ {
		if err = c.rdb.Watch(ctx, load, k); !errors.Is(err, redis.TxFailedErr) {
			break
		}
	}
	if err != nil && errors.Is(ctx.Err(), context.Canceled) {
		return fmt.Errorf("load quota: %w", ctx.Err()) // the caller left: Redis is not at fault
	}
	if err != nil {
		return fmt.Errorf("%w: load quota: %v", ErrUnavailable, err)
	}
	return nil
}

// ReleaseQuota gives back a place taken for a response that was not stored.
func (c *Client) ReleaseQuota(ctx context.Context, surveyID, code string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
	defer cancel()
	if err := c.rdb.Decr(ctx, c.quotaKey(surveyID, code)).Err(); err != nil {
		return fmt.Errorf("%w: release quota: %v", ErrUnavailable, err)
	}
	return nil
}

// QuotaUsed returns the counter, or ErrNotLoaded.
func (c *Client) QuotaUsed(ctx context.Context, surveyID, code string) (int64, error) {
	n, err := c.rdb.Get(ctx, c.quotaKey(surveyID, code)).Int64()
	if errors.Is(err, redis.Nil) || (err == nil && n < quotaBase) {
		return 0, ErrNotLoaded
	}
	if err != nil {
		return 0, fmt.Errorf("%w: quota: %v", ErrUnavailable, err)
	}
	return n - quotaBase, nil
}

// RaiseQuota raises code's counter, when loaded, to at least places used:
// after places were taken in the store while Redis was away, the counter
// lags them. It never lowers a counter, nor drops it: places taken in it
// meanwhile (by any replica) are kept, where a counter dropped and loaded
// again from the store would miss those not yet stored. A counter that is
// not loaded is left for the next TakeQuota to load from the store. No Lua:
// WATCH, then the missing places added in MULTI.
func (c *Client) RaiseQuota(ctx context.Context, surveyID, code string, places int64) error {
	k := c.quotaKey(surveyID, code)
	raise := func(tx *redis.Tx) error {
		v, err := tx.Get(ctx, k).Int64()
		if errors.Is(err, redis.Nil) {
			return nil
		}
		if err != nil {
			return err
		}
		if v < quotaBase || v-quotaBase >= places {
			return nil
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.IncrBy(ctx, k, places-(v-quotaBase))
			return nil
		})
		return err
	}
	var err error
	for attempt := 0; attempt < 10; attempt++ {
		if err = c.rdb.Watch(ctx, raise, k); !errors.Is(err, redis.TxFailedErr) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("%w: raise quota: %v", ErrUnavailable, err)
	}
	return nil
}
