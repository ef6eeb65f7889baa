package kv

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"renke/survey"
)

func (c *Client) onceKey(key string) string { return c.ns + "once:" + key }

// OnceHolder returns the id of the stored response that holds a uniqueness
// key (a one-time code, or a device on a survey), or "" when Redis knows of
// none. It lets a repeated submission be refused without asking the store.
func (c *Client) OnceHolder(ctx context.Context, key string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	id, err := c.rdb.Get(ctx, c.onceKey(key)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("%w: once key: %v", survey.ErrUnavailable, err)
	}
	return id, nil
}

// MarkOnce records that the stored response id holds key, for ttl.
func (c *Client) MarkOnce(ctx context.Context, key, id string, ttl time.Duration) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	if err := c.rdb.Set(ctx, c.onceKey(key), id, ttl).Err(); err != nil {
		return fmt.Errorf("%w: mark once key: %v", survey.ErrUnavailable, err)
	}
	return nil
}
