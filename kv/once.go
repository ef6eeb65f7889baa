package kv

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// onceKey is the hash of a survey's one-response marks: one field per
// uniqueness key, so a survey's marks are one Redis key that ends with the
// survey (its expiry is the survey's close, and EndSurvey drops it).
func (c *Client) onceKey(surveyID string) string { return c.ns + "once:" + surveyID }

// OnceHolder returns the id of the stored response that holds a uniqueness
// key (a one-time code, or a device on a survey) of survey surveyID, or ""
// when Redis knows of none. It lets a repeated submission be refused without
// asking the store.
func (c *Client) OnceHolder(ctx context.Context, surveyID, key string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	id, err := c.rdb.HGet(ctx, c.onceKey(surveyID), key).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("%w: once key: %v", ErrUnavailable, err)
	}
	return id, nil
}

// MarkOnce records that the stored response id holds key of survey
// surveyID. The survey's marks last until the given time (its close).
func (c *Client) MarkOnce(ctx context.Context, surveyID, key, id string, until time.Time) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	k := c.onceKey(surveyID)
	// Pipelined, not MULTI: a mark left without its expiry by a process
	// stopped in between gets it from the next mark, or goes with EndSurvey.
	_, err := c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, k, key, id)
		p.PExpireAt(ctx, k, until)
		return nil
	})
	if err != nil {
		return fmt.Errorf("%w: mark once key: %v", ErrUnavailable, err)
	}
	return nil
}
