// Package kv is renke's Redis adapter: rate limits, quota counters and
// sessions. It talks to a real Redis or the embedded miniredis the same way.
package kv

import (
	"context"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"renke/survey"
)

// ErrUnavailable means Redis could not be reached or did not answer in
// time. It wraps survey.ErrUnavailable, so callers that only ask "is a backend
// away?" still match, while errors.Is(err, kv.ErrUnavailable) tells Redis's
// outage from the store's (store.ErrUnavailable) without a ping.
var ErrUnavailable error = unavailableError{}

// unavailableError is ErrUnavailable: it matches survey.ErrUnavailable too.
type unavailableError struct{}

func (unavailableError) Error() string { return "redis unavailable" }

func (unavailableError) Is(target error) bool { return target == survey.ErrUnavailable }

// Client is a connection to Redis.
type Client struct {
	rdb     *redis.Client
	limiter *redis_rate.Limiter
	ns      string // prefix of every key
}

// Open connects to the Redis at url and checks it answers.
func Open(ctx context.Context, url string) (*Client, error) {
	return OpenNamespace(ctx, url, "renke:")
}

// OpenNamespace is Open with every key under prefix ns, so that several
// users of one Redis (tests, several deployments) never see each other's keys.
func OpenNamespace(ctx context.Context, url, ns string) (*Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis URL: %w", err)
	}
	opt.DialTimeout = 2 * time.Second
	opt.ReadTimeout = 2 * time.Second
	opt.WriteTimeout = 2 * time.Second
	opt.PoolSize = 128
	opt.PoolTimeout = time.Second
	opt.MaxRetries = 1
	// Fail fast while Redis is away, so callers fall back instead of queueing.
	opt.DialerRetries = 1
	opt.ContextTimeoutEnabled = true
	rdb := redis.NewClient(opt)
	c := &Client{rdb: rdb, limiter: redis_rate.NewLimiter(rdb), ns: ns}
	if err := c.Ping(ctx); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("connect to Redis: %w", err)
	}
	return c, nil
}

// Ping checks that Redis answers.
func (c *Client) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := c.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("%w: redis: %v", ErrUnavailable, err)
	}
	return nil
}

// Close closes the connection pool.
func (c *Client) Close() error { return c.rdb.Close() }

// Redis exposes the underlying client for adapters built on it (sessions).
func (c *Client) Redis() *redis.Client { return c.rdb }

// Allow takes one event from the per-minute budget of key. It returns whether
// the event is allowed and, when not, how long until it would be.
func (c *Client) Allow(ctx context.Context, key string, perMinute int) (bool, time.Duration, error) {
	res, err := c.limiter.Allow(ctx, c.ns+"rl:"+key, redis_rate.PerMinute(perMinute))
	if err != nil {
		return false, 0, fmt.Errorf("%w: rate limit: %v", ErrUnavailable, err)
	}
	return res.Allowed > 0, res.RetryAfter, nil
}
