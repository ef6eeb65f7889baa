package kv

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"renke/survey"
)

// takeScript takes one place from a quota counter that holds the number of
// places used. It returns -1 when the counter is not loaded (so the caller
// loads it from the store), 0 when the quota is full, 1 when a place was taken.
var takeScript = redis.NewScript(`
local used = redis.call('GET', KEYS[1])
if not used then return -1 end
if tonumber(used) >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
return 1
`)

// ErrNotLoaded means the quota counter is absent (new code, or Redis restarted).
var ErrNotLoaded = errors.New("quota counter not loaded")

func (c *Client) quotaKey(code string) string { return c.ns + "quota:" + code }

// TakeQuota takes one place of quota from code's counter. It returns
// survey.ErrQuotaFull when none is left and ErrNotLoaded when the counter
// must first be loaded from the store with LoadQuota.
func (c *Client) TakeQuota(ctx context.Context, code string, quota int) error {
	// Not cut short by the caller's deadline: a place taken whose answer was
	// lost would stay taken. Redis's own timeouts still bound the call.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
	defer cancel()
	n, err := takeScript.Run(ctx, c.rdb, []string{c.quotaKey(code)}, quota).Int()
	if err != nil {
		return fmt.Errorf("%w: quota: %v", survey.ErrUnavailable, err)
	}
	switch n {
	case 1:
		return nil
	case 0:
		return survey.ErrQuotaFull
	}
	return ErrNotLoaded
}

// LoadQuota sets code's counter to the number of responses stored, unless
// another server loaded it first.
func (c *Client) LoadQuota(ctx context.Context, code string, stored int64) error {
	if err := c.rdb.SetNX(ctx, c.quotaKey(code), stored, 0).Err(); err != nil {
		return fmt.Errorf("%w: load quota: %v", survey.ErrUnavailable, err)
	}
	return nil
}

// ReleaseQuota gives back a place taken for a response that was not stored.
func (c *Client) ReleaseQuota(ctx context.Context, code string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
	defer cancel()
	if err := c.rdb.Decr(ctx, c.quotaKey(code)).Err(); err != nil {
		return fmt.Errorf("%w: release quota: %v", survey.ErrUnavailable, err)
	}
	return nil
}

// QuotaUsed returns the counter, or ErrNotLoaded.
func (c *Client) QuotaUsed(ctx context.Context, code string) (int64, error) {
	n, err := c.rdb.Get(ctx, c.quotaKey(code)).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, ErrNotLoaded
	}
	if err != nil {
		return 0, fmt.Errorf("%w: quota: %v", survey.ErrUnavailable, err)
	}
	return n, nil
}

// ForgetQuota drops code's counter, so the next TakeQuota asks for a reload.
func (c *Client) ForgetQuota(ctx context.Context, code string) error {
	if err := c.rdb.Del(ctx, c.quotaKey(code)).Err(); err != nil {
		return fmt.Errorf("%w: forget quota: %v", survey.ErrUnavailable, err)
	}
	return nil
}
